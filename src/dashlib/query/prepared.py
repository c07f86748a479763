"""Derived data built once per dataset and shared by every reader.

The :class:`~dashlib.data.dataset.Dataset` lives in ``st.cache_resource``: one object for every
session. Per-row string work (hover text, formatted dates, source links) is done here once per
dataset version, on first use, instead of on every rerun; a rerun then only masks and slices.
Two sessions may race to build the same entry: both build the same value and one wins, which is
harmless because the values are pure functions of the dataset.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from threading import Lock
from typing import Any, TypeVar

from dashlib.data.dataset import Dataset

T = TypeVar("T")


def memo(ds: Dataset, key: str, build: Callable[[Dataset], T]) -> T:
    """``build(ds)``, computed once per dataset under ``key``."""
    cache = ds.memo
    if key not in cache:
        cache.setdefault(key, build(ds))  # a racing reader's value wins only if it was first
    value: T = cache[key]
    return value


def row_strings(
    ds: Dataset,
    table: str,
    key: str,
    positions: Sequence[int],
    build: Callable[[Dataset, Any], str],
) -> list[str]:
    """``build(ds, row)`` for the rows at ``positions`` of ``table``, each built only once."""
    cache: dict[int, str] = memo(ds, f"strings:{table}:{key}", lambda _ds: {})
    missing = sorted({int(p) for p in positions} - cache.keys())
    if missing:
        frame = ds.table(table).iloc[missing]
        for position, row in zip(missing, frame.itertuples(index=False), strict=True):
            cache[position] = build(ds, row)
    return [cache[int(p)] for p in positions]


_LRU_LOCK = Lock()
_BUILDING: dict[tuple[int, Hashable], Lock] = {}


def lru(ds: Dataset, name: str, key: Hashable, build: Callable[[], T], maxsize: int = 32) -> T:
    """``build()`` cached per dataset under ``(name, key)``, keeping the ``maxsize`` latest.

    Readers asking for the same missing entry at once wait for one build instead of each
    building it (after a data update, every reader arrives at a cold cache together).
    """
    cache: OrderedDict[Hashable, Any] = memo(ds, f"lru:{name}", lambda _ds: OrderedDict())
    with _LRU_LOCK:
        if key in cache:
            cache.move_to_end(key)
            hit: T = cache[key]
            return hit
        building = _BUILDING.setdefault((id(cache), key), Lock())
    with building:  # one build per key; other keys build in parallel
        with _LRU_LOCK:
            if key in cache:
                done: T = cache[key]
                return done
        value = build()
        with _LRU_LOCK:
            cache[key] = value
            while len(cache) > maxsize:
                cache.popitem(last=False)
            _BUILDING.pop((id(cache), key), None)
    return value
