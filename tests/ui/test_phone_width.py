"""A phone's map is drawn for its screen's width (ui/components.py): the width the page's
probe or cookie reports, to the nearest few pixels, or the 375 px phone's by default."""

from __future__ import annotations

import pytest

from dashlib.figures.map import COMPACT_WIDTH_PX
from dashlib.ui import components
from dashlib.ui.components import WIDTH_STEP_PX, phone_figure_width


@pytest.mark.parametrize(
    ("given", "drawn"),
    [
        (358, 360),  # a 390 px iPhone's figure: to the nearest 4 px
        (398, 400),  # 430 px
        (328, 328),  # 360 px Android
        (343, None),  # the 375 px phone: the default figure, shared by every such phone
        (345, None),
        ("400", 400),
        (640, None),  # not a phone's
        (150, None),
        ("wide", None),
        (None, None),
    ],
)
def test_phone_figure_width(given: object, drawn: int | None) -> None:
    assert phone_figure_width(given) == drawn  # type: ignore[arg-type]


def test_a_drawn_width_is_within_the_probes_slack() -> None:
    """Whatever width a phone reports, the figure drawn for it is never so far off that the
    probe asks again (which would redraw the map in a loop)."""
    for fig in range(200, components.NARROW_PX - components.PHONE_PAGE_PADDING_PX):
        drawn = phone_figure_width(fig) or COMPACT_WIDTH_PX
        assert abs(drawn - fig) <= WIDTH_STEP_PX < components.WIDTH_SLACK_PX, fig


@pytest.mark.parametrize(
    ("probe", "cookies", "agent", "phone", "width"),
    [
        ("narrow:398", {}, "", True, 400),  # this visit's probe first
        ("wide", {"dashlib_narrow": "1", "dashlib_width": "390"}, "Mobile", False, None),
        ("wide:1280", {"dashlib_narrow": "1", "dashlib_width": "390"}, "Mobile", False, None),
        ("", {"dashlib_narrow": "1", "dashlib_width": "430"}, "", True, 400),  # last visit
        ("", {"dashlib_narrow": "1", "dashlib_width": "375"}, "", True, None),
        ("", {}, "Mozilla/5.0 (Linux; Android 11) Mobile Safari", True, None),  # a phone
        ("", {}, "Mozilla/5.0 (X11; Linux x86_64)", False, None),
        ("", {"dashlib_width": "nonsense"}, "Mobile", True, None),
    ],
)
def test_phone_and_width_from_probe_cookie_and_agent(
    monkeypatch: pytest.MonkeyPatch,
    probe: str,
    cookies: dict[str, str],
    agent: str,
    phone: bool,
    width: int | None,
) -> None:
    class Context:
        pass

    context = Context()
    context.cookies = cookies  # type: ignore[attr-defined]
    context.headers = {"User-Agent": agent}  # type: ignore[attr-defined]
    monkeypatch.setattr(components.st, "context", context)
    monkeypatch.setattr(components.st, "session_state", {components.VIEWPORT_KEY: probe})
    assert components.is_phone() is phone
    if phone:
        assert components.phone_map_width() == width


@pytest.mark.parametrize(
    ("window", "sidebar", "cap", "wrap"),
    [
        ("1280", True, 800, 800),  # the map page: never wider than the map itself
        ("1920", True, 800, 800),
        ("1000", True, 800, 520),  # 540 px beside the sidebar, to 40 px below
        ("900", True, 800, 440),
        ("800", True, 800, 440),
        ("780", True, 800, 440),
        ("870", True, 800, 400),
        ("640", True, 800, 600),  # the sidebar opens over the page: the page's full width
        ("1000", False, 800, 800),  # an embed: no sidebar
        ("639", True, 800, None),  # a phone: its own wrapping
        ("375", False, 800, None),
        ("nonsense", True, 800, None),
        (None, True, 800, None),  # no cookie (a first visit without the shell, an embed on
        # another site, where the browser sends no cookie): a phone's wrapping, safe anywhere
    ],
)
def test_chart_text_width(window: str | None, sidebar: bool, cap: int, wrap: int | None) -> None:
    assert components.chart_text_width(window, sidebar=sidebar, cap=cap) == wrap


def test_text_width_never_exceeds_the_chart_it_is_drawn_in() -> None:
    from dashlib.viewport import content_width

    for window in range(components.NARROW_PX, 2600, 7):
        for sidebar in (True, False):
            wrap = components.chart_text_width(window, sidebar=sidebar, cap=800)
            assert wrap is None or wrap <= content_width(window, sidebar=sidebar), window


@pytest.mark.parametrize(
    ("probe", "cookie", "embedded", "wrap"),
    [
        ("", "1280", False, 800),  # the width cookie (set by the page's HTML)
        ("wide:900", "1280", False, 440),  # this visit: the window was narrowed, a title cut
        ("narrow:343", "1280", False, None),  # narrowed to a phone's width this visit
        ("", "1280", True, None),  # an embed keeps a phone's wrapping: its iframe reflows
        ("", None, False, None),
    ],
)
def test_text_width_from_probe_and_cookie(
    monkeypatch: pytest.MonkeyPatch,
    probe: str,
    cookie: str | None,
    embedded: bool,
    wrap: int | None,
) -> None:
    _reader(monkeypatch, probe, cookie, embedded)
    assert components.text_width() == wrap


@pytest.mark.parametrize(
    ("probe", "cookie", "embedded", "drawn"),
    [
        ("", "1280", False, None),  # room for the 800 px map
        ("", "900", False, 440),  # 440 px beside the open sidebar
        ("wide:1100", "1280", False, 640),  # this visit's probe before the cookie
        ("", "700", True, 660),  # an embed 700 px wide (no sidebar)
        ("narrow:343", "900", False, None),  # a phone's: drawn by phone_map_width
        ("", None, False, None),  # unknown: the 800 px map, the probe corrects it
    ],
)
def test_wide_map_width_from_probe_and_cookie(
    monkeypatch: pytest.MonkeyPatch,
    probe: str,
    cookie: str | None,
    embedded: bool,
    drawn: int | None,
) -> None:
    _reader(monkeypatch, probe, cookie, embedded)
    assert components.wide_map_width() == drawn


def _reader(
    monkeypatch: pytest.MonkeyPatch, probe: str, cookie: str | None, embedded: bool
) -> None:
    """What Streamlit tells the app of one reader: the probe's value, the width cookie and
    whether the page is embedded."""

    class Context:
        pass

    context = Context()
    context.cookies = {"dashlib_width": cookie} if cookie else {}  # type: ignore[attr-defined]
    context.is_embedded = embedded  # type: ignore[attr-defined]
    monkeypatch.setattr(components.st, "context", context)
    monkeypatch.setattr(components.st, "session_state", {components.VIEWPORT_KEY: probe})
