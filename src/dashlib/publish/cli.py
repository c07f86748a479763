"""``python -m dashlib export OUT_DIR``: parse the selection, run the export, report.

Exit status: 0 all written; 1 the data has problems; 2 wrong usage or a bad selection
(nothing written); 3 Chromium is missing or image rendering failed: HTML, CSV and the gallery
are written, PNG/SVG are not (one line on stderr says how to install Chromium).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dashlib import paths
from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.publish.export import (
    EXIT_DATA,
    EXIT_USAGE,
    ExportResult,
    run_export,
)
from dashlib.publish.pages import NO_BASE_URL_NOTE
from dashlib.query.selection import Selection, parse_for


class SelectionError(ValueError):
    """A --country/--from/--to/--date/--kind value the app would not accept."""


def parse_selection(
    ds: Dataset, params: Mapping[str, str], today: dt.date | None = None
) -> Selection:
    """The selection from URL-style parameters; any dropped value is an error (one line)."""
    given = {k: v for k, v in params.items() if v not in (None, "")}
    selection, notes = parse_for(ds, given, today)
    if notes:
        problems = [re.sub(r"^Ignored ", "", n).rstrip(".") for n in notes]
        hint = ""
        if any("unknown country" in p for p in problems):
            hint = f" (known: {', '.join(sorted(ds.countries['iso3']))})"
        elif any("unknown kind" in p for p in problems):
            hint = f" (known: {', '.join(theme.KIND_ORDER)})"
        raise SelectionError("bad selection: " + "; ".join(problems) + hint)
    return selection


def report(result: ExportResult, out: Callable[[str], None] = print) -> None:
    """Per-figure times and the wall time."""
    out("chart                 build   html    csv  images  total (s)")
    for name, t in result.times.items():
        out(f"{name:<20} {t.build:6.2f} {t.html:6.2f} {t.csv:6.2f} {t.images:7.2f} {t.total:6.2f}")
    if result.browser_start:
        out(f"browser start: {result.browser_start:.2f} s (once for all images)")
    out(f"{len(result.files)} files in {result.out_dir} · wall time {result.wall:.2f} s")


def cli(args: Any) -> int:
    """The ``export`` sub-command (argparse namespace from dashlib.__main__)."""
    from dashlib.data.dataset import load
    from dashlib.data.problems import DataError

    try:
        data_dir = paths.data_dir(args.data)
    except paths.ProjectNotFound as err:
        print(f"export: {err}", file=sys.stderr)
        return EXIT_USAGE
    if not data_dir.is_dir():
        print(f"export: {data_dir}: no such data folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        ds = load(data_dir)
    except DataError as err:
        for problem in err.problems[:20]:
            print(problem, file=sys.stderr)
        print(
            f"export: {len(err.problems)} problem(s) in {data_dir}; "
            f"run `python -m dashlib validate {data_dir}`",
            file=sys.stderr,
        )
        return EXIT_DATA
    params = {
        "country": args.country,
        "from": args.date_from,
        "to": args.date_to,
        "date": args.date,
        "kind": args.kind,
    }
    try:
        selection = parse_selection(ds, {k: v for k, v in params.items() if v})
    except SelectionError as err:
        print(f"export: {err}", file=sys.stderr)
        return EXIT_USAGE
    result = run_export(
        ds,
        Path(args.out_dir),
        selection,
        offline=args.offline,
        images=not args.no_images,
        base_url=args.base_url,
    )
    report(result)
    if not args.base_url:
        print(f"export: {NO_BASE_URL_NOTE}")
    if result.image_error:
        print(f"export: {result.image_error}", file=sys.stderr)
    return result.exit_code
