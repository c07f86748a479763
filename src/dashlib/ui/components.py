"""Reusable ``show_*`` blocks: charts with their text alternative, headers, footers."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.figures.browser import STATIC_URL, for_browser, served_geojson_urls
from dashlib.figures.common import TEXT_BASE_PX
from dashlib.figures.map import COMPACT_WIDTH_PX as MAP_COMPACT_WIDTH_PX
from dashlib.figures.map import WIDTH_PX as MAP_WIDTH_PX
from dashlib.ui.data import Loaded
from dashlib.ui.text import md_escape
from dashlib.viewport import COOKIE_JS, NARROW_COOKIE, NARROW_PX, WIDTH_COOKIE, content_width

# plotly.js loads its base map from here (served by Streamlit static serving) instead of
# cdn.plot.ly; see static/topojson and .streamlit/config.toml. The app/ folder holds only
# world_50m.json (~205 KiB, not the whole ~400 KiB one): the map view (GEO_LAYOUT) plus all
# that panning it by up to half its width or height brings in (scripts/build_boundaries.py,
# APP_PAN), so every geo figure in the app needs resolution 50 and that framing.
TOPOJSON_URL = "/app/static/topojson/app/"  # below server.baseUrlPath: see static_url()
PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "responsive": True,
    # No toolbar: it sat over every chart's title (and on a phone over the map). Files are
    # under "Embed & download"; the map pans by drag and zooms with the wheel or a pinch.
    "displayModeBar": False,
}


def static_url() -> str:
    """Where Streamlit serves static/ (``/app/static/``) on this server: below its
    ``server.baseUrlPath`` when it has one (the base map and the Crimea overlay were asked for
    at the root, and a map under a base path drew without its base map)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{STATIC_URL}" if base else STATIC_URL


def plotly_config() -> dict[str, Any]:
    """PLOTLY_CONFIG with the base map's URL on this server."""
    topojson = static_url() + TOPOJSON_URL.removeprefix(STATIC_URL)
    return {**PLOTLY_CONFIG, "topojsonURL": topojson}


def show_pending(loaded: Loaded) -> None:
    if loaded.pending:
        st.warning(
            "An update to the data is pending review; you are seeing the last published version.",
            icon=":material/schedule:",
        )


def show_chart(
    fig: go.Figure,
    key: str,
    *,
    select: bool = False,
    table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    table_label: str = "Data table",
    table_rows: int | None = None,
    under_chart: Callable[[Any], None] | None = None,
) -> Any:
    """The chart, its one-paragraph text summary, and the data as a table.

    ``under_chart(event)`` draws right under the chart, before its words (a tapped site's
    details card: where the reader is looking).
    """
    summary = str(fig.layout.meta["summary"]) if fig.layout.meta else ""
    # theme=None: the figure's own fonts and colours, as in the embeds and images (Streamlit's
    # theme would restyle it and set its whole title block in bold).
    kwargs: dict[str, Any] = {
        "key": key,
        "config": plotly_config(),
        "width": "stretch",
        "theme": None,
    }
    if select:
        kwargs.update(on_select="rerun", selection_mode=("points",))
    event = st.plotly_chart(browser_figure(fig), **kwargs)
    st.session_state[CHART_DRAWN] = True  # this run drew a chart (filters_later)
    if under_chart is not None:
        under_chart(event)
    if summary:
        st.markdown(f"**In words:** {md_escape(summary)}")
    if table is not None:
        show_table(table, table_label, rows=table_rows)
    return event


def browser_figure(fig: go.Figure) -> go.Figure:
    """``figures.browser.for_browser(fig)``, made once per figure.

    The pages' figures are shared by every reader of a view (``ui/charts.py``) and never
    changed once built, so the copy is kept on the figure itself and shared the same way.
    """
    copy: go.Figure | None = getattr(fig, "_dashlib_browser", None)
    if copy is None:
        copy = for_browser(fig, served_geojson_urls(static_url=static_url()))
        fig._dashlib_browser = copy
    return copy


# A reader scrolls a few hundred rows at most; sending 100,000 rows to every browser on every
# rerun would cost seconds. The CSV download (Embed & download) always has every row.
MAX_TABLE_ROWS = 1_000


