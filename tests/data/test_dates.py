"""dashlib.data.dates: the one partial-date engine, scalar and vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashlib.data import dates


@pytest.mark.parametrize(
    ("text", "parts", "precision", "start", "end"),
    [
        ("1994", (1994, None, None), "year", "1994-01-01", "1994-12-31"),
        ("1992-07", (1992, 7, None), "month", "1992-07-01", "1992-07-31"),
        ("2000-02", (2000, 2, None), "month", "2000-02-01", "2000-02-29"),
        ("1900-02", (1900, 2, None), "month", "1900-02-01", "1900-02-28"),
        ("2022-01-06", (2022, 1, 6), "day", "2022-01-06", "2022-01-06"),
    ],
)
def test_partial_dates(text: str, parts: tuple[int, ...], precision: str, start: str, end: str):
    assert dates.parse_partial(text) == parts
    assert dates.precision_of(text) == precision
    assert dates.period_start(text) == pd.Timestamp(start)
    assert dates.period_end(text) == pd.Timestamp(end)


@pytest.mark.parametrize(
    "text", ["", "92", "1992-7", "1992-13", "1992-02-30", "2022-01-06T00:00", " 1992", "06/01/2022"]
)
def test_not_partial_dates(text: str) -> None:
    assert dates.parse_partial(text) is None
    assert dates.precision_of(text) is None
    with pytest.raises(ValueError, match="not a partial ISO date"):
        dates.period_start(text)
    with pytest.raises(ValueError, match="not a partial ISO date"):
        dates.period_end(text)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("25/12/2021", "write it as YYYY-MM-DD (2021-12-25)"),
        ("12/25/2021", "write it as YYYY-MM-DD (2021-12-25)"),
        ("06/01/2022", "day and month are ambiguous: write it as YYYY-MM-DD (2022-01-06 if day "
         "first, 2022-06-01 if month first)"),
        ("06/01/22", "write the date as YYYY-MM-DD with a four-digit year"),
        ("Jan 2022", "write YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"),
    ],
)  # fmt: skip
def test_date_hint(text: str, hint: str) -> None:
    assert dates.date_hint(text) == hint


dates_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["1992", "1992-07", "1992-07-31", "1992-02-30", "1992-13", "92-07", "1992/07", "x"]
            + ["2000-02-29", "1900-02-29", "0000", "1992-00", "1992-07-00", "19920"]
        ),
        st.dates().map(lambda d: d.isoformat()[: st_len(d)]),
    ),
    max_size=30,
)


def st_len(day: object) -> int:
    return 4 + 3 * (hash(day) % 3)


@settings(max_examples=150, deadline=None)
@given(values=dates_text)
def test_vectorised_engine_equals_the_scalar_one(values: list[str]) -> None:
    text = pd.Series(values, dtype=object, index=np.arange(len(values)) * 3)
    expected_precision = [dates.precision_of(v) for v in values]
    assert [None if pd.isna(p) else p for p in dates.precisions(text)] == expected_precision
    first, last = dates.period_bounds(text)
    for value, a, b in zip(values, first, last, strict=True):
        if dates.parse_partial(value) is None:
            assert pd.isna(a) and pd.isna(b)
        else:
            assert (a, b) == (dates.period_start(value), dates.period_end(value))
    assert list(first.index) == list(text.index)


def test_column_bounds_keep_missing_cells() -> None:
    values = pd.Series(["1992", None, "2014-02"], dtype="string")
    first, last = dates.column_bounds(values)
    assert first.tolist()[0] == pd.Timestamp("1992-01-01") and pd.isna(first[1])
    assert last.tolist()[2] == pd.Timestamp("2014-02-28")
    assert str(first.dtype) == "datetime64[ns]"


@pytest.mark.parametrize(
    ("text", "human"),
    [("2022-01-06", "6 Jan 2022"), ("1992-07", "Jul 1992"), ("1994", "1994"), ("x", "x")],
)
def test_format_partial(text: str, human: str) -> None:
    assert dates.format_partial(text) == human
