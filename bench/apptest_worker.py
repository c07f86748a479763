"""Server-side cost of one rerun of each page, through Streamlit's AppTest, in its own process.

    python bench/apptest_worker.py DATA_DIR --runs 3 [--wait] [--budget SECONDS] [PAGE ...]

Prints one JSON object per line: ``{"event": "loaded", ...}`` after the first run (the one that
loads and validates the data into ``st.cache_resource``), then ``{"event": "page", ...}`` per
page with the seconds of each ``at.run()`` after the switch (the cache is warm: what a reader's
rerun costs). With ``--wait`` it reads one line from stdin before timing, so the caller can keep
other work off the CPU. When the budget runs out mid-run it prints ``{"event": "timeout"}`` and
exits at once (the script thread cannot be stopped, so the process ends).
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
    for page in args.pages:
        at.switch_page(f"pages/{page}.py")
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
        emit(event="page", page=page, samples=samples, errors=errors)
    emit(event="done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
