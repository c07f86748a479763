"""Map labels: positions from labels.csv, a reduced set at phone width, nothing overlapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import WIDTH_PX, MapContext, build_map_figure, day_layers
from dashlib.figures.map_labels import Box, site_text, text_box
from dashlib.figures.map_sites import diameter
from dashlib.figures.map_view import Screen
from dashlib.publish.images import SOCIAL_SIZE
from dashlib.query.selection import Selection

from conftest import REPO

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def ds(data_dir: Path) -> Dataset:
    return load(data_dir)


def _trace(fig, uid):  # type: ignore[no-untyped-def]
    (trace,) = [t for t in fig.data if t.uid == uid]
    return trace


def test_country_labels_come_from_the_csv(data_dir: Path) -> None:
    ds = load(data_dir)
    fig = build_map_figure(ds, Selection(), TODAY)
    assert "UKRAINE" in _trace(fig, "labels-countries").text
    text = (data_dir / "labels.csv").read_text(encoding="utf-8")
    (data_dir / "labels.csv").write_text(text.replace(",UKRAINE,", ",UKRAINA,"), "utf-8")
    moved = build_map_figure(load(data_dir), Selection(), TODAY)
    assert "UKRAINA" in _trace(moved, "labels-countries").text


def test_small_states_get_leader_lines_on_the_region_map_only(ds: Dataset) -> None:
    region = build_map_figure(ds, Selection(), TODAY)
    leaders = _trace(region, "labels-leaders")
    assert sum(v is None for v in leaders.lon) >= 3  # Moldova and the Baltic states at least
    zoom = build_map_figure(ds, Selection(countries=("GEO",)), TODAY)
    assert not list(_trace(zoom, "labels-leaders").lon)
    assert "GEORGIA" in _trace(zoom, "labels-countries").text


def test_phone_width_shows_fewer_labels(ds: Dataset) -> None:
    full = build_map_figure(ds, Selection(), TODAY)
    compact = build_map_figure(ds, Selection(), TODAY, compact=True)
    wide, narrow = _trace(full, "labels-countries").text, _trace(compact, "labels-countries").text
    assert set(narrow) < set(wide)
    assert "MOLDOVA" in wide and "MOLDOVA" not in narrow


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("countries", [(), ("GEO",), ("UKR", "MDA")])
def test_no_label_overlaps_another_or_a_marker(
    ds: Dataset, compact: bool, countries: tuple[str, ...]
) -> None:
    ctx = MapContext.of(ds, Selection(countries=countries), TODAY, height=720, compact=compact)
    layers = day_layers(ctx, TODAY)  # a frame's labels, as the animation places them
    scale = ctx.labeller.scale
    boxes: list[Box] = list(ctx.labeller.taken)  # the countries' and notes'
    for uid, size in (("labels-territories", 10), ("labels-sites", 10)):
        data = layers[uid]
        for lon, lat, text, pos, clear in zip(
            data["lon"], data["lat"], data["text"], data["textposition"], data["marker"]["size"],
            strict=True,
        ):  # fmt: skip
            x, y = ctx.screen.xy(lon, lat)
            boxes.append(text_box(float(x), float(y), text, size * scale, pos, clear / 2 - 0.5))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.hits(b), (a, b)
    visible, sizes, _ = ctx.sites.on(TODAY)
    xs, ys = ctx.screen.xy(ctx.sites.lon, ctx.sites.lat)
    placed = boxes[len(ctx.labeller.taken) :]
    for x, y, d, shown in zip(xs, ys, sizes, visible, strict=True):
        if not shown:
            continue
        r = float(d) * scale / 2 - 1
        marker = Box(float(x) - r, float(y) - r, float(x) + r, float(y) + r)
        assert not any(marker.hits(b) for b in placed), marker


def test_largest_sites_are_labelled_by_rule() -> None:
    assert site_text("201st Military Base (Dushanbe garrison)", "Dushanbe") == (
        "201st base, Dushanbe"
    )
    assert site_text("Kant Air Base", "Kant") == "Kant Air Base"
    assert site_text("12th Military Base", "Batumi") == "12th base, Batumi"
    assert site_text("Gabala (Daryal) radar station", "Gabala District") == "Gabala radar station"


def test_size_key_and_sites_without_figures(ds: Dataset) -> None:
    fig = build_map_figure(ds, Selection(), TODAY)
    keys = [a.text for a in fig.layout.annotations]
    assert {"1,000", "5,000", "20,000"} <= set(keys)
    circles = sorted(s.x1 - s.x0 for s in fig.layout.shapes)
    assert circles == pytest.approx(sorted(diameter([1_000, 5_000, 20_000])))
    symbols = [s for t in fig.data if str(t.uid).startswith("sites-") for s in t.marker.symbol]
    known = ds.deployments["troops_high"].notna()
    assert symbols.count("circle-open") == int((~known).sum())


def test_zooms_name_the_neighbours_once(ds: Dataset) -> None:
    region = build_map_figure(ds, Selection(), TODAY)
    assert not [t for t in region.data if t.uid == "labels-neighbours"]
    zoom = build_map_figure(ds, Selection(countries=("GEO",)), TODAY)
    names = list(_trace(zoom, "labels-neighbours").text)
    assert "RUSSIA" in names and len(names) == len(set(names))


LABEL_TRACES = (
    "labels-countries",
    "labels-notes",
    "labels-neighbours",
    "labels-territories",
    "labels-sites",
)


def _label_boxes(fig: go.Figure, plot_w: float, plot_h: float) -> list[tuple[str, Box]]:
    """Every label of ``fig`` as plotly draws it on a plot ``plot_w`` x ``plot_h`` px: the
    text's box at its position, set off its (invisible) marker as plotly does."""
    screen = Screen.of(fig.layout.geo.to_plotly_json(), plot_w, plot_h)
    out = []
    for trace in fig.data:
        if trace.uid not in LABEL_TRACES:
            continue
        n = len(trace.text)
        pos = trace.textposition
        positions = list(pos) if isinstance(pos, tuple | list) else [pos] * n
        size = trace.marker.size
        clears = list(size) if isinstance(size, tuple | list) else [size or 0] * n
        for lon, lat, text, where, clear in zip(
            trace.lon, trace.lat, trace.text, positions, clears, strict=True
        ):
            x, y = screen.xy(lon, lat)
            gap = max(0.0, clear / 2 - 0.5)
            out.append((text, text_box(float(x), float(y), text, trace.textfont.size, where, gap)))
    return out


