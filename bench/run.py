"""``make bench``: the dashboard against a bare Streamlit page, at scale, and its exports.

    .venv/bin/python -m bench.run [--quick] [--out DIR]

Writes ``DIR/results.json`` and ``DIR/RESULTS.md`` (default: bench/). Every timing is a median
and every figure that has a target is a ratio against a baseline measured in the same run, on
the same machine, one part after the other (this is a shared 2-core machine: absolute numbers
are noisy, ratios much less). Each part has a time budget so the whole run stays under 10
minutes; a measurement cut off by its budget is reported as a lower bound (``>``), never
dropped. ``--quick`` (the smoke test) runs one iteration on small generated data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import throttled  # noqa: E402
from tools.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    start_app,
)
from tools.generate import generate, plant_problems  # noqa: E402

PY = sys.executable
DATA = REPO / "data"
CHART = '[data-testid="stPlotlyChart"] .main-svg'
GEO_PATHS = (
    '[data-testid="stPlotlyChart"] .geolayer path, '
    '[data-testid="stPlotlyChart"] .choroplethlocation'
)
SOURCES_TABLE = '[data-testid="stMain"] [data-testid="stDataFrame"]'
QUOTE_CARD_JS = """() => Array.from(document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stVerticalBlock"]'))
    .some(e => parseFloat(getComputedStyle(e).borderTopWidth) > 0
               && e.querySelector('[data-testid="stMarkdown"]'))"""
# What the chart currently draws: per trace its type and number of points (plotly's own
# computed data, so it changes only once plotly has taken the new figure).
SIGNATURE_JS = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  if (!gd || !gd._fullData || !gd.querySelector('.main-svg')) return null;
  return gd._fullData.map(t => t.type + ':'
    + (t._length ?? (t.locations || t.lon || t.x || []).length)).join('|');
}"""
DESKTOP = {"width": 1280, "height": 900}
# url path -> what "drawn" means. Overview is Streamlit's default page, served at "/".
TARGETS = {
    "bare": ("/", "chart"),
    "overview": ("/", "geo"),
    "map": ("/map", "geo"),
    "timeline": ("/timeline", "chart"),
    "excerpts": ("/excerpts", "card"),
    "about": ("/about", "table"),
}
PAGES = ["overview", "map", "timeline", "excerpts", "about"]
FILTER_COUNTRIES = ["Georgia", "Armenia", "Moldova", "Belarus", "Ukraine"]

# Every figure results.json must carry (checked by tests/test_bench_smoke.py).
FIGURE_KEYS = [
    "machine",
    "time_to_chart.bare",
    *[f"time_to_chart.pages.{p}" for p in PAGES],
    "filter_redraw.bare",
    "filter_redraw.pages.map",
    "filter_redraw.pages.timeline",
    *[f"scale.rerun.{size}.{p}" for size in ("shipped", "10k", "100k") for p in PAGES],
    *[f"scale.ratio_100k.{p}" for p in PAGES],
    "scale.load_seconds",
    "scale.browser_100k.bare",
    *[f"scale.browser_100k.pages.{p}" for p in PAGES],
    "validation.dashlib",
    "validation.frictionless",
    "validation.speedup",
    "validation.planted",
    "embed_weight.map",
    "embed_weight.timeline",
    "export.wall_seconds",
    "export.charts",
    "memory.shipped",
    "memory.100k",
    *throttled.FIGURE_KEYS,
    "targets",
]

T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[bench {time.perf_counter() - T0:6.1f}s] {msg}", flush=True)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def stat(samples: list[float], lower_bound: float | None = None, note: str = "") -> dict[str, Any]:
    """A measured figure: its samples and median; ``lower_bound`` when it was cut off."""
    out: dict[str, Any] = {"median": median(samples), "samples": [round(s, 4) for s in samples]}
    if lower_bound is not None and not samples:
        out["lower_bound"] = round(lower_bound, 2)
    if note:
        out["note"] = note
    return out


def value(fig: dict[str, Any] | None) -> float | None:
    if not fig:
        return None
    return fig.get("median")


def ratio(fig: dict[str, Any] | None, base: dict[str, Any] | None) -> dict[str, Any]:
    """page / baseline; ``> x`` when the page was cut off by its budget."""
    b = value(base)
    if not b or not fig:
        return {"value": None}
    if fig.get("median") is not None:
        return {"value": round(fig["median"] / b, 3)}
    if fig.get("lower_bound") is not None:
        return {"value": None, "lower_bound": round(fig["lower_bound"] / b, 2)}
    return {"value": None}


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    import plotly
    import streamlit

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    chromium = ""
    try:
        chromium = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "ram_gb": round(ram / 2**30, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "chromium": chromium,
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": _git_head(),
    }


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "app.py", "pages"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return out + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.TimeoutExpired):
        return ""


# --------------------------------------------------------------------------- servers


def start_server(script: str, data_dir: Path, log_path: Path, timeout: float = 60) -> AppServer:
    """``streamlit run SCRIPT`` on a free 127.0.0.1 port (tools.browser.start_app)."""
    return start_app(data_dir, log_path, timeout=timeout, script=script)


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (VmRSS from /proc)."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat_file.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo += children.get(p, [])
    return total


# --------------------------------------------------------------------------- browser


