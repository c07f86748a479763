"""Read one CSV file the way a spreadsheet user expects, reporting what a spreadsheet breaks.

Accepted: UTF-8 with or without a byte-order mark, CRLF or LF line endings, quoted cells with
embedded newlines. Reported by file and line: another encoding (Excel's Windows-1251 or
Latin-1), semicolon- or tab-delimited files, missing, renamed, duplicated or extra columns,
rows with the wrong number of cells, an unbalanced quote, an empty file.

Two readers give the same result. Most files have one record per line, with quotes only around
whole cells: :func:`_line_breaks` proves that with a few vectorised byte scans, and
Arrow's multi-threaded CSV reader then reads the file (row ``i`` is line ``i + 2``). Any other
file (a quoted line break, a lone CR, a stray or unclosed quote, a row with the wrong number of
cells) goes through Python's :mod:`csv` module, which counts the lines a spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashlib.data.csvproblems import decode, header_columns
from dashlib.data.problems import Problem

# What the frictionless library sets process-wide when it is imported (this reader ran after it
# until it stopped being imported): a cell may be longer than csv's default 131072 characters.
FIELD_SIZE_LIMIT = 2147483646

# The characters str.strip() removes (str.isspace()), for telling blank rows apart in Arrow.
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BLANK_CELL = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in PYTHON_WHITESPACE) + "]*$"
_QUOTE, _COMMA, _LF, _CR = 0x22, 0x2C, 0x0A, 0x0D
_SCAN = 1 << 20


@dataclass
class RawTable:
    """The cells of one CSV file as strings, with the spreadsheet line of each row.

    ``frame`` has exactly the schema's columns (missing ones filled with NA so later checks can
    still run); empty cells are NA. ``lines[i]`` is the line where row ``i`` starts (header = 1).
    ``columns[name]`` is the column's 1-based position in the file, or 0 when it is missing.
    """

    file: str
    frame: pd.DataFrame
    lines: list[int]
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, index: Any) -> int:
        """The spreadsheet line of the row labelled ``index`` (0 when there is none)."""
        return self.lines[int(index)] if index is not None and not pd.isna(index) else 0

    def problem(self, index: Any, column: str, message: str, hint: str = "") -> Problem:
        """A :class:`Problem` in the cell of row ``index`` and ``column``."""
        return Problem(
            self.file, self.line_of(index), self.columns.get(column, 0), message, hint, column
        )


def _empty(file: str, expected: list[str], problems: list[Problem] | None = None) -> RawTable:
    return RawTable(
        file,
        pd.DataFrame({c: pd.Series(dtype="string") for c in expected}),
        [],
        dict.fromkeys(expected, 0),
        problems if problems is not None else [],
    )


def read_csv(path: Path, expected: list[str], name: str | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable` of strings checked against ``expected`` columns."""
    file = name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _empty(
            file,
            expected,
            [
                Problem(
                    file,
                    0,
                    0,
                    "the file is missing",
                    f"create it with the header: {','.join(expected)}",
                )
            ],
        )
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if _starts_with_text(body):
        # Not blank: Arrow may read it (it refuses what is not UTF-8; decode() says where).
        fast = _parse_fast(file, body, expected)
        if fast is not None:
            return fast
    text, problems = decode(file, data)
    if text is None:
        return _empty(file, expected, problems)
    if not text or text.isspace():
        return _empty(
            file,
            expected,
            [
                Problem(
                    file,
                    1,
                    0,
                    "the file is empty",
                    f"it needs at least the header line: {','.join(expected)}",
                )
            ],
        )
    return _parse(file, text, expected)


def _starts_with_text(data: bytes) -> bool:
    """Whether the first byte after any ASCII whitespace is ASCII: the text is not blank."""
    rest = data.lstrip(b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
    return bool(rest) and rest[0] < 0x80


def _allow_long_cells() -> None:
    """Raise csv's cell-length limit to :data:`FIELD_SIZE_LIMIT` (process-wide, as frictionless
    does on import; never lowered)."""
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)


