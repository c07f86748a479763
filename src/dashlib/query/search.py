"""Full-text search over excerpts that finds place-name variants and marks the matches.

A query for "Kiev" also finds "Kyiv"; "Chisinau" finds "Chișinău" and "Kishinev"; "Alma-Ata"
finds "Almaty". Variants come from the data (``name_variants`` and ``capital_variants`` in
countries.csv, ``name_variants`` in territories.csv, ``variants`` in places.csv), so
journalists extend them without touching code. Matching ignores case and diacritics.

>>> groups = [("Kyiv", "Kiev")]
>>> [text for text, hit in highlight("From Kiev to Kyiv.", "kyiv", groups) if hit]
['Kiev', 'Kyiv']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.lists import split_list


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping one character per input character."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c)) or char
        out.append(base[0].casefold()[0] if base else char)
    return "".join(out)


def variant_groups(ds: Dataset) -> list[tuple[str, ...]]:
    """Groups of names that mean the same place, from the dataset."""
    groups: list[tuple[str, ...]] = []
    for row in ds.countries.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.name_variants)))
        groups.append((str(row.capital), *split_list(row.capital_variants)))
    for row in ds.territories.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.name_variants)))
    for row in ds.places.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.variants)))
    return [g for g in groups if len(g) > 1]


def expand(query: str, groups: Iterable[Sequence[str]]) -> list[str]:
    """The query's terms plus every variant of a place the query names (folded)."""
    q = fold(query.strip())
    if not q:
        return []
    terms = {q}
    for group in groups:
        folded = [fold(name) for name in group]
        if any(q == name or re.search(rf"\b{re.escape(name)}\b", q) for name in folded):
            for name in folded:
                terms.add(name)
                for other in folded:
                    terms.add(q.replace(other, name))
    return sorted(terms, key=len, reverse=True)


def _pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms))


def highlight(text: str, query: str, groups: Iterable[Sequence[str]]) -> list[tuple[str, bool]]:
    """Split ``text`` into (segment, is_match) pieces, in order; joining them gives ``text``."""
    pattern = _pattern(expand(query, groups))
    if pattern is None:
        return [(text, False)] if text else []
    folded = fold(text)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for found in pattern.finditer(folded):
        if found.start() > at:
            pieces.append((text[at : found.start()], False))
        pieces.append((text[found.start() : found.end()], True))
        at = found.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def search(
    frame: pd.DataFrame,
    query: str,
    groups: Iterable[Sequence[str]],
    columns: Sequence[str] = ("text", "speaker", "speaker_role"),
) -> pd.DataFrame:
    """Rows of ``frame`` where any of ``columns`` matches ``query`` (all rows when empty)."""
    pattern = _pattern(expand(query, list(groups)))
    if pattern is None:
        return frame
    keep = pd.Series(False, index=frame.index)
    for column in columns:
        if column in frame:
            keep |= frame[column].fillna("").map(lambda v: bool(pattern.search(fold(str(v)))))
    return frame[keep]
