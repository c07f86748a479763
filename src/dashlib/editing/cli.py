"""``python -m dashlib diff OLD_DIR NEW_DIR [--json]``: the differences, as text or JSON.

Exit status: 0 when identical, 1 when different, 2 when a folder or file cannot be read.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

from dashlib.editing.diff import DiffError, TableDiff, diff_dirs


def render_text(diffs: Sequence[TableDiff], old: str, new: str) -> str:
    """The readable report printed by ``python -m dashlib diff``."""
    differing = [d for d in diffs if not d.identical]
    if not differing:
        return f"No differences: {old} and {new} hold the same rows."
    blocks = []
    for d in differing:
        blocks.append("\n".join([d.summary(), *d.lines()]))
    total = {
        "added": sum(len(d.added) for d in differing),
        "removed": sum(len(d.removed) for d in differing),
        "changed": sum(len(d.changed) for d in differing),
    }
    blocks.append(
        f"{len(differing)} table(s) differ: {total['added']} row(s) added, "
        f"{total['removed']} removed, {total['changed']} changed."
    )
    return "\n\n".join(blocks)


def render_json(diffs: Sequence[TableDiff]) -> str:
    differing = [d for d in diffs if not d.identical]
    payload = {"identical": not differing, "tables": [d.to_dict() for d in differing]}
    return json.dumps(payload, ensure_ascii=False, indent=2)


def cli(old: str, new: str, as_json: bool = False) -> int:
    """Print the differences between two data folders; return the exit status (0, 1 or 2)."""
    try:
        diffs = diff_dirs(old, new)
    except DiffError as err:
        print(f"diff: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"diff: cannot read {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    status = 0 if all(d.identical for d in diffs) else 1
    try:
        print(render_json(diffs) if as_json else render_text(diffs, old, new))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status
