"""Every page through Streamlit's AppTest: renders, reacts to each control, restores a link."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import shutil
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.data.dataset import load
from dashlib.query.selection import Selection
from dashlib.query.summaries import key_figures
from dashlib.ui.text import md_escape

from conftest import FIXTURES, REPO

PAGES = [
    "pages/overview.py",
    "pages/map.py",
    "pages/timeline.py",
    "pages/excerpts.py",
    "pages/about.py",
]


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(FIXTURES / "valid"))
    yield


def app(page: str | None = None, embedded: bool = False, **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    if embedded:  # what ?embed=true sets in a browser
        at.context["is_embedded"] = True
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        for key, value in params.items():  # a page switch in AppTest clears the URL
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def words(at: AppTest) -> str:
    """The chart's text summary ('In words: …') shown under each chart."""
    found = [unescape(m.value) for m in at.markdown if m.value.startswith("**In words:**")]
    assert found, "no text summary on the page"
    return found[0]


def unescape(markdown: str) -> str:
    """Markdown as the reader sees it (the app backslash-escapes text from the data)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    return "\n".join(unescape(m.value) for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page: str) -> None:
    at = app(page)
    assert at.title, f"{page} has no title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_shipped_data(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(REPO / "data"))
    app(page)


def test_country_control_filters_the_map() -> None:
    at = app("pages/map.py")
    before = words(at)
    at.multiselect(key="sel_countries").set_value(["KAZ"]).run()
    after = words(at)
    assert before != after and "in Kazakhstan" in after
    assert at.query_params["country"] == "KAZ"


def test_as_of_control_moves_the_map_in_time() -> None:
    at = app("pages/map.py")
    at.date_input(key="sel_as_of").set_value(dt.date(2010, 6, 1)).run()
    summary = words(at)
    assert "1 June 2010" in summary and "Ukraine" not in summary.split("stationed")[0]
    assert at.query_params["date"] == "2010-06-01"


def test_kind_and_range_controls_filter_the_timeline() -> None:
    at = app("pages/timeline.py")
    assert "4 interventions" in words(at)
    at.multiselect(key="sel_kinds").set_value(["war"]).run()
    assert "1 intervention" in words(at)
    at.multiselect(key="sel_kinds").set_value([]).run()
    at.slider(key="sel_range").set_value((dt.date(2020, 1, 1), dt.date(2023, 1, 1))).run()
    summary = words(at)
    assert "2 interventions" in summary  # the ongoing occupation and the CSTO deployment
    assert at.query_params["from"] == "2020-01-01"


def test_intervention_control_focuses_the_timeline() -> None:
    at = app("pages/timeline.py")
    at.selectbox(key="sel_intervention").set_value("int-three").run()
    assert "1 intervention" in words(at)
    assert at.query_params["intervention"] == "int-three"


def test_search_highlights_and_finds_variants() -> None:
    at = app("pages/excerpts.py")
    assert "3 excerpts." in texts(at)
    at.text_input(key="sel_query").set_value("Kyiv").run()
    body = texts(at)
    assert "1 excerpt matches" in body
    assert (
        ":orange-background[**Kiev**]" in body
    )  # the variant found in the text is marked  # the variant in the text is highlighted
    at.text_input(key="sel_query").set_value("Chisinau").run()
    assert "1 excerpt matches" in texts(at)  # finds Kishinev via the fixture's variants


def test_query_params_restore_a_selection() -> None:
    at = app("pages/timeline.py", country="UKR,GEO", kind="occupation", q="Kiev")
    assert at.multiselect(key="sel_countries").value == ["GEO", "UKR"]
    assert at.multiselect(key="sel_kinds").value == ["occupation"]
    assert at.text_input(key="sel_query").value == "Kiev"
    assert "1 intervention" in words(at)


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"country": "XXX"}, "unknown country 'XXX'"),
        ({"date": "06/01/2022"}, "dates are written YYYY-MM-DD"),
        ({"from": "2020-01-01", "to": "2010-01-01"}, "'from' is after 'to'"),
        ({"kind": "invasion"}, "unknown kind 'invasion'"),
        ({"bogus": "1"}, "unknown parameter 'bogus'"),
    ],
)
def test_bad_params_give_a_note(params: dict[str, str], expected: str) -> None:
    at = app("pages/map.py", **params)
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert expected in notes


def test_embed_mode_has_no_sidebar_controls() -> None:
    at = app("pages/map.py", embedded=True, country="UKR")
    assert len(at.sidebar.multiselect) == 0 and len(at.sidebar.text_input) == 0
    assert not at.title  # only the chart, its title inside the figure


def test_data_edit_shows_without_restart(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(folder))
    at = app("pages/timeline.py")
    assert "First test intervention" in words(at) or "Fourth test intervention" in words(at)
    path = folder / "interventions.csv"
    path.write_text(path.read_text().replace("Fourth test intervention", "Renamed war"))
    at.run()
    assert "Renamed war" in words(at)


def test_invalid_edit_keeps_last_good_data(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(folder))
    at = app("pages/timeline.py")
    (folder / "events.csv").write_text("broken;file\n")
    at.run()
    assert not at.exception
    assert any("pending" in w.value for w in at.warning)
    assert "4 interventions" in words(at)


def test_embed_panel_gives_the_iframe_for_this_selection() -> None:
    at = app("pages/map.py", country="UKR", date="2014-03-18")
    assert not [c for c in at.code if "<iframe" in c.value]  # closed: nothing sent yet
    at.session_state["map_dl"] = True  # the reader opens "Embed & download"
    at.run()
    codes = [c.value for c in at.code]
    iframe = next(c for c in codes if "<iframe" in c)
    assert "/map?embed=true&amp;country=UKR&amp;date=2014-03-18" in iframe
    assert "postMessage" not in iframe and "message" in iframe  # the resize listener
    labels = [b.label for b in at.get("download_button")]
    assert {"HTML", "PNG", "SVG", "CSV (data)"} <= set(labels)


def test_tables_are_sent_only_when_opened() -> None:
    at = app("pages/timeline.py")
    assert not at.dataframe  # closed expanders: no table reaches the browser
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Events table (") for label in labels)
    at.session_state["table_events_table"] = True
    at.run()
    assert not at.exception
    (table,) = at.dataframe
    assert {"Date", "Country", "Event", "Kind", "Sources"} <= set(table.value.columns)


def test_map_sites_table_is_built_only_when_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    import dashlib.query.tables as tables

    calls: list[int] = []
    original = tables.sites_table

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tables, "sites_table", counting)
    at = app("pages/map.py")
    assert not at.exception
    (label,) = [e.label for e in at.expander if e.label.startswith("Sites on the map (")]
    assert calls == []  # closed: the count comes from the filter, the table is not built
    at.session_state["table_sites_on_the_map"] = True
    at.run()
    assert not at.exception
    (table,) = at.dataframe
    assert calls and f"({len(table.value):,} rows)" in label


def test_a_long_table_shows_its_first_rows_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import dashlib.ui.components as components

    monkeypatch.setattr(components, "MAX_TABLE_ROWS", 2)
    at = app("pages/timeline.py")
    at.session_state["table_events_table"] = True
    at.run()
    (table,) = at.dataframe
    assert len(table.value) == 2
    assert any("Showing the first 2 of 3 rows" in c.value for c in at.caption)


def test_search_empty_state_names_the_filters_and_clears_them() -> None:
    at = app("pages/excerpts.py", country="UKR", q="Kazakhstan")
    assert "No excerpt matches “Kazakhstan” within Ukraine." in texts(at)
    (widen,) = [b for b in at.button if b.label.startswith("Search all excerpts")]
    widen.click().run()
    assert at.query_params.get("country") is None and at.query_params["q"] == "Kazakhstan"
    assert "1 excerpt matches “Kazakhstan”." in texts(at)


def test_excerpts_from_one_article_share_one_source_note() -> None:
    at = app("pages/excerpts.py")
    notes = [m.value for m in at.markdown if m.value.startswith("From ")]
    assert len(notes) == 1  # the fixture's three excerpts come from one article


def test_overview_states_each_number_once_and_follows_the_filter() -> None:
    at = app("pages/overview.py")
    tiles = {m.label: m.value for m in at.metric}
    states = tiles["States reached"]
    assert f"in {states} of the 14 other states" in texts(at)  # the text and the tile agree
    at = app("pages/overview.py", country="UKR")
    tiles = {m.label: m.value for m in at.metric}
    assert "**Key figures in Ukraine**" in [m.value for m in at.markdown]
    assert "Showing Ukraine:" in texts(at)
    ds = load(FIXTURES / "valid")
    figures = key_figures(ds, dt.date.today(), Selection(countries=("UKR",)))
    assert tiles["Interventions"] == str(figures["interventions"])


def test_quote_cards_say_machine_translation_and_show_the_editors_note() -> None:
    at = app("pages/excerpts.py")
    captions = [c.value for c in at.caption]
    speaker = md_escape("A. Professor")  # shown as text: Markdown-escaped
    assert any(
        f"The words attributed to {speaker} are a machine translation" in c for c in captions
    )
    note = md_escape("Kishinev is the Russian-era name of Chișinău.")
    assert f"**Editor's note:** {note}" in captions
    # Only the flagged quote carries the machine-translation line.
    assert sum("are a machine translation of the original" in c for c in captions) == 1


def test_the_downloaded_map_page_keeps_the_maps_shape_at_any_width() -> None:
    """ "Embed & download" → HTML: a map laid out for 800 px keeps its shape in a narrower
    window (no blank band above and below it), as the exported pages do; a timeline does not
    need it."""
    import datetime as dt

    from dashlib.data.dataset import load
    from dashlib.figures import build_map_figure, build_timeline_figure
    from dashlib.figures.map import WIDTH_PX
    from dashlib.query.selection import Selection
    from dashlib.ui.embed_panel import download_html

    ds = load(FIXTURES / "valid")
    day = dt.date(2026, 6, 1)
    page = download_html(build_map_figure(ds, Selection(), day), WIDTH_PX).decode()
    assert f"#chart{{max-width:{WIDTH_PX}px" in page and "Plotly.relayout" in page
    timeline = download_html(build_timeline_figure(ds, Selection(), day)).decode()
    assert "Plotly.relayout" not in timeline


def test_corrections_show_each_logged_change_readably(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Corrections and updates": one block per change (when, who, how many rows), each row
    changed under its table and id, each change on its own line; an editor's save of several
    rows keeps each line's row id. Text from the log is escaped, never markup."""
    from dashlib.editing.save import append_changelog, log_entry

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(folder))
    first = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    later = dt.datetime(2026, 12, 2, 11, 51, tzinfo=dt.UTC)
    append_changelog(
        folder,
        log_entry(first, "Ana", "events.csv", ["ev-one", "ev-two"],
                  ["~ ev-one: title Old → New", "+ ev-two"]),
    )  # fmt: skip
    for entry in (
        log_entry(later, "Data desk", "sources.csv", ["src-x"], ["+ src-x"]),
        log_entry(
            later, "Data desk", "deployments.csv", ["site-a"],
            ["~ site-a: start_date 1996 → 1991", "~ site-a: summary **bold** → plain"],
        ),
    ):  # fmt: skip
        append_changelog(folder, entry)
    at = app("pages/corrections.py")
    headings = [h.value for h in at.subheader]
    assert headings == ["2 December 2026, 11:51 UTC", "1 December 2026, 09:30 UTC"]
    captions = [c.value for c in at.caption]
    assert "Data desk · 2 rows changed" in captions and "Ana · 1 row changed" in captions
    raw = "\n".join(m.value for m in at.markdown)
    assert "\\*\\*bold\\*\\*" in raw  # escaped: shown as typed, never markup
    shown = unescape(raw)
    # the facts first, the sources after; the repeated row id dropped from each line
    assert shown.index("deployments.csv") < shown.index("sources.csv")
    assert "- start_date 1996 → 1991" in shown and "- row added" in shown
    assert "- ~ ev-one: title Old → New" in shown  # several rows: each line keeps its id


