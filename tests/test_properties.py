"""Property tests: any mutation of a valid CSV validates or yields problems — never an exception."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashlib.data.dataset import check
from dashlib.data.problems import Problem
from dashlib.query.selection import Selection

from conftest import FIXTURES

FILES = ["events.csv", "deployments.csv", "interventions.csv", "excerpts.csv", "sources.csv"]

mutation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 40)),
    st.tuples(
        st.just("replace"),
        st.integers(0, 10_000),
        st.sampled_from(
            [
                b",",
                b'"',
                b"\n",
                b"\r\n",
                b";",
                b"\t",
                b"\xff",
                b"\xef\xbb\xbf",
                b"-1",
                b"1e9",
                b"NaN",
                b"2022-13-45",
                b"06/01/2022",
                b"",
                b" ",
            ]
        ),
    ),
)


def mutate(data: bytes, op: tuple) -> bytes:  # type: ignore[type-arg]
    kind, at, arg = op
    at = at % (len(data) + 1)
    if kind == "insert":
        return data[:at] + arg + data[at:]
    if kind == "delete":
        return data[:at] + data[at + arg :]
    return data[:at] + arg + data[at + len(arg) or at + 1 :]


@pytest.mark.slow  # 60 whole validations (about 0.5 s each on the fixtures): `make test` only
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(FILES), ops=st.lists(mutation, min_size=1, max_size=4))
def test_any_mutation_gives_problems_not_exceptions(file: str, ops: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(FIXTURES / "valid", folder)
        path = folder / file
        data = path.read_bytes()
        for op in ops:
            data = mutate(data, op)
        path.write_bytes(data)
        problems = check(folder)  # must not raise
        assert all(isinstance(p, Problem) and p.file and p.message for p in problems)
        assert all(p.line >= 0 and p.column >= 0 for p in problems)


TODAY = dt.date(2026, 11, 27)
param_text = st.text(max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["country", "from", "to", "date", "kind", "q", "intervention", "zzz", "embed"]
        ),
        param_text,
        max_size=6,
    )
)
def test_any_query_params_parse_or_note(params: dict[str, str]) -> None:
    sel, notes = Selection.from_params(
        params, countries={"UKR", "GEO"}, kinds={"war"}, interventions={"a"}, today=TODAY
    )
    assert set(sel.countries) <= {"UKR", "GEO"} and set(sel.kinds) <= {"war"}
    again, more = Selection.from_params(
        sel.to_params(), countries={"UKR", "GEO"}, kinds={"war"}, interventions={"a"}, today=TODAY
    )
    assert again == sel and more == []  # what we write, we read back unchanged
