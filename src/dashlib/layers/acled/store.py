"""The ACLED layer on disk: ``DATA/acled/acled_events.csv`` described by its own
``datapackage.json``; loaded and validated like the main tables, replaced atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from dashlib import paths
from dashlib.data.csvio import RawTable, read_csv
from dashlib.data.files import atomic_write, csv_bytes
from dashlib.data.problems import DataError, Problem
from dashlib.data.schema import PACKAGE_FILE, Resource, read_package
from dashlib.data.validate import type_table

LAYER_DIR = "acled"
EVENTS_FILE = "acled_events.csv"
RESOURCE = "acled_events"


def layer_resource(data_dir: Path) -> Resource:
    """The layer's declared table, from ``DIR/acled/datapackage.json`` (or the shipped one)."""
    folder = Path(data_dir) / LAYER_DIR
    if not (folder / PACKAGE_FILE).is_file():
        folder = paths.data_dir() / LAYER_DIR
    return read_package(folder)[RESOURCE]


def layer_path(data_dir: Path) -> Path:
    return Path(data_dir) / LAYER_DIR / EVENTS_FILE


def one_per_cell(problems: list[Problem]) -> list[Problem]:
    """A cell that is not a number is also reported as empty afterwards: keep the first."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for problem in problems:
        where = (problem.file, problem.line, problem.column)
        if problem.column and where in seen:
            continue
        seen.add(where)
        out.append(problem)
    return out


def read_layer(data_dir: Path, resource: Resource) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    path = layer_path(data_dir)
    raw = read_csv(path, resource.columns, f"{LAYER_DIR}/{EVENTS_FILE}")
    typed, problems = type_table(raw, resource)
    return raw, typed, one_per_cell(raw.problems + problems)


def load_acled(data_dir: Path | str | None = None) -> pd.DataFrame | None:
    """The imported ACLED layer, validated against ``acled/datapackage.json``; None if absent.

    Columns as declared (integers ``Int64``, numbers ``Float64``, text ``string``) plus
    ``when`` (``event_date`` as a timestamp). Raises :class:`~dashlib.data.problems.DataError`
    with every problem when the file does not validate.
    """
    data_dir = paths.data_dir(data_dir)
    if not layer_path(data_dir).is_file():
        return None
    resource = layer_resource(data_dir)
    _raw, typed, problems = read_layer(data_dir, resource)
    if problems:
        raise DataError(problems)
    typed["when"] = pd.to_datetime(typed["event_date"], format="%Y-%m-%d").astype("datetime64[ns]")
    return typed


def write_layer(data_dir: Path, frame: pd.DataFrame) -> None:
    """Replace the layer's CSV by ``frame`` (atomically), with its package beside it."""
    _ensure_package(data_dir)
    atomic_write(layer_path(data_dir), csv_bytes(frame))


def _ensure_package(data_dir: Path) -> None:
    """Put the layer's datapackage.json next to the CSV when the folder has none yet."""
    package = data_dir / LAYER_DIR / PACKAGE_FILE
    shipped = paths.data_dir() / LAYER_DIR / PACKAGE_FILE
    if not package.is_file() and shipped.is_file():
        package.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped, package)
