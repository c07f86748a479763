"""Safe edits of one table: validate the whole dataset first, then write atomically.

A save never leaves a half-written file and never loses an edit:

1. refuse when the file changed on disk since the editor loaded it (optimistic locking on the
   file's SHA-256), returning what changed;
2. write the new table into a copy of the data folder and validate the whole dataset there —
   refuse with every problem when it is invalid (nothing on disk changes);
3. copy the previous file to ``backups/TABLE.YYYYMMDDTHHMMSSZ.csv``;
4. write the new file to a temporary file in the same folder, flush, fsync, ``os.replace``;
5. append a row to ``CHANGELOG.csv`` (when, who, table, row ids, what changed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashlib.data.csvio import RawTable, read_csv
from dashlib.data.dataset import check
from dashlib.data.files import atomic_write, csv_bytes
from dashlib.data.problems import DataError, Problem
from dashlib.data.schema import Resource, read_package
from dashlib.editing.diff import diff_frames
from dashlib.editing.filelock import exclusive

CHANGELOG = "CHANGELOG.csv"
CHANGELOG_COLUMNS = ["when", "who", "table", "row_ids", "change"]
BACKUPS = "backups"


class ConcurrentEditError(Exception):
    """The file changed on disk after the editor loaded it."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        super().__init__("the file changed on disk since you loaded it")


@dataclass
class SaveResult:
    saved: bool
    problems: list[Problem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    row_ids: list[str] = field(default_factory=list)
    backup: Path | None = None


def read_table(data_dir: Path, table: str) -> tuple[pd.DataFrame, str]:
    """The table's cells as text (empty cells as ''), and the file digest to save against.

    Read by :func:`dashlib.data.csvio.read_csv`, the reader validation and ``dashlib diff`` use;
    raises :class:`~dashlib.data.problems.DataError` when the file cannot be read.
    """
    resource = read_package(data_dir)[table]
    path = data_dir / resource.path
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return _text_cells(read_csv(path, resource.columns, resource.path)), digest


def _text_cells(raw: RawTable) -> pd.DataFrame:
    if raw.problems:
        raise DataError(raw.problems)
    return raw.frame.astype(object).where(raw.frame.notna(), "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_text(frame: pd.DataFrame, resource: Resource) -> pd.DataFrame:
    """Cells as the CSV will hold them: text, '' for empty, ISO dates, true/false."""
    out = pd.DataFrame(
        {
            c: [_cell(v) for v in frame[c]] if c in frame else [""] * len(frame)
            for c in resource.columns
        }
    )
    return out[(out != "").any(axis=1)].reset_index(drop=True)  # drop fully blank new rows


def keep_unchanged_numbers(
    old: pd.DataFrame, new: pd.DataFrame, resource: Resource
) -> pd.DataFrame:
    """Keep a number's original spelling when the editor gives back the same value.

    The grid returns 22.0 as ``22`` and 40.78944 as a float; rewriting every such cell would
    log edits nobody made.
    """
    key = resource.primary_key[0]
    numeric = [f["name"] for f in resource.fields if f.get("type") in ("integer", "number")]
    if not numeric or key not in old or key not in new:
        return new
    before = old.set_index(key)
    out = new.copy()
    for index, rid in out[key].items():
        if rid not in before.index:
            continue
        for column in numeric:
            a, b = str(before.at[rid, column]), str(out.at[index, column])
            if a != b and a and b:
                try:
                    same = float(a) == float(b)
                except ValueError:
                    same = False
                if same:
                    out.at[index, column] = a
    return out


def describe_changes(
    old: pd.DataFrame, new: pd.DataFrame, resource: Resource
) -> tuple[list[str], list[str]]:
    """The changes from ``old`` to ``new`` as :mod:`dashlib.editing.diff` words them
    (``+ id``, ``- id``, ``~ id: field old → new``), and the row ids touched."""
    changes = diff_frames(
        old,
        new,
        resource.primary_key,
        table=resource.name,
        file=resource.path,
        fields={f["name"]: f for f in resource.fields},
    )
    return changes.entries(), changes.row_keys


def log_entry(
    when: dt.datetime, who: str, table: str, row_ids: list[str], changes: list[str]
) -> dict[str, str]:
    """One row of ``CHANGELOG.csv``, as the editor and ``dashlib diff --log`` write it."""
    return {
        "when": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "who": who.strip()[:80],
        "table": table,
        "row_ids": ";".join(row_ids),
        "change": " | ".join(changes)[:4000],
    }


def append_changelog(data_dir: Path, row: dict[str, str]) -> None:
    """Add ``row`` (see :func:`log_entry`) to the folder's corrections log."""
    path = data_dir / CHANGELOG
    existing = path.read_bytes() if path.exists() else b""
    entry = csv_bytes(pd.DataFrame([row], columns=CHANGELOG_COLUMNS), header=not existing)
    atomic_write(path, existing + entry)


def save_table(
    data_dir: Path,
    table: str,
    edited: pd.DataFrame,
    *,
    editor: str,
    expected_digest: str,
    loaded: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
) -> SaveResult:
    """Validate and save ``edited`` as ``table``; see the module docstring for the steps.

    ``expected_digest`` is the file's digest when the editor loaded it; ``loaded`` (the text
    the editor started from) lets a refusal list what changed on disk meanwhile. The whole
    compare-validate-write runs under the data folder's lock
    (:mod:`dashlib.editing.filelock`), so two processes (replicas) saving the same file
    cannot both pass the digest check.
    """
    with exclusive(data_dir):
        return _save_table(data_dir, table, edited, editor, expected_digest, loaded, now)


def _save_table(
    data_dir: Path,
    table: str,
    edited: pd.DataFrame,
    editor: str,
    expected_digest: str,
    loaded: pd.DataFrame | None,
    now: dt.datetime | None,
) -> SaveResult:
    now = now or dt.datetime.now(dt.UTC)
    resources = read_package(data_dir)
    resource = resources[table]
    path = data_dir / resource.path
    old_text, digest = read_table(data_dir, table)
    new_text = keep_unchanged_numbers(old_text, to_text(edited, resource), resource)
    changes, ids = describe_changes(old_text, new_text, resource)
    if digest != expected_digest:
        # Someone saved this file after the editor loaded it: show what they changed.
        theirs = describe_changes(loaded, old_text, resource)[0] if loaded is not None else changes
        raise ConcurrentEditError(theirs)
    if not changes:
        return SaveResult(saved=False)
    data = csv_bytes(new_text)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(data_dir, trial, ignore=shutil.ignore_patterns(BACKUPS, "acled", ".*"))
        (trial / resource.path).write_bytes(data)
        problems = check(trial)
    if problems:
        return SaveResult(saved=False, problems=problems, changes=changes, row_ids=ids)
    backups = data_dir / BACKUPS
    backups.mkdir(exist_ok=True)
    backup = backups / f"{path.stem}.{now:%Y%m%dT%H%M%S%fZ}.csv"
    shutil.copy2(path, backup)
    atomic_write(path, data)
    append_changelog(data_dir, log_entry(now, editor, resource.path, ids, changes))
    return SaveResult(saved=True, changes=changes, row_ids=ids, backup=backup)


def read_changelog(data_dir: Path) -> pd.DataFrame:
    """The corrections log, newest first (empty frame when there is none)."""
    path = data_dir / CHANGELOG
    if not path.exists():
        return pd.DataFrame(columns=CHANGELOG_COLUMNS)
    frame = _text_cells(read_csv(path, CHANGELOG_COLUMNS))
    return frame.iloc[::-1].reset_index(drop=True)
