"""The optional ACLED events layer: import a journalist's ACLED export, load it, aggregate it.

``python -m dashlib import-acled EXPORT.csv [--data DIR]`` reads an export in ACLED's public
column layout (headers matched case-insensitively; older exports with upper-case headers and
extra columns such as ``DATA_ID``, ``EVENT_ID_NO_CNTY`` or ``ISO3`` are accepted, the extra
columns ignored) and merges the events that concern this project into
``DIR/acled/acled_events.csv``, described by ``DIR/acled/datapackage.json``.

Which events are kept
    * **Country**: one of the 15 post-Soviet states, Russia included. ACLED's ``iso`` column
      is the ISO 3166-1 *numeric* code (804 = Ukraine); it decides when present and known,
      otherwise the ``country`` name does (``Ukraine``, ``Russia``, ``Moldova`` …, any case).
    * **Russian forces**: at least one of ``actor1``, ``actor2``, ``assoc_actor_1``,
      ``assoc_actor_2`` (the associated-actor cells are semicolon-separated lists) has an
      actor name that *starts with* ``Military Forces of Russia`` or ``Wagner Group``, case
      ignored — so ``Military Forces of Russia (2000-)`` and its branches such as
      ``Military Forces of Russia (2000-) Air Force`` match, while ``Police Forces of Russia``,
      ``Protesters (Russia)``, ``Government of Russia`` and the forces of the Donetsk and
      Luhansk "people's republics" do not (they are not the Russian military; a journalist who
      wants them can widen :data:`RUSSIAN_FORCES`). The Wagner Group is included because it is
      a Russian private military company that fought alongside Russian forces.

Re-imports are de-duplicated on ``event_id_cnty``: an event already in the layer is replaced
only when the export's ``timestamp`` (ACLED's last-modified time) is newer; new events are
added; events absent from the export are kept (exports are often partial). Duplicate ids in
one export keep the newest row. Nothing is written unless every kept row validates against
the layer's schema; the file is replaced atomically (temporary file, fsync, ``os.replace``).

ACLED data are used under ACLED's terms of use, with attribution: :data:`CREDIT`. The
repository ships no ACLED rows (see ``data/acled/README.md``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashlib import paths
from dashlib.data.csvio import RawTable, read_csv
from dashlib.data.problems import DataError, Problem
from dashlib.data.schema import PACKAGE_FILE, Resource, read_package
from dashlib.data.validate import type_table

LAYER_DIR = "acled"
EVENTS_FILE = "acled_events.csv"
RESOURCE = "acled_events"
CREDIT = "Armed Conflict Location & Event Data Project (ACLED); acleddata.com"
TERMS_URL = "https://epo.acleddata.com/terms-of-use-and-attribution-policy"

# ISO 3166-1 alpha-3 -> (numeric code as in ACLED's `iso`, names ACLED or readers may write)
POST_SOVIET: dict[str, tuple[int, tuple[str, ...]]] = {
    "ARM": (51, ("Armenia",)),
    "AZE": (31, ("Azerbaijan",)),
    "BLR": (112, ("Belarus", "Byelorussia")),
    "EST": (233, ("Estonia",)),
    "GEO": (268, ("Georgia",)),
    "KAZ": (398, ("Kazakhstan", "Kazakstan")),
    "KGZ": (417, ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia")),
    "LVA": (428, ("Latvia",)),
    "LTU": (440, ("Lithuania",)),
    "MDA": (498, ("Moldova", "Republic of Moldova", "Moldavia")),
    "RUS": (643, ("Russia", "Russian Federation")),
    "TJK": (762, ("Tajikistan",)),
    "TKM": (795, ("Turkmenistan",)),
    "UKR": (804, ("Ukraine",)),
    "UZB": (860, ("Uzbekistan",)),
}
ISO_NUMERIC = {code: iso3 for iso3, (code, _names) in POST_SOVIET.items()}
COUNTRY_NAMES = {
    name.lower(): iso3 for iso3, (_code, names) in POST_SOVIET.items() for name in names
}

ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
RUSSIAN_FORCES = r"(?:^|;)\s*(?:military forces of russia|wagner group)\b"
"""An actor name (or an item of a semicolon-separated list) starting with one of these."""

REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    *ACTOR_COLUMNS,
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
)
"""Columns an export must have (any case). ``iso`` or ``country`` is also needed."""

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d-%m-%Y")
"""ACLED writes ISO dates in API exports and ``24 February 2022`` in older downloads."""


# --- reading an export ------------------------------------------------------------------------


def _peek_header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    text = head.decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    seen: list[str] = []
    for name in (cell.strip() for cell in first):
        if name not in seen:
            seen.append(name)
    return seen


@dataclass
class Export:
    """An export's cells as text with lower-case column names, and where each row starts."""

    file: str
    frame: pd.DataFrame
    lines: list[int]
    positions: dict[str, int]
    problems: list[Problem] = field(default_factory=list)


