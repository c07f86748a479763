"""The benchmark suite runs end to end in quick mode and writes every figure.

``make bench`` itself takes close to 10 minutes; this runs ``python -m bench.run --quick`` (one
iteration, small generated data, 2 reader sessions, export without images) into a temporary
folder and checks that ``results.json`` carries every figure. No timing is asserted: timings on a
shared machine are the benchmark's business, not the test suite's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tools.browser import CHROMIUM, REPO

from conftest import missing_tool

pytestmark = pytest.mark.browser


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"results.json lacks {dotted}"
        node = node[part]
    return node


def test_bench_quick_writes_every_figure(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: the benchmarks drive Debian's Chromium")
    from bench.run import FIGURE_KEYS

    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    for key in FIGURE_KEYS:
        _lookup(results, key)
    assert results["quick"] is True
    assert results["targets"], "no target was evaluated"
    assert {t["target"] for t in results["targets"]} >= {
        "CDN map embed ≤ 150 KB",
        "validation ≥ 10 × faster than frictionless",
    }
    markdown = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    for heading in ("## 1.", "## 2.", "## 3.", "## 4.", "## 5.", "## 6.", "## 7."):
        assert heading in markdown
