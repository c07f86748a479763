"""Problems found in the data, reported as ``FILE:LINE:COLUMN: what is wrong — how to fix it``.

LINE is the line a spreadsheet user sees (the header is line 1); COLUMN is the 1-based
position of the column in the file's header (0 when a problem concerns a whole line or file).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell, line or file."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    field: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class DataError(Exception):
    """Raised by :func:`dashlib.data.dataset.load` with every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(set(problems))
        super().__init__(self.summary())

    def summary(self) -> str:
        files = sorted({p.file for p in self.problems})
        return f"{len(self.problems)} problem(s) in {', '.join(files)}"

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
