"""dashlib.query.prepared: derived data kept on the dataset, nothing kept elsewhere."""

from __future__ import annotations

import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.query import prepared

from conftest import FIXTURES


@pytest.fixture
def ds() -> Dataset:
    return load(FIXTURES / "valid")


def test_a_failed_build_leaves_nothing(ds: Dataset) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        prepared.lru(ds, "view", "k", broken)
    assert prepared.lru(ds, "view", "k", lambda: "built") == "built"
    assert list(ds.memo["lru:view"]) == ["k"]


def test_lru_keeps_the_latest(ds: Dataset) -> None:
    for key in range(5):
        prepared.lru(ds, "view", key, lambda key=key: key * 10, maxsize=3)
    assert prepared.lru(ds, "view", 2, lambda: -1, maxsize=3) == 20  # kept: not rebuilt
    assert list(ds.memo["lru:view"]) == [3, 4, 2]


def test_row_strings_built_once_per_row(ds: Dataset) -> None:
    calls: list[str] = []

    def hover(_ds: Dataset, row: object) -> str:
        calls.append(str(row.event_id))  # type: ignore[attr-defined]
        return f"<{row.event_id}>"  # type: ignore[attr-defined]

    first = prepared.row_strings(ds, "events", "h", [1, 0], hover)
    again = prepared.row_strings(ds, "events", "h", [0, 1], hover)
    ids = ds.events["event_id"].tolist()
    assert first == [f"<{ids[1]}>", f"<{ids[0]}>"] and again == first[::-1]
    assert sorted(calls) == sorted(ids[:2])


def test_a_new_dataset_starts_empty(ds: Dataset) -> None:
    prepared.memo(ds, "x", lambda _ds: 1)
    assert "x" not in load(FIXTURES / "valid").memo
