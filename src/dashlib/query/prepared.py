"""Derived data that lives as long as one dataset: built from it on first use, never changed.

The :class:`~dashlib.data.dataset.Dataset` is loaded in the UI layer's ``st.cache_resource``
(:mod:`dashlib.ui.data`, keyed on the files' content) and shared by every session. Per-row
string work (hover text, formatted dates, source links) is done here once for that dataset,
instead of on every rerun; a rerun then only masks and slices. The values sit in the dataset's
own ``memo`` slot, so they go when the UI cache drops the dataset: this module holds no state
of its own (no module-level table, no lock). Two sessions may race to build the same entry:
both build the same value and one wins, which is harmless because the values are pure
functions of the dataset. Caching of whole views (figures) belongs to :mod:`dashlib.ui`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
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


def lru(ds: Dataset, name: str, key: Hashable, build: Callable[[], T], maxsize: int = 32) -> T:
    """``build()`` kept per dataset under ``(name, key)``, the ``maxsize`` latest only.

    A build that raises leaves nothing behind. Each dict operation is atomic under the GIL;
    a concurrent eviction at worst costs one more build.
    """
    cache: OrderedDict[Hashable, Any] = memo(ds, f"lru:{name}", lambda _ds: OrderedDict())
    try:
        hit: T = cache[key]
        cache.move_to_end(key)
        return hit
    except KeyError:
        pass
    value = build()
    cache[key] = value
    while len(cache) > maxsize:
        try:
            cache.popitem(last=False)
        except KeyError:
            break
    return value