@dataclass
class Browser:
    pw: Any
    chromium: Any

    def context(self) -> Any:
        return self.chromium.new_context(viewport=DESKTOP)


def wait_drawn(page: Any, kind: str, timeout_ms: float) -> None:
    if kind in ("chart", "geo"):
        page.locator(CHART).first.wait_for(state="visible", timeout=timeout_ms)
        if kind == "geo":  # plotly draws the base map once the topojson has arrived
            page.locator(GEO_PATHS).first.wait_for(state="attached", timeout=timeout_ms)
    elif kind == "card":
        page.wait_for_function(QUOTE_CARD_JS, polling="raf", timeout=timeout_ms)
    else:
        page.locator(SOURCES_TABLE).first.wait_for(state="visible", timeout=timeout_ms)


def time_to_chart(br: Browser, url: str, kind: str, timeout_s: float) -> float | None:
    """Fresh context: seconds from navigation to the page's chart drawn (None: timed out)."""
    ctx = br.context()
    try:
        page = ctx.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        try:
            wait_drawn(page, kind, max(1.0, timeout_s - (time.perf_counter() - started)) * 1000)
        except Exception:  # noqa: BLE001 - playwright TimeoutError: reported as a bound
            return None
        return time.perf_counter() - started
    finally:
        ctx.close()


def run_ttc(
    br: Browser,
    urls: dict[str, str],
    names: list[str],
    iterations: int,
    timeout_s: float,
    budget_s: float,
) -> dict[str, dict[str, Any]]:
    """Round-robin over targets, ``iterations`` times, each in a fresh context."""
    samples: dict[str, list[float]] = {n: [] for n in names}
    bounds: dict[str, float] = {}
    deadline = time.perf_counter() + budget_s
    for i in range(iterations):
        for name in names:
            if time.perf_counter() > deadline or name in bounds:
                continue
            path, kind = TARGETS[name]
            seconds = time_to_chart(br, urls[name] + path, kind, timeout_s)
            if seconds is None:
                bounds[name] = timeout_s
                log(f"  {name}: not drawn within {timeout_s:.0f} s")
            else:
                samples[name].append(seconds)
        log(f"  iteration {i + 1}: " + ", ".join(
            f"{n} {samples[n][-1]:.2f}" for n in names if samples[n]
        ))  # fmt: skip
    out = {}
    for n in names:
        note = "" if samples[n] or n in bounds else "not measured (budget)"
        out[n] = stat(samples[n], bounds.get(n), note)
    return out


def wait_idle(page: Any, timeout_ms: float = 30_000) -> None:
    """Until Streamlit shows no running script (its status widget is gone)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""",
        polling=100,
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def filter_redraw(br: Browser, url: str, kind: str, iterations: int) -> dict[str, Any]:
    """Warm tab: pick a country in the sidebar's Countries multiselect (keyboard), time until
    the chart's drawn data changes; then remove it (Backspace) and time that redraw too."""
    ctx = br.context()
    samples: list[float] = []
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.goto(url, wait_until="commit")
        wait_drawn(page, kind, 60_000)
        wait_idle(page)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        for i in range(iterations):
            country = FILTER_COUNTRIES[i % len(FILTER_COUNTRIES)]
            for action in ("add", "remove"):
                try:
                    before = page.evaluate(SIGNATURE_JS)
                    box.locator("input").click()
                    if action == "add":
                        page.keyboard.type(country)
                        page.locator('[role="option"]').filter(has_text=country).first.wait_for(
                            state="visible", timeout=10_000
                        )
                        key = "Enter"
                    else:
                        key = "Backspace"
                    t = time.perf_counter()
                    page.keyboard.press(key)
                    page.wait_for_function(
                        f"s0 => {{ const s = ({SIGNATURE_JS})(); return s !== null && s !== s0; }}",
                        arg=before,
                        polling="raf",
                        timeout=30_000,
                    )
                    samples.append(time.perf_counter() - t)
                    page.keyboard.press("Escape")
                    wait_idle(page)
                except Exception as err:  # noqa: BLE001 - keep going, report it
                    errors.append(f"{action} {country}: {str(err).splitlines()[0][:200]}")
                    page.keyboard.press("Escape")
    finally:
        ctx.close()
    out = stat(samples)
    if errors:
        out["errors"] = errors
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_server_idle(pid: int, timeout_s: float = 60) -> None:
    """Until the server has used < 0.05 s of CPU over half a second (its script runs are done)."""
    deadline = time.perf_counter() + timeout_s
    last = cpu_seconds(pid)
    while time.perf_counter() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


def hold_sessions(br: Browser, url: str, count: int, timeout_s: float) -> tuple[list[Any], int]:
    """Open ``count`` reader sessions (one playwright context each) and keep them open.

    Two tabs at a time (the renderer and the server then use both cores). Each tab is frozen
    as soon as the server has answered on its websocket (the server has the rerun request and
    runs the page for that session whatever the tab does next): booting and drawing 20
    Streamlit frontends costs seconds of renderer CPU each on this machine, which is not what
    this part measures. The websocket, and so the server's session, stays open.
    """
    contexts: list[Any] = []
    connected = 0
    for start in range(0, count, 2):
        batch = []
        for _ in range(min(2, count - start)):
            ctx = br.context()
            contexts.append(ctx)
            page = ctx.new_page()
            answered: dict[str, bool] = {}

            def on_ws(ws: Any, answered: dict[str, bool] = answered) -> None:
                ws.on("framereceived", lambda _frame: answered.setdefault("yes", True))

            page.on("websocket", on_ws)
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            batch.append((ctx, page, answered))
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline and not all(a for _, _, a in batch):
            batch[0][1].wait_for_timeout(100)  # lets playwright deliver the events
        for ctx, page, answered in batch:
            if answered:
                ctx.new_cdp_session(page).send("Page.setWebLifecycleState", {"state": "frozen"})
                connected += 1
    return contexts, connected


