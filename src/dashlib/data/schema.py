"""The declared schema: ``data/datapackage.json`` (Frictionless Data Package), read once.

The Data Package is the only description of the tables. pandera schemas are built from it
(``pandera.io.pandas_io.from_frictionless_schema``), adjusted for what a CSV edited in a
spreadsheet holds: empty cells, nullable integers, ``true``/``false`` booleans.

:func:`column_rules` spells out the same checks as plain data, as pandera would build them, so
that :mod:`dashlib.data.validate` can run them without importing pandera and frictionless (about a
second of start-up); pandera stays the reference, and handles any schema feature the rules do
not cover.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandera.pandas as pa

PACKAGE_FILE = "datapackage.json"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True, eq=False)
class Resource:
    """One table of the package: its name, file, fields and keys as declared."""

    name: str
    path: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    raw_schema: str  # the Table Schema as JSON text, so the dataclass stays hashable

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        return next(f for f in self.fields if f["name"] == name)


def read_package(data_dir: Path) -> dict[str, Resource]:
    """Resources of ``data_dir/datapackage.json`` by name, in declared order."""
    package = json.loads((data_dir / PACKAGE_FILE).read_text(encoding="utf-8"))
    return _resources(json.dumps(package, sort_keys=True))


@cache
def _resources(package_json: str) -> dict[str, Resource]:
    package = json.loads(package_json)
    out: dict[str, Resource] = {}
    for res in package["resources"]:
        schema = res["schema"]
        pk = schema.get("primaryKey", [])
        out[res["name"]] = Resource(
            name=res["name"],
            path=res["path"],
            fields=tuple(schema["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(schema.get("foreignKeys", [])),
            raw_schema=json.dumps(schema, sort_keys=True),
        )
    return out


def package_metadata(data_dir: Path) -> dict[str, Any]:
    """Top-level package properties (title, licences, version …) without the resources."""
    package = json.loads((data_dir / PACKAGE_FILE).read_text(encoding="utf-8"))
    package.pop("resources", None)
    return dict(package)


def pandera_schema(resource: Resource) -> pa.DataFrameSchema:
    """A pandera schema for the string cells of ``resource``, built from its Table Schema.

    Nullable pandas dtypes replace numpy ones (a CSV cell may be empty), enums are checked as
    strings, and ``date``/``boolean`` fields are checked for the exact spelling we accept.
    """
    return _pandera_schema(resource.raw_schema)


@cache
def _pandera_schema(raw_schema: str) -> pa.DataFrameSchema:
    import pandera.pandas as pa
    from pandera.io import pandas_io

    table_schema = json.loads(raw_schema)
    specs = {f["name"]: f for f in table_schema["fields"]}
    schema = pandas_io.from_frictionless_schema(table_schema)
    columns = {}
    for name, column in schema.columns.items():
        spec = specs[name]
        kind = spec.get("type", "string")
        checks = list(column.checks)
        dtype: Any = "string"
        if kind == "integer":
            dtype = "Int64"
        elif kind == "number":
            dtype = "Float64"
        elif kind == "date":
            checks.append(pa.Check.str_matches(ISO_DATE, name="iso_date"))
        elif kind == "boolean":
            allowed = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
            checks.append(pa.Check.isin(allowed, name="boolean"))
        columns[name] = pa.Column(
            dtype,
            checks=checks,
            nullable=column.nullable,
            unique=column.unique,
            coerce=True,
            required=True,
        )
    return pa.DataFrameSchema(columns, strict=True, coerce=True, ordered=False)


@dataclass(frozen=True)
class Rule:
    """One element-wise check, as pandera's built-in check ``name`` with ``args``.

    ``label`` is what pandera reports as the failed check, e.g. ``in_range(35, 72)``.
    """

    name: str
    label: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class ColumnRules:
    """What :func:`pandera_schema` checks in one column: its dtype, emptiness, uniqueness and
    element-wise rules, in pandera's order."""

    name: str
    dtype: str  # "string", "Int64" or "Float64"
    nullable: bool
    unique: bool
    checks: tuple[Rule, ...]


