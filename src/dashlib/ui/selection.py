"""The shared sidebar: one Selection, kept in the URL so every view is a shareable link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.query.selection import FIRST_DATE, Selection
from dashlib.ui.data import get_acled
from dashlib.ui.text import md_escape

_KEYS = {
    "countries": "sel_countries",
    "range": "sel_range",
    "as_of": "sel_as_of",
    "kinds": "sel_kinds",
    "query": "sel_query",
    "intervention": "sel_intervention",
    "layers": "sel_acled",
}
_WRITTEN = "sel_written_params"
_PENDING = "sel_pending_countries"
_PENDING_DATE = "sel_pending_date"
_NOTES = "sel_notes"
_SIDEBAR = "sel_sidebar_to_draw"
_LATER = "sel_sidebar_later"
ALL = ""


def today() -> dt.date:
    return dt.date.today()


def is_embedded() -> bool:
    """True for ``?embed=true`` (Streamlit hides that parameter from st.query_params)."""
    return bool(st.context.is_embedded)


def _history_navigation() -> bool:
    """True when this run comes from the browser's Back or Forward button.

    Every change of the selection is pushed to the browser's history (Streamlit pushes a new
    entry when st.query_params changes), so Back returns to the previous URL; the selection
    must then follow that URL even when it has no parameters at all (the unfiltered view),
    which otherwise means "a page switch dropped the parameters: keep the widgets".
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def _params() -> dict[str, str]:
    return {k: st.query_params.get(k, "") for k in st.query_params.keys()}


def _apply_to_widgets(sel: Selection, now: dt.date) -> None:
    st.session_state[_KEYS["countries"]] = list(sel.countries)
    st.session_state[_KEYS["range"]] = (sel.date_from or FIRST_DATE, sel.date_to or now)
    st.session_state[_KEYS["as_of"]] = sel.as_of or now
    st.session_state[_KEYS["kinds"]] = list(sel.kinds)
    st.session_state[_KEYS["query"]] = sel.query
    st.session_state[_KEYS["intervention"]] = sel.intervention or ALL
    st.session_state[_KEYS["layers"]] = "acled" in sel.layers


def _parse(ds: Dataset, params: dict[str, str], now: dt.date) -> Selection:
    sel, notes = Selection.from_params(
        params,
        countries=set(ds.countries["iso3"]),
        kinds=set(theme.KIND_ORDER),
        interventions=set(ds.interventions["intervention_id"]),
        today=now,
    )
    st.session_state[_NOTES] = notes
    return sel


def request_countries(codes: list[str]) -> None:
    """Ask the sidebar to select these countries on the next run (from a map click)."""
    st.session_state[_PENDING] = codes


def request_date(day: dt.date) -> None:
    """Ask for the map's date to become ``day`` on the next run (Play, the map's slider)."""
    st.session_state[_PENDING_DATE] = day


def _drawn_keys() -> list[str]:
    """Keys of the sidebar widgets this run draws (the layer toggle only when a layer exists)."""
    keys = [k for name, k in _KEYS.items() if name != "layers"]
    return [*keys, _KEYS["layers"]] if get_acled() is not None else keys


def _from_widgets(now: dt.date) -> Selection:
    state = st.session_state
    start, end = state[_KEYS["range"]]
    as_of = state[_KEYS["as_of"]]
    return Selection(
        countries=tuple(sorted(state[_KEYS["countries"]])),
        date_from=None if start == FIRST_DATE else start,
        date_to=None if end == now else end,
        as_of=None if as_of == now else as_of,
        kinds=tuple(k for k in theme.KIND_ORDER if k in state[_KEYS["kinds"]]),
        query=state[_KEYS["query"]].strip()[:200],
        intervention=state[_KEYS["intervention"]] or None,
        layers=("acled",) if state.get(_KEYS["layers"]) and get_acled() is not None else (),
    )


def current_selection(ds: Dataset) -> Selection:
    """Read the selection (URL on first run or after a link, then the widgets).

    In embed mode nothing is drawn: the URL alone decides. Otherwise the sidebar is drawn and
    the URL rewritten to match it.
    """
    now = today()
    params = _params()
    if is_embedded():
        return _parse(ds, params, now)
    own = {k: v for k, v in params.items() if k != "embed"}
    written = st.session_state.get(_WRITTEN)
    if written is None or (own != written and (own or _history_navigation())):
        _apply_to_widgets(_parse(ds, own, now), now)
    elif any(key not in st.session_state for key in _drawn_keys()):
        # Streamlit drops a widget's state when a run does not draw it; the last selection we
        # wrote (a plain key, kept) restores it.
        _apply_to_widgets(Selection.from_params(written, today=now)[0], now)
    else:
        # A page switch gives the sidebar widgets new identities, and a new widget ignores the
        # old one's value unless the value was set through session_state: re-set each one.
        for key in _drawn_keys():
            st.session_state[key] = st.session_state[key]
    if _PENDING in st.session_state:
        st.session_state[_KEYS["countries"]] = st.session_state.pop(_PENDING)
    if _PENDING_DATE in st.session_state:
        st.session_state[_KEYS["as_of"]] = st.session_state.pop(_PENDING_DATE)
    # The widgets' values are in session_state before they are drawn: the sidebar is drawn
    # after the page (draw_sidebar, from app.py), so the page's chart reaches the browser
    # first instead of after a dozen widget updates the browser re-renders one by one.
    # Only what the widgets show is kept, not the dataset (a session must not hold on to
    # an old data version).
    st.session_state[_SIDEBAR] = (_options(ds), now)
    sel = _from_widgets(now)
    new = sel.to_params()
    if new != own:
        st.query_params.from_dict(new)
    st.session_state[_WRITTEN] = new
    return sel


