"""Who published a source, as readers see it: state and partisan media say what they are.

``sources.publisher_type`` (declared in datapackage.json) drives it; gazetteers (GeoNames)
only place sites on the map and are credited apart in source lines.
"""

from __future__ import annotations

# Publisher types a reader should see named beside the publisher (datapackage.json describes
# each); gazetteers only place sites on the map and are credited apart.
PARTISAN_LABELS = {
    "state_media_party": "state media",
    "partisan_media": "partisan media",
    "de_facto_authority": "de facto authority",
}
GAZETTEER = "gazetteer"
# Named after the original publishers in a source line: they only stand beside them.
SECONDARY = frozenset({"encyclopedia", "aggregator"})


def publisher_label(publisher: str, publisher_type: str) -> str:
    """The publisher as a reader sees it: state and partisan sources say what they are.

    >>> publisher_label("TASS", "state_media_party")
    'TASS (state media)'
    >>> publisher_label("Reuters", "agency")
    'Reuters'
    """
    kind = PARTISAN_LABELS.get(publisher_type)
    return f"{publisher} ({kind})" if kind else publisher
