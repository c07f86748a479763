"""Time to first chart on a phone-class CPU: Chromium's CPU throttled 4×, against the bare page.

Issue 16: on a 4× slower CPU the first chart of / and /map took 11.6–11.9 s while a bare
Streamlit page with one chart took 7.8 s. Target: each ≤ 1.2 × the bare page, measured the
same way in the same run. Each sample is a fresh browser context (no cache) at phone size
(375 × 812, touch), with ``Emulation.setCPUThrottlingRate {rate: 4}`` set over the DevTools
protocol before navigation; the clock runs from navigation to the chart drawn (for maps: the
base map's paths too).

Two phones: ``phone`` sends a phone browser's User-Agent (Chrome on Android: "Mobile"), as
every phone does, so the server draws the phone's map at once; ``narrow`` is a 375 px window
whose User-Agent says desktop (Playwright's default) on a first visit: the page's HTML sets
the width cookies before the app connects (``dashlib.viewport``), so it too gets the phone's
map on the first run (before that, it took the width probe's rerun). The target is checked
on ``phone``; ``narrow`` is reported beside it.

Each round loads the bare page, then each page; a page's ratio is the median over rounds of
its time over that round's bare page (the bare page drifts by more than a second within a
run, more than the differences measured); the ratio of the medians is reported beside it.

``bench/run.py`` calls :func:`measure` while its shipped-data servers run, then adds
:func:`targets` and :func:`markdown` to its report. Standalone::

    .venv/bin/python -m bench.throttled [--iterations 4]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tools.browser import CHROMIUM, CHROMIUM_ARGS, start_app  # noqa: E402

RATE = 4  # Chromium's CPU throttling factor: a mid-range phone against this machine
LIMIT = 1.2  # the target: ≤ 1.2 × the bare page
NARROW = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
# Chrome on Android's User-Agent (as in Playwright's "Pixel 5" descriptor): "Mobile" in it.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/159.0.8154.6 Mobile Safari/537.36"
)
PHONE = {**NARROW, "user_agent": PHONE_UA}
PROFILES: dict[str, dict[str, Any]] = {"phone": PHONE, "narrow": NARROW}
CHART = '[data-testid="stPlotlyChart"] .main-svg'
GEO_PATHS = (
    '[data-testid="stPlotlyChart"] .geolayer path, '
    '[data-testid="stPlotlyChart"] .choroplethlocation'
)
# name -> (server, path, what "drawn" means, profile)
TARGETS = {"bare": ("bare", "/", "chart", "phone"), "overview": ("app", "/", "geo", "phone"),
           "map": ("app", "/map", "geo", "phone"),
           "map_narrow": ("app", "/map", "geo", "narrow")}  # fmt: skip
PAGES = ["overview", "map", "map_narrow"]
CHECKED = ["overview", "map"]  # the target's pages (a phone's User-Agent)
FIGURE_KEYS = ["throttled.rate", "throttled.bare", *[f"throttled.pages.{p}" for p in PAGES]]


def time_to_chart(
    chromium: Any, url: str, kind: str, profile: str = "phone", timeout_s: float = 90
) -> float | None:
    """One fresh phone-sized context with the CPU throttled; seconds to the chart (None: cut)."""
    ctx = chromium.new_context(**PROFILES[profile])
    try:
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": RATE})
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        try:
            left = lambda: max(1.0, timeout_s - (time.perf_counter() - started)) * 1000  # noqa: E731
            page.locator(CHART).first.wait_for(state="visible", timeout=left())
            if kind == "geo":
                page.locator(GEO_PATHS).first.wait_for(state="attached", timeout=left())
        except Exception:  # noqa: BLE001 - playwright TimeoutError: a lower bound
            return None
        return time.perf_counter() - started
    finally:
        ctx.close()


def _stat(samples: list[float], bound: float | None) -> dict[str, Any]:
    if samples:
        return {
            "value": round(statistics.median(samples), 3),
            "samples": [round(s, 3) for s in samples],
        }
    return {"value": None, "lower_bound": bound, "samples": []}


def measure(
    chromium: Any, bare_url: str, app_url: str, iterations: int, budget_s: float = 300
) -> dict[str, Any]:
    """Round-robin over the bare page, / and /map, ``iterations`` times; medians and ratios.

    A run's bare page drifts by more than a second between rounds (6.5 to 7.9 s in one run),
    more than the differences measured. So each round's samples are compared with that
    round's bare page (``ratio``: the median of those paired ratios, the target's figure);
    ``ratio_of_medians`` is reported beside it."""
    urls = {"bare": bare_url, "app": app_url}
    for server, path, kind, profile in TARGETS.values():  # warm-up (server caches), not counted
        time_to_chart(chromium, urls[server] + path, kind, profile)
    rounds: list[dict[str, float]] = []
    bounds: dict[str, float] = {}
    deadline = time.perf_counter() + budget_s
    for _ in range(iterations):
        if time.perf_counter() > deadline:
            break
        got: dict[str, float] = {}
        for name, (server, path, kind, profile) in TARGETS.items():
            if name in bounds:
                continue
            seconds = time_to_chart(chromium, urls[server] + path, kind, profile)
            if seconds is None:
                bounds[name] = 90.0
            else:
                got[name] = seconds
        rounds.append(got)
    samples = {n: [r[n] for r in rounds if n in r] for n in TARGETS}
    bare = _stat(samples["bare"], bounds.get("bare"))
    pages = {}
    for name in PAGES:
        fig = _stat(samples[name], bounds.get(name))
        paired = [r[name] / r["bare"] for r in rounds if name in r and "bare" in r]
        ratio = round(statistics.median(paired), 3) if paired else None
        of_medians = None
        if fig["value"] is not None and bare["value"]:
            of_medians = round(fig["value"] / bare["value"], 3)
        pages[name] = {**fig, "ratio": ratio, "ratios": [round(x, 3) for x in paired],
                       "ratio_of_medians": of_medians}  # fmt: skip
    return {"rate": RATE, "viewport": PHONE["viewport"], "user_agent": PHONE_UA, "bare": bare,
            "pages": pages}  # fmt: skip


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for bench/run.py's target table."""
    out = []
    for name, fig in res.get("throttled", {}).get("pages", {}).items():
        if name not in CHECKED:
            continue
        ratio = fig.get("ratio")
        out.append(
            {
                "target": f"first chart /{'' if name == 'overview' else name} on a {RATE}× "
                f"throttled CPU ≤ {LIMIT} × bare",
                "measured": f"{ratio:.2f}×" if ratio is not None else "–",
                "met": None if ratio is None else ratio <= LIMIT,
            }
        )
    return out


