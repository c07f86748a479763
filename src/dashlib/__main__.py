"""Command line: ``python -m dashlib validate [DATA_DIR]`` (and more sub-commands).

Exit status: 0 when all is well, 1 when the data has problems, 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from dashlib.dataset import DEFAULT_DATA_DIR, TABLES, check, load


def _validate(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir)
    if not data_dir.is_dir():
        print(f"{data_dir}: no such folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    problems = check(data_dir)
    elapsed = time.perf_counter() - started
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.file for p in problems})
        print(
            f"{len(problems)} problem(s) in {files} file(s); nothing was published.",
            file=sys.stderr,
        )
        return 1
    dataset = load(data_dir)
    counts = ", ".join(f"{len(dataset.table(t))} {t}" for t in TABLES)
    print(
        f"OK: {data_dir} is valid ({counts}; version {dataset.version}; checked in {elapsed:.2f} s)"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashlib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the CSV files against datapackage.json")
    validate.add_argument("data_dir", nargs="?", default=str(DEFAULT_DATA_DIR))
    validate.set_defaults(func=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