def _clashes(fig: go.Figure, width: int, height: int) -> list[tuple[str, str]]:
    margin = fig.layout.margin
    boxes = _label_boxes(fig, width - margin.l - margin.r, height - margin.t - margin.b)
    return [
        (a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1 :] if box.hits(other)
    ]


CARD_DAYS = [dt.date(1991, 12, 31), dt.date(2008, 8, 10), dt.date(2022, 1, 10), TODAY]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


@pytest.mark.parametrize("countries", [(), ("GEO",), ("ARM", "AZE")])
def test_a_social_cards_labels_are_laid_out_for_the_card(
    shipped: Dataset, countries: tuple[str, ...]
) -> None:
    """The export's 1200 x 675 card: its own view and labels, none overlapping another when
    drawn at the card's size (the article's, drawn there, put Gabala over AZERBAIJAN)."""
    width, height = SOCIAL_SIZE
    for day in CARD_DAYS:
        sel = Selection(countries=countries, as_of=day)
        card = build_map_figure(shipped, sel, TODAY, width=width, height=height)
        assert card.layout.height == height
        assert _clashes(card, width, height) == [], day
        margin = card.layout.margin
        plot = (width - margin.l - margin.r, height - margin.t - margin.b)
        area = Screen.of(card.layout.geo.to_plotly_json(), *plot).box()
        boxes = _label_boxes(card, *plot)
        assert len(boxes) >= 3 and all(box.inside(area) for _, box in boxes), day


def test_the_control_an_articles_labels_clash_on_the_card(shipped: Dataset) -> None:
    """What the export did before: the article's label layout drawn at the card's size."""
    width, height = SOCIAL_SIZE
    clashes = []
    for day in CARD_DAYS:
        article = build_map_figure(shipped, Selection(as_of=day), TODAY)
        assert _clashes(article, WIDTH_PX, int(article.layout.height)) == []
        clashes += _clashes(article, width, height)
    assert clashes