@contextmanager
def lazy_expander(label: str, key: str) -> Iterator[bool]:
    """An expander whose content runs, and reaches the browser, only once a reader opens it.

    A closed expander's content still costs the browser its code (the table grid and the
    code highlighter are megabytes of JavaScript) before the chart on the same page draws.
    """
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def show_table(
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    label: str,
    key: str | None = None,
    *,
    rows: int | None = None,
) -> None:
    """A data table in a lazy expander, its first :data:`MAX_TABLE_ROWS` rows.

    ``table`` may be a function, called only once the reader opens the expander (at 100,000
    rows, filtering the map's sites table on every rerun cost more than the rest of the
    page); then ``rows`` gives its length for the label.
    """
    key = key or "table_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if callable(table) and rows is None:
        table = table()
    count = len(table) if isinstance(table, pd.DataFrame) else rows
    rows_word = "row" if count == 1 else "rows"
    with lazy_expander(f"{label} ({count:,} {rows_word})", key) as is_open:
        if not is_open:
            return
        if callable(table):
            table = table()
        if len(table) > MAX_TABLE_ROWS:
            st.caption(
                f"Showing the first {MAX_TABLE_ROWS:,} of {len(table):,} rows. "
                "Download every row as CSV under “Embed & download”."
            )
        st.dataframe(table.head(MAX_TABLE_ROWS), hide_index=True, width="stretch")


def show_footer(ds: Dataset) -> None:
    st.caption(
        md_escape(
            f"Data version {ds.version} · sources checked up to "
            f"{ds.last_updated:%d %B %Y} · {theme.CREDIT}"
        )
    )


def show_embed_header(fig: go.Figure, ds: Dataset) -> None:
    """In embed mode the chart carries its own title and source; add only the data date."""
    st.caption(md_escape(f"{theme.ISSUE_TITLE} · data checked {ds.last_updated:%d %b %Y}"))


def show_data_problems(loaded: Loaded) -> bool:
    """When nothing valid was ever loaded, explain and stop. Returns True if stopped."""
    if loaded.dataset is not None:
        return False
    st.error("The data could not be loaded. Editors: run `python -m dashlib validate data`.")
    with st.expander("Problems"):
        st.code("\n".join(str(p) for p in loaded.problems[:200]), language=None)
    return True


