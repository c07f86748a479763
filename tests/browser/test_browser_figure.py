"""The figure the app sends to plotly.js (dashlib.figures.browser).

Streamlit hands plotly.js a JSON copy of every chart again right after drawing it. These
tests check that plotly.js finds nothing to redraw in that copy (it redrew the whole map
before: 0.1-0.2 s of a blocked page after each filter change), that dropping plotly's
default template changed nothing the charts draw, and the server-side parts of the copy.
The browser tests run plotly.js from the plotly package in Debian's Chromium, offline.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
import plotly.utils
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.data.geo import CRIMEA_FILE, read_geojson
from dashlib.figures import build_map_animation, build_map_figure, build_timeline_figure
from dashlib.figures.browser import (
    canonical_json,
    for_browser,
    served_geojson_urls,
    write_served_geojson,
)
from dashlib.query.selection import Selection
from tools.browser import CHROMIUM, REPO, offline_plotly_tab

from conftest import missing_tool

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


def _figures(ds: Dataset) -> dict[str, Any]:
    return {
        "map": build_map_figure(ds, Selection(), TODAY),
        "map_animation": build_map_animation(ds, Selection(countries=("GEO",)), TODAY),
        "timeline": build_timeline_figure(ds, Selection(), TODAY),
    }


# ------------------------------------------------------------------ server side


def test_charts_carry_no_template(shipped: Dataset) -> None:
    for name, fig in _figures(shipped).items():
        layout = json.loads(fig.to_json())["layout"]
        assert "template" not in layout, name


def test_browser_copy_leaves_out_meta_and_sets_a_data_revision(shipped: Dataset) -> None:
    fig = build_map_animation(shipped, Selection(), TODAY)
    sent = json.loads(for_browser(fig).to_json())
    original = json.loads(fig.to_json())
    assert "meta" in original["layout"] and "meta" not in sent["layout"]
    assert sent["layout"].get("template") is None  # null: no template, to plotly.js too
    assert sent["data"] == original["data"]
    assert sent["frames"] == original["frames"]
    assert fig.layout.meta["summary"], "the page still reads the summary from the original"
    # Same data, same revision; other data, another one.
    again = json.loads(for_browser(build_map_animation(shipped, Selection(), TODAY)).to_json())
    other = json.loads(
        for_browser(build_map_animation(shipped, Selection(countries=("UKR",)), TODAY)).to_json()
    )
    assert sent["layout"]["datarevision"] == again["layout"]["datarevision"]
    assert sent["layout"]["datarevision"] != other["layout"]["datarevision"]


def test_served_crimea_geojson_is_the_datasets(shipped: Dataset) -> None:
    """static/geo/crimea.geojson must be data/geo/crimea.geojson as plotly gets it, or the
    app falls back to sending it inline with every map (correct, but slower)."""
    urls = served_geojson_urls()
    assert urls.get(canonical_json(shipped.crimea_geojson)) == "/app/static/geo/crimea.geojson", (
        "static/geo/crimea.geojson is stale: rerun scripts/build_boundaries.py "
        "(or dashlib.figures.browser.write_served_geojson)"
    )
    sent = json.loads(for_browser(build_map_figure(shipped, Selection(), TODAY), urls).to_json())
    crimea = [t for t in sent["data"] if "geojson" in t]
    assert [t["geojson"] for t in crimea] == ["/app/static/geo/crimea.geojson"]


def test_unserved_geojson_stays_inline(shipped: Dataset, tmp_path: Path) -> None:
    fig = build_map_figure(shipped, Selection(), TODAY)
    assert served_geojson_urls(tmp_path) == {}
    sent = json.loads(for_browser(fig, served_geojson_urls(tmp_path)).to_json())
    assert [t["geojson"]["type"] for t in sent["data"] if "geojson" in t] == ["FeatureCollection"]
    # A served file with other content is not used either.
    shared = read_geojson(REPO / "data", CRIMEA_FILE)  # cached: never change it in place
    assert shared is not None
    geojson = copy.deepcopy(shared)
    geojson["features"][0]["properties"]["name"] = "Something else"
    write_served_geojson(geojson, "geo/crimea.geojson", tmp_path)
    sent = json.loads(for_browser(fig, served_geojson_urls(tmp_path)).to_json())
    assert [isinstance(t["geojson"], dict) for t in sent["data"] if "geojson" in t] == [True]


# ------------------------------------------------------------------ in Chromium

PAGE = """<!doctype html><html><body>
<div id="a" style="width:1000px;height:800px"></div>
<div id="b" style="width:1000px;height:800px"></div>
<script src="/plotly.min.js"></script>
<script>
const CONFIG = {topojsonURL: '/app/static/topojson/app/'};
function clean(v) {  // plotly's computed state without its private (_) parts
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    if (v.nodeType) return '<node>';
    const o = {};
    for (const k of Object.keys(v).sort()) {
      if (k[0] !== '_' && typeof v[k] !== 'function'
          && !['template', 'datarevision', 'meta', 'uid', 'index'].includes(k)) o[k] = clean(v[k]);
    }
    return o;
  }
  return v;
}
window.secondPass = async function(fig) {  // what Streamlit does: draw, then react to a copy
  const gd = document.getElementById('a');
  Plotly.purge(gd);
  const first = {data: fig.data, layout: fig.layout, frames: fig.frames, config: CONFIG};
  await Plotly.newPlot(gd, first);
  const calcdata = gd.calcdata;
  let geoRedraws = 0;
  const geo = gd._fullLayout.geo && gd._fullLayout.geo._subplot;
  if (geo) {
    const plot = geo.plot;
    geo.plot = function(...a) { geoRedraws++; return plot.apply(this, a); };
  }
  const copy = JSON.parse(JSON.stringify(fig));
  const again = {data: copy.data, layout: copy.layout, frames: copy.frames, config: CONFIG};
  await Plotly.react(gd, again);
  return {geoRedraws, recalculated: gd.calcdata !== calcdata, hasGeo: !!geo};
};
window.legendClearsTicks = async function(fig, width) {  // year labels vs legend, in px
  const gd = document.getElementById('a');
  Plotly.purge(gd);
  gd.style.width = width + 'px';
  await Plotly.newPlot(gd, fig.data, Object.assign({}, fig.layout, {width}), CONFIG);
  const legend = gd.querySelector('.legend').getBoundingClientRect();
  const ticks = [...gd.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect());
  return {ticks: ticks.length, gap: Math.min(...ticks.map(t => legend.top - t.bottom))};
};
window.dateLabels = async function(fig, width, range) {  // the x labels drawn, in px
  const gd = document.getElementById('a');
  Plotly.purge(gd);
  gd.style.width = width + 'px';
  await Plotly.newPlot(gd, fig.data, Object.assign({}, fig.layout, {width}), CONFIG);
  if (range) await Plotly.relayout(gd, {'xaxis.range': range});
  return [...gd.querySelectorAll('.xtick text')]
    .map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0)
    .map(([text, r]) => ({text, left: r.left, right: r.right}))
    .sort((a, b) => a.left - b.left);
};
window.drawnState = async function(figA, figB) {  // full layout and traces plotly computes
  const a = document.getElementById('a'), b = document.getElementById('b');
  await Plotly.newPlot(a, figA.data, figA.layout, CONFIG);
  await Plotly.newPlot(b, figB.data, figB.layout, CONFIG);
  return [JSON.stringify([clean(a._fullLayout), clean(a._fullData)]),
          JSON.stringify([clean(b._fullLayout), clean(b._fullData)])];
};
</script></body></html>"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: apt-get install -y chromium")
    with offline_plotly_tab(PAGE) as tab:
        yield tab


