"""Shared fixtures: a tiny valid dataset copied to a temporary folder for each test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dashlib.data.dataset import check
from dashlib.data.problems import Problem

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def missing_tool(reason: str) -> None:
    """Skip on a developer's machine; fail under CI (``CI`` set), where every tool the tests
    need (Debian's Chromium, uv) must be installed: a skipped check must never pass CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (never `playwright install`,
    which downloads a browser)."""
    from tools.browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        missing_tool(
            f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium); "
            "never `playwright install`, which downloads a browser"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/valid."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", target)
    return target


@pytest.fixture
def problems_in() -> Callable[[Path], list[Problem]]:
    return check


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a fixture file, failing loudly if ``old`` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
