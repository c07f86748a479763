"""Server-side cost of one rerun of each page, through Streamlit's AppTest, in its own process.

    python bench/apptest_worker.py DATA_DIR --runs 3 [--wait] [--budget SECONDS] [PAGE ...]

Prints one JSON object per line: ``{"event": "loaded", ...}`` after the first run (the one that
loads and validates the data into ``st.cache_resource``), then ``{"event": "page", ...}`` per
page with the seconds of each ``at.run()`` after the switch (the cache is warm: what a reader's
rerun costs) and ``new_view``: the seconds of runs filtered to a country not shown before (what
a reader's new filter costs: nothing built for another view is reused). With ``--wait`` it
reads one line from stdin before timing, so the caller can keep other work off the CPU. When
the budget runs out mid-run it prints ``{"event": "timeout"}`` and exits at once (the script
thread cannot be stopped, so the process ends).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = ["about", "excerpts", "timeline", "overview", "map"]
# One country per new-view run; each page gets them in this order.
NEW_VIEWS = ["UKR", "GEO", "MDA", "ARM", "KAZ", "TJK", "AZE", "BLR"]


def emit(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--wait", action="store_true")
    parser.add_argument("--load-timeout", type=float, default=600.0)
    args = parser.parse_args()
    os.environ["DASHLIB_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.chdir(REPO)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=args.budget)
    at.switch_page("pages/about.py")  # the cheapest page: the first run is mostly the load
    t0 = time.perf_counter()
    at.run(timeout=args.load_timeout)
    loaded = time.perf_counter() - t0
    emit(event="loaded", seconds=loaded, errors=[str(e.value) for e in at.exception])
    if args.wait:
        sys.stdin.readline()
    deadline = time.perf_counter() + args.budget
    for index, page in enumerate(args.pages):
        at.switch_page(f"pages/{page}.py")
        at.query_params["country"] = ""  # back to no filter (an empty value clears it)
        at.run(timeout=max(1.0, deadline - time.perf_counter()))  # untimed
        samples: list[float] = []
        errors: list[str] = []
        for _ in range(args.runs):
            left = deadline - time.perf_counter()
            if left <= 1:
                emit(event="timeout", page=page, samples=samples, waited=0.0)
                os._exit(0)
            t = time.perf_counter()
            try:
                at.run(timeout=left)
            except RuntimeError as err:  # AppTest's own timeout
                emit(
                    event="timeout",
                    page=page,
                    samples=samples,
                    waited=time.perf_counter() - t,
                    error=str(err)[:200],
                )
                os._exit(0)
            samples.append(time.perf_counter() - t)
            errors += [str(e.value)[:300] for e in at.exception]
        # A new view: the same page filtered to a country not shown before, so nothing built
        # for an earlier view can be reused (the figure cache misses); then back to no filter.
        fresh: list[float] = []
        # Countries this page has not drawn, and whose map markers the overview (which shares
        # them with the map) has not built either.
        codes = [NEW_VIEWS[(index * args.runs + i) % len(NEW_VIEWS)] for i in range(args.runs)]
        for code in codes:
            if deadline - time.perf_counter() <= 1:
                break
            at.query_params["country"] = code
            t = time.perf_counter()
            at.run(timeout=max(1.0, deadline - time.perf_counter()))
            fresh.append(time.perf_counter() - t)
            errors += [str(e.value)[:300] for e in at.exception]
        emit(event="page", page=page, samples=samples, new_view=fresh, errors=errors)
    emit(event="done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