# The app's own CSS, on every page (no data in it). Streamlit's defaults fail three checks:
# - WCAG 2.4.7, visible focus: the navigation links' focus is a faint grey that reads as
#   "current page"; every control gets the same clear ring when focused by keyboard.
# - WCAG 2.5.8, targets of at least 24 × 24 px: slider thumbs (12 px), help icons and
#   heading anchors (16 px), the date field's parts and calendar button.
# - Phone-first: no horizontal scroll from the date bar's columns.
READER_CSS = """
<style>
:is(a, button, input, select, textarea, summary, [role="slider"], [role="spinbutton"],
    [role="option"], [role="combobox"], [tabindex]):focus-visible,
[data-testid="stSidebarNavLink"]:focus-visible,
div:has(> div > input[type="range"]:focus-visible) {
  outline: 3px solid #0B5394 !important;
  outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #FFFFFF !important;
}
[data-testid="stSlider"] div:has(> div > input[type="range"]) {
  width: 24px !important;
  height: 24px !important;
}
[data-testid="stTooltipHoverTarget"] button,
[data-testid="stHeaderActionElements"] a,
[data-testid="stDateInputCalendarButton"] {
  min-width: 24px !important;
  min-height: 24px !important;
  display: inline-flex !important;
  align-items: center;
  justify-content: center;
}
@media (max-width: 640px) {
  h1 { font-size: 1.9rem !important; }
}
[data-testid="stDateInput"] [role="spinbutton"] {
  min-width: 24px;
  min-height: 24px;
  display: inline-flex;
  align-items: center;
  justify-content: center;
}
/* The overview's map and key figures sit side by side only where both fit (a 1280 px
   window); on a narrower page (a 900 px window with the sidebar open) the figures go under
   the map instead of squeezing it to 230 px and cutting its title and the tiles' labels. */
.st-key-overview_columns > div > [data-testid="stHorizontalBlock"] {
  flex-wrap: wrap !important;
}
.st-key-overview_columns > div > [data-testid="stHorizontalBlock"] > :first-child {
  min-width: min(100%, 440px) !important;
}
.st-key-overview_columns > div > [data-testid="stHorizontalBlock"] > :last-child {
  min-width: min(100%, 260px) !important;
}
/* The map's date bar: Play, the slider and the typed date wrap onto two rows rather than
   squeeze (a 900 px window with the sidebar open). */
.st-key-date_bar > div > [data-testid="stHorizontalBlock"] {
  flex-wrap: wrap !important;
}
.st-key-date_bar > div > [data-testid="stHorizontalBlock"] > :nth-child(1) {
  min-width: min(100%, 120px) !important;
}
.st-key-date_bar > div > [data-testid="stHorizontalBlock"] > :nth-child(2) {
  min-width: min(100%, 240px) !important;
}
.st-key-date_bar > div > [data-testid="stHorizontalBlock"] > :nth-child(3) {
  min-width: min(100%, 170px) !important;
}
/* A link's label wraps instead of being cut at the right (intervention links on excerpt
   cards ran off a phone's screen). */
[data-testid="stPageLink"] span,
[data-testid="stPageLink"] [data-testid="stMarkdownContainer"],
[data-testid="stPageLink"] p {
  white-space: normal !important;
}
/* The width probe (see _PROBE_JS) is never shown; the wide map waits for the phone's. */
.st-key-viewport_probe_box { display: none; }
.dashlib-narrow .st-key-map_wide { display: none; }
</style>
"""


@functools.cache
def _plotly_chunk() -> str | None:
    """The file name of Streamlit's lazily loaded plotly chunk (4.7 MB: plotly.js), or None."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if found else None


# Streamlit fetches its plotly chunk only when a chart's element is rendered, after every
# element above it; on a slow phone, compiling that chunk is most of the time to the first
# chart. A page with a chart asks for it first thing, so it loads while the rest renders (the
# browser's module map hands the same module to Streamlit later). The URL is built from the
# page's own entry script, so it holds under any base path. No "<" in a script (st.html).
def preload_js(chunk: str) -> str:
    """The script that imports Streamlit's ``chunk`` (a file in its static/js folder)."""
    return (
        "<script>(function(){var s=document.querySelector('script[src*=\"/static/js/index.\"]');"
        "if(s)import(s.src.replace(/index\\.[^/]*\\.js.*$/,'" + chunk + "'));})();</script>"
    )


def preload_plotly() -> None:
    """Start loading the plotly chunk now (pages with a chart call this first)."""
    chunk = _plotly_chunk()
    if chunk and not os.environ.get("DASHLIB_NO_PRELOAD"):  # the switch: for measuring
        st.html(preload_js(chunk), unsafe_allow_javascript=True)


def show_reader_css() -> None:
    """The app's CSS (focus rings, target sizes); app.py calls it once per run."""
    st.html(READER_CSS)


# On a phone the sidebar covers most of the screen: close it once a filter is chosen, so the
# reader sees what the choice did. Installed once per page load (the app's window keeps the
# flag across reruns); a wide screen keeps its sidebar open.
_CLOSE_SIDEBAR_JS = (
    "<script>(function(){var app=window;if(app.__dashlibSidebar)"
    "return;app.__dashlibSidebar=1;var doc=app.document;"
    "function inside(e){return e&&e.closest&&e.closest('[data-testid=\"stSidebar\"]');}"
    "function close(){if(app.innerWidth>=" + str(NARROW_PX) + ")return;"
    "var b=doc.querySelector('[data-testid=\"stSidebarCollapseButton\"] button');"
    "if(b)setTimeout(function(){b.click();},400);}"
    "doc.addEventListener('change',function(e){if(inside(e.target))close();},true);"
    "doc.addEventListener('keydown',function(e){if(e.key==='Enter'&&inside(e.target))"
    "close();},true);"
    "doc.addEventListener('click',function(e){var t=e.target;"
    "if(t.closest&&t.closest('[role=\"option\"]')&&inside(doc.activeElement))close();},true);"
    "})();</script>"
)


