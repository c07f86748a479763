"""Troop ranges: both ends given, low <= high, and the date the figure refers to."""

from __future__ import annotations

import pandas as pd

from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem


def troop_rules(raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Problems with ``troops_low``/``troops_high``/``troops_as_of`` (none without them)."""
    if "troops_low" not in frame:
        return []
    low, high = frame["troops_low"], frame["troops_high"]
    problems = [
        raw.problem(
            index,
            "troops_high",
            "only one end of the troop range is given",
            "give both troops_low and troops_high (equal when sources agree on one figure)",
        )
        for index in frame.index[low.isna() != high.isna()]
    ]
    upside_down = (low > high).fillna(False).astype(bool)
    problems += [
        raw.problem(
            index,
            "troops_high",
            f"troops_high {high[index]} is smaller than troops_low {low[index]}",
            "swap them",
        )
        for index in frame.index[upside_down]
    ]
    undated = (low.notna() | high.notna()) & frame["troops_as_of"].isna()
    problems += [
        raw.problem(
            index,
            "troops_as_of",
            "a troop figure is given without the date it refers to",
            "fill in troops_as_of (YYYY, YYYY-MM or YYYY-MM-DD)",
        )
        for index in frame.index[undated]
    ]
    return problems