def memory(br: Browser, server: AppServer, path: str, sessions: int) -> dict[str, Any]:
    """Server RSS after 1 reader session, then after ``sessions`` held open at once."""
    url = server.url + path
    pid = server.process.pid
    first, n1 = hold_sessions(br, url, 1, 30)
    wait_server_idle(pid)
    one = rss_bytes(pid)
    more, n = hold_sessions(br, url, sessions - 1, 30)
    wait_server_idle(pid)
    many = rss_bytes(pid)
    for ctx in first + more:
        ctx.close()
    return {
        "page": path,
        "sessions": sessions,
        "connected": n1 + n,
        "rss_1_mb": round(one / 2**20, 1),
        "rss_many_mb": round(many / 2**20, 1),
        "ratio": round(many / one, 3) if one else None,
        "per_extra_session_mb": round((many - one) / 2**20 / max(1, sessions - 1), 2),
    }


# --------------------------------------------------------------------------- AppTest scale


def apptest(
    data_dir: Path, runs: int, budget_s: float, wait: Callable[[], None] | None = None
) -> tuple[float | None, dict[str, dict[str, Any]]]:
    """Run bench/apptest_worker.py on ``data_dir``: (load seconds, per-page rerun figures)."""
    cmd = [PY, str(REPO / "bench" / "apptest_worker.py"), str(data_dir), "--runs", str(runs),
           "--budget", str(budget_s)] + (["--wait"] if wait else [])  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    load: float | None = None
    pages: dict[str, dict[str, Any]] = {}
    hard = time.perf_counter() + budget_s * 2 + 120
    try:
        for line in proc.stdout:
            msg = json.loads(line)
            if msg["event"] == "loaded":
                load = msg["seconds"]
                log(f"  AppTest {data_dir.name}: data loaded in {load:.1f} s")
                if wait:
                    wait()
                    proc.stdin.write("go\n")
                    proc.stdin.flush()
            elif msg["event"] == "page":
                pages[msg["page"]] = stat(msg["samples"])
                pages[msg["page"]]["new_view"] = stat(msg.get("new_view") or [])
                if msg.get("errors"):
                    pages[msg["page"]]["errors"] = msg["errors"][:3]
                log(
                    f"  AppTest {data_dir.name} /{msg['page']}: {median(msg['samples']):.3f} s, "
                    f"new view {median(msg.get('new_view') or [])} s"
                )
            elif msg["event"] == "timeout":
                waited = float(msg.get("waited") or 0)
                pages[msg["page"]] = stat(
                    msg["samples"], waited or None, f"cut off by the {budget_s:.0f} s budget"
                )
                log(f"  AppTest {data_dir.name} /{msg['page']}: > {waited:.1f} s (budget)")
            if msg["event"] in ("done", "timeout") or time.perf_counter() > hard:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if wait and load is None:  # the worker died before loading: still run the caller's part
        wait()
    for page in PAGES:
        pages.setdefault(page, stat([], None, "not reached within the budget"))
    return load, pages


# --------------------------------------------------------------------------- validation

_PROBLEM = re.compile(r"^([^:\s]+\.csv):(\d+):(\d+): (.*)$")


