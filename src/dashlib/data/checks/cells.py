"""The non-empty cells of a column, as the editorial checks walk them."""

from __future__ import annotations

from collections.abc import Iterator

from dashlib.data.csvio import RawTable


def cells(raw: RawTable, column: str) -> Iterator[tuple[int, str]]:
    """(row index, text) of the non-empty cells of ``column``."""
    if column not in raw.frame:
        return
    for index, value in raw.frame[column].items():
        if isinstance(value, str) and value.strip():
            yield int(index), value.strip()
