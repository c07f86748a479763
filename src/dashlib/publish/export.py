"""``python -m dashlib export OUT_DIR``: every chart as files a newsroom can publish.

For each chart (the map today, the animated map 1991 → today, the timeline, and a map and a
timeline per country a story would use) it writes, from the app's own figure builders:

- ``NAME.html``  standalone page; plotly.js from its CDN, or inlined with ``--offline`` (then
  the page makes no network request at all); the base map is always inlined;
- ``NAME.png``   article width (800 CSS px) at 2× pixel density;
- ``NAME-social.png``  1200 × 675 social card;
- ``NAME.svg``   vector, with ``<title>``/``<desc>`` (the chart's text summary);
- ``NAME.csv``   the data behind the chart, UTF-8 with BOM for Excel, CSV injection
  neutralised (OWASP: cells starting with ``= + - @``, tab or CR get a leading ``'``);
- ``index.html`` a gallery of every chart with copy buttons for the embed codes.

Images are rendered by kaleido through the system Chromium, one browser start for the whole
export. Exit status: 0 all written; 1 the data has problems; 2 wrong usage or a bad selection
(nothing written); 3 Chromium is missing or image rendering failed: HTML, CSV and the gallery
are written, PNG/SVG are not (one line on stderr says how to install Chromium).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import html
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashlib import paths
from dashlib.data.dataset import Dataset
from dashlib.figures import build_map_animation, build_map_figure, build_timeline_figure, theme
from dashlib.figures.map import animation_days
from dashlib.publish.embed import embed_url, iframe_code, iframe_snippet, standalone_html
from dashlib.query.selection import Selection
from dashlib.query.tables import sites_table, timeline_table

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_NO_IMAGES = 3

ARTICLE_WIDTH = 800
ARTICLE_SCALE = 2
SOCIAL_SIZE = (1200, 675)
DEFAULT_BROWSER = "/usr/bin/chromium"
DEFAULT_BASE_URL = "http://localhost:8501"
INSTALL_HINT = "apt-get install -y chromium"
# Per-country views a story would use: (name suffix, countries).
STORY_VIEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ukr", ("UKR",)),
    ("geo", ("GEO",)),
    ("mda", ("MDA",)),
    ("kaz", ("KAZ",)),
    ("arm-aze", ("ARM", "AZE")),
)
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


class SelectionError(ValueError):
    """A --country/--from/--to/--date/--kind value the app would not accept."""


class ChromiumMissing(RuntimeError):
    """No browser for kaleido."""


# ---------------------------------------------------------------- selection and charts


def parse_selection(
    ds: Dataset, params: Mapping[str, str], today: dt.date | None = None
) -> Selection:
    """The selection from URL-style parameters; any dropped value is an error (one line)."""
    given = {k: v for k, v in params.items() if v not in (None, "")}
    selection, notes = Selection.from_params(
        given,
        countries=set(ds.countries["iso3"]),
        kinds=set(theme.KIND_ORDER),
        interventions=set(ds.interventions["intervention_id"]),
        today=today,
    )
    if notes:
        problems = [re.sub(r"^Ignored ", "", n).rstrip(".") for n in notes]
        hint = ""
        if any("unknown country" in p for p in problems):
            hint = f" (known: {', '.join(sorted(ds.countries['iso3']))})"
        elif any("unknown kind" in p for p in problems):
            hint = f" (known: {', '.join(theme.KIND_ORDER)})"
        raise SelectionError("bad selection: " + "; ".join(problems) + hint)
    return selection


@dataclass(frozen=True)
class Chart:
    """One exported chart: its file name, builder, app page and selection."""

    name: str
    kind: str  # "map", "map-animated" or "timeline"
    selection: Selection
    label: str

    @property
    def page(self) -> str:
        """The app page showing this chart (``/map`` plays the animation)."""
        return "timeline" if self.kind == "timeline" else "map"


def chart_list(ds: Dataset, selection: Selection) -> list[Chart]:
    """The charts to export: the selection's three charts, then per-country story views.

    With ``--country`` the selection already is the story's view, so no extra views are added.
    """
    charts = [
        Chart("map", "map", selection, "Map on the selected date"),
        Chart("map-animated", "map-animated", selection, "Animated map, 1991 → today"),
        Chart("timeline", "timeline", selection, "Timeline of interventions and events"),
    ]
    if selection.countries:
        return charts
    known = set(ds.countries["iso3"])
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    for suffix, codes in STORY_VIEWS:
        present = tuple(c for c in codes if c in known)
        if not present:
            continue
        view = selection.with_(countries=tuple(sorted(present)))
        label = " and ".join(str(names[c]) for c in present)
        charts.append(Chart(f"map-{suffix}", "map", view, f"Map: {label}"))
        charts.append(Chart(f"timeline-{suffix}", "timeline", view, f"Timeline: {label}"))
    return charts


def build_figure(ds: Dataset, chart: Chart, today: dt.date) -> go.Figure:
    """The app's figure for ``chart`` (the same builders, never a second version)."""
    if chart.kind == "map":
        return build_map_figure(ds, chart.selection, today)
    if chart.kind == "map-animated":
        return build_map_animation(ds, chart.selection, today)
    return build_timeline_figure(ds, chart.selection, today)


