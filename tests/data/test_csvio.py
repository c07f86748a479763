"""dashlib.data.csvio: the fast reader gives exactly what the reference one gives.

* CSV: Arrow reads a file with one record per line (``_parse_fast``); Python's csv module reads
  every file (``_parse``). Where the fast reader accepts a file, frame, lines, columns and
  problems are identical; where it declines (quoted line breaks, stray quotes …) the csv module
  is used.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashlib.data import csvio as csvfile
from dashlib.data import csvproblems
from dashlib.data.csvio import RawTable, _parse, _parse_fast, read_csv
from dashlib.data.dataset import check
from dashlib.data.schema import read_package

from conftest import edit

EXPECTED = ["id", "name", "note"]


def slow(data: bytes, expected: list[str] = EXPECTED) -> RawTable:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return _parse("t.csv", body.decode("utf-8"), expected)


def fast(data: bytes, expected: list[str] = EXPECTED) -> RawTable | None:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return _parse_fast("t.csv", body, expected)


def assert_same(a: RawTable, b: RawTable) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert (a.file, a.lines, a.columns, a.problems) == (b.file, b.lines, b.columns, b.problems)


def test_blank_characters_are_those_of_str_strip() -> None:
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(csvfile.PYTHON_WHITESPACE) == spaces


ONE_RECORD_PER_LINE = {
    "plain": "id,name,note\na,b,c\nd,e,f\n",
    "no final newline": "id,name,note\na,b,c\nd,e,f",
    "crlf": "id,name,note\r\na,b,c\r\nd,e,f\r\n",
    "quoted commas and quotes": 'id,name,note\na,"b, c","say ""hi"""\n"",""""," x "\n',
    "quoted header": '"id","name",note\na,b,c\n',
    "empty quoted cells": 'id,name,note\n"","",""\n',
    "blank lines": "id,name,note\na,b,c\n\n,,\n , ,\t\nd,e,f\n\n\n",
    "blank crlf line": "id,name,note\r\na,b,c\r\n\r\nd,e,f\r\n",
    "odd whitespace": "id,name,note\n\x1c,\xa0,\u2028\n\u3000, x ,\u200b\n\x1c\x1d,\x85,\n",
    "header only": "id,name,note\n",
    "header only, no newline": "id,name,note",
    "missing column": "id,note\na,c\n",
    "extra, renamed and duplicated columns": "id,nam,note,note,more\na,b,c,d,e\n",
    "padded header": " id , name ,note\n a , b , c \n",
    "nul and unicode": "id,name,note\na\x00b,Москва,Chişinău\n",
    "single column": "id\na\n\nb\n",
    "a long cell": "id,name,note\na," + "x" * 200_000 + ",c\n",
}

NEEDS_CSV_MODULE = {
    "quoted newline": 'id,name,note\na,"b\nb",c\nd,e,f\n',
    "quoted crlf": 'id,name,note\r\na,"b\r\nb",c\r\nd,e,f\r\n',
    "quoted newline in header": '"i\nd",name,note\na,b,c\n',
    "unclosed quote": 'id,name,note\na,"b,c\nd,e,f\n',
    "unclosed quote at the end": 'id,name,note\na,b,"c',
    "unclosed quote on the last line": 'id,name,note\na,b,"c\n',
    "text after a closing quote": 'id,name,note\na,"b"x,c\n',
    "quote inside a cell": 'id,name,note\na,b"b,c\n',
    "space before a quote": 'id,name,note\na, "b",c\n',
    "lone cr": "id,name,note\ra,b,c\rd,e,f\r",
    "cr inside a cell": "id,name,note\na,b\rb,c\n",
    "too many cells": "id,name,note\na,b,c,d\n",
    "too few cells": "id,name,note\na,b\n",
    "a line of spaces (one cell)": "id,name,note\na,b,c\n   \nd,e,f\n",
    "blank first line": "\nid,name,note\na,b,c\n",
    "semicolons": "id;name;note\na;b;c\n",
    "tabs": "id\tname\tnote\na\tb\tc\n",
}


@pytest.mark.parametrize("text", ONE_RECORD_PER_LINE.values(), ids=ONE_RECORD_PER_LINE.keys())
@pytest.mark.parametrize("bom", [False, True])
def test_fast_reader_matches_csv_module(text: str, bom: bool) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    expected = ["id"] if text.startswith("id\n") else EXPECTED
    got = fast(data, expected)
    assert got is not None, "this file has one record per line: Arrow should read it"
    assert_same(got, slow(data, expected))


@pytest.mark.parametrize("text", NEEDS_CSV_MODULE.values(), ids=NEEDS_CSV_MODULE.keys())
def test_fast_reader_declines_what_it_cannot_number(text: str, tmp_path: Path) -> None:
    data = text.encode("utf-8")
    expected = ["id"] if text.startswith("id\n") else EXPECTED
    assert fast(data, expected) is None
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert_same(read_csv(path, expected), slow(data, expected))


def reference_read(path: Path, expected: list[str] = EXPECTED) -> RawTable:
    """read_csv as it was before the fast reader: decode, refuse an empty file, csv module."""
    data = path.read_bytes()
    text, problems = csvproblems.decode("t.csv", data)
    if text is None:
        return csvfile._empty("t.csv", expected, problems)
    if not text.strip():
        return csvfile._empty(
            "t.csv",
            expected,
            [
                csvfile.Problem(
                    "t.csv",
                    1,
                    0,
                    "the file is empty",
                    f"it needs at least the header line: {','.join(expected)}",
                )
            ],
        )
    return _parse("t.csv", text, expected)


ENCODED = {
    "cp1251 with semicolons": "id;name;note\na;Москва;c\n".encode("cp1251"),
    "cp1251 with commas": "id,name,note\na,Москва,c\n".encode("cp1251"),
    "latin-1 in the header": "id,nämé,note\na,b,c\n".encode("latin-1"),
    "latin-1 in a row with too many cells": "id,name,note\na,é,c,d\n".encode("latin-1"),
    "surrogate bytes": b"id,name,note\na,\xed\xa0\x80,c\n",
    "overlong encoding": b"id,name,note\na,\xc0\x80,c\n",
    "bad byte on the last line without newline": b"id,name,note\na,b,c\nd,e,\xff",
    "only spaces": b"  \n\t \r\n",
    "only odd spaces": "\u3000\n\xa0".encode(),
    "nothing": b"",
    "bom only": b"\xef\xbb\xbf",
    "bom and a header": b"\xef\xbb\xbfid,name,note\n",
    "starts with a non-ascii space": "\xa0id,name,note\na,b,c\n".encode(),
}


@pytest.mark.parametrize("data", ENCODED.values(), ids=ENCODED.keys())
def test_read_csv_matches_the_reference(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert_same(read_csv(path, EXPECTED), reference_read(path))


@settings(max_examples=200, deadline=None)
@given(
    chunks=st.lists(
        st.sampled_from(
            [b"a", b",", b'"', b"\n", b"\r\n", b" ", b"\xc3\xa9", b"\xe9", b"\xff", b";"]
            + [b"\xef\xbb\xbf", b"\xd0\x9c", b"\xed\xa0\x80", b"a,b,c\n", b"\xa0"]
        ),
        max_size=40,
    )
)
def test_read_csv_any_bytes(chunks: list[bytes], tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("any") / "t.csv"
    path.write_bytes(b"id,name,note\n" + b"".join(chunks))
    assert_same(read_csv(path, EXPECTED), reference_read(path))


@settings(max_examples=100, deadline=None)
@given(
    columns=st.lists(
        st.lists(
            st.text(alphabet=st.sampled_from(list("ab é\t\n\x1c\xa0\u3000\u200b")), max_size=4)
        ),
        min_size=1,
        max_size=3,
    ),
    missing=st.booleans(),
)
def test_frame_is_the_original_strip_and_blank(columns: list[list[str]], missing: bool) -> None:
    """_frame gives what pandas gave before: str.strip() on the "string" dtype, "" -> NA."""
    length = min(len(c) for c in columns)
    cells: dict[str, list[str] | None] = {f"c{i}": c[:length] for i, c in enumerate(columns)}
    if missing:
        cells["gone"] = None
    data = {n: [""] * length if c is None else c for n, c in cells.items()}
    original = pd.DataFrame(data, dtype="string").apply(lambda s: s.str.strip()).replace("", pd.NA)
    pd.testing.assert_frame_equal(csvfile._frame(cells, length), original, check_exact=True)


# Text made of the characters that matter to a CSV reader, and cells written by csv.writer.
csv_text = st.lists(
    st.sampled_from(list('abé,"\n\r \t;\x1c\xa0\u2028') + ["\r\n", '""', ",,", "a,b,c\n"]),
    max_size=60,
).map("".join)
cell = st.text(alphabet=st.sampled_from(list('ab é,"\n \t\x1c\xa0')), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    header=st.sampled_from(["id,name,note\n", '"id",name,"note"\r\n', "id,note\n"]), body=csv_text
)
def test_fast_reader_never_disagrees(header: str, body: str) -> None:
    data = (header + body).encode("utf-8")
    got = fast(data)
    if got is not None:
        assert_same(got, slow(data))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(cell, min_size=3, max_size=3), max_size=8),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    ending=st.sampled_from(["\n", "\r\n"]),
)
def test_written_csv_reads_the_same(rows: list[list[str]], quoting: int, ending: str) -> None:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=ending).writerows([EXPECTED, *rows])
    data = out.getvalue().encode("utf-8")
    got = fast(data)
    if not any("\n" in c or "\r" in c for row in rows for c in row):
        assert got is not None  # no line break inside a cell: the fast reader takes it
    if got is not None:
        assert_same(got, slow(data))


def test_quoted_newline_keeps_spreadsheet_lines(data_dir: Path) -> None:
    """A description over two lines moves every later row down one line, in every message."""
    edit(data_dir / "events.csv", "2008-08,month", "2008-08,day")  # events.csv line 4
    before = check(data_dir)
    assert [(p.line, p.column) for p in before] == [(4, 3)]
    edit(data_dir / "events.csv", "Something happened.", '"Something\nhappened."')  # line 2
    after = check(data_dir)
    assert [(p.line, p.column, p.message) for p in after] == [(5, 3, before[0].message)]
    raw = read_csv(data_dir / "events.csv", read_package(data_dir)["events"].columns)
    assert raw.lines == [2, 4, 5]
    assert raw.frame.at[0, "description"] == "Something\nhappened."


def test_same_problems_whichever_reader(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(data_dir / "events.csv", "2022-01-06,day", "06/01/2022,day")
    edit(data_dir / "events.csv", "ev-two,", "ev-one,")
    edit(data_dir / "deployments.csv", "46.6,74.5", "74.5,46.6")
    edit(data_dir / "interventions.csv", ",20000,30000,2014-03,", ",30000,20000,,")
    edit(data_dir / "excerpts.csv", "KAZ;RUS", "KAZ;XXX")
    (data_dir / "sources.csv").write_bytes(
        b"\xef\xbb\xbf" + (data_dir / "sources.csv").read_bytes().replace(b"\n", b"\r\n")
    )
    with_arrow = check(data_dir)
    monkeypatch.setattr(csvfile, "_parse_fast", lambda file, data, expected: None)
    assert check(data_dir) == with_arrow and len(with_arrow) >= 6