def markdown(res: dict[str, Any]) -> list[str]:
    """The report's section (lines)."""
    t = res.get("throttled")
    if not t:
        return []
    lines = [
        "",
        f"## Phone-class CPU (Chromium CPU throttled {t['rate']}×, 375 × 812, fresh context)",
        "",
        "A phone's User-Agent (Chrome on Android) unless the row says otherwise; the narrow row is",
        "a 375 px window with a desktop User-Agent on a first visit.",
        "",
        "× bare is the median of each round's ratio to that round's bare page (the bare page",
        "drifts between rounds); the ratio of the medians is beside it.",
        "",
        "| page | first chart (s), median | × bare (paired) | rounds | ratio of medians |",
        "|---|---|---|---|---|",
        f"| bare Streamlit page | {t['bare']['value']} | 1 | {t['bare']['samples']} | 1 |",
    ]
    for name, fig in t["pages"].items():
        path = {"overview": "/", "map": "/map", "map_narrow": "/map, desktop User-Agent"}[name]
        lines.append(
            f"| {path} | {fig['value']} | {fig['ratio']} | {fig.get('ratios', '')} "
            f"| {fig.get('ratio_of_medians', '')} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=4)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="dashlib-throttled-"))
    bare = start_app(REPO / "data", work / "bare.log", script="bench/bare_app.py")
    app = start_app(REPO / "data", work / "app.log")  # serve_app.py: what readers get
    app.wait_for_previews()
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            res = measure(chromium, bare.url, app.url, args.iterations)
            chromium.close()
    finally:
        bare.stop()
        app.stop()
    print(json.dumps(res, indent=2))
    print("\n".join(markdown({"throttled": res})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