# The screen's width class and width, in cookies the server reads (dashlib.viewport): set by
# the page's HTML before the websocket opens (dashlib.publish.shells), and again here on every
# page. Without them (the first visit through `streamlit run app.py`, which serves no shells)
# a phone's User-Agent ("Mobi", as MDN advises) decides, and a phone's map is drawn for a
# 375 px screen; the width probe corrects it within the visit.
_NARROW_COOKIE_JS = "<script>" + COOKIE_JS + "</script>"
# Streamlit pads its page 16 px each side on a phone: the map's figure is the window less that.
PHONE_PAGE_PADDING_PX = 32
# A phone's map is drawn for its screen's width to the nearest WIDTH_STEP_PX (a band of at
# most 2 px a side); one drawn for a width WIDTH_SLACK_PX off or more is drawn again.
WIDTH_STEP_PX = 4
WIDTH_SLACK_PX = 12
# Within a visit, a hidden text field carries the screen's width to the server: on a screen
# narrower than NARROW_PX showing the wide map, the page hides that map (CSS on the class
# below), types "narrow:WIDTH" into the field and the rerun draws the phone's map for that
# width; a phone's map drawn for a width WIDTH_SLACK_PX off (the class "map_compact_wN" says
# which) is drawn again the same way, and a wide screen showing a phone's map asks for
# "wide:WIDTH", as does a wide screen's page (map or timeline) with a chart whose title runs
# past its right edge: its text was wrapped for a wider window (see text_width), or a wide
# map drawn for another width than the page gives it (the inner box "map_drawn_wN" says which;
# wide_map_width). The page checks again after each resize. Without JavaScript nothing is
# hidden.
# A wide screen's page narrower than the 800 px map (a 900 px window with the sidebar open:
# 440 px) gets a map drawn for that width, to MAP_STEP_PX below (the map's box is set to the
# same width, so the map fills it); below COMPACT_BELOW_PX it is the phone's map (fewer labels).
MAP_STEP_PX = 20
COMPACT_BELOW_PX = 600
VIEWPORT_KEY = "viewport_probe"
_PROBE_JS = (
    "<script>(function(){var doc=window.document,w=window.innerWidth,narrow="
    + str(NARROW_PX)
    + ">w,fig=Math.round(w)-"
    + str(PHONE_PAGE_PADDING_PX)
    + ",want=narrow?'narrow:'+fig:'wide:'+Math.round(w),"
    "tries=0;"
    # A wide screen's chart whose title runs past its right edge (its text was wrapped for a
    # wider window: the reader narrowed the window or turned a tablet) is drawn again.
    "function cut(){"
    "var p=doc.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot');"
    "for(var i=0;p.length>i;i++){"
    "var t=p[i].querySelector('.gtitle'),r=p[i].getBoundingClientRect();"
    "if(t&&r.width&&t.getBoundingClientRect().right>r.right+1)return true;}return false;}"
    "function wrong(){if(cut())return true;"
    "if(!narrow){if(doc.querySelector('[class*=\"st-key-map_compact\"]'))return true;"
    # A wide window's map drawn for another width than the page gives it (a first visit
    # without the width cookie: drawn for 800 px in a 440 px page) is drawn again.
    "var d=doc.querySelector('[class*=\"st-key-map_drawn_w\"]'),"
    "main=doc.querySelector('[data-testid=\"stMainBlockContainer\"]');if(!d||!main)return false;"
    "var cs=getComputedStyle(main),avail=Math.min(" + str(MAP_WIDTH_PX) + ",main.clientWidth"
    "-parseFloat(cs.paddingLeft)-parseFloat(cs.paddingRight)),"
    "drawn=+/st-key-map_drawn_w([0-9]+)/.exec(d.className)[1];"
    "return drawn>avail+1||avail-drawn>=" + str(MAP_STEP_PX + 4) + ";}"
    "if(doc.querySelector('.st-key-map_wide'))return true;"
    "var box=doc.querySelector('[class*=\"st-key-map_compact_w\"]');if(!box)return false;"
    "var m=/st-key-map_compact_w([0-9]+)/.exec(box.className);"
    "return m&&Math.abs(+m[1]-fig)" + ">=" + str(WIDTH_SLACK_PX) + ";}"
    "function done(){doc.documentElement.classList.remove('dashlib-narrow');}"
    "if(narrow&&doc.querySelector('.st-key-map_wide'))"
    "doc.documentElement.classList.add('dashlib-narrow');"
    "function step(){if(!wrong()){done();return;}"
    # Never leave a reader without a map: after about 8 s, show the map the server drew.
    "if(++tries" + ">" + "27){done();return;}"
    # Ask for the rerun once this run's page has ended: the app's CSS, drawn after the page,
    # has hidden the probe's box. A rerun asked for earlier would cut the run short of it.
    "var box=doc.querySelector('.st-key-" + VIEWPORT_KEY + "_box'),"
    "ended=box&&getComputedStyle(box).display==='none';"
    "var input=doc.querySelector('.st-key-" + VIEWPORT_KEY + "_box input');"
    "if(ended&&input&&input.value!==want){"
    "var set=Object.getOwnPropertyDescriptor(HTMLInputElement.prototype,'value').set;"
    "input.focus();set.call(input,want);input.dispatchEvent(new Event('input',{bubbles:true}));"
    "input.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter',keyCode:13,bubbles:true}));"
    "input.blur();}"
    "setTimeout(step,300);}"
    # This run's check, and again (the latest run's) once a resize has settled.
    "window.__dashlibProbe=function(){w=window.innerWidth;narrow=" + str(NARROW_PX) + ">w;"
    "fig=Math.round(w)-" + str(PHONE_PAGE_PADDING_PX) + ";"
    "want=narrow?'narrow:'+fig:'wide:'+Math.round(w);tries=0;step();};"
    "if(!window.__dashlibResize){window.__dashlibResize=1;var t=0;"
    "window.addEventListener('resize',function(){clearTimeout(t);"
    "t=setTimeout(function(){window.__dashlibProbe();},400);});}"
    "step();})();</script>"
)


