"""``python -m dashlib diff OLD_DIR NEW_DIR [--json] [--log WHO]``: the differences, as text
or JSON; with ``--log``, also recorded in NEW_DIR's corrections log.

A change made outside the app's editor (a spreadsheet, a text editor, a reviewed pull request)
reaches readers' "Corrections and updates" page the same way an editor's save does:
``--log "Name"`` appends to ``CHANGELOG.csv`` one row per row of data added, removed or changed
(when, who, table, row, what changed old → new), once NEW_DIR validates.

Exit status: 0 when identical, 1 when different (or, with ``--log``, when NEW_DIR does not
validate: nothing is logged), 2 when a folder or file cannot be read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dashlib.data.dataset import check
from dashlib.editing.diff import DiffError, TableDiff, diff_dirs
from dashlib.editing.filelock import exclusive
from dashlib.editing.save import CHANGELOG, append_changelog, log_entry


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


def log_changes(
    diffs: Sequence[TableDiff], data_dir: Path, who: str, now: dt.datetime | None = None
) -> int:
    """Append the differences to ``data_dir``'s corrections log, one row per row of data
    added, removed or changed (and one for a table's columns), worded as the editor words
    them (``+ id``, ``- id``, ``~ id: field old → new``); returns the rows written."""
    when = now or dt.datetime.now(dt.UTC)
    entries: list[dict[str, str]] = []
    for d in diffs:
        columns = [f"+ column {c}" for c in d.columns_added]
        columns += [f"- column {c}" for c in d.columns_removed]
        if columns:
            entries.append(log_entry(when, who, d.file, [], columns))
        entries += [log_entry(when, who, d.file, [k], [f"+ {k}"]) for k in d.added]
        entries += [log_entry(when, who, d.file, [k], [f"- {k}"]) for k in d.removed]
        entries += [
            log_entry(when, who, d.file, [row.key], [f"~ {row.key}: {c}" for c in row.changes])
            for row in d.changed
        ]
    with exclusive(data_dir):
        for entry in entries:
            append_changelog(data_dir, entry)
    return len(entries)


def cli(old: str, new: str, as_json: bool = False, log_as: str | None = None) -> int:
    """Print the differences between two data folders; return the exit status (0, 1 or 2).
    ``log_as``: also log them in ``new``'s corrections log under that name."""
    if log_as is not None and not log_as.strip():
        print("diff: --log needs the name of who made the change", file=sys.stderr)
        return 2
    try:
        diffs = diff_dirs(old, new)
    except DiffError as err:
        print(f"diff: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"diff: cannot read {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    status = 0 if all(d.identical for d in diffs) else 1
    if log_as is not None and status:
        problems = check(Path(new))
        if problems:
            print(
                f"diff: not logged: {new} does not validate ({len(problems)} problem(s); "
                f"run python -m dashlib validate {new})",
                file=sys.stderr,
            )
            return 1
        logged = log_changes(diffs, Path(new), log_as)
        print(f"Logged {logged} row change(s) in {Path(new) / CHANGELOG}.", file=sys.stderr)
    try:
        print(render_json(diffs) if as_json else render_text(diffs, old, new))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status