def validation(package: Path, budget_s: float) -> dict[str, Any]:
    planted = plant_problems(package)

    def timed(cmd: list[str]) -> tuple[float | None, str]:
        t = time.perf_counter()
        try:
            done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=budget_s)
        except subprocess.TimeoutExpired:
            return None, ""
        return time.perf_counter() - t, done.stdout

    log("  python -m dashlib validate …")
    dl_time, dl_out = timed([PY, "-m", "dashlib", "validate", str(package)])
    dl_found: dict[tuple[str, int], list[str]] = {}
    for line in dl_out.splitlines():
        m = _PROBLEM.match(line)
        if m:
            dl_found.setdefault((m[1], int(m[2])), []).append(m[4].split(" — ")[0])
    log(f"  dashlib: {_secs(dl_time)}, {len(dl_found)} rows flagged")
    frictionless = str(Path(PY).with_name("frictionless"))
    log("  frictionless validate …")
    fr_time, fr_out = timed([frictionless, "validate", "--json", str(package / "datapackage.json")])
    fr_found: dict[tuple[str, int], list[str]] = {}
    try:
        report = json.loads(fr_out)
        paths = {r["name"]: r["path"] for r in json.loads(
            (package / "datapackage.json").read_text())["resources"]}  # fmt: skip
        for task in report.get("tasks", []):
            name = task.get("name") or task.get("resource", {}).get("name", "")
            for err in task.get("errors", []):
                row = err.get("rowNumber")
                if row:
                    key = (paths.get(name, f"{name}.csv"), int(row))
                    fr_found.setdefault(key, []).append(err.get("type", ""))
    except (ValueError, KeyError):
        pass
    log(f"  frictionless: {_secs(fr_time)}, {len(fr_found)} rows flagged")
    rows = []
    for p in planted:
        rows.append({
            "problem": p.key,
            "label": p.label,
            "where": f"{p.file}:{p.line} ({p.field})",
            "dashlib": dl_found.get((p.file, p.line)) if dl_time is not None else None,
            "frictionless": fr_found.get((p.file, p.line)) if fr_time is not None else None,
        })  # fmt: skip
    speed = None
    bound = None
    if dl_time and fr_time:
        speed = round(fr_time / dl_time, 3)
    elif fr_time and dl_time is None:
        bound = round(fr_time / budget_s, 3)  # dashlib took longer than the budget
    both = all(r["dashlib"] and r["frictionless"] for r in rows)
    planted_keys = {(p.file, p.line) for p in planted}
    return {
        "rows": {t: _rows(package / f"{t}.csv") for t in ("deployments", "events")},
        "dashlib": stat([dl_time] if dl_time else [], budget_s if dl_time is None else None),
        "frictionless": stat([fr_time] if fr_time else [], budget_s if fr_time is None else None),
        "speedup": {"value": speed, **({"upper_bound": bound} if bound is not None else {})},
        "planted": rows,
        "same_problems_found": both,
        "other_rows_flagged": {
            "dashlib": len(set(dl_found) - planted_keys),
            "frictionless": len(set(fr_found) - planted_keys),
        },
    }  # fmt: skip


def _secs(seconds: float | None) -> str:
    return "over budget" if seconds is None else f"{seconds:.1f} s"


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


# --------------------------------------------------------------------------- embeds, export


def embed_weight(out: Path, exported: Path) -> dict[str, Any]:
    """Bytes of the standalone HTML (CDN, offline) and, from the export just run, PNG and SVG
    of the map and the timeline, against plotly's default ``write_html`` of the same figure."""
    import datetime as _dt

    from dashlib.data.dataset import load
    from dashlib.figures import build_map_figure, build_timeline_figure
    from dashlib.publish.pages import standalone_html
    from dashlib.query.selection import Selection

    ds = load(DATA)
    today = _dt.date.today()
    figs = {  # the export's "map" and "timeline" charts: the default selection
        "map": build_map_figure(ds, Selection(), today),
        "timeline": build_timeline_figure(ds, Selection(), today),
    }
    result: dict[str, Any] = {}
    for name, fig in figs.items():
        cdn = out / f"{name}-cdn.html"
        cdn.write_text(standalone_html(fig, offline=False), encoding="utf-8")
        offline = out / f"{name}-offline.html"
        offline.write_text(standalone_html(fig, offline=True), encoding="utf-8")
        default = out / f"{name}-plotly-default.html"
        fig.write_html(str(default))
        default_cdn = out / f"{name}-plotly-cdn.html"
        fig.write_html(str(default_cdn), include_plotlyjs="cdn")
        r = result[name] = {
            "cdn_html": cdn.stat().st_size,
            "offline_html": offline.stat().st_size,
            "plotly_default_html": default.stat().st_size,
            "plotly_cdn_html": default_cdn.stat().st_size,
        }
        for ext in ("png", "svg"):
            f = exported / f"{name}.{ext}"
            r[ext] = f.stat().st_size if f.exists() else None
        r["cdn_vs_default"] = round(r["cdn_html"] / r["plotly_default_html"], 4)
        r["offline_vs_default"] = round(r["offline_html"] / r["plotly_default_html"], 4)
    return result


_EXPORT_ROW = re.compile(r"^(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$")


def export(out: Path, images: bool, budget_s: float) -> dict[str, Any]:
    cmd = [PY, "-m", "dashlib", "export", str(out)] + ([] if images else ["--no-images"])
    t = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=budget_s)
    except subprocess.TimeoutExpired:
        return {"wall_seconds": None, "lower_bound": budget_s, "charts": {}}
    wall = time.perf_counter() - t
    charts = {}
    internal = browser = None
    for line in done.stdout.splitlines():
        m = _EXPORT_ROW.match(line.strip())
        if m:
            charts[m[1]] = dict(zip(("build", "html", "csv", "images", "total"),
                                    map(float, m.groups()[1:]), strict=True))  # fmt: skip
        if "browser start:" in line:
            browser = float(line.split(":")[1].split()[0])
        if "wall time" in line:
            internal = float(line.rsplit("wall time", 1)[1].split()[0])
    return {
        "wall_seconds": round(wall, 2),
        "internal_wall_seconds": internal,
        "browser_start_seconds": browser,
        "images": images,
        "exit_code": done.returncode,
        "charts": charts,
        "stderr": done.stderr.strip()[-500:],
    }


# --------------------------------------------------------------------------- the run


@dataclass
class Plan:
    quick: bool
    iterations: int
    filter_iterations: int
    sizes: dict[str, int]
    sessions: int
    apptest_runs: dict[str, int]
    apptest_budget: dict[str, float]
    scale_iterations: int
    validate_budget: float
    export_images: bool


