"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with their precision.

A journalist often knows only the month or the year something happened. We store what is
known and, for drawing, expand a partial date to the first or last day of its period.

>>> period_start("1992-07")
Timestamp('1992-07-01 00:00:00')
>>> period_end("1992-07")
Timestamp('1992-07-31 00:00:00')
>>> precision_of("1994")
'year'
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = {1: "year", 2: "month", 3: "day"}
# A spreadsheet's local date such as 06/01/2022 — day and month cannot be told apart.
_SLASHED = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\s*$")


# The same few dates repeat over thousands of rows: each is worked out once (values are immutable).
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def parse_partial(value: str) -> tuple[int, int | None, int | None] | None:
    """Return (year, month, day) with None for unknown parts, or None when not a valid date."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def precision_of(value: str) -> str | None:
    """``day``, ``month`` or ``year`` for a valid partial date, else None."""
    if parse_partial(value) is None:
        return None
    return PRECISIONS[value.count("-") + 1]


@lru_cache(maxsize=_CACHE_SIZE)
def period_start(value: str) -> pd.Timestamp:
    """First day of the period a partial date names."""
    parts = parse_partial(value)
    if parts is None:
        raise ValueError(f"not a partial ISO date: {value!r}")
    year, month, day = parts
    return pd.Timestamp(year, month or 1, day or 1)


@lru_cache(maxsize=_CACHE_SIZE)
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


def date_hint(value: str) -> str:
    """How to fix a value that is not a partial ISO date."""
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
    """Human form of a partial date: '6 Jan 2022', 'Jul 1992', '1994'."""
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
