"""The editor page's parts: sign-in, the table editor and saving. Only shown to editors.

The page exists only when an editor password is configured: its scrypt hash in
``DASHLIB_EDITOR_PASSWORD_HASH`` / ``editor_password_hash`` (``python -m dashlib.editing.auth``
makes one), or the plain ``DASHLIB_EDITOR_PASSWORD`` / ``editor_password`` on a laptop — and
``DASHLIB_EDITOR`` is not ``off`` (public replicas). See :mod:`dashlib.editing.auth`.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd
import streamlit as st

from dashlib.data.dataset import check
from dashlib.data.schema import Resource, read_package
from dashlib.editing.auth import (
    SignInThrottle,
    backoff,
    client_key,
    editor_enabled,
    verify_password,
)
from dashlib.editing.save import ConcurrentEditError, read_table, save_table
from dashlib.ui.data import data_dir

_delay = backoff  # the old name (tests use it)


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        return None
    return str(value) if value else None


def editor_password() -> str | None:
    """The configured password (its scrypt hash, or plain), or None when editing is off."""
    if not editor_enabled():
        return None
    return (
        os.environ.get("DASHLIB_EDITOR_PASSWORD_HASH")
        or os.environ.get("DASHLIB_EDITOR_PASSWORD")
        or _secret("editor_password_hash")
        or _secret("editor_password")
    )


@st.cache_resource
def _throttle() -> SignInThrottle:
    """Failed sign-ins per client, shared by the sessions of this process."""
    return SignInThrottle()


def _client() -> str:
    """Who signs in: the forwarded address, the socket's address, else this session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    headers = {str(k): str(v) for k, v in (st.context.headers or {}).items()}
    address = st.context.ip_address
    ctx = get_script_run_ctx()
    session = f"session:{ctx.session_id if ctx else 'unknown'}"
    return client_key(headers, address if isinstance(address, str) else None, session)


def show_sign_in(password: str) -> bool:
    """True when this session is signed in; otherwise draw the form."""
    if st.session_state.get("editor_signed_in"):
        return True
    with st.form("editor_sign_in"):
        attempt = st.text_input("Editor password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        throttle, client = _throttle(), _client()
        wait = throttle.wait(client)
        if wait > 0:  # answered at once: no server thread sleeps while someone guesses
            st.error(f"Too many wrong passwords from here: try again in {wait:.1f} s.")
            return False
        if verify_password(attempt, password):
            st.session_state["editor_signed_in"] = True
            throttle.succeeded(client)
            st.rerun()
        throttle.failed(client)
        st.error("Wrong password.")
    return False


def _column_config(resource: Resource) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for spec in resource.fields:
        name = spec["name"]
        kind = spec.get("type", "string")
        constraints = spec.get("constraints", {})
        required = bool(constraints.get("required"))
        help_text = spec.get("description", "")[:300]
        if "enum" in constraints:
            config[name] = st.column_config.SelectboxColumn(
                name, options=list(constraints["enum"]), required=required, help=help_text
            )
        elif kind == "date":
            config[name] = st.column_config.DateColumn(
                name, required=required, help=help_text, format="YYYY-MM-DD"
            )
        elif kind == "boolean":
            config[name] = st.column_config.CheckboxColumn(name, help=help_text)
        elif kind in ("integer", "number"):
            config[name] = st.column_config.NumberColumn(
                name,
                help=help_text,
                min_value=constraints.get("minimum"),
                max_value=constraints.get("maximum"),
                step=1 if kind == "integer" else None,
            )
        else:
            config[name] = st.column_config.TextColumn(
                name, help=help_text, required=required, validate=constraints.get("pattern")
            )
    return config


def _typed_for_editor(text: pd.DataFrame, resource: Resource) -> pd.DataFrame:
    """Text cells converted to what each editor column expects (dates, numbers, booleans)."""
    out = text.copy()
    for spec in resource.fields:
        name, kind = spec["name"], spec.get("type", "string")
        column = text[name].replace("", None)
        if kind == "date":
            out[name] = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").dt.date
        elif kind == "boolean":
            out[name] = column == "true"
        elif kind == "integer":
            out[name] = pd.to_numeric(column, errors="coerce").astype("Int64")
        elif kind == "number":
            out[name] = pd.to_numeric(column, errors="coerce").astype("Float64")
        else:
            out[name] = column
    return out


def show_pending_problems() -> None:
    problems = check(data_dir())
    if problems:
        st.error(
            f"The files on disk do not validate ({len(problems)} problem(s)); readers see "
            "the last valid version until they are fixed."
        )
        st.code("\n".join(str(p) for p in problems[:300]), language=None)


def show_table_editor() -> None:
    folder = data_dir()
    resources = read_package(folder)
    who = st.text_input("Your name (for the change log)", key="editor_who", max_chars=80)
    table = st.selectbox("Table", options=list(resources), key="editor_table")
    resource = resources[table]
    loaded_key = f"editor_loaded_{table}"
    if loaded_key not in st.session_state:
        text, digest = read_table(folder, table)
        st.session_state[loaded_key] = (text, digest)
    text, digest = st.session_state[loaded_key]
    st.caption(
        f"{resource.path}: {len(text)} rows. Add rows at the bottom; select rows and "
        "press Delete to remove them. Dates with only a month or year are written "
        "YYYY-MM or YYYY."
    )
    edited = st.data_editor(
        _typed_for_editor(text, resource),
        column_config=_column_config(resource),
        num_rows="dynamic",
        hide_index=True,
        key=f"editor_grid_{table}_{digest[:12]}",
        width="stretch",
    )
    col_save, col_reload = st.columns([1, 1])
    if col_reload.button("Discard my edits and reload from disk"):
        st.session_state.pop(loaded_key, None)
        st.rerun()
    if not col_save.button("Validate and save", type="primary"):
        return
    if not who.strip():
        st.warning("Type your name first: every change is logged with who made it.")
        return
    try:
        result = save_table(
            folder,
            table,
            edited,
            editor=who,
            expected_digest=digest,
            loaded=text,
            now=dt.datetime.now(dt.UTC),
        )
    except ConcurrentEditError as err:
        st.error(
            "Not saved: someone changed this file on disk after you loaded it. Nothing was "
            "overwritten. Their version differs from what you loaded here:"
        )
        st.code("\n".join(err.changes) or "(no row-level difference)", language=None)
        st.info("Reload to see their version, then redo your edit.")
        return
    if result.problems:
        st.error(
            f"Not saved: the edit would make the data invalid ({len(result.problems)} "
            "problem(s)). Nothing on disk changed."
        )
        rows = [
            {
                "row": p.line - 1 if p.file == resource.path and p.line > 1 else None,
                "file": p.file,
                "column": p.field,
                "problem": p.message,
                "how to fix": p.hint,
            }
            for p in result.problems
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        return
    if not result.saved:
        st.info("Nothing to save: the table is unchanged.")
        return
    st.session_state.pop(loaded_key, None)
    st.success(
        f"Saved {resource.path} ({len(result.changes)} change(s)); the previous version "
        f"is kept as {result.backup.name if result.backup else 'a backup'}."
    )
    st.code("\n".join(result.changes), language=None)
