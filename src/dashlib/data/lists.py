"""Semicolon-separated cells: how one cell lists several ids, names or variants.

>>> split_list("UKR; MDA;")
['UKR', 'MDA']
>>> split_list(None)
[]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

SEPARATOR = ";"


def split_list(value: Any) -> list[str]:
    """Items of a semicolon-separated cell ('' or NA gives [])."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [item.strip() for item in str(value).split(SEPARATOR) if item.strip()]