@pytest.mark.parametrize("name", ["map", "map_animation", "timeline"])
def test_copy_of_the_app_figure_is_not_redrawn(page: Any, shipped: Dataset, name: str) -> None:
    fig = for_browser(_figures(shipped)[name], served_geojson_urls())
    result = page.evaluate("fig => secondPass(fig)", json.loads(fig.to_json()))
    assert result == {"geoRedraws": 0, "recalculated": False, "hasGeo": name != "timeline"}


def test_the_original_figure_would_be_redrawn(page: Any, shipped: Dataset) -> None:
    """The control: with the meta and the inline Crimea, plotly.js redraws the whole map."""
    fig = build_map_figure(shipped, Selection(), TODAY)
    result = page.evaluate("fig => secondPass(fig)", json.loads(fig.to_json()))
    assert result["geoRedraws"] == 1


@pytest.mark.parametrize("name", ["map", "map_animation", "timeline"])
def test_dropping_plotlys_template_changes_nothing_drawn(
    page: Any, shipped: Dataset, name: str
) -> None:
    """plotly.js computes the same layout and traces with plotly's default template put
    back, but for defaults no trace uses (colorway, colour scales, axis-title standoff)."""
    fig = json.loads(_figures(shipped)[name].to_json())
    templated = json.loads(json.dumps(fig))
    templated["layout"]["template"] = json.loads(
        json.dumps(pio.templates["plotly"].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    )
    ours, theirs = page.evaluate("([a, b]) => drawnState(a, b)", [fig, templated])
    ours_layout, ours_data = json.loads(ours)
    their_layout, their_data = json.loads(theirs)
    assert ours_data == their_data
    unused = {"colorway", "colorscale"}
    for key in set(ours_layout) | set(their_layout):
        if key in unused:
            continue
        a, b = ours_layout.get(key), their_layout.get(key)
        if key in ("xaxis", "yaxis") and isinstance(a, dict) and isinstance(b, dict):
            titled = fig["layout"].get(key, {}).get("title", {}).get("text")
            assert not titled, "an axis title would need its standoff set"
            a, b = dict(a), dict(b)
            a["title"] = {k: v for k, v in a["title"].items() if k != "standoff"}
            b["title"] = {k: v for k, v in b["title"].items() if k != "standoff"}
        assert a == b, key


@pytest.mark.parametrize("width", [1000, 375])
@pytest.mark.parametrize("countries", [(), ("GEO",)])
def test_timeline_legend_stays_clear_of_the_year_labels(
    page: Any, shipped: Dataset, width: int, countries: tuple[str, ...]
) -> None:
    """One country makes a short plot; a phone wraps the legend to three rows."""
    fig = build_timeline_figure(shipped, Selection(countries=countries), TODAY)
    result = page.evaluate(
        "([fig, width]) => legendClearsTicks(fig, width)", [json.loads(fig.to_json()), width]
    )
    assert result["ticks"] >= 2
    assert result["gap"] >= 4, result


@pytest.mark.parametrize("width", [343, 375, 1000])
@pytest.mark.parametrize(
    "countries,zoom",
    [
        ((), None),  # 1991 to today
        (("GEO",), None),
        ((), ["2008-05-10", "2008-11-16"]),  # a reader zooms into the 2008 war
        ((), ["2022-01-01", "2022-02-15"]),  # six weeks: days
        ((), ["2014-01-01", "2026-11-27"]),
    ],
)
def test_timeline_date_labels_fit_and_never_repeat(
    page: Any, shipped: Dataset, width: int, countries: tuple[str, ...], zoom: list[str] | None
) -> None:
    """The date axis's labels at a phone's and a desktop's width, and after a zoom: at least
    two, none reading the same, and at least 6 px between neighbours (a fixed five-year
    step ran eight labels into each other on a phone)."""
    fig = build_timeline_figure(shipped, Selection(countries=countries), TODAY)
    labels = page.evaluate(
        "([fig, width, zoom]) => dateLabels(fig, width, zoom)",
        [json.loads(fig.to_json()), width, zoom],
    )
    texts = [label["text"] for label in labels]
    assert len(texts) >= 2 and len(texts) == len(set(texts)), texts
    gaps = [b["left"] - a["right"] for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= 6, list(zip(texts, gaps, strict=False))
