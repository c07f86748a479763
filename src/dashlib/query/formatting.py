"""Values from the data worded for readers, shared by tables, hovers and summaries.

>>> troop_range(1200, 1500), troop_range(400, 400), troop_range(None, None)
('1,200–1,500', '400', '')
"""

from __future__ import annotations

import pandas as pd


def troop_range(low: object, high: object) -> str:
    """A troop range as written for readers: one figure when the ends agree, '' when unknown.

    Sources that disagree give a range; it is shown as a range, never averaged.
    """
    if pd.isna(low) or pd.isna(high):
        return ""
    low_i, high_i = int(low), int(high)  # type: ignore[call-overload]
    return f"{low_i:,}" if low_i == high_i else f"{low_i:,}–{high_i:,}"


def troop_columns(frame: pd.DataFrame) -> dict[str, object]:
    """The "Troops" and "Troops as of" columns of a reader-facing table."""
    return {
        "Troops": [
            troop_range(a, b)
            for a, b in zip(frame["troops_low"], frame["troops_high"], strict=True)
        ],
        "Troops as of": frame["troops_as_of"].fillna(""),
    }