def _parse(file: str, text: str, expected: list[str]) -> RawTable:
    """The reference reader: Python's csv module, counting physical lines for every row."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    line = 1
    _allow_long_cells()
    try:
        for row in reader:
            lines.append(line)
            rows.append(row)
            line = reader.line_num + 1
    except csv.Error as err:
        problems.append(
            Problem(
                file,
                line,
                0,
                f'cannot read this line ({err}): a quote (") is probably not closed',
                'close the quote, or double a quote inside a quoted cell ("")',
            )
        )
    if not rows:
        problems.append(
            Problem(
                file,
                1,
                0,
                "the file has no header line",
                f"the first line must be: {','.join(expected)}",
            )
        )
        return _empty(file, expected, problems)

    checked = header_columns(file, rows[0], expected, problems)
    if checked is None:
        return _empty(file, expected, problems)
    header, columns = checked

    kept_rows: list[list[str]] = []
    kept_lines: list[int] = []
    for row, at in zip(rows[1:], lines[1:], strict=True):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        if len(row) != len(header):
            problems.append(
                Problem(
                    file,
                    at,
                    min(len(row), len(header)) + 1,
                    f"this row has {len(row)} cells but the header has {len(header)}",
                    "check for a stray comma, or quote cells that contain commas",
                )
            )
            continue
        kept_rows.append(row)
        kept_lines.append(at)

    cells: dict[str, Sequence[str] | None] = {}
    for name in expected:
        position = columns.get(name, 0)
        cells[name] = [r[position - 1] for r in kept_rows] if position else None
    return RawTable(file, _frame(cells, len(kept_rows)), kept_lines, columns, problems)


def _frame(cells: dict[str, Any], length: int) -> pd.DataFrame:
    """Columns of cells (lists of str, Arrow string arrays, or None when missing) as a frame
    of the "string" dtype: each cell stripped, empty cells NA."""
    if not _arrow_strings():
        data = {n: [""] * length if c is None else list(c) for n, c in cells.items()}
        frame = pd.DataFrame(data, dtype="string")
        return frame.apply(lambda s: s.str.strip()).replace("", pd.NA)
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    for name, column in cells.items():
        if column is None:
            array = pa.nulls(length, pa.large_string())
        else:
            if not isinstance(column, (pa.Array, pa.ChunkedArray)):
                column = pa.array(column, type=pa.large_string())
            array = pc.utf8_trim_whitespace(column.cast(pa.large_string()))
            empty = pc.equal(array, "")
            if pc.any(empty).as_py():
                array = pc.if_else(empty, None, array)
        out[name] = pd.Series(pd.arrays.ArrowStringArray(array), copy=False)
    return pd.DataFrame(out, index=pd.RangeIndex(length))


def _arrow_strings() -> bool:
    """Whether pandas keeps the "string" dtype in Arrow (pandas 3 with pyarrow installed)."""
    return str(pd.StringDtype().storage) == "pyarrow"


def _line_breaks(data: bytes) -> int | None:
    """How many LF ``data`` holds, if each of its lines is one record the csv module reads
    cleanly (None otherwise).

    That is: no lone CR, and every quote either opens a cell (right after a comma or a line
    break), closes it (right before one), or is a doubled quote inside it; no quoted cell holds
    a line break. The quotes are read in order: an even number before a position means that
    position is outside any quoted cell.
    """
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a line ending in CR alone
    if b'"' not in data:
        return data.count(b"\n")
    buf = np.frombuffer(data, dtype=np.uint8)
    found_quotes, found_newlines = [], []
    for at in range(0, buf.size, _SCAN):  # in slices that stay in the CPU cache
        part = buf[at : at + _SCAN]
        found_quotes.append(np.flatnonzero(part == _QUOTE) + at)
        found_newlines.append(np.flatnonzero(part == _LF) + at)
    quotes, newlines = np.concatenate(found_quotes), np.concatenate(found_newlines)
    if quotes.size % 2:
        return None  # a quote is never closed
    if np.any(np.searchsorted(quotes, newlines) % 2):
        return None  # a line break inside a quoted cell
    first = np.ones(quotes.size, dtype=bool)
    first[1:] = np.diff(quotes) != 1
    run = np.flatnonzero(first)  # runs of adjacent quotes: their first quote's rank
    length = np.diff(np.append(run, quotes.size))
    start = quotes[run]
    before = start[run % 2 == 0] - 1  # runs that open a cell
    before = before[before >= 0]
    after = (start + length)[(run + length) % 2 == 0]  # runs that close one
    after = after[after < buf.size]
    opened, closed = buf[before], buf[after]
    if ((opened == _COMMA) | (opened == _LF)).all() and (
        (closed == _COMMA) | (closed == _LF) | (closed == _CR)
    ).all():
        return int(newlines.size)
    return None


def _parse_fast(file: str, data: bytes, expected: list[str]) -> RawTable | None:
    """:func:`_parse`'s result read by Arrow, or None when the file needs the csv module."""
    breaks = _line_breaks(data) if _arrow_strings() else None
    if breaks is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    end = data.find(b"\n")
    first, offset = (data, len(data)) if end < 0 else (data[:end], end + 1)
    try:
        first_line = first.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    if not first_line:
        return None  # a blank first line: the header is further down
    problems: list[Problem] = []
    _allow_long_cells()
    cells = next(csv.reader([first_line], strict=True))
    checked = header_columns(file, cells, expected, problems)
    if checked is None:
        return None  # not comma-separated: the csv module's reader reports it (after UTF-8)
    header, columns = checked

    if data.startswith(b"\xef\xbb\xbf", offset):
        return None  # Arrow would drop this byte-order mark as if it began the file
    body = pa.py_buffer(data).slice(offset)
    # one row per line after the header's (the last line may lack its LF)
    count = breaks - (end >= 0) + (0 if data.endswith(b"\n") or offset == len(data) else 1)
    names = [str(i) for i in range(len(header))]
    if count == 0:
        table = pa.table({n: pa.array([], pa.large_string()) for n in names})
    else:
        try:
            table = pa_csv.read_csv(
                pa.BufferReader(body),
                read_options=pa_csv.ReadOptions(column_names=names),
                parse_options=pa_csv.ParseOptions(ignore_empty_lines=False),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.large_string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, ValueError):
            # A row with the wrong number of cells (the csv module says on which line), or
            # not UTF-8 (Arrow checks it as Python's codec does: the decoder says where).
            return None
        if table.num_rows != count:
            return None  # not one row per line after all

    blank = np.ones(table.num_rows, dtype=bool)  # every cell empty or whitespace (str.strip)
    for column in table.columns:
        rows = np.flatnonzero(blank)
        if rows.size == 0:
            break
        blank[rows] = pc.match_substring_regex(column.take(rows), _BLANK_CELL).to_numpy(
            zero_copy_only=False
        )
    keep = np.flatnonzero(~blank)
    if keep.size != table.num_rows:
        table = table.take(keep)
    picked = {
        name: table.column(columns[name] - 1) if columns.get(name) else None for name in expected
    }
    lines = (keep + 2).tolist()
    return RawTable(file, _frame(picked, table.num_rows), lines, columns, problems)