_SIMPLE_TYPES = {"string": "string", "date": "string", "boolean": "string"}
_NUMERIC_TYPES = {"integer": "Int64", "number": "Float64"}
_STRING_CONSTRAINTS = {"pattern", "enum", "minLength", "maxLength"}
_NUMBER_CONSTRAINTS = {"minimum", "maximum"}
_CONSTRAINTS = _STRING_CONSTRAINTS | _NUMBER_CONSTRAINTS | {"required", "unique"}


def column_rules(resource: Resource) -> tuple[ColumnRules, ...] | None:
    """The checks of :func:`pandera_schema` for ``resource``, one entry per field in order.

    None when the Table Schema uses something these rules do not spell out (another field
    type or constraint, a composite primary key): validate with pandera then.
    """
    return _column_rules(resource.raw_schema)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_length(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def _column_rules(raw_schema: str) -> tuple[ColumnRules, ...] | None:
    table_schema = json.loads(raw_schema)
    primary_key = table_schema.get("primaryKey", [])
    primary_key = [primary_key] if isinstance(primary_key, str) else list(primary_key)
    if len(primary_key) > 1:
        return None  # a composite key is a frame-wide check in pandera
    out = []
    for spec in table_schema["fields"]:
        name, kind = spec["name"], spec.get("type", "string")
        constraints = dict(spec.get("constraints") or {})
        dtype = _SIMPLE_TYPES.get(kind) or _NUMERIC_TYPES.get(kind)
        allowed = _NUMBER_CONSTRAINTS if kind in _NUMERIC_TYPES else _STRING_CONSTRAINTS
        if dtype is None or not set(constraints) <= (allowed | {"required", "unique"}):
            return None
        checks = _rules(constraints)
        if checks is None:
            return None
        if kind == "date":
            checks.append(Rule("str_matches", f"str_matches('{ISO_DATE}')", (ISO_DATE,)))
        elif kind == "boolean":
            values = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
            checks.append(Rule("isin", f"isin({values})", (tuple(values),)))
        out.append(
            ColumnRules(
                name,
                dtype,
                nullable=name not in primary_key and not constraints.get("required", False),
                unique=name in primary_key or bool(constraints.get("unique", False)),
                checks=tuple(checks),
            )
        )
    return tuple(out)


def _rules(constraints: dict[str, Any]) -> list[Rule] | None:
    """pandera.io.pandas_io.FrictionlessFieldParser.checks, as rules (None: not covered)."""
    constraints = dict(constraints)
    rules: list[Rule] = []
    if "minimum" in constraints and "maximum" in constraints:
        low, high = constraints.pop("minimum"), constraints.pop("maximum")
        if not (_is_number(low) and _is_number(high)):
            return None
        rules.append(Rule("in_range", f"in_range({low}, {high})", (low, high)))
    if "minLength" in constraints and "maxLength" in constraints:
        low, high = constraints.pop("minLength"), constraints.pop("maxLength")
        if not (_is_length(low) and _is_length(high)):
            return None
        rules.append(Rule("str_length", f"str_length({low}, {high})", (low, high)))
    for key, value in constraints.items():
        if key == "maximum" and _is_number(value):
            rules.append(Rule("less_than_or_equal_to", f"less_than_or_equal_to({value})", (value,)))
        elif key == "minimum" and _is_number(value):
            rules.append(
                Rule("greater_than_or_equal_to", f"greater_than_or_equal_to({value})", (value,))
            )
        elif key == "maxLength" and _is_length(value):
            rules.append(Rule("str_length", f"str_length(None, {value})", (None, value)))
        elif key == "minLength" and _is_length(value):
            rules.append(Rule("str_length", f"str_length({value}, None)", (value, None)))
        elif key == "pattern" and isinstance(value, str):
            pattern = f"^{value}$"
            try:
                re.compile(pattern)
            except re.error:
                return None  # pandera refuses the schema: let it say so
            rules.append(Rule("str_matches", f"str_matches('{pattern}')", (pattern,)))
        elif key == "enum" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            rules.append(Rule("isin", f"isin({value})", (tuple(value),)))
        elif key not in ("required", "unique"):
            return None
    return rules