# Streamlit's date field applies a typed date only once focus leaves it (Tab, a click);
# a reader who types a date and presses Enter expects it applied. So Enter in a date field
# moves focus out, to an empty element outside the app (the field commits), and straight
# back: the date applies and the reader's focus stays where it was.
_ENTER_APPLIES_DATE_JS = (
    "<script>(function(){var app=window,doc=app.document;if(app.__dashlibDateEnter)return;"
    "app.__dashlibDateEnter=1;var sink=doc.createElement('span');sink.tabIndex=-1;"
    "sink.style.cssText='position:fixed;top:0;left:0;width:1px;height:1px;overflow:hidden';"
    "doc.body.appendChild(sink);doc.addEventListener('keydown',function(e){var t=e.target;"
    "if(e.key!=='Enter'||!t||!t.closest||!t.closest('[data-testid=\"stDateInput\"]')"
    "||t.closest('[role=\"dialog\"]'))return;"
    "sink.focus({preventScroll:true});t.focus({preventScroll:true});},true);})();</script>"
)


def close_sidebar_on_phones() -> None:
    """Close the sidebar after a choice on a narrow screen (see ``_CLOSE_SIDEBAR_JS``),
    remember whether the screen is narrow for :func:`is_phone`, and let Enter apply a typed
    date (``_ENTER_APPLIES_DATE_JS``)."""
    st.html(
        _CLOSE_SIDEBAR_JS + _NARROW_COOKIE_JS + _ENTER_APPLIES_DATE_JS,
        unsafe_allow_javascript=True,
    )


