"""The optional ACLED events layer (see :mod:`dashlib.layers.acled.importer` for what is kept).

* :mod:`~dashlib.layers.acled.importer` — read an export, keep Russian forces' events, merge;
* :mod:`~dashlib.layers.acled.store` — the layer on disk: where it is, load and write it;
* :mod:`~dashlib.layers.acled.aggregate` — grid cells and periods for the charts (the only
  module the figures import);
* :mod:`~dashlib.layers.acled.cli` — ``python -m dashlib import-acled``.

ACLED data are used under ACLED's terms of use, with attribution: :data:`CREDIT`.
"""

CREDIT = "Armed Conflict Location & Event Data Project (ACLED); acleddata.com"
TERMS_URL = "https://epo.acleddata.com/terms-of-use-and-attribution-policy"
