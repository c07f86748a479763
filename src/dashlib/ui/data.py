"""Cached loading: validate once per change of the files, share one Dataset with every reader.

The cache key is the content hash of the data files (recomputed only when a file's size or
modification time changes), so an edited CSV shows up on the next rerun without a restart.
``st.cache_resource`` hands every session the same object (the dataset is read-only);
``st.cache_data`` would copy it into each session. The reader-facing tables are formatted
once, at load, so no reader's rerun pays for it.
If the files stop validating, readers keep the last valid dataset and see an
"update pending" note; the problems are listed for editors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

import pandas as pd
import streamlit as st

from dashlib import paths
from dashlib.data.dataset import Dataset, content_hash, files_signature, load
from dashlib.data.problems import DataError, Problem
from dashlib.layers.acled.store import layer_path, load_acled
from dashlib.query.tables import warm


def data_dir() -> Path:
    """The data folder: ``DASHLIB_DATA_DIR`` in the environment, else the repo's data/."""
    return paths.data_dir()


@dataclass
class _LastGood:
    dataset: Dataset | None = None
    lock: Lock = field(default_factory=Lock)


@st.cache_resource(show_spinner=False)
def _last_good(folder: str) -> _LastGood:
    return _LastGood()


@st.cache_resource(show_spinner="Checking the data…", max_entries=4)
def _load(folder: str, digest: str) -> Dataset | DataError:
    try:
        ds = load(Path(folder))
    except DataError as err:
        return err
    warm(ds)
    return ds


@dataclass(frozen=True)
class Loaded:
    """What the pages get: the dataset to show and, when the files are invalid, the problems."""

    dataset: Dataset | None
    problems: tuple[Problem, ...] = ()

    @property
    def pending(self) -> bool:
        return bool(self.problems)


@st.cache_resource(show_spinner=False, max_entries=8)
def _digest(folder: str, signature: tuple[tuple[str, int, int], ...]) -> str:
    """The content hash, recomputed only when a file's size or mtime changes."""
    return content_hash(Path(folder))


def get_dataset() -> Loaded:
    folder = data_dir()
    result = _load(str(folder), _digest(str(folder), files_signature(folder)))
    holder = _last_good(str(folder))
    if isinstance(result, Dataset):
        with holder.lock:
            holder.dataset = result
        return Loaded(result)
    with holder.lock:
        last = holder.dataset
    if last is None:  # never valid since start: try the last committed data is not possible here
        return Loaded(None, tuple(result.problems))
    return Loaded(last, tuple(result.problems))


@st.cache_resource(show_spinner="Loading the ACLED layer…", max_entries=2)
def _load_acled(folder: str, digest: str) -> pd.DataFrame | None:
    try:
        return load_acled(Path(folder))
    except DataError:
        return None


def get_acled() -> pd.DataFrame | None:
    """The optional ACLED layer (None when not imported or invalid), cached on its content."""
    folder = data_dir()
    path = layer_path(folder)
    if not path.exists():
        return None
    stat = path.stat()
    return _load_acled(str(folder), f"{stat.st_size}-{stat.st_mtime_ns}")
