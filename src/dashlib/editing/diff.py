"""Row-level differences between two versions of the dataset, for review before publishing.

``python -m dashlib diff OLD_DIR NEW_DIR`` compares every table declared in the data packages,
row by row, keyed on each table's primary key from ``datapackage.json``::

    interventions.csv: + int-five
    interventions.csv: - int-four
    interventions.csv: ~ int-one: troops_high 30000 → 35000

How cells are compared: the CSV reader strips surrounding spaces and treats an empty cell as
empty. Where the schema types a field, the typed values are compared, so ``30000`` and
``30000.0`` in an integer field, or ``44.5`` and ``44.50`` in a number field, are the same value;
``true``/``false`` are compared as booleans through the field's ``trueValues``/``falseValues``.
Everything else — strings, and dates (which the schema stores as ISO text) — is compared as
text, case and accents included. A cell that does not parse as its declared type is compared
as text, so a typo is still shown. Changes are always shown as written in the files.

Exit status: 0 when identical, 1 when different, 2 when a folder or file cannot be read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashlib.data.csvio import read_csv
from dashlib.data.problems import Problem
from dashlib.data.schema import PACKAGE_FILE, Resource, read_package

EMPTY = "(empty)"
KEY_SEPARATOR = " / "


class DiffError(Exception):
    """A folder, package or CSV file cannot be read well enough to compare."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        super().__init__(message)

    def __str__(self) -> str:
        lines = [self.args[0], *(str(p) for p in self.problems)]
        return "\n".join(lines)


@dataclass(frozen=True)
class FieldChange:
    """One cell that differs: the field, and its text before and after (None when empty)."""

    field: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        return f"{self.field} {_show(self.old)} → {_show(self.new)}"


@dataclass(frozen=True)
class RowChange:
    """A row present in both versions whose cells differ."""

    key: str
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.changes]


@dataclass
class TableDiff:
    """Differences in one table. ``identical`` is True when nothing differs."""

    table: str
    file: str
    key: tuple[str, ...]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )

    def summary(self) -> str:
        """E.g. ``interventions.csv: 1 added, 1 removed, 2 changed``."""
        parts = [
            f"{len(self.added)} added",
            f"{len(self.removed)} removed",
            f"{len(self.changed)} changed",
        ]
        if self.columns_added:
            parts.append(f"column(s) added: {', '.join(self.columns_added)}")
        if self.columns_removed:
            parts.append(f"column(s) removed: {', '.join(self.columns_removed)}")
        return f"{self.file}: {', '.join(parts)}"

    def entries(self) -> list[str]:
        """One line per column, added row, removed row and changed cell (``+ id``, ``- id``,
        ``~ id: field old → new``): what ``dashlib diff`` prints and the corrections log keeps."""
        out = [f"+ column {c}" for c in self.columns_added]
        out += [f"- column {c}" for c in self.columns_removed]
        out += [f"+ {k}" for k in self.added]
        out += [f"- {k}" for k in self.removed]
        for row in self.changed:
            out += [f"~ {row.key}: {change}" for change in row.changes]
        return out

    def lines(self) -> list[str]:
        """:meth:`entries`, each prefixed by the file."""
        return [f"{self.file}: {entry}" for entry in self.entries()]

    @property
    def row_keys(self) -> list[str]:
        """Keys of every row added, removed or changed, sorted."""
        return sorted({*self.added, *self.removed, *(row.key for row in self.changed)})

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "file": self.file,
            "key": list(self.key),
            "added": self.added,
            "removed": self.removed,
            "changed": [
                {
                    "key": row.key,
                    "fields": [{"field": c.field, "old": c.old, "new": c.new} for c in row.changes],
                }
                for row in self.changed
            ],
            "columns_added": self.columns_added,
            "columns_removed": self.columns_removed,
        }


def _show(value: str | None) -> str:
    if value is None:
        return EMPTY
    if value == "" or value != value.strip() or "\n" in value:
        return json.dumps(value, ensure_ascii=False)
    return value


