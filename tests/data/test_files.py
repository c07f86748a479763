"""dashlib.data.files: the one CSV writer and the one atomic writer."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dashlib.data import files
from dashlib.data.csvio import read_csv


def test_csv_bytes_read_back_by_the_reader(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "note": ['say "hi", twice', "line\nbreak"]})
    path = tmp_path / "t.csv"
    path.write_bytes(files.csv_bytes(frame))
    raw = read_csv(path, ["id", "note"])
    assert raw.problems == []
    assert raw.frame["note"].tolist() == ['say "hi", twice', "line\nbreak"]
    assert raw.lines == [2, 3]


def test_csv_bytes_for_excel() -> None:
    data = files.csv_bytes(pd.DataFrame({"a": ["é"]}), line_end="\r\n", bom=True)
    assert data == "\ufeffa\r\né\r\n".encode()


def test_atomic_write_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"old")
    path.chmod(0o640)
    files.atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_atomic_write_new_file_gets_umask_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        files.atomic_write(tmp_path / "sub" / "new.csv", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "sub" / "new.csv").stat().st_mode & 0o777 == 0o644


def test_atomic_write_failure_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "t.csv"
    path.write_bytes(b"old")

    def crash(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
