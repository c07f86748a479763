"""Embeds that cost no session: with DASHLIB_EMBED_BASE_URL set, the embed panel offers the
published static file of this view first and the live iframe second."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.publish.embed import static_base_url, static_embed_url

from conftest import REPO


def _map_panel(monkeypatch: pytest.MonkeyPatch, base: str | None) -> list[str]:
    if base is None:
        monkeypatch.delenv("DASHLIB_EMBED_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("DASHLIB_EMBED_BASE_URL", base)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/map.py")
    at.query_params["country"] = "UKR"
    at.run()
    at.session_state["map_dl"] = True  # the reader opens "Embed & download"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [c.value for c in at.code if "<iframe" in c.value]


def test_static_embed_comes_first_when_a_base_url_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    static, live = _map_panel(monkeypatch, "https://graphics.example.org/dashlib/")
    assert 'src="https://graphics.example.org/dashlib/' in static and ".html" in static
    assert "ukr" in static.split('src="')[1].split('"')[0]
    assert "embed=true" not in static
    assert "/map?embed=true&amp;country=UKR" in live


def test_only_the_live_embed_without_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    (live,) = _map_panel(monkeypatch, None)
    assert "/map?embed=true&amp;country=UKR" in live


def test_base_url_setting() -> None:
    assert static_base_url({}) is None and static_base_url({"DASHLIB_EMBED_BASE_URL": " "}) is None
    assert static_base_url({"DASHLIB_EMBED_BASE_URL": "https://x.org/e"}) == "https://x.org/e"
    assert static_embed_url("https://x.org/e/", "/a.html") == "https://x.org/e/a.html"
