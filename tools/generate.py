"""Generated datasets for the benchmarks: the shipped data/ plus N deployments and N events.

Every generated row is a copy of a committed row (same country, territory, kind, dates,
intervention and sources, so every foreign key and date rule still holds) with a new id and,
for deployments, coordinates jittered by at most ``JITTER_DEG`` around the committed site (well
inside the validator's 10 km tolerance for "inside its country"). The result passes
``python -m dashlib validate``; :func:`plant_problems` then breaks a copy on purpose.

    python -m tools.generate OUT_DIR 100000        # writes OUT_DIR (a copy of data/ + rows)
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
JITTER_DEG = 0.02  # about 2 km: a jittered site stays within 10 km of its country
SEED = 20240101


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _append(path: Path, rows: list[list[str]]) -> None:
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if text and not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerows(rows)


def generate(out_dir: Path, n: int, source: Path = DATA, seed: int = SEED) -> Path:
    """Copy ``source`` to ``out_dir`` and append ``n`` deployments and ``n`` events."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(source, out_dir)
    rng = random.Random(seed)

    header, sites = _read(out_dir / "deployments.csv")
    col = {name: i for i, name in enumerate(header)}
    new_sites = []
    for i in range(n):
        row = list(rng.choice(sites))
        row[col["site_id"]] = f"{row[col['site_id']]}-gen-{i}"
        for name in ("lat", "lon"):
            value = float(row[col[name]]) + rng.uniform(-JITTER_DEG, JITTER_DEG)
            row[col[name]] = f"{value:.5f}"
        new_sites.append(row)
    _append(out_dir / "deployments.csv", new_sites)

    header, events = _read(out_dir / "events.csv")
    col = {name: i for i, name in enumerate(header)}
    new_events = []
    for i in range(n):
        row = list(rng.choice(events))
        row[col["event_id"]] = f"{row[col['event_id']]}-gen-{i}"
        if "marks" in col:
            row[col["marks"]] = ""  # a copy never fixes its intervention's start or end
        new_events.append(row)
    _append(out_dir / "events.csv", new_events)
    return out_dir


@dataclass(frozen=True)
class Planted:
    """One problem planted on purpose: where, and what it is."""

    key: str
    label: str
    file: str
    line: int  # as a spreadsheet shows it (header = line 1)
    field: str


def _set_cell(path: Path, line: int, field: str, value: str) -> None:
    header, rows = _read(path)
    rows[line - 2][header.index(field)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def plant_problems(data_dir: Path) -> list[Planted]:
    """Break four cells of a generated package (late in the files, so a reader must scan them)."""
    dep = data_dir / "deployments.csv"
    ev = data_dir / "events.csv"
    n_dep = sum(1 for _ in dep.open(encoding="utf-8")) - 1
    n_ev = sum(1 for _ in ev.open(encoding="utf-8")) - 1
    planted = [
        Planted("bad_date", "a bad date (2014/03/01)", "events.csv", n_ev - 10, "date"),
        Planted("duplicate_id", "a duplicate site_id", "deployments.csv", n_dep - 20, "site_id"),
        Planted(
            "bad_latitude", "an out-of-range latitude (95.0)", "deployments.csv", n_dep - 30, "lat"
        ),
        Planted("missing_required", "a missing required title", "events.csv", n_ev - 40, "title"),
    ]
    _set_cell(ev, planted[0].line, "date", "2014/03/01")
    header, rows = _read(dep)
    first_id = rows[0][header.index("site_id")]
    _set_cell(dep, planted[1].line, "site_id", first_id)
    _set_cell(dep, planted[2].line, "lat", "95.0")
    _set_cell(ev, planted[3].line, "title", "")
    return planted


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = generate(Path(argv[0]), int(argv[1]))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
