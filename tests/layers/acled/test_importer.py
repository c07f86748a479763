"""import-acled and the ACLED layer: filtering, header tolerance, problems, merging, scale."""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from dashlib.__main__ import main
from dashlib.data.problems import DataError
from dashlib.layers.acled import CREDIT
from dashlib.layers.acled.aggregate import aggregate_for_map, aggregate_for_timeline
from dashlib.layers.acled.importer import import_export
from dashlib.layers.acled.store import layer_path, load_acled
from tools.acled_export import PUBLIC_COLUMNS, generate

from conftest import FIXTURES, REPO

ACLED = FIXTURES / "acled"
EXPORT = ACLED / "export.csv"
OLD_LAYOUT = ACLED / "export_old_layout.csv"
KEPT = {
    "UKR900001",  # Military Forces of Russia (2000-) as actor1
    "UKR900003",  # actor2, with Wagner Group associated
    "UKR900004",  # lower-case "military forces of russia (2000-) air force"
    "RUS900001",  # inside Russia, Russian forces as actor2
    "MDA900001",  # no iso code: the country name decides
    "GEO900001",  # a branch: "Military Forces of Russia (2000-) Border Service"
    "KAZ900001",  # second item of a semicolon-separated assoc_actor_2
}
DROPPED = {"UKR900002", "SYR900001", "RUS900002", "BLR900001"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """An empty data folder: the layer's package comes from the shipped data/acled/."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def ids(data: Path) -> set[str]:
    frame = load_acled(data)
    assert frame is not None
    return set(frame["event_id_cnty"])


def rewrite(src: Path, dst: Path, edit: dict[str, dict[str, str]]) -> Path:
    """Copy an export, changing cells: {event_id_cnty: {column: value}}."""
    with src.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(edit.get(row["event_id_cnty"], {}))
    with dst.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return dst


def test_fixture_has_the_public_layout() -> None:
    header = EXPORT.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == PUBLIC_COLUMNS


def test_shipped_layer_holds_no_acled_rows() -> None:
    shipped = REPO / "data" / "acled"
    names = sorted(p.name for p in shipped.iterdir() if not p.name.startswith("."))
    local = [n for n in names if n not in ("README.md", "datapackage.json")]
    assert names[:2] == ["README.md", "datapackage.json"] or "README.md" in names
    # Anything else is a journalist's local import, and must never be committed.
    if local and shutil.which("git") and (REPO / ".git").exists():
        tracked = subprocess.run(
            ["git", "ls-files", "--", *(f"data/acled/{n}" for n in local)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert tracked == [], f"ACLED rows are committed: {tracked}"
    readme = (shipped / "README.md").read_text(encoding="utf-8")
    assert CREDIT in readme


def test_import_keeps_russian_forces_in_post_soviet_states(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_acled(data) is None  # no layer yet
    assert main(["import-acled", str(EXPORT), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "read 11 rows" in out and "kept 7" in out and "added 7" in out
    assert "updated 0" in out and "unchanged 0" in out and CREDIT in out
    frame = load_acled(data)
    assert frame is not None
    assert set(frame["event_id_cnty"]) == KEPT
    assert not set(frame["event_id_cnty"]) & DROPPED
    row = frame.set_index("event_id_cnty").loc["UKR900001"]
    assert row["country_iso3"] == "UKR" and row["iso"] == 804
    assert row["time_precision"] == 1 and row["geo_precision"] == 1
    assert row["latitude"] == pytest.approx(49.9935)
    assert row["notes"].endswith('with a comma, and "quotes".')
    moldova = frame.set_index("event_id_cnty").loc["MDA900001"]
    assert moldova["country_iso3"] == "MDA" and pd.isna(moldova["iso"])
    assert moldova["time_precision"] == 3
    assert str(frame["when"].dtype) == "datetime64[ns]"
    assert (data / "acled" / "datapackage.json").is_file()
    assert not list((data / "acled").glob("*.tmp"))


def test_old_layout_upper_case_headers_and_extra_columns(data: Path) -> None:
    result = import_export(OLD_LAYOUT, data)
    assert result.problems == []
    assert (result.read, result.kept, result.added) == (3, 2, 2)
    frame = load_acled(data)
    assert frame is not None
    by_id = frame.set_index("event_id_cnty")
    assert set(by_id.index) == {"UKR800001", "GEO800001"}
    assert by_id.at["UKR800001", "event_date"] == "2022-02-24"  # "24 February 2022"
    assert by_id.at["GEO800001", "event_type"] == "Strategic developments"  # was in capitals
    assert pd.isna(by_id.at["GEO800001", "disorder_type"])  # not in old exports
    assert "data_id" not in frame.columns and "iso3" not in frame.columns


def test_missing_required_column_is_a_clear_problem(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    broken = tmp_path / "no_timestamp.csv"
    frame.drop(columns=["timestamp"]).to_csv(broken, index=False)
    assert main(["import-acled", str(broken), "--data", str(data)]) == 1
    captured = capsys.readouterr()
    assert "no_timestamp.csv:1:0: required column 'timestamp' is missing" in captured.out
    assert "nothing was imported" in captured.err
    assert "Traceback" not in captured.out + captured.err
    assert not layer_path(data).exists()


def test_bad_cell_points_at_its_line_and_column(data: Path, tmp_path: Path) -> None:
    bad = rewrite(EXPORT, tmp_path / "bad.csv", {"UKR900003": {"latitude": "48,5947"}})
    result = import_export(bad, data)
    messages = [str(p) for p in result.problems]
    assert messages == [
        "bad.csv:4:23: latitude '48,5947' is not a number — use a decimal point, not a comma: "
        "48.5947"
    ]
    assert not layer_path(data).exists()


def test_bad_usage_exits_2_without_traceback(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-acled", str(data / "nope.csv"), "--data", str(data)]) == 2
    assert main(["import-acled", str(EXPORT), "--data", str(data / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "no such data folder" in err and "Traceback" not in err


def test_reimport_deduplicates_and_newer_timestamp_updates(data: Path, tmp_path: Path) -> None:
    first = import_export(EXPORT, data)
    assert (first.added, first.updated, first.unchanged) == (7, 0, 0)
    again = import_export(EXPORT, data)
    assert (again.added, again.updated, again.unchanged, again.total) == (0, 0, 7, 7)
    assert not again.written
    newer = rewrite(
        EXPORT,
        tmp_path / "newer.csv",
        {
            "UKR900001": {"fatalities": "5", "timestamp": "1800000000"},  # newer: replaces
            "UKR900003": {"fatalities": "99", "timestamp": "1600000000"},  # older: ignored
        },
    )
    result = import_export(newer, data)
    assert (result.added, result.updated, result.unchanged, result.total) == (0, 1, 6, 7)
    frame = load_acled(data)
    assert frame is not None
    assert frame["event_id_cnty"].is_unique and len(frame) == 7
    by_id = frame.set_index("event_id_cnty")
    assert by_id.at["UKR900001", "fatalities"] == 5
    assert by_id.at["UKR900001", "timestamp"] == 1800000000
    assert by_id.at["UKR900003", "fatalities"] == 12
    # A later partial export adds to the layer; events it lacks stay.
    result = import_export(OLD_LAYOUT, data)
    assert (result.added, result.total) == (2, 9)
    assert ids(data) == KEPT | {"UKR800001", "GEO800001"}


def test_duplicate_ids_in_one_export_keep_the_newest(data: Path, tmp_path: Path) -> None:
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    dup = next(line for line in lines if line.startswith("UKR900004"))
    doubled = tmp_path / "doubled.csv"
    newer = dup.replace(",1,,1700000200", ",7,,1700009999")
    doubled.write_text("\n".join([*lines, newer, dup]) + "\n", encoding="utf-8")
    result = import_export(doubled, data)
    assert result.problems == [] and result.kept == 7
    frame = load_acled(data)
    assert frame is not None
    assert frame.set_index("event_id_cnty").at["UKR900004", "fatalities"] == 7


def test_invalid_layer_file_is_reported(data: Path) -> None:
    import_export(EXPORT, data)
    path = layer_path(data)
    path.write_text(path.read_text(encoding="utf-8").replace(",804,", ",abc,", 1), "utf-8")
    with pytest.raises(DataError) as err:
        load_acled(data)
    assert "acled/acled_events.csv" in str(err.value) and "iso 'abc'" in str(err.value)


# --- 100,000 rows ----------------------------------------------------------------------------


def test_100k_rows_import_and_aggregate(data: Path, tmp_path: Path) -> None:
    export = tmp_path / "big.csv"
    expected = generate(export, 100_000)
    started = time.perf_counter()
    result = import_export(export, data)
    elapsed = time.perf_counter() - started
    print(f"\n100,000-row ACLED import: {elapsed:.2f} s ({result.summary()})")
    assert result.problems == []
    assert (result.read, result.kept, result.added, result.total) == (
        100_000,
        expected,
        expected,
        expected,
    )
    again = import_export(export, data)
    assert (again.added, again.updated, again.unchanged) == (0, 0, expected)

    frame = load_acled(data)
    assert frame is not None and len(frame) == expected
    cells = aggregate_for_map(frame, None, None, None, cell_degrees=0.5)
    assert int(cells["events"].sum()) == expected
    assert int(cells["fatalities"].sum()) == int(frame["fatalities"].sum())
    # A journalist's map of one country stays a few hundred markers at most.
    ukraine = aggregate_for_map(frame, ["UKR"], "2022-01-01", "2022-12-31")
    assert 0 < len(ukraine) <= 600
    assert set(ukraine["country_iso3"]) == {"UKR"}
    timeline = aggregate_for_timeline(frame, ["UKR", "GEO"], "2022-01-01", "2023-12-31")
    assert set(timeline["country_iso3"]) == {"UKR", "GEO"}
    assert len(timeline) == 2 * 24
    in_range = frame[
        frame["country_iso3"].isin(["UKR", "GEO"])
        & (frame["when"] >= "2022-01-01")
        & (frame["when"] <= "2023-12-31")
    ]
    assert int(timeline["events"].sum()) == len(in_range)


# --- aggregation shapes -----------------------------------------------------------------------


def test_aggregate_for_map_shape(data: Path) -> None:
    import_export(EXPORT, data)
    frame = load_acled(data)
    cells = aggregate_for_map(frame, ["UKR"], "2022-01-01", "2022-12-31", cell_degrees=50)
    assert list(cells.columns) == [
        "lat",
        "lon",
        "events",
        "fatalities",
        "first_date",
        "last_date",
        "country_iso3",
    ]
    assert len(cells) == 1  # one huge cell holds Ukraine's three events
    row = cells.iloc[0]
    assert (row["events"], row["fatalities"], row["country_iso3"]) == (3, 16, "UKR")
    assert row["first_date"] == pd.Timestamp("2022-03-01")
    assert row["last_date"] == pd.Timestamp("2022-05-05")
    assert row["lat"] == pytest.approx((49.9935 + 48.5947 + 46.4825) / 3)
    fine = aggregate_for_map(frame, [], None, None, cell_degrees=0.5)
    assert len(fine) == 7 and int(fine["events"].sum()) == 7
    assert aggregate_for_map(frame, ["EST"]).empty
    assert aggregate_for_map(None).empty
    with pytest.raises(ValueError):
        aggregate_for_map(frame, cell_degrees=0)


def test_aggregate_for_timeline_shape(data: Path) -> None:
    import_export(EXPORT, data)
    frame = load_acled(data)
    months = aggregate_for_timeline(frame, ["UKR"], "2022-01-01", "2022-12-31")
    assert list(months.columns) == ["country_iso3", "period_start", "events", "fatalities"]
    assert len(months) == 12 and set(months["country_iso3"]) == {"UKR"}
    march = months[months["period_start"] == pd.Timestamp("2022-03-01")].iloc[0]
    assert (march["events"], march["fatalities"]) == (1, 3)
    assert int(months["events"].sum()) == 3
    years = aggregate_for_timeline(frame, None, None, None, freq="YS")
    assert set(years["period_start"]) == {pd.Timestamp("2022-01-01")}
    assert int(years["events"].sum()) == 7
    weeks = aggregate_for_timeline(frame, ["UKR"], freq="W")
    assert (weeks["period_start"].dt.day_of_week == 0).all()  # weeks start on Monday
    assert aggregate_for_timeline(frame, ["EST"]).empty
    with pytest.raises(ValueError):
        aggregate_for_timeline(frame, freq="M")


def test_shipped_package_declares_the_layer() -> None:
    import json

    package = json.loads((REPO / "data" / "acled" / "datapackage.json").read_text("utf-8"))
    resource = package["resources"][0]
    assert resource["schema"]["primaryKey"] == ["event_id_cnty"]
    names = [f["name"] for f in resource["schema"]["fields"]]
    for kept in ("time_precision", "geo_precision", "event_date", "fatalities", "timestamp"):
        assert kept in names
    assert all(f.get("description") for f in resource["schema"]["fields"])
    assert "ACLED" in package["licenses"][0]["title"]


def test_import_leaves_the_curated_dataset_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    before = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    import_export(EXPORT, data)
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == before
