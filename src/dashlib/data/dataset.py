"""Load the curated dataset: read every CSV, validate everything, return one typed Dataset.

>>> from pathlib import Path
>>> ds = load(Path("data"))            # doctest: +SKIP
>>> ds.interventions.shape[0] >= 18    # doctest: +SKIP
True

:func:`load` either returns a :class:`Dataset` or raises :class:`~dashlib.data.problems.DataError`
carrying every problem found across all files, never just the first one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from dashlib import paths
from dashlib.data import dates
from dashlib.data.checks import editorial_checks
from dashlib.data.checks.quotations import ARTICLES_DIR
from dashlib.data.csvio import RawTable, read_csv
from dashlib.data.geo import (
    COUNTRIES_FILE,
    CRIMEA_FILE,
    GEO_DIR,
    country_shapes,
    for_plotly,
    read_geojson,
)
from dashlib.data.problems import DataError, Problem
from dashlib.data.publishers import publisher_label
from dashlib.data.schema import PACKAGE_FILE, Resource, package_metadata, read_package
from dashlib.data.validate import cross_checks, type_table

TABLES = (
    "sources",
    "countries",
    "territories",
    "places",
    "interventions",
    "deployments",
    "events",
    "articles",
    "excerpts",
)


@dataclass(frozen=True)
class Dataset:
    """The whole validated dataset. Shared by every reader: treat it as read-only.

    Tables keep the declared columns (typed) plus derived ones: ``start``/``end`` (the first
    and last day a partial date can mean; ``end`` is NaT while ongoing), ``ongoing`` and, for
    events, ``when``.
    """

    sources: pd.DataFrame
    countries: pd.DataFrame
    territories: pd.DataFrame
    places: pd.DataFrame
    interventions: pd.DataFrame
    deployments: pd.DataFrame
    events: pd.DataFrame
    articles: pd.DataFrame
    excerpts: pd.DataFrame
    version: str
    """Short content hash of the data files: changes whenever any file changes."""
    last_updated: dt.date
    """The most recent date a source was checked (``sources.accessed``)."""
    metadata: dict[str, Any] = field(default_factory=dict)
    countries_geojson: dict[str, Any] | None = None
    crimea_geojson: dict[str, Any] | None = None
    labels: pd.DataFrame | None = None
    """Map label positions (labels.csv), if the package declares them."""

    def table(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = getattr(self, name)
        return frame

    @cached_property
    def memo(self) -> dict[str, Any]:
        """Derived data built once per dataset and shared by every reader (see prepared.py)."""
        return {}

    @cached_property
    def source_publishers(self) -> dict[str, tuple[str, str]]:
        """source_id -> (publisher as readers see it, publisher_type), once per dataset.

        State and partisan media say so ("TASS (state media)"); see figures.common."""
        kinds = (
            self.sources["publisher_type"]
            if "publisher_type" in self.sources
            else pd.Series("", index=self.sources.index)
        )
        return {
            str(sid): (publisher_label(str(pub), str(kind) if pd.notna(kind) else ""), str(kind))
            for sid, pub, kind in zip(
                self.sources["source_id"], self.sources["publisher"], kinds, strict=True
            )
        }

    @cached_property
    def source_labels(self) -> dict[str, tuple[str, str, str]]:
        """source_id -> (publisher, title, url), built once per dataset for hovers and lines."""
        return {
            str(r.source_id): (str(r.publisher), str(r.title), str(r.url))
            for r in self.sources.itertuples(index=False)
        }


def public_files(data_dir: Path) -> list[Path]:
    """The files of the public download: CSV, package, geo. Not the quoted articles' full
    texts (data/articles/): readers get the excerpts, which are quotation, not the articles."""
    files = [data_dir / PACKAGE_FILE, *sorted(data_dir.glob("*.csv"))]
    geo = data_dir / GEO_DIR
    if geo.is_dir():
        files += sorted(geo.glob("*.geojson"))
    return [f for f in files if f.is_file()]


def data_files(data_dir: Path) -> list[Path]:
    """Every file whose content decides what is valid and shown: the public files and the
    article texts the excerpts are checked against (a change to either is a new version)."""
    return public_files(data_dir) + sorted((data_dir / ARTICLES_DIR).glob("*.txt"))


def files_signature(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time (ns) of every data file: cheap to take on each rerun.

    A change to any file changes its size or mtime (an editor's save replaces the file), so
    the content hash only needs recomputing when this signature changes.
    """
    out = []
    for path in data_files(data_dir):
        stat = path.stat()
        out.append((path.relative_to(data_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def content_hash(data_dir: Path) -> str:
    """SHA-256 over the names and bytes of :func:`data_files` (hex)."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _read_all(
    data_dir: Path,
) -> tuple[dict[str, Resource], dict[str, RawTable], dict[str, pd.DataFrame], list[Problem]]:
    try:
        resources = read_package(data_dir)
    except FileNotFoundError as err:
        raise DataError(
            [
                Problem(
                    PACKAGE_FILE,
                    0,
                    0,
                    "the schema file is missing",
                    f"restore data/{PACKAGE_FILE} from git",
                )
            ]
        ) from err
    except ValueError as err:  # json.JSONDecodeError is a ValueError
        line = getattr(err, "lineno", 0)
        col = getattr(err, "colno", 0)
        raise DataError(
            [
                Problem(
                    PACKAGE_FILE,
                    line,
                    col,
                    f"the schema is not valid JSON ({err})",
                    "fix the JSON syntax",
                )
            ]
        ) from err
    raws: dict[str, RawTable] = {}
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, res in resources.items():
        raw = read_csv(data_dir / res.path, res.columns, res.path)
        raws[name] = raw
        problems += raw.problems
        frame, typed_problems = type_table(raw, res)
        frames[name] = frame
        problems += typed_problems
    problems += cross_checks(raws, frames, resources, country_shapes(data_dir))
    problems += editorial_checks(raws, data_dir)
    return resources, raws, frames, problems


def check(data_dir: Path) -> list[Problem]:
    """Every problem in ``data_dir`` (empty list when it is valid)."""
    try:
        return sorted(set(_read_all(data_dir)[3]))
    except DataError as err:
        return err.problems


def load(data_dir: Path | str | None = None) -> Dataset:
    """Read and validate ``data_dir`` (default: :func:`dashlib.paths.data_dir`); return the
    :class:`Dataset` or raise DataError."""
    data_dir = paths.data_dir(data_dir)
    resources, _raws, frames, problems = _read_all(data_dir)
    if problems:
        raise DataError(sorted(set(problems)))  # the order and set check() reports
    missing = [t for t in TABLES if t not in frames]
    if missing:
        raise DataError(
            [
                Problem(
                    PACKAGE_FILE,
                    0,
                    0,
                    f"resource '{t}' is not declared",
                    "restore it in datapackage.json",
                )
                for t in missing
            ]
        )
    tables = {name: _derive(name, frames[name]) for name in TABLES}
    accessed = pd.to_datetime(tables["sources"]["accessed"], format="%Y-%m-%d")
    last = accessed.max().date() if len(accessed) else dt.date.today()
    return Dataset(
        **tables,
        version=content_hash(data_dir)[:8],
        last_updated=last,
        metadata=package_metadata(data_dir),
        countries_geojson=_plotly_geojson(data_dir, COUNTRIES_FILE),
        crimea_geojson=_plotly_geojson(data_dir, CRIMEA_FILE),
        labels=frames.get("labels"),
    )


def _plotly_geojson(data_dir: Path, name: str) -> dict[str, Any] | None:
    geojson = read_geojson(data_dir, name)
    return for_plotly(geojson) if geojson else None


def _derive(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        spec_bool = set(out[column].dropna().unique()) <= {"true", "false"} and column in (
            "inside_russia",
            "machine_translation",
        )
        if spec_bool:
            out[column] = out[column] == "true"
    if "start_date" in out:
        out["start"], _ = dates.column_bounds(out["start_date"])
        _, out["end"] = dates.column_bounds(out["end_date"])
        out["ongoing"] = out["end_date"].isna()
    if name == "territories":
        out["start"], _ = dates.column_bounds(out["since"])
        _, out["end"] = dates.column_bounds(out["until"])
        out["ongoing"] = out["until"].isna()
    if name == "events":
        out["when"], _ = dates.column_bounds(out["date"])
    for column in out.columns:
        if str(out[column].dtype) == "string":
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