def _reset() -> None:
    _apply_to_widgets(Selection(), today())
    st.session_state[_NOTES] = []


def keep_only_query() -> None:
    """Clear every filter but the search text (a button's ``on_click``)."""
    query = str(st.session_state.get(_KEYS["query"], ""))
    _apply_to_widgets(Selection(query=query), today())


def clear_query() -> None:
    """Clear the search text only (a button's ``on_click``)."""
    st.session_state[_KEYS["query"]] = ""


def draw_sidebar() -> None:
    """The filter widgets, when this run's page asked for them (``current_selection``).

    app.py calls it once the page has run; a page that stopped early (a data problem, embed
    mode, a rerun) draws none, and the next run restores their values (``_WRITTEN``).
    """
    from dashlib.ui.components import show_filters_later, take_chart_drawn

    pending = st.session_state.pop(_SIDEBAR, None)
    later = st.session_state.pop(_LATER, False) and take_chart_drawn()
    if pending is None:
        return
    if later:
        show_filters_later()  # the next run draws them (defer_sidebar)
        return
    _sidebar(*pending)


def filters_deferred() -> bool:
    """Whether this run leaves the filters to the next one (:func:`defer_sidebar`)."""
    return bool(st.session_state.get(_LATER))


def defer_sidebar(defer: bool) -> None:
    """Whether this run leaves the filters to the next run if it draws a chart: a phone's
    first visit (``ui/page.py``); until then the sidebar offers a button that draws them
    (``components.show_filters_later``), which the page presses once the chart is drawn."""
    from dashlib.ui.components import take_chart_drawn

    take_chart_drawn()  # a flag left by a run that was cut short is not this run's
    st.session_state[_LATER] = defer


def _options(ds: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    """Country names and intervention titles by id, for the widgets."""
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    titles = dict(zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True))
    return names, titles


def _sidebar(options: tuple[dict[str, str], dict[str, str]], now: dt.date) -> None:
    names, titles = options
    with st.sidebar:
        st.header("Filter the views")
        st.multiselect(
            "Countries",
            options=sorted(names, key=lambda c: names[c]),
            format_func=lambda c: names.get(c, c),
            key=_KEYS["countries"],
            placeholder="All 15 states",
        )
        st.slider(
            "Date range (timeline, excerpts)",
            min_value=FIRST_DATE,
            max_value=now,
            key=_KEYS["range"],
            format="YYYY-MM-DD",
        )
        st.date_input(  # typed or picked; the map page adds a slider and Play
            "Map as of",
            min_value=FIRST_DATE,
            max_value=now,
            key=_KEYS["as_of"],
            format="YYYY-MM-DD",
        )
        st.multiselect(
            "Kinds",
            options=list(theme.KIND_ORDER),
            format_func=lambda k: theme.KIND_LABELS[k],
            key=_KEYS["kinds"],
            placeholder="All kinds",
        )
        st.selectbox(
            "Intervention",
            options=[ALL, *sorted(titles, key=lambda i: titles[i])],
            format_func=lambda i: titles.get(i, "All interventions"),
            key=_KEYS["intervention"],
        )
        if get_acled() is not None:
            st.toggle(
                "Show ACLED events (aggregated)",
                key=_KEYS["layers"],
                help="Events involving Russian forces from an imported ACLED export.",
            )
        st.text_input(
            "Search excerpts",
            key=_KEYS["query"],
            max_chars=200,
            placeholder="e.g. Kiev, Alma-Ata, peacekeepers",
        )
        st.button("Reset filters", on_click=_reset)
        st.caption("The address bar holds this selection: copy it to share this view.")
        from dashlib.ui.components import close_sidebar_on_phones

        close_sidebar_on_phones()


def show_notes() -> None:
    """Tell the reader which URL parameters were dropped (in an embed: the console only)."""
    notes: list[Any] = st.session_state.get(_NOTES) or []
    if notes and is_embedded():  # a story's readers did not write the link
        from dashlib.ui.embed_panel import log_notes_to_console

        log_notes_to_console([str(n) for n in notes])
    elif notes:
        st.info(
            "Some of the link's settings were not understood and were ignored: "
            + md_escape(" ".join(str(n) for n in notes)),
            icon=":material/info:",
        )
