#!/usr/bin/env python3
"""Check that the offline plotly base map draws the former USSR with no network access.

Writes a standalone HTML page: a choropleth of the 15 post-Soviet states
(locationmode "ISO-3") over static/topojson/world_<res>m.json, with Crimea
(data/geo/crimea.geojson) drawn on top, plotly.js inlined and the topojson seeded
as ``window.PlotlyGeoAssets`` in the page head, so plotly.js requests nothing.

    .venv/bin/python scripts/check_offline_map.py [--out /tmp/map.html] [--png /tmp/map.png]

With --png it also takes a screenshot with ../shared/tools/shoot.py (headless
Debian Chromium), which reports every request that left the machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import plotly.graph_objects as go

ROOT = Path(__file__).resolve().parents[1]
TOPO_DIR = ROOT / "static" / "topojson"
GEO_DIR = ROOT / "data" / "geo"
SHOOT = ROOT.parent / "shared" / "tools" / "shoot.py"

# The framing that shows all of the former USSR (Kaliningrad to Chukotka, the Caucasus
# and Central Asia) without wrapping Russia's far east: reuse it in the dashboard.
# plotly.js fits the projected outline of the lon/lat ranges into the plot area; a
# conic projection centred on 95°E keeps Chukotka (up to 169°W = 191°) inside it.
GEO_LAYOUT = {
    "projection": {"type": "conic equal area", "rotation": {"lon": 95}, "parallels": [40, 65]},
    "lonaxis": {"range": [22, 188]},
    "lataxis": {"range": [38, 86]},
}
# A closer framing on the west (Baltic to Tajikistan, most of the interventions).
GEO_LAYOUT_WEST = {
    "projection": {"type": "conic equal area", "rotation": {"lon": 52}, "parallels": [40, 60]},
    "lonaxis": {"range": [20, 82]},
    "lataxis": {"range": [36, 60]},
}

BASE_STYLE = {
    "showland": True,
    "landcolor": "#ecebe6",
    "showocean": True,
    "oceancolor": "#dbe8f0",
    "showlakes": True,
    "lakecolor": "#dbe8f0",
    "showcountries": True,
    "countrycolor": "#9a9a9a",
    "countrywidth": 0.6,
    "showcoastlines": True,
    "coastlinecolor": "#8a8a8a",
    "coastlinewidth": 0.6,
    "showframe": False,
    "bgcolor": "#dbe8f0",
}


def figure(geo_layout: dict) -> go.Figure:
    countries = json.loads((GEO_DIR / "countries.geojson").read_text(encoding="utf-8"))
    crimea = json.loads((GEO_DIR / "crimea.geojson").read_text(encoding="utf-8"))
    iso3 = [f["properties"]["iso3"] for f in countries["features"]]
    names = [f["properties"]["name"] for f in countries["features"]]
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=iso3,
            locationmode="ISO-3",
            z=list(range(len(iso3))),
            text=names,
            colorscale="Viridis",
            showscale=False,
            marker_line_color="white",
            marker_line_width=0.8,
            hovertemplate="%{text} (%{location})<extra></extra>",
            name="post-Soviet states",
        )
    )
    fig.add_trace(
        go.Choropleth(
            geojson=crimea,
            featureidkey="properties.territory_id",
            locations=["crimea"],
            z=[1],
            colorscale=[[0, "rgba(200,30,30,0.35)"], [1, "rgba(200,30,30,0.35)"]],
            showscale=False,
            marker_line_color="#b01010",
            marker_line_width=1.2,
            hovertemplate="Crimea (Ukraine; occupied by Russia since 2014)<extra></extra>",
            name="Crimea",
        )
    )
    fig.update_geos(**{**BASE_STYLE, **geo_layout})
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        height=620,
        width=1200,
        title="Offline base map check: former USSR",
    )
    return fig


def page(fig: go.Figure, resolution: int) -> str:
    name = f"world_{resolution}m"
    topo = (TOPO_DIR / f"{name}.json").read_text(encoding="utf-8").strip()
    fig.update_geos(resolution=resolution)
    html = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"topojsonURL": "/nonexistent/", "displaylogo": False},
    )
    seed = (
        "<script>window.PlotlyGeoAssets = {topojson: {"
        + json.dumps(name)
        + ": "
        + topo
        + "}};</script>"
    )
    if "<head>" not in html:
        raise SystemExit("unexpected HTML from plotly: no <head>")
    return html.replace("<head>", "<head>" + seed, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/offline_map.html"))
    ap.add_argument("--png", type=Path, help="also screenshot the page to this PNG")
    ap.add_argument("--resolution", type=int, choices=(50, 110), default=50)
    ap.add_argument(
        "--geo", type=json.loads, default=None, help="JSON geo layout to try instead of GEO_LAYOUT"
    )
    a = ap.parse_args()

    a.out.write_text(page(figure(a.geo or GEO_LAYOUT), a.resolution), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)")
    if a.png:
        cmd = [
            sys.executable,
            str(SHOOT),
            a.out.resolve().as_uri(),
            str(a.png),
            "--wait",
            ".geolayer .choroplethlayer",
            "--width",
            "1220",
            "--height",
            "660",
        ]
        return subprocess.run(cmd, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
