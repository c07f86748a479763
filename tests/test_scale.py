"""How the charts and tables behave when the data grows: grouped markers, capped tables,
derived data built once per dataset, figures shared per view."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import plotly.io as pio
import pytest

from dashlib.data.dataset import Dataset, files_signature, load
from dashlib.figures import build_map_animation, build_map_figure, build_timeline_figure
from dashlib.figures.map_animation import frame_state
from dashlib.figures.map_sites import MAX_SITE_MARKERS
from dashlib.figures.theme import KIND_LABELS
from dashlib.figures.timeline import MAX_EVENT_MARKERS
from dashlib.query.selection import Selection
from dashlib.query.summaries import key_figures
from dashlib.query.tables import events_table, sites_table
from tools.generate import generate

REPO = Path(__file__).resolve().parents[1]

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The shipped data plus enough generated rows to cross both thresholds."""
    n = max(MAX_SITE_MARKERS, MAX_EVENT_MARKERS) + 500
    return load(generate(tmp_path_factory.mktemp("big") / "data", n))


KIND_NAMES = set(KIND_LABELS.values())


def _site_traces(fig_dict: dict) -> list[dict]:
    return [t for t in fig_dict["data"] if str(t.get("name")) in KIND_NAMES]


def test_small_map_draws_one_marker_per_site_with_its_own_hover(shipped: Dataset) -> None:
    fig = build_map_figure(shipped, Selection(), TODAY).to_dict()
    traces = _site_traces(fig)
    # Every site of the selection is in its kind's trace; those not active have no position.
    ids = [
        i
        for t in traces
        for i, lon in zip(t["customdata"], t["lon"], strict=True)
        if lon is not None
    ]
    assert ids and all(not str(i).startswith("cell-") for i in ids)
    n_active = len(sites_table(shipped, Selection(), TODAY))
    assert len(ids) == n_active
    for trace in traces:
        assert len(trace["hovertext"]) == len(trace["lon"]) == len(trace["customdata"])


def test_animation_frames_only_move_markers_and_hovers_stay_aligned(shipped: Dataset) -> None:
    built = build_map_animation(shipped, Selection(), TODAY)
    fig = json.loads(pio.to_json(built, validate=False))
    index = {i for i, t in enumerate(built.data) if str(t.uid).startswith("sites-")}
    site_traces = {i: t for i, t in enumerate(fig["data"]) if i in index}
    for trace in site_traces.values():
        assert len(trace["lon"]) == len(trace["hovertext"]) == len(trace["customdata"])
    frames = fig["frames"]
    assert frames[0]["name"] == "1991-01-01" and frames[-1]["name"] == str(TODAY)
    # What each year's last frame leaves on the chart (frames carry only what changed).
    positions = {f["name"][:4]: f for f in frames}
    states = {year: frame_state(frames, f["name"]) for year, f in positions.items()}
    # In 1991 Russia had no foreign deployment in the data that started later: fewer visible.
    visible = {
        year: sum(v is not None for i, d in state.items() if i in index for v in d["lon"])
        for year, state in states.items()
    }
    assert visible["1991"] < visible["2026"]
    for frame in frames:
        for data, i in zip(frame["data"], frame["traces"], strict=True):
            if i in index:
                assert set(data) == {"type", "lon", "lat"}  # no repeated hover text per frame
                assert len(data["lon"]) == len(site_traces[i]["lon"])
    # Each frame's heading shows its own date; the source line's "checked" date does not move.
    checked = f"checked {shipped.last_updated:%d %b %Y}"
    assert all(checked in f["layout"]["title"]["text"] for f in frames)
    last_2000 = dt.date.fromisoformat(positions["2000"]["name"])
    assert f"{last_2000:%-d %b %Y}" in positions["2000"]["layout"]["title"]["text"]
    # The Crimea/Kherson sites exist in 2026 but not in 1991: a hover never describes a site
    # that the frame does not show, because invisible markers have no coordinates.
    first = [d for i, d in states["1991"].items() if i in index]
    assert any(v is None for d in first for v in d["lon"])


def test_many_sites_are_grouped_into_cells(big: Dataset) -> None:
    n_sites = len(big.deployments)
    assert n_sites > MAX_SITE_MARKERS
    fig = build_map_figure(big, Selection(), TODAY).to_dict()
    traces = _site_traces(fig)
    markers = sum(v is not None for t in traces for v in t["lon"])
    assert 0 < markers < 500  # cells, not one marker per site
    assert all(str(i).startswith("cell-") for t in traces for i in t["customdata"])
    hover = " ".join(h for t in traces for h in t["hovertext"])
    assert "site(s)</b> near" in hover and "the table lists every site" in hover
    active = len(sites_table(big, Selection(), TODAY))
    counted = sum(
        int(h.split("</b>")[0].removeprefix("<b>").split(" ")[0].replace(",", ""))
        for t in traces
        for h in t["hovertext"]
        if h  # a cell with no site active on the day has no hover
    )
    assert counted == active  # every active site is in exactly one cell
    assert f"{n_sites:,} deployment sites grouped" in fig["layout"]["meta"]["subtitle"]


