"""The optional ACLED events layer: import a journalist's ACLED export, load it, aggregate it.

``python -m dashlib import-acled EXPORT.csv [--data DIR]`` reads an export in ACLED's public
column layout (headers matched case-insensitively; older exports with upper-case headers and
extra columns such as ``DATA_ID``, ``EVENT_ID_NO_CNTY`` or ``ISO3`` are accepted, the extra
columns ignored) and merges the events that concern this project into
``DIR/acled/acled_events.csv``, described by ``DIR/acled/datapackage.json``.

Which events are kept
    * **Country**: one of the states of ``countries.csv`` (the 15 post-Soviet states). ACLED's
      ``iso`` column is the ISO 3166-1 *numeric* code (804 = Ukraine); it decides when present
      and known, otherwise the ``country`` name or a name variant of ``countries.csv`` does
      (``Ukraine``, ``Russia``, ``Moldova`` …, any case).
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
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashlib import paths
from dashlib.data.csvio import RawTable, read_csv
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource
from dashlib.data.validate import type_table
from dashlib.layers.acled import CREDIT
from dashlib.layers.acled.states import States, read_states
from dashlib.layers.acled.store import (
    layer_path,
    layer_resource,
    one_per_cell,
    read_layer,
    write_layer,
)

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


def country_codes(frame: pd.DataFrame, states: States) -> pd.Series:
    """ISO3 of each row's post-Soviet state (NA elsewhere): ``iso`` first, then the name."""
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "iso" in frame:
        numbers = pd.to_numeric(frame["iso"], errors="coerce").astype("Float64")
        out = numbers.map(lambda v: states.by_numeric.get(int(v)) if pd.notna(v) else None)
        out = out.astype("string")
    if "country" in frame:
        by_name = frame["country"].str.strip().str.lower().map(states.by_name).astype("string")
        out = out.fillna(by_name)
    if "iso3" in frame:  # exports before March 2023 also had an alpha-3 column
        alpha = frame["iso3"].str.strip().str.upper()
        out = out.fillna(alpha.where(alpha.isin(states.codes)).astype("string"))
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


def select_events(export: Export, resource: Resource, states: States) -> tuple[RawTable, int]:
    """The export's rows to keep, as a RawTable of the layer's columns (text, export lines).

    Returns the table and the number of rows kept before duplicate ids were merged.
    """
    frame = export.frame
    iso3 = country_codes(frame, states)
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
    out["country"] = out["country"].fillna(out["country_iso3"].map(states.names).astype("string"))
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
    incoming, _matched = select_events(export, resource, read_states(data_dir))
    new_typed, problems = type_table(incoming, resource)
    result.kept = len(incoming.frame)
    if problems:
        result.problems = one_per_cell(problems)
        return _done(result, started)

    new_text = incoming.frame
    if target.is_file():
        old_raw, old_typed, old_problems = read_layer(data_dir, resource)
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
        write_layer(data_dir, merged[resource.columns])
        result.total = len(merged)
        result.written = True
    else:
        result.total = len(old_text)
    return _done(result, started)


def _done(result: ImportResult, started: float) -> ImportResult:
    result.seconds = time.perf_counter() - started
    return result
