"""Command line: ``python -m dashlib validate [DATA_DIR]`` and ``python -m dashlib export OUT_DIR``.

Exit status: 0 when all is well, 1 when the data has problems, 2 on wrong usage (or a bad
selection for export), 3 when export wrote HTML and CSV but no PNG/SVG (Chromium missing).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from dashlib import paths
from dashlib.data.dataset import TABLES, load
from dashlib.data.problems import DataError
from dashlib.editing import add_article


def _validate(args: argparse.Namespace) -> int:
    try:
        data_dir = paths.data_dir(args.data_dir)
    except paths.ProjectNotFound as err:
        print(err, file=sys.stderr)
        return 2
    if not data_dir.is_dir():
        print(f"{data_dir}: no such folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        dataset = load(data_dir)  # validates everything once; the problems are check()'s
    except DataError as err:
        problems = err.problems
        for problem in problems:
            print(problem)
        files = len({p.file for p in problems})
        print(
            f"{len(problems)} problem(s) in {files} file(s); nothing was published.",
            file=sys.stderr,
        )
        return 1
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{len(dataset.table(t))} {t}" for t in TABLES)
    print(
        f"OK: {data_dir} is valid ({counts}; version {dataset.version}; checked in {elapsed:.2f} s)"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from dashlib.publish.cli import cli  # plotly and kaleido load only for this sub-command

    return cli(args)


def _diff(args: argparse.Namespace) -> int:
    from dashlib.editing.cli import cli

    return cli(args.old_dir, args.new_dir, as_json=args.json, log_as=args.log)


def _import_acled(args: argparse.Namespace) -> int:
    from dashlib.layers.acled.cli import cli

    return cli(args.export, args.data)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashlib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the CSV files against datapackage.json")
    validate.add_argument(
        "data_dir",
        nargs="?",
        default=None,
        help="default: $DASHLIB_DATA_DIR, else ./data of the project",
    )
    validate.set_defaults(func=_validate)
    export = sub.add_parser(
        "export",
        help="write every chart as standalone HTML, PNG, SVG and CSV, plus an embed gallery",
    )
    export.add_argument("out_dir", help="folder to write into (created if missing)")
    export.add_argument("--data", default=None, help="data folder (default: as for validate)")
    export.add_argument(
        "--offline", action="store_true", help="inline plotly.js: pages make no network request"
    )
    export.add_argument("--country", help="ISO3 codes, comma-separated (as in the app URL)")
    export.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    export.add_argument("--date", metavar="YYYY-MM-DD", help="the map's as-of date")
    export.add_argument("--kind", help="intervention kinds, comma-separated")
    export.add_argument(
        "--base-url",
        metavar="URL",
        help="the app's public address (https://…): the gallery adds live-app embed codes; "
        "without it, it writes only the codes for the exported files and says so",
    )
    export.add_argument("--no-images", action="store_true", help="skip PNG/SVG (no Chromium)")
    export.set_defaults(func=_export)
    diff = sub.add_parser(
        "diff", help="row-level differences between two data folders (exit 1 when they differ)"
    )
    diff.add_argument("old_dir")
    diff.add_argument("new_dir")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON")
    diff.add_argument(
        "--log",
        metavar="WHO",
        default=None,
        help="also record the differences in NEW_DIR/CHANGELOG.csv (readers' 'Corrections and "
        "updates') under this name, once NEW_DIR validates",
    )
    diff.set_defaults(func=_diff)
    acled = sub.add_parser(
        "import-acled", help="merge an ACLED export's Russian-forces events into DATA/acled/"
    )
    acled.add_argument("export", help="an ACLED export (CSV, ACLED's column layout)")
    acled.add_argument("--data", default=None, help="data folder (default: as for validate)")
    acled.set_defaults(func=_import_acled)
    add_article.build_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