def plan(quick: bool) -> Plan:
    if quick:
        return Plan(True, 1, 1, {"10k": 200, "100k": 1000}, 2, {"shipped": 1, "10k": 1, "100k": 1},
                    {"shipped": 120, "10k": 120, "100k": 120}, 1, 120, False)  # fmt: skip
    return Plan(
        quick=False,
        iterations=5,
        filter_iterations=3,
        sizes={"10k": 10_000, "100k": 100_000},
        sessions=20,
        apptest_runs={"shipped": 3, "10k": 3, "100k": 3},
        apptest_budget={"shipped": 60, "10k": 60, "100k": 60},
        scale_iterations=3,
        validate_budget=150,
        export_images=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one iteration, small data")
    parser.add_argument("--out", default=str(REPO / "bench"), help="where results go")
    args = parser.parse_args(argv)
    p = plan(args.quick)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="dashlib-bench-"))
    res: dict[str, Any] = {"quick": p.quick, "machine": machine_info()}
    log(f"machine: {res['machine']['cpus']} CPU {res['machine']['cpu_model']}, "
        f"{res['machine']['ram_gb']} GB; work dir {work}")  # fmt: skip
    servers: list[AppServer] = []
    try:
        from playwright.sync_api import sync_playwright

        from dashlib.data.dataset import check

        log("generating data …")
        gen = {
            name: generate(work / f"data-{name}", n) for name, n in p.sizes.items()
        }  # fmt: skip
        for folder in gen.values():
            # A generated package that does not validate shows the app's problem page, and
            # every "time to chart" would wait for a chart that never comes: stop here instead.
            problems = check(folder)
            if problems:
                raise SystemExit(f"bench: generated {folder} does not validate: {problems[0]}")
        with sync_playwright() as pw:
            br = Browser(pw, pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS))
            res.update(_browser_shipped(br, p, work, servers))
            res["scale"] = _scale(br, p, work, gen, servers, res)
            br.chromium.close()
        log("4. validation: dashlib vs frictionless on the planted 100k package …")
        bad = work / "data-100k-planted"
        shutil.copytree(gen["100k"], bad)
        res["validation"] = validation(bad, p.validate_budget)
        shutil.rmtree(bad, ignore_errors=True)
        log("6. export …")
        res["export"] = export(work / "export", p.export_images, 240)
        log(f"  export wall {res['export']['wall_seconds']} s")
        log("5. embed weight …")
        (work / "embed").mkdir()
        res["embed_weight"] = embed_weight(work / "embed", work / "export")
        log(f"  map CDN embed {res['embed_weight']['map']['cdn_html'] / 1024:.0f} KB")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    res["wall_seconds"] = round(time.perf_counter() - T0, 1)
    res["targets"] = targets(res)
    (out / "results.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    # Readers at scale (1 process vs 2 replicas behind HAProxy) are measured by
    # `python -m bench.loadtest_matrix` into bench/LOADTEST.md; RESULTS.md carries them too.
    loadtest = Path(__file__).parent / "LOADTEST.md"
    extra = ""
    if loadtest.exists():
        extra = "\n" + loadtest.read_text(encoding="utf-8").replace("# Load", "## Load", 1)
    (out / "RESULTS.md").write_text(markdown(res) + extra, encoding="utf-8")
    log(f"done in {res['wall_seconds']:.0f} s: {out / 'results.json'}, {out / 'RESULTS.md'}")
    for t in res["targets"]:
        mark = "ok  " if t["met"] else "MISS" if t["met"] is False else "?   "
        log(f"  {mark} {t['target']}: {t['measured']}")
    return 0


def _browser_shipped(br: Browser, p: Plan, work: Path, servers: list[AppServer]) -> dict[str, Any]:
    log("starting the bare page and the dashboard (shipped data) …")
    bare = start_server("bench/bare_app.py", DATA, work / "bare.log")
    app = start_server("serve_app.py", DATA, work / "app.log")  # what readers get
    app.wait_for_previews()
    servers += [bare, app]
    log(f"7a. memory, shipped data: 1 then {p.sessions} sessions on /map …")
    # The first visit is "/" (the router runs once: see dashlib.ui.page.ensure_router).
    time_to_chart(br, app.url + "/", "geo", 90)
    mem = memory(br, app, "/map", p.sessions)
    log(f"  RSS {mem['rss_1_mb']} MB → {mem['rss_many_mb']} MB (×{mem['ratio']})")
    time_to_chart(br, bare.url + "/", "chart", 60)  # warm-up, not counted
    log(f"1. time to chart, {p.iterations} fresh contexts per page …")
    urls = {n: (bare.url if n == "bare" else app.url) for n in TARGETS}
    ttc = run_ttc(br, urls, list(TARGETS), p.iterations, 60, 240)
    time_to_chart_res = {
        "bare": ttc["bare"],
        "pages": {n: {**ttc[n], "ratio": ratio(ttc[n], ttc["bare"])} for n in PAGES},
    }
    log(f"1b. first chart on a {throttled.RATE}× throttled CPU (phone size) …")
    thr = throttled.measure(br.chromium, bare.url, app.url, max(1, p.iterations - 1))
    log(f"2. filter → redraw, warm tab, {p.filter_iterations}× (add + remove a country) …")
    fb = filter_redraw(br, bare.url + "/", "chart", p.filter_iterations)
    fpages = {}
    for name in ("map", "timeline"):
        path, kind = TARGETS[name]
        fpages[name] = filter_redraw(br, app.url + path, kind, p.filter_iterations)
        fpages[name]["ratio"] = ratio(fpages[name], fb)
        log(f"  {name}: {value(fpages[name])} s vs bare {value(fb)} s")
    bare.stop()
    app.stop()
    return {
        "time_to_chart": time_to_chart_res,
        "throttled": thr,
        "filter_redraw": {"bare": fb, "pages": fpages, "interaction": "Countries multiselect: "
                          "type a name + Enter, then Backspace; until plotly's _fullData changes"},
        "memory": {"shipped": mem},
    }  # fmt: skip


def _scale(
    br: Browser,
    p: Plan,
    work: Path,
    gen: dict[str, Path],
    servers: list[AppServer],
    res: dict[str, Any],
) -> dict[str, Any]:
    rerun: dict[str, dict[str, Any]] = {}
    loads: dict[str, float | None] = {}
    for size, folder in (("shipped", DATA), ("10k", gen["10k"])):
        log(f"3. AppTest rerun cost, {size} …")
        loads[size], rerun[size] = apptest(folder, p.apptest_runs[size], p.apptest_budget[size])

    log("3/7b. 100k: dashboard server and AppTest load the data side by side (not timed) …")
    big = start_server("serve_app.py", gen["100k"], work / "app-100k.log")
    big.wait_for_previews()
    bare = start_server("bench/bare_app.py", DATA, work / "bare-100k.log")
    servers += [big, bare]
    ctx = br.context()
    first = ctx.new_page()
    started = time.perf_counter()
    first.goto(big.url + "/about", wait_until="commit")
    cold: dict[str, Any] = {}

    def server_loaded() -> None:
        try:
            wait_drawn(first, "table", 400_000)
            cold["seconds"] = round(time.perf_counter() - started, 1)
        except Exception:  # noqa: BLE001
            cold["seconds"] = None
        log(f"  dashboard server: first /about at 100k drawn after {cold['seconds']} s (cold)")
        ctx.close()
        # 7b. memory at 100k (the dataset must be shared between sessions)
        log(f"7b. memory at 100k: 1 then {p.sessions} sessions on /map …")
        res.setdefault("memory", {})["100k"] = memory(br, big, "/map", p.sessions)
        m = res["memory"]["100k"]
        log(f"  RSS {m['rss_1_mb']} MB → {m['rss_many_mb']} MB (×{m['ratio']})")

    loads["100k"], rerun["100k"] = apptest(
        gen["100k"], p.apptest_runs["100k"], p.apptest_budget["100k"], wait=server_loaded
    )
    log("3. browser time to chart at 100k …")
    urls = {n: (bare.url if n == "bare" else big.url) for n in TARGETS}
    ttc = run_ttc(br, urls, list(TARGETS), p.scale_iterations, 60, 150)
    big.stop()
    bare.stop()
    ratios = {pg: ratio(rerun["100k"].get(pg), rerun["shipped"].get(pg)) for pg in PAGES}
    ratios_new = {
        pg: ratio(
            rerun["100k"].get(pg, {}).get("new_view"), rerun["shipped"].get(pg, {}).get("new_view")
        )
        for pg in PAGES
    }
    return {
        "sizes": {"shipped": "data/ as committed", **{k: f"data/ + {v} deployments + {v} events"
                                                      for k, v in p.sizes.items()}},
        "rerun": rerun,
        "ratio_100k": ratios,
        "ratio_100k_new_view": ratios_new,
        "load_seconds": {k: (round(v, 2) if v else v) for k, v in loads.items()},
        "cold_first_visit_100k_seconds": cold.get("seconds"),
        "browser_100k": {
            "bare": ttc["bare"],
            "pages": {n: {**ttc[n], "ratio": ratio(ttc[n], ttc["bare"])} for n in PAGES},
        },
    }  # fmt: skip


# --------------------------------------------------------------------------- report


def _r(fig: dict[str, Any] | None) -> float | None:
    """A ratio's value, or its lower bound (cut off: at least this)."""
    if not fig:
        return None
    return fig.get("value") if fig.get("value") is not None else fig.get("lower_bound")


def _fmt_ratio(fig: dict[str, Any] | None) -> str:
    if not fig:
        return "–"
    if fig.get("value") is not None:
        return f"{fig['value']:.2f}×"
    if fig.get("lower_bound") is not None:
        return f"> {fig['lower_bound']:.1f}×"
    return "–"


def _fmt_s(fig: dict[str, Any] | None) -> str:
    if not fig:
        return "–"
    if fig.get("median") is not None:
        return f"{fig['median']:.3f} s" if fig["median"] < 1 else f"{fig['median']:.2f} s"
    if fig.get("lower_bound") is not None:
        return f"> {fig['lower_bound']:.0f} s"
    return "– " + fig.get("note", "")


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    out = []

    def add(target: str, measured: str, met: bool | None) -> None:
        out.append({"target": target, "measured": measured, "met": met})

    for page, fig in res["time_to_chart"]["pages"].items():
        r = fig["ratio"]
        add(f"time to chart /{page} ≤ 1.3 × bare", _fmt_ratio(r), _check(r, 1.3))
    for page, fig in res["filter_redraw"]["pages"].items():
        add(f"filter → redraw /{page} ≤ 1.5 × bare", _fmt_ratio(fig["ratio"]),
            _check(fig["ratio"], 1.5))  # fmt: skip
    for page, r in res["scale"]["ratio_100k"].items():
        add(f"rerun cost /{page} at 100k ≤ 2 × shipped (same view)", _fmt_ratio(r),
            _check(r, 2.0))  # fmt: skip
    for page, r in res["scale"].get("ratio_100k_new_view", {}).items():
        add(f"rerun cost /{page} at 100k ≤ 2 × shipped (new view)", _fmt_ratio(r),
            _check(r, 2.0))  # fmt: skip
    for page, fig in res["scale"]["browser_100k"]["pages"].items():
        add(f"time to chart /{page} at 100k ≤ 1.5 × bare", _fmt_ratio(fig["ratio"]),
            _check(fig["ratio"], 1.5))  # fmt: skip
    v = res["validation"]
    sp = v["speedup"]
    speed = sp.get("value")
    if speed is None and sp.get("upper_bound") is not None:
        add("validation ≥ 10 × faster than frictionless",
            f"< {sp['upper_bound']:.2f}× (dashlib over budget)", False)  # fmt: skip
    else:
        add("validation ≥ 10 × faster than frictionless",
            f"{speed:.2f}×" if speed else "–", None if speed is None else speed >= 10)  # fmt: skip
    add("validation finds the same planted problems", str(v["same_problems_found"]),
        v["same_problems_found"])  # fmt: skip
    kb = res["embed_weight"]["map"]["cdn_html"] / 1024
    add("CDN map embed ≤ 150 KB", f"{kb:.0f} KB", kb <= 150)
    for size, m in res["memory"].items():
        add(f"memory {m['sessions']} sessions ≤ 1.5 × 1 session ({size}, {m['page']})",
            f"{m['ratio']:.2f}×" if m.get("ratio") else "–",
            None if not m.get("ratio") else m["ratio"] <= 1.5)  # fmt: skip
    out += throttled.targets(res)
    return out


def _check(r: dict[str, Any] | None, limit: float) -> bool | None:
    if not r:
        return None
    if r.get("value") is not None:
        return bool(r["value"] <= limit)
    if r.get("lower_bound") is not None and r["lower_bound"] > limit:
        return False
    return None


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    L: list[str] = []
    L += [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/run.py`); do not edit by hand. "
        + ("**Quick mode** (smoke test): one iteration, small data. " if res["quick"] else "")
        + "Timings are medians; every target is a ratio against a baseline measured in the "
        "same run. `> x` means the measurement was cut off by its time budget (a lower bound).",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM · Python "
        f"{m['python']} · Streamlit {m['streamlit']} · plotly {m['plotly']} · {m['chromium']} · "
        f"{m['date']} · code {m['git']} · whole run {res['wall_seconds']:.0f} s.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for t in res["targets"]:
        mark = "met" if t["met"] else ("**missed**" if t["met"] is False else "not measured")
        L.append(f"| {t['target']} | {t['measured']} | {mark} |")
    ttc = res["time_to_chart"]
    L += ["", "## 1. Time to chart (fresh browser context, navigation → chart drawn)", "",
          "| page | median | samples (s) | ratio to bare |", "|---|---|---|---|",
          f"| bare page | {_fmt_s(ttc['bare'])} | {_samples(ttc['bare'])} | 1.00× |"]  # fmt: skip
    for page, fig in ttc["pages"].items():
        L.append(f"| /{page} | {_fmt_s(fig)} | {_samples(fig)} | {_fmt_ratio(fig['ratio'])} |")
    L += ["", "Drawn means: `stPlotlyChart .main-svg` visible (overview, map: and the base-map "
          "paths drawn); /excerpts the first quote card; /about the sources table."]  # fmt: skip
    fr = res["filter_redraw"]
    L += ["", "## 2. Filter → redraw (warm tab)", "", fr["interaction"] + ".", "",
          "| page | median | samples (s) | ratio to bare |", "|---|---|---|---|",
          f"| bare page | {_fmt_s(fr['bare'])} | {_samples(fr['bare'])} | 1.00× |"]  # fmt: skip
    for page, fig in fr["pages"].items():
        L.append(f"| /{page} | {_fmt_s(fig)} | {_samples(fig)} | {_fmt_ratio(fig['ratio'])} |")
    sc = res["scale"]
    L += ["", "## 3. Scale", "", "Server-side cost of one rerun (AppTest `at.run()` with the "
          "dataset already in `st.cache_resource`): median seconds. *Same view*: the page "
          "rerun as it is (what a reader's click elsewhere costs; its figure is shared per "
          "view, see `dashlib/ui/charts.py`). *New view*: each run filtered to a country not "
          "shown before, so nothing built for another view is reused (what a new filter "
          "costs).", "",
          "| page | shipped | 10k | 100k | 100k / shipped | new view: shipped | 10k | 100k | "
          "100k / shipped |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for page in PAGES:
        cells = [_fmt_s(sc["rerun"][s].get(page)) for s in ("shipped", "10k", "100k")]
        new = [
            _fmt_s(sc["rerun"][s].get(page, {}).get("new_view")) for s in ("shipped", "10k", "100k")
        ]
        new_ratio = _fmt_ratio(sc.get("ratio_100k_new_view", {}).get(page))
        L.append(f"| /{page} | " + " | ".join(cells) + f" | {_fmt_ratio(sc['ratio_100k'][page])} | "
                 + " | ".join(new) + f" | {new_ratio} |")  # fmt: skip
    ld = sc["load_seconds"]
    L += ["", "Sizes: " + "; ".join(f"{k}: {v}" for k, v in sc["sizes"].items()) + ".",
          f"First run (load + validate the data, not cached yet): shipped {ld.get('shipped')} s, "
          f"10k {ld.get('10k')} s, 100k {ld.get('100k')} s. The dashboard server's first "
          f"/about at 100k drew after {sc.get('cold_first_visit_100k_seconds')} s.", "",
          "Browser time to chart at 100k rows (fresh contexts, one page at a time; a page's "
          "first sample includes building its default view):", "",
          "| page | median | samples (s) | ratio to bare |", "|---|---|---|---|",
          f"| bare page | {_fmt_s(sc['browser_100k']['bare'])} | "
          f"{_samples(sc['browser_100k']['bare'])} | 1.00× |"]  # fmt: skip
    for page, fig in sc["browser_100k"]["pages"].items():
        L.append(f"| /{page} | {_fmt_s(fig)} | {_samples(fig)} | {_fmt_ratio(fig['ratio'])} |")
    v = res["validation"]
    L += ["", "## 4. Validation (generated package with planted problems)", "",
          f"{v['rows']['deployments']} deployments, {v['rows']['events']} events. "
          f"`python -m dashlib validate`: {_fmt_s(v['dashlib'])}; `frictionless validate`: "
          f"{_fmt_s(v['frictionless'])}; dashlib is "
          + (f"{v['speedup']['value']:.2f}× as fast" if v["speedup"].get("value") else
             f"under {v['speedup'].get('upper_bound')}× as fast (cut off)") + ".", "",
          "| planted problem | where | dashlib | frictionless |", "|---|---|---|---|"]  # fmt: skip
    for row in v["planted"]:
        L.append(f"| {row['label']} | {row['where']} | {_found(row['dashlib'])} | "
                 f"{_found(row['frictionless'])} |")  # fmt: skip
    L += ["", f"Other rows flagged (consequences of the planted ones or none): "
          f"dashlib {v['other_rows_flagged']['dashlib']}, frictionless "
          f"{v['other_rows_flagged']['frictionless']}."]  # fmt: skip
    e = res["embed_weight"]
    L += [
        "",
        "## 5. Embed weight (bytes, shipped data)",
        "",
        "| chart | CDN HTML | offline HTML | PNG (800 px, 2×) | SVG | plotly default "
        "`write_html` | default with `include_plotlyjs='cdn'` |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("map", "timeline"):
        r = e[name]
        L.append(f"| {name} | {_kb(r['cdn_html'])} ({r['cdn_vs_default']:.1%} of default) | "
                 f"{_kb(r['offline_html'])} | {_kb(r['png'])} | {_kb(r['svg'])} | "
                 f"{_kb(r['plotly_default_html'])} | {_kb(r['plotly_cdn_html'])} |")  # fmt: skip
    x = res["export"]
    L += [
        "",
        "## 6. Export (`python -m dashlib export`, shipped data)",
        "",
        f"Wall time {x.get('wall_seconds')} s (process, including start-up and data load); "
        f"internal {x.get('internal_wall_seconds')} s; browser start "
        f"{x.get('browser_start_seconds')} s; images {'on' if x.get('images') else 'off'}.",
        "",
        "| chart | build | html | csv | images | total (s) |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in x.get("charts", {}).items():
        L.append(f"| {name} | {t['build']:.2f} | {t['html']:.2f} | {t['csv']:.2f} | "
                 f"{t['images']:.2f} | {t['total']:.2f} |")  # fmt: skip
    L += ["", "## 7. Memory (server RSS including child processes, /proc VmRSS)", "",
          "| data | page | 1 session | N sessions | ratio | per extra session |",
          "|---|---|---|---|---|---|"]  # fmt: skip
    for size, mm in res["memory"].items():
        L.append(f"| {size} | {mm['page']} | {mm['rss_1_mb']} MB | {mm['sessions']}: "
                 f"{mm['rss_many_mb']} MB ({mm['connected']} connected) | {mm['ratio']}× | "
                 f"{mm['per_extra_session_mb']} MB |")  # fmt: skip
    for size, mm in res["memory"].items():
        if mm.get("note"):
            L += ["", f"{size}: {mm['note']}."]
    L += throttled.markdown(res)
    return "\n".join(L) + "\n"


def _samples(fig: dict[str, Any]) -> str:
    return ", ".join(f"{s:.2f}" for s in fig.get("samples", [])) or fig.get("note", "–")


def _found(items: list[str] | None) -> str:
    if items is None:
        return "not run to the end"
    return "found: " + "; ".join(sorted(set(items)))[:120] if items else "**missed**"


def _kb(n: int | None) -> str:
    return "–" if n is None else f"{n / 1024:,.0f} KB"


if __name__ == "__main__":
    sys.exit(main())
