"""``python -m dashlib import-acled EXPORT.csv [--data DIR]``."""

from __future__ import annotations

import sys
from pathlib import Path

from dashlib import paths
from dashlib.layers.acled.importer import import_export


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
