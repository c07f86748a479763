"""Every class of spreadsheet mistake gets a FILE:LINE:COLUMN problem, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashlib.data.dataset import check, load
from dashlib.data.problems import DataError

from conftest import FIXTURES, REPO, edit


def only(problems, file=None):  # type: ignore[no-untyped-def]
    found = [p for p in problems if file is None or p.file == file]
    assert found, f"no problem reported (got {problems})"
    return found


def test_fixture_is_valid(data_dir: Path) -> None:
    assert check(data_dir) == []
    ds = load(data_dir)
    assert len(ds.interventions) == 4
    assert bool(ds.interventions.set_index("intervention_id").at["int-one", "ongoing"])
    assert ds.interventions.set_index("intervention_id").at["int-four", "inside_russia"]


def test_fixture_schema_matches_shipped_schema() -> None:
    shipped = json.loads((REPO / "data" / "datapackage.json").read_text())
    fixture = json.loads((FIXTURES / "valid" / "datapackage.json").read_text())
    assert fixture == shipped, "copy data/datapackage.json to tests/fixtures/valid/"


def test_bom_and_crlf_are_accepted(data_dir: Path) -> None:
    path = data_dir / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert check(data_dir) == []


@pytest.mark.parametrize("encoding,expect", [("cp1251", "Windows-1251"), ("latin-1", "Latin-1")])
def test_other_encoding(data_dir: Path, encoding: str, expect: str) -> None:
    path = data_dir / "events.csv"
    text = path.read_text(encoding="utf-8")
    word = "Москва" if encoding == "cp1251" else "Chișinău".replace("ș", "s").replace("ă", "é")
    text = text.replace("Something else happened", word)
    path.write_bytes(text.encode(encoding))
    (problem,) = only(check(data_dir), "events.csv")
    assert problem.line == 3 and problem.column > 0
    assert "not UTF-8" in problem.message and expect in problem.message
    assert "CSV UTF-8" in problem.hint


def test_semicolon_delimited(data_dir: Path) -> None:
    path = data_dir / "events.csv"
    path.write_text(path.read_text().replace(",", ";"))
    (problem,) = only(check(data_dir), "events.csv")
    assert (problem.line, problem.column) == (1, 1)
    assert "semicolons" in problem.message


def test_missing_column(data_dir: Path) -> None:
    path = data_dir / "sources.csv"
    lines = path.read_text().splitlines()
    rows = [line.rsplit(",", 1)[0] for line in lines]  # drop the last column, publisher_type
    path.write_text("\n".join(rows) + "\n")
    problems = only(check(data_dir), "sources.csv")
    assert any("'publisher_type' is missing" in p.message and p.line == 1 for p in problems)


def test_renamed_column_suggests_the_name(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "date_precision", "date_precison")
    problems = only(check(data_dir), "events.csv")
    renamed = [p for p in problems if "unknown column 'date_precison'" in p.message]
    assert renamed and renamed[0].column == 3 and "date_precision" in renamed[0].hint


def test_duplicated_and_extra_column(data_dir: Path) -> None:
    path = data_dir / "sources.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",title,comments"
    lines[1:] = [line + ",x,y" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    messages = [str(p) for p in only(check(data_dir), "sources.csv")]
    assert any("sources.csv:1:9: column 'title' appears twice" in m for m in messages)
    assert any("sources.csv:1:10: unexpected extra column 'comments'" in m for m in messages)


def test_ambiguous_date(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "2022-01-06,day", "06/01/2022,day")
    problems = only(check(data_dir), "events.csv")
    (problem,) = [p for p in problems if p.field == "date"]
    assert (problem.line, problem.column) == (3, 2)
    assert "ambiguous" in problem.hint and "2022-01-06" in problem.hint


@pytest.mark.parametrize(
    "old,new,field,column",
    [
        ("44.6,33.5", "95.0,33.5", "lat", 6),
        (",10000,25000,", ",-5,25000,", "troops_low", 17),
        ("town,naval_base", "city,naval_base", "coord_precision", 8),
        ("44.6,33.5", "forty,33.5", "lat", 6),
        ("44.6,33.5", "44,6,33.5", None, None),  # a decimal comma shifts the cells
    ],
)
def test_value_out_of_range_or_wrong_type(
    data_dir: Path, old: str, new: str, field: str | None, column: int | None
) -> None:
    edit(data_dir / "deployments.csv", old, new)
    problems = only(check(data_dir), "deployments.csv")
    if field is None:
        assert problems[0].line == 2 and "cells" in problems[0].message
        return
    hits = [p for p in problems if p.field == field]
    assert hits and (hits[0].line, hits[0].column) == (2, column), problems


def test_duplicate_id(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "ev-two,", "ev-one,")
    problems = only(check(data_dir), "events.csv")
    dup = [p for p in problems if "duplicate event_id 'ev-one'" in p.message]
    assert dup and {p.line for p in dup} <= {2, 3} and dup[0].column == 1


@pytest.mark.parametrize(
    "file,old,new,message",
    [
        ("events.csv", ",int-three,", ",int-nine,", "intervention_id 'int-nine' does not exist"),
        ("events.csv", ",src-b,\n", ",src-b;src-zz,\n", "source_ids 'src-zz' does not exist"),
        (
            "deployments.csv",
            "GEO,abkhazia",
            "GEO,abkhasia",
            "territory_id 'abkhasia' does not exist",
        ),
        ("excerpts.csv", "KAZ;RUS", "KAZ;XXX", "country_iso3s 'XXX' does not exist"),
    ],
)
def test_reference_to_missing_id(
    data_dir: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(data_dir / file, old, new)
    assert any(message in p.message for p in only(check(data_dir), file))


def test_unbalanced_quote(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "Something happened.", '"Something happened.')
    problems = only(check(data_dir), "events.csv")
    assert any(p.line == 2 and "quote" in p.message for p in problems)


def test_empty_file(data_dir: Path) -> None:
    (data_dir / "events.csv").write_text("")
    (problem,) = only(check(data_dir), "events.csv")
    assert (problem.line, problem.message) == (1, "the file is empty")


def test_end_before_start(data_dir: Path) -> None:
    edit(data_dir / "interventions.csv", "2008-08,month", "1990-08,month")
    problems = only(check(data_dir), "interventions.csv")
    assert any(
        "end_date 1990-08 is before start_date 1994-06" in p.message and p.line == 3
        for p in problems
    )


def test_precision_must_match_date(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "2008-08,month", "2008-08,day")
    (problem,) = only(check(data_dir), "events.csv")
    assert (problem.line, problem.column) == (4, 3) and "write month" in problem.hint


def test_swapped_coordinates(data_dir: Path) -> None:
    edit(data_dir / "deployments.csv", "46.6,74.5", "74.5,46.6")
    problems = only(check(data_dir), "deployments.csv")
    assert any("outside KAZ" in p.message and "swapped" in p.hint for p in problems)


def test_troop_range_rules(data_dir: Path) -> None:
    edit(data_dir / "interventions.csv", ",20000,30000,2014-03,", ",30000,20000,,")
    messages = [p.message for p in only(check(data_dir), "interventions.csv")]
    assert any("smaller than troops_low" in m for m in messages)
    assert any("without the date" in m for m in messages)


def test_load_raises_with_every_problem(data_dir: Path) -> None:
    edit(data_dir / "events.csv", "ev-two,", "ev-one,")
    edit(data_dir / "deployments.csv", "46.6,74.5", "74.5,46.6")
    with pytest.raises(DataError) as err:
        load(data_dir)
    assert {p.file for p in err.value.problems} == {"events.csv", "deployments.csv"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashlib", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_cli_exit_codes(data_dir: Path) -> None:
    ok = run_cli("validate", str(data_dir))
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    edit(data_dir / "events.csv", "2022-01-06,day", "06/01/2022,day")
    bad = run_cli("validate", str(data_dir))
    assert bad.returncode == 1
    assert "events.csv:3:2: date '06/01/2022' is not a date in ISO form" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_cli_missing_schema_is_not_a_traceback(data_dir: Path) -> None:
    (data_dir / "datapackage.json").write_text("{ not json")
    bad = run_cli("validate", str(data_dir))
    assert bad.returncode == 1 and "datapackage.json:1:" in bad.stdout
    assert "Traceback" not in bad.stderr


def test_cli_undeclared_table_is_a_problem_not_a_traceback(data_dir: Path) -> None:
    import json

    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "excerpts"]
    (data_dir / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    bad = run_cli("validate", str(data_dir))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "resource 'excerpts' is not declared" in bad.stdout
    assert "Traceback" not in bad.stderr