def test_a_phones_first_visit_gets_the_filters_after_the_chart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a phone the first run of a page with a chart draws the chart, not the nine filter
    widgets (bench/throttled.py); the sidebar says so and offers the button the page presses
    once the chart is drawn. The next run draws the filters, holding the link's selection."""
    monkeypatch.setattr("dashlib.ui.page.is_phone", lambda: True)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["country"] = "GEO"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart"), "the chart is drawn on the first run"
    assert not at.sidebar.multiselect, "the filters wait for the chart"
    assert "The filters appear once the chart is drawn." in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="filters_later").click().run()
    assert not at.exception, [e.value for e in at.exception]
    countries = at.sidebar.multiselect[0]
    assert countries.label == "Countries" and countries.value == ["GEO"]
    assert not [b for b in at.sidebar.button if b.key == "filters_later"]
    assert at.query_params["country"] == "GEO"
    at.run()  # later runs keep drawing them
    assert at.sidebar.multiselect and not at.exception


def test_a_phones_first_visit_to_the_map_leaves_the_width_probe_to_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hidden width field and its script wait for the run after the chart, too: the map is
    drawn for the width in the page's cookies, and the probe corrects it from then on."""
    monkeypatch.setattr("dashlib.ui.page.is_phone", lambda: True)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.switch_page("pages/map.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    probe = "viewport_probe"
    assert at.get("plotly_chart") and not [t for t in at.text_input if t.key == probe]
    at.sidebar.button(key="filters_later").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t for t in at.text_input if t.key == probe] and at.sidebar.multiselect


@pytest.mark.parametrize("page", ["pages/excerpts.py", "pages/about.py"])
def test_a_phones_first_visit_to_a_page_without_a_chart_gets_the_filters_at_once(
    page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dashlib.ui.page.is_phone", lambda: True)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.multiselect
    assert not [b for b in at.sidebar.button if b.key == "filters_later"]