def read_export(path: Path) -> Export:
    """Read an ACLED export with :func:`dashlib.data.csvio.read_csv`; match headers in any case."""
    file = path.name
    header = _peek_header(path)
    raw = read_csv(path, header or list(REQUIRED), file)
    problems = [p for p in raw.problems if "unexpected extra column" not in p.message]
    wrong_separator = len(header) == 1 and (";" in header[0] or "\t" in header[0])
    if wrong_separator:
        problems.append(
            Problem(
                file,
                1,
                1,
                "the columns are separated by semicolons or tabs, not commas",
                "export again from ACLED as CSV, or save as 'CSV UTF-8 (comma delimited)'",
            )
        )
    by_lower: dict[str, str] = {}
    for name in header:
        lower = name.lower()
        if lower in by_lower:
            problems.append(
                Problem(
                    file,
                    1,
                    raw.columns.get(name, 0),
                    f"column '{name}' appears twice (also '{by_lower[lower]}', "
                    f"column {raw.columns.get(by_lower[lower], 0)})",
                    "delete one of them",
                )
            )
            continue
        by_lower[lower] = name
    if header and not wrong_separator:
        for name in REQUIRED:
            if name not in by_lower:
                problems.append(
                    Problem(
                        file,
                        1,
                        0,
                        f"required column '{name}' is missing",
                        "export again from ACLED with all columns (headers may be in any "
                        f"case); required: {', '.join(REQUIRED)}, and iso or country",
                    )
                )
        if "iso" not in by_lower and "country" not in by_lower:
            problems.append(
                Problem(
                    file,
                    1,
                    0,
                    "neither column 'iso' nor 'country' is present",
                    "export again from ACLED with the iso and country columns",
                )
            )
    frame = raw.frame[list(by_lower.values())].copy()
    frame.columns = list(by_lower)
    positions = {lower: raw.columns.get(name, 0) for lower, name in by_lower.items()}
    return Export(file, frame, raw.lines, positions, problems)


# --- selecting and normalising --------------------------------------------------------------


def country_codes(frame: pd.DataFrame) -> pd.Series:
    """ISO3 of each row's post-Soviet state (NA elsewhere): ``iso`` first, then the name."""
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "iso" in frame:
        numbers = pd.to_numeric(frame["iso"], errors="coerce").astype("Float64")
        out = numbers.map(lambda v: ISO_NUMERIC.get(int(v)) if pd.notna(v) else None)
        out = out.astype("string")
    if "country" in frame:
        by_name = frame["country"].str.strip().str.lower().map(COUNTRY_NAMES).astype("string")
        out = out.fillna(by_name)
    if "iso3" in frame:  # exports before March 2023 also had an alpha-3 column
        alpha = frame["iso3"].str.strip().str.upper()
        out = out.fillna(alpha.where(alpha.isin(list(POST_SOVIET))).astype("string"))
    return out


def involves_russian_forces(frame: pd.DataFrame) -> pd.Series:
    """True where an actor or associated actor is Russian forces (see module docstring)."""
    combined: pd.Series | None = None
    for column in ACTOR_COLUMNS:
        if column not in frame:
            continue
        cells = frame[column].fillna("").astype("string")
        combined = cells if combined is None else combined + ";" + cells
    if combined is None:
        return pd.Series(False, index=frame.index)
    matches = combined.str.contains(RUSSIAN_FORCES, flags=re.IGNORECASE, regex=True)
    return matches.fillna(False).astype(bool)


