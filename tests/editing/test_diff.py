"""python -m dashlib diff: row-level differences between two data folders."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashlib.__main__ import main
from dashlib.editing.diff import DiffError, changelog_summary, diff_dirs, diff_frames

from conftest import FIXTURES, REPO, edit


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(FIXTURES / "valid", old)
    shutil.copytree(FIXTURES / "valid", new)
    return old, new


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_identical_folders_exit_0(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    code, out, _err = run(["diff", str(old), str(new)], capsys)
    assert code == 0
    assert "No differences" in out
    assert all(d.identical for d in diff_dirs(old, new))


def test_added_removed_and_changed_rows(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    path = new / "interventions.csv"
    edit(path, "2014-03,Sources disagree.", "2014-03,Sources still disagree.")
    edit(path, ",20000,30000,", ",20000,35000,")
    lines = path.read_text(encoding="utf-8").splitlines()
    four = next(line for line in lines if line.startswith("int-four,"))
    five = four.replace("int-four,Fourth", "int-five,Fifth")
    path.write_text(
        "\n".join([line for line in lines if line != four] + [five]) + "\n", encoding="utf-8"
    )
    code, out, _err = run(["diff", str(old), str(new)], capsys)
    assert code == 1
    assert "interventions.csv: 1 added, 1 removed, 1 changed" in out
    assert "interventions.csv: + int-five" in out
    assert "interventions.csv: - int-four" in out
    assert "interventions.csv: ~ int-one: troops_high 30000 → 35000" in out
    assert "interventions.csv: ~ int-one: troops_note Sources disagree. → Sources still" in out
    assert "sources.csv" not in out  # unchanged tables are not listed
    assert "1 table(s) differ" in out

    code, out, _err = run(["diff", "--json", str(old), str(new)], capsys)
    assert code == 1
    payload = json.loads(out)
    assert payload["identical"] is False
    (table,) = payload["tables"]
    assert table["file"] == "interventions.csv" and table["key"] == ["intervention_id"]
    assert table["added"] == ["int-five"] and table["removed"] == ["int-four"]
    assert table["changed"] == [
        {
            "key": "int-one",
            "fields": [
                {"field": "troops_high", "old": "30000", "new": "35000"},
                {
                    "field": "troops_note",
                    "old": "Sources disagree.",
                    "new": "Sources still disagree.",
                },
            ],
        }
    ]
    summary = changelog_summary(diff_dirs(old, new))
    assert summary == "interventions.csv: 1 added, 1 removed, 1 changed"


def test_typed_fields_compare_values_text_fields_compare_text(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    path = new / "interventions.csv"
    edit(path, ",20000,30000,", ",20000.0,30000,")  # integer field: same value
    edit(path, "First test intervention", "first test intervention")  # text: a change
    code, out, _err = run(["diff", str(old), str(new)], capsys)
    assert code == 1
    assert "troops_low" not in out
    assert "~ int-one: title First test intervention → first test intervention" in out


def test_emptied_cell_is_shown(folders: tuple[Path, Path]) -> None:
    old, new = folders
    edit(new / "interventions.csv", "2014-03,Sources disagree.", "2014-03,")
    (table,) = [d for d in diff_dirs(old, new) if not d.identical]
    assert table.lines() == [
        "interventions.csv: ~ int-one: troops_note Sources disagree. → (empty)"
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "{tmp}/missing", "{old}"],
        ["diff", "{old}", "{tmp}"],  # a folder without datapackage.json
    ],
)
def test_bad_folder_exits_2_without_traceback(
    folders: tuple[Path, Path],
    tmp_path: Path,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, _new = folders
    args = [a.format(tmp=tmp_path, old=old) for a in argv]
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("diff: ") and "Traceback" not in err


def test_unreadable_csv_exits_2_with_the_problem(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    edit(new / "interventions.csv", "int-two,Second", "int-two,Sec,ond")
    code, _out, err = run(["diff", str(old), str(new)], capsys)
    assert code == 2
    assert "new/interventions.csv:3:" in err and "cells but the header has" in err


def test_duplicate_key_exits_2(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    edit(new / "interventions.csv", "int-two,Second", "int-one,Second")
    code, _out, err = run(["diff", str(old), str(new)], capsys)
    assert code == 2
    assert "duplicate intervention_id int-one" in err


def test_usage_error_exits_2_from_a_real_process(folders: tuple[Path, Path]) -> None:
    old, _new = folders
    done = subprocess.run(
        [sys.executable, "-m", "dashlib", "diff", str(old)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 2
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


def test_diff_frames_for_the_editor() -> None:
    old = pd.DataFrame(
        {"site_id": ["a", "b", "c"], "lat": [44.5, 45.0, 46.0], "name": ["A", "B", "C"]}
    )
    new = pd.DataFrame(
        {"site_id": ["a", "c", "d"], "lat": ["44.50", "46.1", "47"], "name": ["A", "C", ""]}
    )
    result = diff_frames(
        old, new, "site_id", table="deployments", fields={"lat": {"type": "number"}}
    )
    assert result.added == ["d"] and result.removed == ["b"]
    assert [(c.key, [str(f) for f in c.changes]) for c in result.changed] == [
        ("c", ["lat 46.0 → 46.1"])
    ]
    assert not result.identical
    with pytest.raises(DiffError):
        diff_frames(old, pd.concat([old, old]), "site_id")


def test_table_only_in_one_folder(folders: tuple[Path, Path]) -> None:
    old, new = folders
    package = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "excerpts"]
    (new / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    excerpts = next(d for d in diff_dirs(old, new) if d.table == "excerpts")
    assert excerpts.added == [] and len(excerpts.removed) > 0


def test_log_records_a_change_made_outside_the_editor(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A spreadsheet edit reaches readers' "Corrections and updates" like an editor's save:
    ``--log WHO`` appends one CHANGELOG row per row of data changed (old → new)."""
    from dashlib.editing.save import read_changelog

    old, new = folders
    edit(new / "interventions.csv", ",20000,30000,", ",20000,35000,")
    code, out, err = run(["diff", "--log", "Data desk", str(old), str(new)], capsys)
    assert code == 1  # they differ; the report is printed as without --log
    assert "interventions.csv: ~" in out
    assert "Logged 1 row change(s)" in err
    log = read_changelog(new)
    assert list(log["table"]) == ["interventions.csv"]
    assert log.loc[0, "who"] == "Data desk"
    assert "30000 → 35000" in log.loc[0, "change"]
    assert log.loc[0, "row_ids"]
    assert not (old / "CHANGELOG.csv").exists()
    # Logged once: the log itself is not a table the next diff compares.
    code, _out, _err = run(["diff", str(new), str(new)], capsys)
    assert code == 0


def test_log_refuses_an_invalid_folder_and_a_missing_name(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = folders
    edit(new / "interventions.csv", ",20000,30000,", ",20000,lots,")
    code, _out, err = run(["diff", "--log", "Data desk", str(old), str(new)], capsys)
    assert code == 1
    assert "not logged" in err and "does not validate" in err
    assert not (new / "CHANGELOG.csv").exists()
    code, _out, err = run(["diff", "--log", " ", str(old), str(new)], capsys)
    assert code == 2 and "--log needs the name" in err
