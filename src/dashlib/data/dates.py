"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with their precision.

A journalist often knows only the month or the year something happened. We store what is
known and, for drawing, expand a partial date to the first or last day of its period.
This module is the one partial-date engine: the scalar functions serve formatting and hints,
the vectorised ones (:func:`precisions`, :func:`period_bounds`) serve loading and validation,
and both follow :data:`PARTIAL_DATE`.

>>> period_start("1992-07")
Timestamp('1992-07-01 00:00:00')
>>> period_end("1992-07")
Timestamp('1992-07-31 00:00:00')
>>> precision_of("1994")
'year'
>>> precision_of("1992-02-30") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = {1: "year", 2: "month", 3: "day"}
# The years a pandas timestamp (nanoseconds) can hold whole: the tables' start/end columns.
YEARS = range(1678, 2262)
# A spreadsheet's local date such as 06/01/2022 — day and month cannot be told apart.
_SLASHED = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\s*$")


def parse_partial(value: str) -> tuple[int, int | None, int | None] | None:
    """Return (year, month, day) with None for unknown parts, or None when not a valid date.

    >>> parse_partial("2022-01")
    (2022, 1, None)
    >>> parse_partial("06/01/2022") is None
    True
    """
    match = PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year not in YEARS:
        return None
    try:  # month 00 and day 00 are not dates ("or 1" would take them for missing)
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None
    return year, month, day


def precision_of(value: str) -> str | None:
    """``day``, ``month`` or ``year`` for a valid partial date, else None."""
    if parse_partial(value) is None:
        return None
    return PRECISIONS[value.count("-") + 1]


def period_start(value: str) -> pd.Timestamp:
    """First day of the period a partial date names."""
    parts = parse_partial(value)
    if parts is None:
        raise ValueError(f"not a partial ISO date: {value!r}")
    year, month, day = parts
    return pd.Timestamp(year, month or 1, day or 1)


def period_end(value: str) -> pd.Timestamp:
    """Last day of the period a partial date names."""
    parts = parse_partial(value)
    if parts is None:
        raise ValueError(f"not a partial ISO date: {value!r}")
    year, month, day = parts
    if day is not None:
        return pd.Timestamp(year, month or 1, day)
    if month is not None:
        return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
    return pd.Timestamp(year, 12, 31)


# --- vectorised: a column of date texts at once, each distinct text worked out once ----------


def _distinct(text: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The factorize codes of ``text`` and its distinct values as ``str``."""
    codes, uniques = pd.factorize(text)
    return codes, [str(u) for u in uniques]


def _spread(values: list[Any], codes: np.ndarray, text: pd.Series, dtype: str) -> pd.Series:
    return pd.Series(pd.array(values, dtype=dtype).take(codes), index=text.index, name=text.name)


def precisions(text: pd.Series) -> pd.Series:
    """:func:`precision_of` of each cell of ``text`` (no missing cells), NA when it is not a
    real partial ISO date; each distinct text is worked out once.

    >>> precisions(pd.Series(["1992", "1992-13", "2000-02-29"])).tolist()
    ['year', nan, 'day']
    """
    codes, distinct = _distinct(text)
    return _spread([precision_of(v) for v in distinct], codes, text, "str")


def shaped(text: pd.Series) -> pd.Series:
    """Whether each cell starts like a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    codes, distinct = _distinct(text)
    return _spread([bool(PARTIAL_DATE.match(v)) for v in distinct], codes, text, "bool")


def period_bounds(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`period_start` and :func:`period_end` of each cell (NaT when not a real date).

    >>> first, last = period_bounds(pd.Series(["1992-07", "x"]))
    >>> last.tolist()
    [Timestamp('1992-07-31 00:00:00'), NaT]
    """
    codes, distinct = _distinct(text)
    real = [parse_partial(v) is not None for v in distinct]
    first = [period_start(v) if ok else pd.NaT for v, ok in zip(distinct, real, strict=True)]
    last = [period_end(v) if ok else pd.NaT for v, ok in zip(distinct, real, strict=True)]
    return (
        _spread(first, codes, text, "datetime64[ns]"),
        _spread(last, codes, text, "datetime64[ns]"),
    )


def column_bounds(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`period_bounds` of a column that may hold missing cells (NaT there)."""
    present = values.dropna().astype(str)
    first, last = period_bounds(present)
    return (
        first.reindex(values.index).astype("datetime64[ns]"),
        last.reindex(values.index).astype("datetime64[ns]"),
    )


# --- words ------------------------------------------------------------------------------------


def date_hint(value: str) -> str:
    """How to fix a value that is not a partial ISO date.

    >>> date_hint("25/12/2021")
    'write it as YYYY-MM-DD (2021-12-25)'
    """
    slashed = _SLASHED.match(value)
    if slashed:
        a, b, year = slashed.groups()
        if len(year) == 2:
            return "write the date as YYYY-MM-DD with a four-digit year"
        first = f"{year}-{int(b):02d}-{int(a):02d}"
        second = f"{year}-{int(a):02d}-{int(b):02d}"
        if a == b or int(a) > 12 or int(b) > 12:
            only = first if int(a) > 12 else second
            return f"write it as YYYY-MM-DD ({only})"
        return (
            f"day and month are ambiguous: write it as YYYY-MM-DD ({first} if day first, "
            f"{second} if month first)"
        )
    return "write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"


def format_partial(value: str) -> str:
    """Human form of a partial date: '6 Jan 2022', 'Jul 1992', '1994'.

    >>> [format_partial(v) for v in ("2022-01-06", "1992-07", "1994", "soon")]
    ['6 Jan 2022', 'Jul 1992', '1994', 'soon']
    """
    parts = parse_partial(value)
    if parts is None:
        return value
    year, month, day = parts
    if month is None:
        return str(year)
    stamp = dt.date(year, month, day or 1)
    if day is None:
        return stamp.strftime("%b %Y")
    return f"{day} {stamp.strftime('%b %Y')}"
