"""The wording of single-table problems: pandera's failure cases as sentences an editor acts on.

Each case becomes ``FILE:LINE:COLUMN: what is wrong — how to fix it``, worded from the field's
declared type, constraints and description in ``datapackage.json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashlib.data import dates
from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource

URL_FIELDS = ("url", "original_url")


def from_failure_cases(raw: RawTable, resource: Resource, cases: pd.DataFrame) -> list[Problem]:
    """One problem per pandera failure case (pandera's ``SchemaErrors.failure_cases``)."""
    problems = []
    for case in cases.itertuples(index=False):
        name = str(case.column)
        if name not in raw.columns or not raw.columns[name]:
            continue  # the missing column is already reported once, on the header
        message, hint = explain(resource.field(name), str(case.check), case.failure_case)
        if message.startswith("duplicate "):
            first = _first_line_of(raw, name, case.failure_case, case.index)
            message += f" (also on line {first})" if first else ""
        problems.append(raw.problem(case.index, name, message, hint))
    return problems


def explain(spec: dict[str, Any], check: str, value: Any) -> tuple[str, str]:
    """(message, hint) for ``value`` of field ``spec`` failing pandera's check ``check``.

    >>> explain({"name": "kind", "constraints": {"enum": ["war", "base"]}}, "isin", "ward")
    ("kind 'ward' is not an allowed value", 'use one of: war, base')
    """
    name = spec["name"]
    constraints = spec.get("constraints", {})
    if check == "not_nullable":
        return f"{name} is empty but required", f"fill in {spec.get('description', name)}"
    if check.startswith("field_uniqueness") or check == "unique":
        return f"duplicate {name} '{value}'", f"each {name} must be unique: rename one of them"
    if check.startswith("isin") and spec.get("type") == "boolean":
        return f"{name} '{value}' is not true or false", "write true or false"
    if check.startswith("isin"):
        allowed = ", ".join(constraints.get("enum", []))
        return f"{name} '{value}' is not an allowed value", f"use one of: {allowed}"
    if check == "iso_date" or (check.startswith("str_matches") and "[0-9]{4}" in check):
        return f"{name} '{value}' is not a date in ISO form", dates.date_hint(str(value))
    if check.startswith("str_matches") and name in URL_FIELDS:
        return f"{name} '{value}' is not a web address", "write a full http:// or https:// address"
    if check.startswith("str_matches"):
        return (
            f"{name} '{value}' is not in the expected form",
            f"expected pattern {constraints.get('pattern')}: {spec.get('description', '')}",
        )
    if check.startswith(("in_range", "greater_than", "less_than")):
        return f"{name} {value} is out of range", f"it must be {_bounds(constraints)}"
    return f"{name} '{value}' fails check {check}", spec.get("description", "")


def _bounds(constraints: dict[str, Any]) -> str:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _first_line_of(raw: RawTable, name: str, value: Any, index: Any) -> int | None:
    """The line of another row holding ``value`` in column ``name`` (for duplicates)."""
    column = raw.frame[name]
    matches = column.index[column == value]
    if len(matches) == 0:
        return None
    first = int(matches[0])
    if index is not None and not pd.isna(index) and first == int(index) and len(matches) > 1:
        first = int(matches[1])
    return raw.lines[first]
