"""Read one CSV file the way a spreadsheet user expects, reporting what a spreadsheet breaks.

Accepted: UTF-8 with or without a byte-order mark, CRLF or LF line endings, quoted cells with
embedded newlines. Reported by file and line: another encoding (Excel's Windows-1251 or
Latin-1), semicolon- or tab-delimited files, missing, renamed, duplicated or extra columns,
rows with the wrong number of cells, an unbalanced quote, an empty file.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashlib.problems import Problem


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


def _decode(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        guess = _guess_encoding(data)
        return None, [
            Problem(
                file,
                line,
                column,
                f"the file is not UTF-8 (byte 0x{data[err.start]:02X} here; it looks like {guess})",
                "save it again as 'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 in your "
                "editor",
            )
        ]


def _guess_encoding(data: bytes) -> str:
    # Cyrillic words in Windows-1251 are runs of bytes >= 0xC0; Latin-1 accented letters sit
    # alone between ASCII letters (café, Chişinău).
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high:
        return "another encoding"
    in_runs = sum(
        1
        for i in high
        if (i > 0 and data[i - 1] >= 0x80) or (i + 1 < len(data) and data[i + 1] >= 0x80)
    )
    if in_runs / len(high) > 0.5:
        return "Windows-1251 (Cyrillic) from Excel"
    return "Latin-1 / Windows-1252 from Excel"


def read_csv(path: Path, expected: list[str], name: str | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable` of strings checked against ``expected`` columns."""
    file = name or path.name
    empty = RawTable(
        file,
        pd.DataFrame({c: pd.Series(dtype="string") for c in expected}),
        [],
        dict.fromkeys(expected, 0),
    )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        empty.problems.append(
            Problem(
                file,
                0,
                0,
                "the file is missing",
                f"create it with the header: {','.join(expected)}",
            )
        )
        return empty
    text, problems = _decode(file, data)
    if text is None:
        empty.problems.extend(problems)
        return empty
    if not text.strip():
        empty.problems.append(
            Problem(
                file,
                1,
                0,
                "the file is empty",
                f"it needs at least the header line: {','.join(expected)}",
            )
        )
        return empty
    return _parse(file, text, expected)


def _parse(file: str, text: str, expected: list[str]) -> RawTable:
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    line = 1
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
        return RawTable(
            file,
            pd.DataFrame({c: pd.Series(dtype="string") for c in expected}),
            [],
            dict.fromkeys(expected, 0),
            problems,
        )

    header = [h.strip() for h in rows[0]]
    body, body_lines = rows[1:], lines[1:]
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                problems.append(
                    Problem(
                        file,
                        1,
                        1,
                        f"the columns are separated by {label}, not commas",
                        "save as 'CSV UTF-8 (comma delimited)', or change the list separator",
                    )
                )
                return RawTable(
                    file,
                    pd.DataFrame({c: pd.Series(dtype="string") for c in expected}),
                    [],
                    dict.fromkeys(expected, 0),
                    problems,
                )
    columns, header_problems = _check_header(file, header, expected)
    problems += header_problems

    kept_rows: list[list[str]] = []
    kept_lines: list[int] = []
    for row, at in zip(body, body_lines, strict=True):
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

    data: dict[str, list[str]] = {}
    for name in expected:
        position = columns.get(name, 0)
        if position:
            data[name] = [r[position - 1] for r in kept_rows]
        else:
            data[name] = [""] * len(kept_rows)
    frame = pd.DataFrame(data, dtype="string")
    frame = frame.apply(lambda s: s.str.strip()).replace("", pd.NA)
    return RawTable(file, frame, kept_lines, columns, problems)


def _check_header(
    file: str, header: list[str], expected: list[str]
) -> tuple[dict[str, int], list[Problem]]:
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            problems.append(
                Problem(
                    file,
                    1,
                    position,
                    f"column '{name}' appears twice (also column {seen[name]})",
                    "delete or rename one of them",
                )
            )
            continue
        seen[name] = position
        if name in expected:
            columns[name] = position
    unknown = [n for n in seen if n not in expected]
    missing = [n for n in expected if n not in seen]
    for name in unknown:
        close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
        if close:
            problems.append(
                Problem(
                    file,
                    1,
                    seen[name],
                    f"unknown column '{name}'",
                    f"did you mean '{close[0]}'? rename the column header",
                )
            )
        else:
            problems.append(
                Problem(
                    file,
                    1,
                    seen[name],
                    f"unexpected extra column '{name}'",
                    "delete it, or add it to data/datapackage.json first",
                )
            )
    for name in missing:
        position = expected.index(name) + 1
        problems.append(
            Problem(
                file,
                1,
                position,
                f"column '{name}' is missing",
                f"add a column headed '{name}' (expected columns: {','.join(expected)})",
            )
        )
    return columns, problems