# --- comparing two frames ------------------------------------------------------------------


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as text, None for empty (NA, None, NaN or blank)."""

    def cell(value: Any) -> str | None:
        if value is None or value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, float) and value != value:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, pd.Timestamp):
            return str(value.strftime("%Y-%m-%d"))
        text = str(value).strip()
        return text or None

    return pd.Series([cell(v) for v in series], index=series.index, dtype=object)


def _infer_types(frame: pd.DataFrame) -> dict[str, str]:
    types: dict[str, str] = {}
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            types[column] = "boolean"
        elif pd.api.types.is_numeric_dtype(dtype):
            types[column] = "number"
    return types


def _same(old: pd.Series, new: pd.Series, spec: Mapping[str, Any] | None) -> pd.Series:
    """Element-wise: do the two text columns hold the same value (typed where declared)?"""
    same = (old.isna() & new.isna()) | (old == new).fillna(False).astype(bool)
    kind = (spec or {}).get("type", "string")
    if kind in ("integer", "number"):
        a = pd.to_numeric(old, errors="coerce")
        b = pd.to_numeric(new, errors="coerce")
        same |= (a.notna() & b.notna() & (a == b)).astype(bool)
    elif kind == "boolean":
        spec = spec or {}
        truth = {v.lower(): True for v in spec.get("trueValues", ["true"])}
        truth |= {v.lower(): False for v in spec.get("falseValues", ["false"])}
        a = old.map(lambda v: truth.get(v.lower()) if isinstance(v, str) else None)
        b = new.map(lambda v: truth.get(v.lower()) if isinstance(v, str) else None)
        same |= (a.notna() & b.notna() & (a == b)).astype(bool)
    return same


def _keyed(frame: pd.DataFrame, key: Sequence[str], label: str) -> pd.DataFrame:
    missing = [k for k in key if k not in frame.columns]
    if missing:
        raise DiffError(f"{label}: key column(s) {', '.join(missing)} missing")
    text = pd.DataFrame({c: _as_text(frame[c]) for c in frame.columns}, index=frame.index)
    if text.empty:
        keys = pd.Series([], dtype=object)
    else:
        empty = text[list(key)].isna().any(axis=1)
        if empty.any():
            raise DiffError(
                f"{label}: {int(empty.sum())} row(s) have an empty {'/'.join(key)}; "
                "fill it in (python -m dashlib validate shows where)"
            )
        keys = text[key[0]].astype(str)
        for name in key[1:]:
            keys = keys + KEY_SEPARATOR + text[name].astype(str)
    duplicated = keys[keys.duplicated()].unique().tolist()
    if duplicated:
        raise DiffError(
            f"{label}: duplicate {'/'.join(key)} {', '.join(map(str, duplicated[:5]))}; "
            "each key must be unique (python -m dashlib validate shows where)"
        )
    text.index = pd.Index(keys, dtype=object)
    return text


def diff_frames(
    old_df: pd.DataFrame,
    new_df: pd.DataFrame,
    key: str | Sequence[str],
    *,
    table: str = "",
    file: str = "",
    fields: Mapping[str, Mapping[str, Any]] | None = None,
) -> TableDiff:
    """Differences between two versions of one table, keyed on ``key``.

    ``fields`` maps a column to its Table Schema field (``{"type": "integer", …}``) so typed
    columns compare as values; without it, numeric and boolean dtypes of the frames are used
    and other columns compare as text. Empty strings, None and NA are all "empty".
    Raises :class:`DiffError` when a key is empty or duplicated.
    """
    key_fields = (key,) if isinstance(key, str) else tuple(key)
    label = file or table or "table"
    specs: dict[str, Mapping[str, Any]] = {}
    for name, kind in {**_infer_types(old_df), **_infer_types(new_df)}.items():
        specs[name] = {"type": kind}
    if fields:
        specs.update(fields)
    old = _keyed(old_df, key_fields, f"{label} (old)")
    new = _keyed(new_df, key_fields, f"{label} (new)")
    diff = TableDiff(
        table=table,
        file=file or table,
        key=key_fields,
        columns_added=[c for c in new.columns if c not in old.columns],
        columns_removed=[c for c in old.columns if c not in new.columns],
    )
    old_keys, new_keys = set(old.index), set(new.index)
    diff.added = [k for k in new.index if k not in old_keys]
    diff.removed = [k for k in old.index if k not in new_keys]
    common = [k for k in new.index if k in old_keys]
    if not common:
        return diff
    columns = [c for c in new.columns if c in old.columns and c not in key_fields]
    before, after = old.loc[common], new.loc[common]
    differs = pd.DataFrame(
        {c: ~_same(before[c], after[c], specs.get(c)) for c in columns}, index=after.index
    )
    if differs.empty:
        return diff
    for row_key in differs.index[differs.any(axis=1)]:
        changes = tuple(
            FieldChange(c, before.at[row_key, c], after.at[row_key, c])
            for c in columns
            if differs.at[row_key, c]
        )
        diff.changed.append(RowChange(str(row_key), changes))
    return diff


# --- comparing two folders -----------------------------------------------------------------


def _package(folder: Path) -> dict[str, Resource]:
    if not folder.is_dir():
        raise DiffError(f"{folder}: no such folder")
    try:
        return read_package(folder)
    except FileNotFoundError as err:
        raise DiffError(f"{folder / PACKAGE_FILE}: missing — is {folder} a data folder?") from err
    except (ValueError, KeyError, TypeError) as err:
        raise DiffError(f"{folder / PACKAGE_FILE}: cannot be read ({err})") from err


def _read(folder: Path, resource: Resource) -> pd.DataFrame:
    label = f"{folder.name}/{resource.path}"
    raw = read_csv(folder / resource.path, resource.columns, label)
    if raw.problems:
        raise DiffError(f"{folder / resource.path}: cannot be compared until fixed:", raw.problems)
    return raw.frame


def diff_dirs(old: Path | str, new: Path | str) -> list[TableDiff]:
    """One :class:`TableDiff` per table declared in either folder, in the new package's order.

    A table declared only in NEW shows every row as added; only in OLD, every row as removed.
    Raises :class:`DiffError` when a folder, its ``datapackage.json`` or a CSV file cannot be
    read (wrong encoding, a row with the wrong number of cells, a missing column …).
    """
    old_dir, new_dir = Path(old), Path(new)
    old_pkg, new_pkg = _package(old_dir), _package(new_dir)
    names = list(new_pkg) + [n for n in old_pkg if n not in new_pkg]
    diffs: list[TableDiff] = []
    for name in names:
        res_new, res_old = new_pkg.get(name), old_pkg.get(name)
        resource = res_new or res_old
        assert resource is not None
        key = resource.primary_key
        if not key:
            raise DiffError(f"{resource.path}: no primaryKey declared in {PACKAGE_FILE}")
        if res_new and res_old and res_new.primary_key != res_old.primary_key:
            raise DiffError(
                f"{resource.path}: the primary key changed "
                f"({'/'.join(res_old.primary_key)} → {'/'.join(res_new.primary_key)})"
            )
        old_frame = (
            _read(old_dir, res_old)
            if res_old
            else pd.DataFrame({c: pd.Series(dtype="string") for c in resource.columns})
        )
        new_frame = (
            _read(new_dir, res_new)
            if res_new
            else pd.DataFrame({c: pd.Series(dtype="string") for c in resource.columns})
        )
        specs = {f["name"]: f for f in resource.fields}
        diffs.append(
            diff_frames(old_frame, new_frame, key, table=name, file=resource.path, fields=specs)
        )
    return diffs


def changelog_summary(diffs: Iterable[TableDiff]) -> str:
    """A one-line summary for a CHANGELOG entry, e.g. ``interventions.csv: 1 added, 2 changed``."""
    parts = []
    for d in diffs:
        if d.identical:
            continue
        counts = [
            f"{len(items)} {label}"
            for items, label in (
                (d.added, "added"),
                (d.removed, "removed"),
                (d.changed, "changed"),
            )
            if items
        ]
        if d.columns_added or d.columns_removed:
            counts.append("columns changed")
        parts.append(f"{d.file}: {', '.join(counts)}")
    return "; ".join(parts) if parts else "no change"
