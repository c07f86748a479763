"""Type coercion: a table's string cells to the declared integer and number types.

A cell that does not parse becomes NA and a problem that says how to write it (a decimal
comma, a thousands separator). Other types stay text: pandera checks their spelling.
"""

from __future__ import annotations

import re

import pandas as pd

from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource

NUMERIC_DTYPES = {"integer": "Int64", "number": "Float64"}


def coerce_numbers(raw: RawTable, resource: Resource) -> tuple[pd.DataFrame, list[Problem]]:
    """A copy of ``raw.frame`` with integer and number columns typed, and the cells that
    failed (set to NA there)."""
    frame = raw.frame.copy()
    problems: list[Problem] = []
    for spec in resource.fields:
        name, kind = spec["name"], spec.get("type", "string")
        if kind not in NUMERIC_DTYPES:
            continue
        text = frame[name]
        numbers = to_numbers(text)
        bad = text.notna() & numbers.isna()
        if kind == "integer":
            bad |= numbers.notna() & (numbers != numbers.round())
        problems += [
            raw.problem(index, name, *_number_message(name, kind, text[index]))
            for index in frame.index[bad]
        ]
        numbers[bad] = pd.NA
        frame[name] = numbers.astype(NUMERIC_DTYPES[kind])
    return frame, problems


def _number_message(name: str, kind: str, value: object) -> tuple[str, str]:
    if kind == "integer":
        return (
            f"{name} '{value}' is not a whole number",
            "write digits only, without spaces or thousands separators",
        )
    if re.fullmatch(r"-?\d+,\d+", str(value)):
        hint = f"use a decimal point, not a comma: {str(value).replace(',', '.')}"
    else:
        hint = "write a decimal number with a point, e.g. 40.78"
    return f"{name} '{value}' is not a number", hint


def to_numbers(text: pd.Series) -> pd.Series:
    """``pd.to_numeric(text, errors="coerce")``, parsing each distinct value once.

    >>> to_numbers(pd.Series(["1.5", "x", "1.5", None], dtype="string")).tolist()
    [1.5, <NA>, 1.5, <NA>]
    """
    codes, uniques = text.factorize()
    if len(uniques) == 0:
        return pd.to_numeric(text, errors="coerce")
    parsed = pd.to_numeric(pd.Series(uniques, dtype=text.dtype), errors="coerce")
    return pd.Series(parsed.array.take(codes, allow_fill=True), index=text.index, name=text.name)
