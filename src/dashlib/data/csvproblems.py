"""What a spreadsheet breaks in a CSV file, said by file, line and column: another encoding
(Excel's Windows-1251 or Latin-1), semicolons or tabs for commas, and missing, renamed,
duplicated or extra columns. Used by :func:`dashlib.data.csvio.read_csv`.
"""

from __future__ import annotations

import difflib

from dashlib.data.problems import Problem


def decode(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
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


def header_columns(
    file: str, cells: list[str], expected: list[str], problems: list[Problem]
) -> tuple[list[str], dict[str, int]] | None:
    """The stripped header and each expected column's position; None for a non-comma file."""
    header = [h.strip() for h in cells]
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
                return None
    columns, header_problems = check_header(file, header, expected)
    problems += header_problems
    return header, columns


def check_header(
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