def chart_table(ds: Dataset, chart: Chart, today: dt.date) -> pd.DataFrame:
    """The data behind ``chart``, from the app's reader-facing tables."""
    if chart.kind == "map":
        return sites_table(ds, chart.selection, today)
    if chart.kind == "map-animated":  # every site shown in any frame
        frames = [
            sites_table(ds, chart.selection.with_(as_of=day), today)
            for day in animation_days(today)
        ]
        return pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    return timeline_table(ds, chart.selection, today)


# ---------------------------------------------------------------- CSV


def neutralise(value: object) -> object:
    """A cell safe to open in a spreadsheet (OWASP CSV injection): text starting with
    ``= + - @``, tab or carriage return gets a leading single quote; other values pass.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise(-3.5), neutralise("Kyiv")
    (-3.5, 'Kyiv')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel and friends: UTF-8 with BOM, injection neutralised."""
    text = str(neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n"))
    return ("\ufeff" + text).encode("utf-8")


# ---------------------------------------------------------------- images


def find_browser() -> str | None:
    """Chromium for kaleido: ``$BROWSER_PATH`` if set (it must exist), else Debian's
    /usr/bin/chromium, else what choreographer finds on PATH. Never downloads one."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    if os.access(DEFAULT_BROWSER, os.X_OK):
        return DEFAULT_BROWSER
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def topojson_url() -> str:
    """file:// URL of static/topojson/ so kaleido's plotly.js never fetches the CDN map."""
    return paths.topojson_dir().as_uri() + "/"


def static_figure(fig: go.Figure, width: int, height: int) -> dict[str, Any]:
    """The figure as drawn on paper: fixed size, without play button and slider."""
    spec = copy.deepcopy(fig.to_dict())
    spec.pop("frames", None)
    layout = spec.setdefault("layout", {})
    if layout.pop("updatemenus", None) is not None or layout.pop("sliders", None) is not None:
        layout.pop("sliders", None)
        # The controls sat above the chart; the title block alone needs its own height.
        top = (layout.get("meta") or {}).get("title_top", 78)
        layout.setdefault("margin", {})["t"] = top
    layout.update(width=width, height=height)
    return dict(spec)


def image_jobs(fig: go.Figure, base: Path) -> list[dict[str, Any]]:
    """kaleido jobs for one chart: article PNG (2×), social card PNG, SVG."""
    height = int(fig.layout.height or 600)
    sw, sh = SOCIAL_SIZE
    article = static_figure(fig, ARTICLE_WIDTH, height)
    topo = topojson_url()
    return [
        {
            "fig": article,
            "path": base.with_suffix(".png"),
            "opts": {
                "format": "png",
                "width": ARTICLE_WIDTH,
                "height": height,
                "scale": ARTICLE_SCALE,
            },
            "topojson": topo,
        },
        {
            "fig": static_figure(fig, sw, sh),
            "path": base.with_name(base.name + "-social.png"),
            "opts": {"format": "png", "width": sw, "height": sh, "scale": 1},
            "topojson": topo,
        },
        {
            "fig": article,
            "path": base.with_suffix(".svg"),
            "opts": {"format": "svg", "width": ARTICLE_WIDTH, "height": height, "scale": 1},
            "topojson": topo,
        },
    ]


def render_images(
    batches: Mapping[str, list[dict[str, Any]]], browser: str | None = None, tabs: int = 2
) -> tuple[dict[str, float], float, list[str]]:
    """Render every batch in ONE browser; return seconds per batch, start-up seconds, errors."""
    browser = browser or find_browser()
    if not browser:
        raise ChromiumMissing(
            f"PNG/SVG not written: Chromium not found (BROWSER_PATH or {DEFAULT_BROWSER}); "
            f"install it with: {INSTALL_HINT}"
        )
    import kaleido  # late: slow to import and only needed here
    import plotly.io as pio
    from choreographer.errors import BrowserFailedError, ChromeNotFoundError

    pio.defaults.topojson = topojson_url()  # also for any later fig.write_image()

    async def run() -> tuple[dict[str, float], float, list[str]]:
        times: dict[str, float] = {}
        errors: list[str] = []
        started = time.perf_counter()
        async with kaleido.Kaleido(n=tabs, path=browser, mathjax=False, timeout=120) as k:
            startup = time.perf_counter() - started
            for name, jobs in batches.items():
                t0 = time.perf_counter()
                failed = await k.write_fig_from_object(jobs, cancel_on_error=False)
                times[name] = time.perf_counter() - t0
                errors += [f"{name}: {type(e).__name__}: {e}" for e in failed or ()]
        return times, startup, errors

    try:
        return asyncio.run(run())
    except (ChromeNotFoundError, BrowserFailedError) as err:
        raise ChromiumMissing(
            f"PNG/SVG not written: Chromium could not start ({browser}); "
            f"install it with: {INSTALL_HINT}"
        ) from err


_PATH_DATA = re.compile(r' d="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\.\d{2})\d+")


def compact_path_data(svg: str) -> str:
    """Cut path coordinates to 1/100 px: the base map's paths come with 13 decimals (3× size)."""
    return _PATH_DATA.sub(lambda m: ' d="' + _LONG_DECIMAL.sub(r"\1", m.group(1)) + '"', svg)


def describe_svg(path: Path, title: str, summary: str) -> None:
    """Give the SVG an accessible name and description (``<title>``, ``<desc>``), and
    compact its path data."""
    text = compact_path_data(path.read_text(encoding="utf-8"))
    match = re.search(r"<svg\b[^>]*>", text)
    if not match:
        return
    e = html.escape
    head = match.group(0)
    if "role=" not in head:
        head = head[:-1] + ' role="img" aria-labelledby="svg-title svg-desc">'
    inject = f'<title id="svg-title">{e(title)}</title><desc id="svg-desc">{e(summary)}</desc>'
    path.write_text(text[: match.start()] + head + inject + text[match.end() :], "utf-8")


# ---------------------------------------------------------------- the export


@dataclass
class ChartTimes:
    build: float = 0.0
    html: float = 0.0
    csv: float = 0.0
    images: float = 0.0

    @property
    def total(self) -> float:
        return self.build + self.html + self.csv + self.images


@dataclass
class ExportResult:
    out_dir: Path
    charts: list[Chart]
    files: list[Path] = field(default_factory=list)
    times: dict[str, ChartTimes] = field(default_factory=dict)
    browser_start: float = 0.0
    wall: float = 0.0
    image_error: str = ""
    exit_code: int = EXIT_OK


def run_export(
    ds: Dataset,
    out_dir: Path,
    selection: Selection | None = None,
    *,
    offline: bool = False,
    images: bool = True,
    base_url: str = DEFAULT_BASE_URL,
    today: dt.date | None = None,
    browser: str | None = None,
    log: Callable[[str], None] = print,
) -> ExportResult:
    """Write every chart's HTML and CSV, then all images in one browser, then the gallery."""
    started = time.perf_counter()
    today = today or dt.date.today()
    selection = selection or Selection()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = chart_list(ds, selection)
    result = ExportResult(out_dir, charts)
    batches: dict[str, list[dict[str, Any]]] = {}
    figures: dict[str, go.Figure] = {}
    for chart in charts:
        t = result.times[chart.name] = ChartTimes()
        t0 = time.perf_counter()
        fig = build_figure(ds, chart, today)
        figures[chart.name] = fig
        t1 = time.perf_counter()
        page = out_dir / f"{chart.name}.html"
        page.write_text(
            standalone_html(fig, offline=offline, png=f"{chart.name}.png"), encoding="utf-8"
        )
        t2 = time.perf_counter()
        table = out_dir / f"{chart.name}.csv"
        table.write_bytes(csv_bytes(chart_table(ds, chart, today)))
        t3 = time.perf_counter()
        t.build, t.html, t.csv = t1 - t0, t2 - t1, t3 - t2
        result.files += [page, table]
        batches[chart.name] = image_jobs(fig, out_dir / chart.name)

    if images:
        try:
            times, result.browser_start, errors = render_images(batches, browser)
        except ChromiumMissing as err:
            result.image_error = str(err)
        except Exception as err:  # noqa: BLE001 - a browser crash must not lose the HTML/CSV
            result.image_error = f"PNG/SVG not written: {type(err).__name__}: {err}"
        else:
            for name, seconds in times.items():
                result.times[name].images = seconds
            if errors:
                result.image_error = f"{len(errors)} image(s) failed: " + "; ".join(errors)
            for chart in charts:
                svg = out_dir / f"{chart.name}.svg"
                if svg.exists():
                    meta = figures[chart.name].layout.meta or {}
                    describe_svg(svg, str(meta.get("title", "")), str(meta.get("summary", "")))
                for job in batches[chart.name]:
                    if Path(job["path"]).exists():
                        result.files.append(Path(job["path"]))
        if result.image_error:
            result.exit_code = EXIT_NO_IMAGES

    gallery = out_dir / "index.html"
    gallery.write_text(
        gallery_html(ds, charts, figures, out_dir, base_url=base_url, offline=offline),
        encoding="utf-8",
    )
    result.files.append(gallery)
    result.wall = time.perf_counter() - started
    return result


# ---------------------------------------------------------------- gallery

_GALLERY_CSS = f"""
body{{font-family:{theme.FONT};color:{theme.INK};margin:0 auto;max-width:1100px;padding:24px;}}
h1{{font-size:26px;margin:0 0 4px}} .lead{{color:{theme.MUTED};margin:0 0 24px}}
.card{{border:1px solid #ddd;border-radius:8px;padding:16px;margin:0 0 24px}}
.card h2{{font-size:19px;margin:0 0 4px}} .card .desc{{color:{theme.MUTED};font-size:14px}}
.preview{{display:block;width:100%;max-width:800px;border:1px solid #eee}}
.files a{{margin-right:12px}} .files{{margin:8px 0}}
.code{{margin:10px 0}} .code label{{font-weight:600;font-size:14px;display:block}}
textarea{{width:100%;height:86px;font:12px/1.4 monospace;box-sizing:border-box}}
button{{font:inherit;font-size:14px;padding:4px 12px;cursor:pointer}}
.copied{{color:#007a3d;font-size:13px;margin-left:8px}}
"""

_GALLERY_JS = """
document.querySelectorAll('textarea[data-rel]').forEach(function(t){
  if (!/^https?:$/.test(location.protocol)) return;
  var abs = new URL(t.dataset.rel, location.href).href;
  t.value = t.value.split('src="' + t.dataset.rel + '"').join('src="' + abs + '"');
});
document.querySelectorAll('button[data-copy]').forEach(function(b){
  b.addEventListener('click', function(){
    var t = document.getElementById(b.dataset.copy), note = b.nextElementSibling;
    function done(){
      note.textContent = 'Copied';
      setTimeout(function(){ note.textContent = ''; }, 1500);
    }
    function fallback(){ t.select(); document.execCommand('copy'); done(); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(t.value).then(done, fallback);
    } else { fallback(); }
  });
});
"""


def gallery_html(
    ds: Dataset,
    charts: list[Chart],
    figures: Mapping[str, go.Figure],
    out_dir: Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    offline: bool = False,
) -> str:
    """index.html: every chart with a preview, its files and copy-paste embed codes."""
    e = html.escape
    cards = []
    for chart in charts:
        fig = figures[chart.name]
        meta = fig.layout.meta or {}
        height = int(fig.layout.height or 600)
        title = str(meta.get("title") or chart.label)
        n = chart.name
        if (out_dir / f"{n}.png").exists():
            preview = (
                f'<img class="preview" src="{e(n)}.png" width="{ARTICLE_WIDTH}" '
                f'alt="{e(title)}" aria-describedby="{e(n)}-desc">'
            )
        else:
            preview = (
                f'<iframe class="preview" src="{e(n)}.html" title="{e(title)}" '
                f'style="height:{height}px;border:0" loading="lazy"></iframe>'
            )
        kinds = [
            ("HTML", f"{n}.html"),
            ("PNG", f"{n}.png"),
            ("Social card PNG", f"{n}-social.png"),
            ("SVG", f"{n}.svg"),
            ("CSV data", f"{n}.csv"),
        ]
        links = " ".join(
            f'<a href="{e(href)}" download>{e(label)}</a>'
            for label, href in kinds
            if (out_dir / href).exists()
        )
        hosted = iframe_code(f"{n}.html", title, height)
        app = iframe_snippet(base_url, chart.page, chart.selection, title, height + 60)
        cards.append(
            f"""<section class="card" id="{e(n)}">
<h2>{e(chart.label)}</h2>
<p class="desc"><code>{e(n)}</code> · {e(title)} ·
app page <a href="{e(embed_url(base_url, chart.page, chart.selection))}">{e(chart.page)}</a></p>
{preview}
<p class="desc" id="{e(n)}-desc">{e(str(meta.get("summary", "")))}</p>
<p class="files">{links}</p>
<div class="code"><label for="{e(n)}-hosted">Embed code: these files, hosted on your site</label>
<textarea id="{e(n)}-hosted" data-rel="{e(n)}.html" readonly>{e(hosted)}</textarea>
<button type="button" data-copy="{e(n)}-hosted">Copy embed code</button><span class="copied"
 aria-live="polite"></span></div>
<div class="code"><label for="{e(n)}-app">Embed code: live app (updates with the data)</label>
<textarea id="{e(n)}-app" readonly>{e(app)}</textarea>
<button type="button" data-copy="{e(n)}-app">Copy embed code</button><span class="copied"
 aria-live="polite"></span></div>
</section>"""
        )
    mode = "plotly.js inlined (works offline)" if offline else "plotly.js from its CDN"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Embeds: {e(theme.ISSUE_TITLE)}</title>
<style>{_GALLERY_CSS}</style>
</head>
<body>
<h1>Charts to embed</h1>
<p class="lead">{e(theme.ISSUE_TITLE)} · data version {e(ds.version)}, sources checked
{ds.last_updated:%d %B %Y} · {len(charts)} charts · HTML pages with {e(mode)} ·
{e(theme.CREDIT)}</p>
{"".join(cards)}
<script>{_GALLERY_JS}</script>
</body>
</html>
"""


# ---------------------------------------------------------------- command line


def report(result: ExportResult, out: Callable[[str], None] = print) -> None:
    """Per-figure times and the wall time."""
    out("chart                 build   html    csv  images  total (s)")
    for name, t in result.times.items():
        out(f"{name:<20} {t.build:6.2f} {t.html:6.2f} {t.csv:6.2f} {t.images:7.2f} {t.total:6.2f}")
    if result.browser_start:
        out(f"browser start: {result.browser_start:.2f} s (once for all images)")
    out(f"{len(result.files)} files in {result.out_dir} · wall time {result.wall:.2f} s")


def cli(args: Any) -> int:
    """The ``export`` sub-command (argparse namespace from dashlib.__main__)."""
    from dashlib.data.dataset import load
    from dashlib.data.problems import DataError

    try:
        data_dir = paths.data_dir(args.data)
    except paths.ProjectNotFound as err:
        print(f"export: {err}", file=sys.stderr)
        return EXIT_USAGE
    if not data_dir.is_dir():
        print(f"export: {data_dir}: no such data folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        ds = load(data_dir)
    except DataError as err:
        for problem in err.problems[:20]:
            print(problem, file=sys.stderr)
        print(
            f"export: {len(err.problems)} problem(s) in {data_dir}; "
            f"run `python -m dashlib validate {data_dir}`",
            file=sys.stderr,
        )
        return EXIT_DATA
    params = {
        "country": args.country,
        "from": args.date_from,
        "to": args.date_to,
        "date": args.date,
        "kind": args.kind,
    }
    try:
        selection = parse_selection(ds, {k: v for k, v in params.items() if v})
    except SelectionError as err:
        print(f"export: {err}", file=sys.stderr)
        return EXIT_USAGE
    result = run_export(
        ds,
        Path(args.out_dir),
        selection,
        offline=args.offline,
        images=not args.no_images,
        base_url=args.base_url,
    )
    report(result)
    if result.image_error:
        print(f"export: {result.image_error}", file=sys.stderr)
    return result.exit_code