@contextmanager
def map_container(phone: bool, width: int | None = None) -> Iterator[None]:
    """The container of a map drawn for a phone (``phone``, its figure ``width`` px wide) or
    a wider screen; the page's script swaps them when the guess was wrong (see
    ``_PROBE_JS``). A wide screen's map keeps the width it is drawn for (``width``, default
    the map's 800 px; its height follows from it: the map fills its plot); an inner box
    named ``map_drawn_wN`` tells the script which width that was."""
    if phone:
        with st.container(key=f"map_compact_w{width or MAP_COMPACT_WIDTH_PX}"):
            yield
        return
    drawn = width or MAP_WIDTH_PX
    with st.container(key="map_wide", width=drawn), st.container(key=f"map_drawn_w{drawn}"):
        yield


# A phone's first visit to a page with a chart draws the filters after the chart, not with it.
# On a phone-class CPU the nine filter widgets (their code and React rendering) delayed the
# first chart by about 1.2 s of 17 (bench/throttled.py: / went from 1.22x to 1.13x the bare
# page); the sidebar is closed on a phone, so the reader sees nothing of them until they open
# it. Instead the sidebar holds a note and a button that draws them (a rerun); the page's
# script presses it once the chart is drawn (within 60 s whatever happens), so they are there
# a moment later. Without JavaScript the reader presses it.
CHART_DRAWN = "dashlib_chart_drawn"
FILTERS_LATER_KEY = "filters_later"
# (The button may mount after this script: Streamlit loads each element's code on demand. A
# run that replaced this one has no button: the script gives up after about 2 minutes.)
_FILTERS_LATER_JS = (
    "<script>(function(){var doc=window.document,tries=0;function go(){"
    "var b=doc.querySelector('.st-key-" + FILTERS_LATER_KEY + " button');"
    "if(b&&b.dataset.dashlibPressed)return;"
    "var drawn=doc.querySelector('[data-testid=\"stPlotlyChart\"] .main-svg');"
    "if(b&&(drawn||++tries" + ">" + "200)){b.dataset.dashlibPressed='1';b.click();return;}"
    "if(!b&&++tries" + ">" + "400)return;setTimeout(go,300);}setTimeout(go,300);})();</script>"
)


def take_chart_drawn() -> bool:
    """Whether this run drew a chart so far (and forget it: the next run tells its own)."""
    return bool(st.session_state.pop(CHART_DRAWN, False))


def show_filters_later() -> None:
    """In the sidebar: a note, the button that draws the filters, and the script that
    presses it once the chart is drawn (see ``_FILTERS_LATER_JS``)."""
    with st.sidebar:
        st.caption("The filters appear once the chart is drawn.")
        st.button("Show the filters", key=FILTERS_LATER_KEY)
        st.html(_FILTERS_LATER_JS, unsafe_allow_javascript=True)


def show_viewport_probe() -> None:
    """The hidden field and the script that tell the server the screen's width class.

    Not on a phone's first run, which draws its map for the width in the page's cookies: the
    run just after the chart (``filters_later``) draws it, and it corrects the map if needed.
    """
    from dashlib.ui.selection import filters_deferred

    if filters_deferred():
        return
    with st.container(key=f"{VIEWPORT_KEY}_box"):
        st.text_input("Screen width class (set by the page)", key=VIEWPORT_KEY)
    st.html(_PROBE_JS, unsafe_allow_javascript=True)


def _cookies() -> dict[str, str]:
    return {str(k): str(v) for k, v in (st.context.cookies or {}).items()}


def is_phone() -> bool:
    """Whether to draw the phone's map: fewer labels, a two-column legend, a shorter plot."""
    probed = str(st.session_state.get(VIEWPORT_KEY) or "")
    if probed.startswith(("wide", "narrow")):
        return probed.startswith("narrow")
    cookies = _cookies()
    if cookies.get(NARROW_COOKIE) in ("0", "1"):
        return cookies[NARROW_COOKIE] == "1"
    headers: dict[str, str] = {str(k): str(v) for k, v in (st.context.headers or {}).items()}
    return "Mobi" in headers.get("User-Agent", "")


def phone_figure_width(window_px: str | int | None) -> int | None:
    """The width to draw a phone's map for in a window ``window_px`` wide (or given as the
    figure's own width by the probe): a multiple of WIDTH_STEP_PX, None when unknown."""
    try:
        px = int(window_px)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not 200 <= px < NARROW_PX or abs(px - MAP_COMPACT_WIDTH_PX) < WIDTH_STEP_PX:
        return None  # unknown, or the default's (one figure for every 375 px phone)
    return int(round(px / WIDTH_STEP_PX) * WIDTH_STEP_PX)