def test_a_country_filter_below_the_threshold_shows_single_sites(big: Dataset) -> None:
    per_country = big.deployments["country_iso3"].value_counts()
    small = per_country[per_country <= MAX_SITE_MARKERS]
    if small.empty:
        pytest.skip("every country has more generated sites than the threshold")
    sel = Selection(countries=(str(small.index[0]),))
    fig = build_map_figure(big, sel, TODAY).to_dict()
    assert not any(str(i).startswith("cell-") for t in _site_traces(fig) for i in t["customdata"])


def test_many_events_are_counted_per_month(big: Dataset) -> None:
    assert len(big.events) > MAX_EVENT_MARKERS
    fig = build_timeline_figure(big, Selection(date_from=dt.date(1991, 1, 1)), TODAY).to_dict()
    (monthly,) = [t for t in fig["data"] if str(t.get("name", "")).startswith("Events per month")]
    assert len(monthly["x"]) < 2_000
    counted = sum(int(h.split(" event")[0].removeprefix("<b>").replace(",", "")) for h in
                  monthly["hovertext"])  # fmt: skip
    assert counted == len(events_table(big, Selection(date_from=dt.date(1991, 1, 1)), TODAY))
    assert "per country and month" in fig["layout"]["meta"]["subtitle"]


def test_few_events_keep_one_diamond_each(shipped: Dataset) -> None:
    fig = build_timeline_figure(shipped, Selection(), TODAY).to_dict()
    (events,) = [t for t in fig["data"] if t.get("name") == "Event"]
    assert len(events["x"]) == len(events_table(shipped, Selection(), TODAY))
    assert len(events["hovertext"]) == len(events["x"])


def test_tables_match_the_filters(shipped: Dataset) -> None:
    sel = Selection(countries=("UKR",))
    events = events_table(shipped, sel, TODAY)
    assert set(events["Country"]) == {"Ukraine"}
    # newest first
    whens = shipped.events.set_index("title").loc[events["Event"], "when"].tolist()
    assert whens == sorted(whens, reverse=True)
    assert set(sites_table(shipped, sel, TODAY)["Country"]) <= {"Ukraine"}


def test_key_figures_do_not_depend_on_the_cache(shipped: Dataset) -> None:
    first = key_figures(shipped, TODAY)
    first["sites_active"] = -1  # a caller changing its copy must not change the cache
    assert key_figures(shipped, TODAY)["sites_active"] >= 0


def test_files_signature_changes_when_a_file_is_saved(data_dir: Path) -> None:
    before = files_signature(data_dir)
    path = data_dir / "events.csv"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    assert files_signature(data_dir) != before


def test_figures_are_shared_per_view(shipped: Dataset) -> None:
    from dashlib.ui import charts

    one = charts.timeline(shipped, Selection(), TODAY, acled=None)
    assert charts.timeline(shipped, Selection(), TODAY, acled=None) is one
    other = charts.timeline(shipped, Selection(countries=("GEO",)), TODAY, acled=None)
    assert other is not one
    assert other.layout.meta["summary"] != one.layout.meta["summary"]
    later = charts.timeline(shipped, Selection(), TODAY + dt.timedelta(days=1), acled=None)
    assert later is not one


def test_hover_text_is_built_once_per_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    import dashlib.figures.map_sites as map_module

    calls: list[str] = []
    original = map_module._site_hover

    def counting(ds: Dataset, row: object, *chars: int) -> str:
        calls.append(str(row.site_id))  # type: ignore[attr-defined]
        return original(ds, row, *chars)

    monkeypatch.setattr(map_module, "_site_hover", counting)
    ds = load(REPO / "data")  # a fresh dataset: nothing built yet
    build_map_animation(ds, Selection(), TODAY)
    assert sorted(calls) == sorted(ds.deployments["site_id"])  # once per site
    build_map_animation(ds, Selection(countries=("UKR",)), TODAY)
    build_map_figure(ds, Selection(as_of=dt.date(2010, 1, 1)), TODAY)
    assert len(calls) == len(ds.deployments)  # other views reuse them
