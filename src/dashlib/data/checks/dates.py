"""Date rules: a precision column that matches the date written, and end not before start.

Uses the one partial-date engine, :mod:`dashlib.data.dates`; loops only over bad rows.
"""

from __future__ import annotations

import pandas as pd

from dashlib.data import dates
from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem

DATE_PAIRS = [("start_date", "end_date"), ("since", "until")]


def precision_column(column: str, frame: pd.DataFrame) -> str | None:
    """The column holding ``column``'s precision (``start_date`` -> ``start_precision``)."""
    for candidate in (column.removesuffix("_date") + "_precision", column + "_precision"):
        if candidate != column and candidate in frame.columns:
            return candidate
    return None


def date_rules(raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Every date with a precision column checked against it; every pair in order."""
    problems: list[Problem] = []
    for column in frame.columns:
        precision_col = precision_column(column, frame)
        if precision_col is not None:
            problems += _precision_rules(raw, frame, column, precision_col)
    for start, end in DATE_PAIRS:
        if start in frame and end in frame:
            problems += _order_rule(raw, frame, start, end)
    return problems


def _precision_rules(
    raw: RawTable, frame: pd.DataFrame, column: str, precision_col: str
) -> list[Problem]:
    values, precision = frame[column], frame[precision_col]
    problems = [
        raw.problem(
            index,
            precision_col,
            f"{precision_col} is set but {column} is empty",
            f"fill in {column}, or clear {precision_col}",
        )
        for index in frame.index[values.isna() & precision.notna()]
    ]
    present = values.dropna().astype(str)
    actual = dates.precisions(present)
    unreal = actual.isna() & dates.shaped(present)
    problems += [
        raw.problem(
            index,
            column,
            f"{column} '{present[index]}' is not a real date",
            "check the month (01–12) and day",
        )
        for index in present.index[unreal]
    ]
    given = precision[values.notna()]
    known = actual.notna()
    problems += [
        raw.problem(
            index,
            precision_col,
            f"{precision_col} is empty but {column} is '{present[index]}'",
            f"write {actual[index]}",
        )
        for index in present.index[known & given.isna()]
    ]
    problems += [
        raw.problem(
            index,
            precision_col,
            f"{precision_col} is '{given[index]}' but {column} '{present[index]}' gives a "
            f"{actual[index]}",
            f"write {actual[index]}, or write the date to the {given[index]}",
        )
        for index in present.index[known & given.notna() & (given != actual)]
    ]
    return problems


def _order_rule(raw: RawTable, frame: pd.DataFrame, start: str, end: str) -> list[Problem]:
    both = frame[[start, end]].dropna().astype(str)
    first, _ = dates.period_bounds(both[start])
    _, last = dates.period_bounds(both[end])
    valid = first.notna() & last.notna()
    both, first, last = both[valid], first[valid], last[valid]
    return [
        raw.problem(
            index,
            end,
            f"{end} {both.at[index, end]} is before {start} {both.at[index, start]}",
            "swap them, or correct the year",
        )
        for index in both.index[(last < first).to_numpy()]
    ]
