"""The declared schema: ``data/datapackage.json`` (Frictionless Data Package), read once.

The Data Package is the only description of the tables. pandera schemas are built from it
(``pandera.io.pandas_io.from_frictionless_schema``), adjusted for what a CSV edited in a
spreadsheet holds: empty cells, nullable integers, ``true``/``false`` booleans.

pandera is imported only when a schema is first built (about a second of start-up).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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
    import pandera.pandas as pa
    from pandera.io import pandas_io

    table_schema = json.loads(resource.raw_schema)
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
