"""Saving edits: validated first, atomic, backed up, logged, refused on a concurrent change."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashlib.data import files
from dashlib.editing.save import ConcurrentEditError, read_changelog, read_table, save_table

from conftest import REPO

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _edit(data_dir: Path, table: str, row: int, column: str, value: str) -> pd.DataFrame:
    frame, _ = read_table(data_dir, table)
    frame.loc[row, column] = value
    return frame


def test_valid_edit_is_saved_with_backup_and_changelog(data_dir: Path) -> None:
    before = (data_dir / "events.csv").read_bytes()
    _, digest = read_table(data_dir, "events.csv".removesuffix(".csv"))
    edited = _edit(data_dir, "events", 0, "title", "Corrected title")
    result = save_table(data_dir, "events", edited, editor="Ana", expected_digest=digest, now=NOW)
    assert result.saved and result.row_ids == ["ev-one"]
    assert "Corrected title" in (data_dir / "events.csv").read_text()
    assert result.backup is not None and result.backup.read_bytes() == before
    log = read_changelog(data_dir)
    assert log.iloc[0]["who"] == "Ana" and log.iloc[0]["table"] == "events.csv"
    assert log.iloc[0]["change"] == "~ ev-one: title Test event one → Corrected title"
    assert log.iloc[0]["when"] == "2026-11-27T12:00:00Z"


def test_invalid_edit_is_refused_and_nothing_changes(data_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}
    _, digest = read_table(data_dir, "events")
    edited = _edit(data_dir, "events", 1, "date", "06/01/2022")
    result = save_table(data_dir, "events", edited, editor="Ana", expected_digest=digest, now=NOW)
    assert not result.saved
    assert any(
        p.file == "events.csv" and p.line == 3 and p.field == "date" for p in result.problems
    )
    assert {p.name: p.read_bytes() for p in data_dir.glob("*.csv")} == before
    assert not (data_dir / "backups").exists()


def test_added_and_deleted_rows(data_dir: Path) -> None:
    frame, digest = read_table(data_dir, "events")
    new = frame.iloc[[0]].copy()
    new["event_id"] = "ev-four"
    frame = pd.concat([frame.drop(index=2), new], ignore_index=True)
    result = save_table(data_dir, "events", frame, editor="Ana", expected_digest=digest, now=NOW)
    assert result.saved and set(result.row_ids) == {"ev-four", "ev-three"}
    assert "+ ev-four" in result.changes and "- ev-three" in result.changes


def test_concurrent_change_is_refused(data_dir: Path) -> None:
    loaded, digest = read_table(data_dir, "events")
    edited = _edit(data_dir, "events", 0, "title", "My edit")
    path = data_dir / "events.csv"
    path.write_text(path.read_text().replace("Test event two", "Changed by someone else"))
    on_disk = path.read_bytes()
    with pytest.raises(ConcurrentEditError) as err:
        save_table(
            data_dir, "events", edited, editor="Ana", expected_digest=digest, loaded=loaded, now=NOW
        )
    assert path.read_bytes() == on_disk  # nothing overwritten
    assert any("Changed by someone else" in line for line in err.value.changes)


def test_fault_in_the_middle_of_a_save_leaves_the_file_intact(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_dir / "events.csv"
    before = path.read_bytes()
    _, digest = read_table(data_dir, "events")
    edited = _edit(data_dir, "events", 0, "title", "Half-written?")

    def crash(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError):
        save_table(data_dir, "events", edited, editor="Ana", expected_digest=digest, now=NOW)
    assert path.read_bytes() == before
    assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]


def test_editor_cells_are_written_as_csv_text(data_dir: Path) -> None:
    frame, digest = read_table(data_dir, "sources")
    typed = frame.copy().astype(object)
    typed["accessed"] = [dt.date(2026, 11, 3), dt.date(2026, 11, 2)]
    result = save_table(data_dir, "sources", typed, editor="Ana", expected_digest=digest, now=NOW)
    assert result.saved
    assert "2026-11-03" in (data_dir / "sources.csv").read_text()


# --- The editor page in the app -------------------------------------------------------------


def _app(monkeypatch: pytest.MonkeyPatch, data_dir: Path, password: str | None) -> AppTest:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(data_dir))
    if password is None:
        monkeypatch.delenv("DASHLIB_EDITOR_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("DASHLIB_EDITOR_PASSWORD", password)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    return at


def test_no_password_no_editor_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = _app(monkeypatch, data_dir, None)
    with pytest.raises(Exception):  # noqa: B017 - AppTest raises when the page does not exist
        at.switch_page("pages/editor.py").run()


def test_wrong_password_is_refused(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = _app(monkeypatch, data_dir, "s3cret-pass")
    at.switch_page("pages/editor.py").run()
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("Wrong password" in e.value for e in at.error)
    assert not at.selectbox  # no table picker


def test_right_password_opens_the_editor(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setattr("dashlib.ui.editor._delay", lambda failures: 0.0)
    at = _app(monkeypatch, data_dir, "s3cret-pass")
    at.switch_page("pages/editor.py").run()
    at.text_input[0].input("s3cret-pass")
    at.button[0].click().run()
    assert not at.exception
    assert at.selectbox(key="editor_table").value == "sources"
    assert len(at.data_editor) == 1


def test_failures_slow_down() -> None:
    from dashlib.ui.editor import _delay

    assert _delay(0) == 0 and _delay(1) < _delay(3) < _delay(5) <= 8


def test_corrections_page_lists_changes(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    _, digest = read_table(data_dir, "events")
    save_table(
        data_dir,
        "events",
        _edit(data_dir, "events", 0, "title", "Fixed"),
        editor="Ana",
        expected_digest=digest,
        now=NOW,
    )
    at = _app(monkeypatch, data_dir, None)
    at.switch_page("pages/corrections.py").run()
    assert not at.exception
    assert [c.value for c in at.caption if "changed" in c.value] == ["Ana · 1 row changed"]
    shown = "\n".join(m.value for m in at.markdown)
    assert "ev\\-one" in shown or "ev-one" in shown
    assert "Fixed" in shown


def test_atomic_write_is_used(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = os.replace
    monkeypatch.setattr(
        files.os, "replace", lambda a, b: (calls.append((str(a), str(b))), real(a, b))[1]
    )
    _, digest = read_table(data_dir, "events")
    save_table(
        data_dir,
        "events",
        _edit(data_dir, "events", 0, "title", "X"),
        editor="A",
        expected_digest=digest,
        now=NOW,
    )
    assert any(dst.endswith("events.csv") and src.endswith(".tmp") for src, dst in calls)


def test_unchanged_numbers_are_not_rewritten(data_dir: Path) -> None:
    from dashlib.data.schema import read_package
    from dashlib.ui.editor import _typed_for_editor

    path = data_dir / "deployments.csv"
    path.write_text(path.read_text().replace("44.6,33.5", "44.60,33.5"))
    frame, digest = read_table(data_dir, "deployments")
    resource = read_package(data_dir)["deployments"]
    typed = _typed_for_editor(frame, resource)  # what the grid hands back, untouched
    result = save_table(data_dir, "deployments", typed, editor="A", expected_digest=digest, now=NOW)
    assert not result.saved and result.changes == []