def phone_map_width() -> int | None:
    """The figure width a phone's map is drawn for: the probe's (this visit), else the width
    cookie's (the last visit), else None (the figures' default: a 375 px phone)."""
    probed = str(st.session_state.get(VIEWPORT_KEY) or "")
    if probed.startswith("narrow:"):
        return phone_figure_width(probed.removeprefix("narrow:"))
    window = _cookies().get(WIDTH_COOKIE)
    if window is None or not window.isdigit():
        return None
    return phone_figure_width(int(window) - PHONE_PAGE_PADDING_PX)


# A wide screen's chart text (title, subtitle, source lines) is wrapped for the narrowest the
# chart can be drawn in the reader's window, to TEXT_STEP_PX below (so a few widths share one
# cached figure), and never wider than a line one reads easily: the map's own width.
TEXT_STEP_PX = 40


def _wide_window(window_px: str | int | None) -> int | None:
    """A window width (the cookie's or the probe's text) as px when it is a wide screen's."""
    try:
        px = int(window_px)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return px if px >= NARROW_PX else None


def chart_text_width(window_px: str | int | None, *, sidebar: bool, cap: int) -> int | None:
    """The width to wrap a full-width chart's text for in a window ``window_px`` wide (the
    width cookie's), or None (a phone's: the figures' default) when it is unknown, a phone's,
    or no wider than a phone's figure. ``sidebar``: the page has one (not an embed).

    >>> [chart_text_width(px, sidebar=True, cap=800) for px in ("1280", 1000, 800, 375)]
    [800, 520, 440, None]
    """
    px = _wide_window(window_px)
    if px is None:
        return None
    fits = min(content_width(px, sidebar=sidebar), cap)
    width = fits // TEXT_STEP_PX * TEXT_STEP_PX
    return width if width > TEXT_BASE_PX else None


def map_width_for(window_px: str | int | None, *, sidebar: bool, cap: int) -> int | None:
    """The width to draw a wide window's map for, where the page is narrower than ``cap`` (the
    map's own width); None: ``cap`` (or the window is unknown, or a phone's).

    >>> [map_width_for(px, sidebar=True, cap=800) for px in (1280, 1100, 900, 800, 500)]
    [None, 640, 440, 460, None]
    >>> map_width_for(700, sidebar=False, cap=800), map_width_for(1280, sidebar=True, cap=460)
    (660, None)
    """
    px = _wide_window(window_px)
    if px is None:
        return None
    fits = content_width(px, sidebar=sidebar)
    if fits >= cap:
        return None
    return max(MAP_COMPACT_WIDTH_PX, fits // MAP_STEP_PX * MAP_STEP_PX)


def _window_px() -> str | None:
    """This reader's window width: the width probe's (``wide:W``, this visit), else the width
    cookie's; None once the probe found the window narrow (a phone's layout decides)."""
    probed = str(st.session_state.get(VIEWPORT_KEY) or "")
    if probed.startswith("narrow"):
        return None
    if probed.startswith("wide:"):
        return probed.removeprefix("wide:")
    return _cookies().get(WIDTH_COOKIE)


def wide_map_width(cap: int = MAP_WIDTH_PX) -> int | None:
    """:func:`map_width_for` this reader's window (an embed has no sidebar)."""
    return map_width_for(_window_px(), sidebar=not bool(st.context.is_embedded), cap=cap)


def text_width(cap: int = MAP_WIDTH_PX) -> int | None:
    """:func:`chart_text_width` for this reader's window: the width probe's (``wide:W``, this
    visit: the page found a title cut after a resize) or the width cookie's (see
    ``dashlib.viewport``). An embed keeps a phone's wrapping: a story page's iframe changes
    width with the story (a phone turned, a column reflowed), which no rerun follows."""
    if st.context.is_embedded:
        return None
    return chart_text_width(_window_px(), sidebar=True, cap=cap)
