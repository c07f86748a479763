"""The ACLED layer on the map and timeline: on demand, aggregated, readable at 100,000 events."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.data.dataset import load
from dashlib.figures import build_map_figure, build_timeline_figure
from dashlib.layers.acled.importer import import_export
from dashlib.layers.acled.store import load_acled
from dashlib.query.selection import Selection
from tools.acled_export import generate

from conftest import FIXTURES, REPO

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def layered(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copytree(
        REPO / "data" / "acled", folder / "acled", ignore=shutil.ignore_patterns("*.csv")
    )
    import_export(FIXTURES / "acled" / "export.csv", folder)
    return folder


def _acled_traces(fig):  # type: ignore[no-untyped-def]
    return [t for t in fig.data if (t.name or "").startswith("ACLED")]


def test_layer_is_off_unless_asked(layered: Path) -> None:
    ds, acled = load(layered), load_acled(layered)
    assert acled is not None and len(acled) > 0
    assert not _acled_traces(build_map_figure(ds, Selection(), TODAY, acled=acled))
    on = Selection(layers=("acled",), date_from=dt.date(2014, 1, 1))
    assert _acled_traces(build_map_figure(ds, on, TODAY, acled=acled))
    assert _acled_traces(build_timeline_figure(ds, on, TODAY, acled=acled))


def test_layer_param_round_trips() -> None:
    sel, notes = Selection.from_params({"layer": "acled"})
    assert sel.layers == ("acled",) and sel.to_params() == {"layer": "acled"} and not notes
    _, notes = Selection.from_params({"layer": "nope"})
    assert notes


def test_100k_row_export_stays_aggregated(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder, ignore=shutil.ignore_patterns("acled_events.csv"))
    export = tmp_path / "big.csv"
    generate(export, 100_000)
    import_export(export, folder)
    ds, acled = load(folder), load_acled(folder)
    assert acled is not None and len(acled) > 40_000  # the rest: other actors or countries
    sel = Selection(layers=("acled",), date_from=dt.date(1997, 1, 1))
    (trace,) = _acled_traces(build_map_figure(ds, sel, TODAY, acled=acled))
    assert 0 < len(trace.lon) < 3_000  # cells, never one marker per event
    (monthly,) = _acled_traces(build_timeline_figure(ds, sel, TODAY, acled=acled))
    assert 0 < len(monthly.x) <= 15 * 12 * 36


def test_sidebar_toggle_only_with_a_layer(layered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(layered))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["layer"] = "acled"
    at.run()
    at.switch_page("pages/map.py")
    at.query_params["layer"] = "acled"
    at.run()
    assert not at.exception
    assert at.toggle(key="sel_acled").value is True
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(FIXTURES / "valid"))
    plain = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    plain.run()
    assert not plain.toggle