def _iso_dates(text: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD where one of :data:`DATE_FORMATS` reads them; others unchanged."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = result.isna() & text.notna()
        if not todo.any():
            break
        result[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    iso = result.dt.strftime("%Y-%m-%d").astype("string")
    return iso.fillna(text.astype("string"))


def _canonical_enums(frame: pd.DataFrame, resource: Resource) -> None:
    """Write enum values in the schema's spelling when they match it ignoring case."""
    for spec in resource.fields:
        allowed = spec.get("constraints", {}).get("enum")
        if not allowed or spec["name"] not in frame:
            continue
        lookup = {str(v).lower(): str(v) for v in allowed}
        column = frame[spec["name"]]
        canonical = column.str.lower().map(lookup).astype("string")
        frame[spec["name"]] = canonical.fillna(column)


def layer_resource(data_dir: Path) -> Resource:
    """The layer's declared table, from ``DIR/acled/datapackage.json`` (or the shipped one)."""
    folder = Path(data_dir) / LAYER_DIR
    if not (folder / PACKAGE_FILE).is_file():
        folder = paths.data_dir() / LAYER_DIR
    return read_package(folder)[RESOURCE]


def select_events(export: Export, resource: Resource) -> tuple[RawTable, int]:
    """The export's rows to keep, as a RawTable of the layer's columns (text, export lines).

    Returns the table and the number of rows kept before duplicate ids were merged.
    """
    frame = export.frame
    iso3 = country_codes(frame)
    keep = (iso3.notna() & involves_russian_forces(frame)).to_numpy()
    kept = frame.loc[keep]
    out = pd.DataFrame(index=kept.index)
    for name in resource.columns:
        if name == "country_iso3":
            out[name] = iso3[keep]
        elif name in kept:
            out[name] = kept[name]
        else:
            out[name] = pd.Series(pd.NA, index=kept.index, dtype="string")
    names = {iso3: names[0] for iso3, (_code, names) in POST_SOVIET.items()}
    out["country"] = out["country"].fillna(out["country_iso3"].map(names).astype("string"))
    out["event_date"] = _iso_dates(out["event_date"])
    _canonical_enums(out, resource)
    matched = len(out)
    # One row per event id: the newest timestamp wins (stable, so the last row breaks ties).
    stamp = pd.to_numeric(out["timestamp"], errors="coerce")
    out = out.loc[stamp.sort_values(kind="stable", na_position="first").index]
    out = out.drop_duplicates(subset="event_id_cnty", keep="last").sort_index()
    lines = [export.lines[int(i)] for i in out.index]
    out = out.reset_index(drop=True)
    positions = {name: export.positions.get(name, 0) for name in resource.columns}
    positions["country_iso3"] = export.positions.get("iso") or export.positions.get("country", 0)
    if not positions["country"]:
        positions["country"] = positions["country_iso3"]
    return RawTable(export.file, out, lines, positions), matched


# --- the layer on disk ------------------------------------------------------------------------


def layer_path(data_dir: Path) -> Path:
    return Path(data_dir) / LAYER_DIR / EVENTS_FILE


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
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


def _read_layer(data_dir: Path, resource: Resource) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    path = layer_path(data_dir)
    raw = read_csv(path, resource.columns, f"{LAYER_DIR}/{EVENTS_FILE}")
    typed, problems = type_table(raw, resource)
    return raw, typed, _one_per_cell(raw.problems + problems)


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
    _raw, typed, problems = _read_layer(data_dir, resource)
    if problems:
        raise DataError(problems)
    typed["when"] = pd.to_datetime(typed["event_date"], format="%Y-%m-%d").astype("datetime64[ns]")
    return typed


def _file_mode(path: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file (umask applied)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _atomic_write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            frame.to_csv(out, index=False, lineterminator="\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass
class ImportResult:
    """What an import did. ``problems`` non-empty means nothing was written."""

    export: Path
    target: Path
    read: int = 0
    kept: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0
    seconds: float = 0.0
    written: bool = False
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"read {self.read} rows from {self.export.name}, kept {self.kept} "
            f"(Russian forces in post-Soviet states), added {self.added}, "
            f"updated {self.updated}, unchanged {self.unchanged} in {self.seconds:.2f} s "
            f"→ {self.target} ({self.total} events; data: {CREDIT})"
        )


def import_export(export_path: Path | str, data_dir: Path | str | None = None) -> ImportResult:
    """Merge the relevant events of an ACLED export into ``data_dir/acled/acled_events.csv``."""
    started = time.perf_counter()
    export_path, data_dir = Path(export_path), paths.data_dir(data_dir)
    target = layer_path(data_dir)
    result = ImportResult(export_path, target)
    resource = layer_resource(data_dir)
    export = read_export(export_path)
    result.read = len(export.frame)
    if export.problems:
        result.problems = export.problems
        return _done(result, started)
    incoming, _matched = select_events(export, resource)
    new_typed, problems = type_table(incoming, resource)
    result.kept = len(incoming.frame)
    if problems:
        result.problems = _one_per_cell(problems)
        return _done(result, started)

    new_text = incoming.frame
    if target.is_file():
        old_raw, old_typed, old_problems = _read_layer(data_dir, resource)
        if old_problems:
            result.problems = old_problems
            return _done(result, started)
        old_text = old_raw.frame
    else:
        old_text = pd.DataFrame({c: pd.Series(dtype="string") for c in resource.columns})
        old_typed = old_text.assign(timestamp=pd.Series(dtype="Int64"))

    key = "event_id_cnty"
    old_stamp = pd.Series(
        old_typed["timestamp"].to_numpy(), index=old_text[key].astype(str), dtype="Int64"
    )
    ids = new_text[key].astype(str)
    previous = ids.map(old_stamp)
    is_new = previous.isna().to_numpy()
    incoming_stamp = new_typed["timestamp"].fillna(0).to_numpy(dtype="int64")
    newer = (~is_new) & (incoming_stamp > previous.fillna(0).to_numpy(dtype="int64"))
    result.added = int(is_new.sum())
    result.updated = int(newer.sum())
    result.unchanged = result.kept - result.added - result.updated

    if result.added or result.updated or not target.is_file():
        replaced = set(ids[newer])
        merged = pd.concat(
            [old_text[~old_text[key].isin(replaced)], new_text[is_new | newer]],
            ignore_index=True,
        )
        merged = merged.sort_values(["event_date", key], kind="stable").reset_index(drop=True)
        _ensure_package(data_dir)
        _atomic_write_csv(merged[resource.columns], target)
        result.total = len(merged)
        result.written = True
    else:
        result.total = len(old_text)
    return _done(result, started)


def _ensure_package(data_dir: Path) -> None:
    """Put the layer's datapackage.json next to the CSV when the folder has none yet."""
    package = data_dir / LAYER_DIR / PACKAGE_FILE
    shipped = paths.data_dir() / LAYER_DIR / PACKAGE_FILE
    if not package.is_file() and shipped.is_file():
        package.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shipped, package)


def _done(result: ImportResult, started: float) -> ImportResult:
    result.seconds = time.perf_counter() - started
    return result


def cli(export: str, data: str | None) -> int:
    """``python -m dashlib import-acled``: 0 imported, 1 problems in the data, 2 bad usage."""
    export_path = Path(export)
    try:
        data_dir = paths.data_dir(data)
    except paths.ProjectNotFound as err:
        print(f"import-acled: {err}", file=sys.stderr)
        return 2
    if not export_path.is_file():
        print(f"import-acled: {export_path}: no such file", file=sys.stderr)
        return 2
    if not data_dir.is_dir():
        print(f"import-acled: {data_dir}: no such data folder", file=sys.stderr)
        return 2
    try:
        result = import_export(export_path, data_dir)
    except (OSError, ValueError, KeyError) as err:
        print(f"import-acled: cannot import {export_path}: {err}", file=sys.stderr)
        return 2
    if result.problems:
        for problem in result.problems:
            print(problem)
        files = ", ".join(sorted({p.file for p in result.problems}))
        print(
            f"{len(result.problems)} problem(s) in {files}; nothing was imported.",
            file=sys.stderr,
        )
        return 1
    print(result.summary())
    return 0


# --- aggregation for the map and the timeline ---------------------------------------------


def _selected(
    frame: pd.DataFrame,
    countries: Iterable[str] | None,
    date_from: Any,
    date_to: Any,
) -> pd.DataFrame:
    """Rows in ``countries`` (all when empty or None) with ``when`` within the dates."""
    when = frame["when"] if "when" in frame else pd.to_datetime(frame["event_date"])
    mask = pd.Series(True, index=frame.index)
    codes = list(countries or [])
    if codes:
        mask &= frame["country_iso3"].isin(codes).fillna(False).astype(bool)
    if date_from is not None:
        mask &= when >= pd.Timestamp(date_from)
    if date_to is not None:
        mask &= when <= pd.Timestamp(date_to)
    out = frame.loc[mask.to_numpy()].copy()
    out["when"] = when[mask.to_numpy()]
    return out


MAP_COLUMNS = ["lat", "lon", "events", "fatalities", "first_date", "last_date", "country_iso3"]
TIMELINE_COLUMNS = ["country_iso3", "period_start", "events", "fatalities"]
PERIODS = {"D": "D", "W": "W", "MS": "M", "QS": "Q", "YS": "Y"}


def aggregate_for_map(
    frame: pd.DataFrame | None,
    countries: Iterable[str] | None = None,
    date_from: Any = None,
    date_to: Any = None,
    cell_degrees: float = 0.5,
) -> pd.DataFrame:
    """One row per grid cell (``cell_degrees`` square) and country, for aggregate markers.

    ``lat``/``lon`` are the mean position of the cell's events (so a cell holding one town's
    events sits on the town); ``events`` and ``fatalities`` are counts and sums;
    ``first_date``/``last_date`` the earliest and latest ``event_date``. A cell that straddles a
    border gives one row per country. Sorted by ``events``, largest first.
    """
    if cell_degrees <= 0:
        raise ValueError("cell_degrees must be positive")
    empty = pd.DataFrame(
        {
            "lat": pd.Series(dtype="float64"),
            "lon": pd.Series(dtype="float64"),
            "events": pd.Series(dtype="int64"),
            "fatalities": pd.Series(dtype="int64"),
            "first_date": pd.Series(dtype="datetime64[ns]"),
            "last_date": pd.Series(dtype="datetime64[ns]"),
            "country_iso3": pd.Series(dtype="string"),
        }
    )
    if frame is None or frame.empty:
        return empty
    sel = _selected(frame, countries, date_from, date_to)
    if sel.empty:
        return empty
    lat = sel["latitude"].astype("float64")
    lon = sel["longitude"].astype("float64")
    work = pd.DataFrame(
        {
            "row": np.floor(lat.to_numpy() / cell_degrees).astype("int64"),
            "col": np.floor(lon.to_numpy() / cell_degrees).astype("int64"),
            "country_iso3": sel["country_iso3"].astype(str).to_numpy(),
            "lat": lat.to_numpy(),
            "lon": lon.to_numpy(),
            "fatalities": sel["fatalities"].fillna(0).astype("int64").to_numpy(),
            "when": sel["when"].to_numpy(),
        }
    )
    grouped = work.groupby(["row", "col", "country_iso3"], sort=False).agg(
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        events=("lat", "size"),
        fatalities=("fatalities", "sum"),
        first_date=("when", "min"),
        last_date=("when", "max"),
    )
    out = grouped.reset_index()[MAP_COLUMNS]
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    out = out.sort_values(["events", "country_iso3", "lat"], ascending=[False, True, True])
    return out.reset_index(drop=True)


def aggregate_for_timeline(
    frame: pd.DataFrame | None,
    countries: Iterable[str] | None = None,
    date_from: Any = None,
    date_to: Any = None,
    freq: str = "MS",
) -> pd.DataFrame:
    """Events and fatalities per country and period (``D``, ``W``, ``MS``, ``QS``, ``YS``).

    ``period_start`` is the first day of each period (Monday for weeks). Every period between
    the first and last one selected is present for every country that has events, with zeros
    where nothing happened, so a line or bar chart never bridges a gap.
    """
    if freq not in PERIODS:
        raise ValueError(f"freq must be one of {', '.join(PERIODS)}")
    empty = pd.DataFrame(
        {
            "country_iso3": pd.Series(dtype="string"),
            "period_start": pd.Series(dtype="datetime64[ns]"),
            "events": pd.Series(dtype="int64"),
            "fatalities": pd.Series(dtype="int64"),
        }
    )
    if frame is None or frame.empty:
        return empty
    sel = _selected(frame, countries, date_from, date_to)
    if sel.empty:
        return empty
    period = sel["when"].dt.to_period(PERIODS[freq])
    work = pd.DataFrame(
        {
            "country_iso3": sel["country_iso3"].astype(str).to_numpy(),
            "period": period.to_numpy(),
            "fatalities": sel["fatalities"].fillna(0).astype("int64").to_numpy(),
        }
    )
    counts = work.groupby(["country_iso3", "period"]).agg(
        events=("fatalities", "size"), fatalities=("fatalities", "sum")
    )
    first = period.min() if date_from is None else pd.Timestamp(date_from).to_period(PERIODS[freq])
    last = period.max() if date_to is None else pd.Timestamp(date_to).to_period(PERIODS[freq])
    full = pd.MultiIndex.from_product(
        [sorted(work["country_iso3"].unique()), pd.period_range(first, last)],
        names=["country_iso3", "period"],
    )
    counts = counts.reindex(full, fill_value=0).reset_index()
    counts["period_start"] = counts["period"].dt.start_time.astype("datetime64[ns]")
    out = counts[TIMELINE_COLUMNS].copy()
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    return out.reset_index(drop=True)
