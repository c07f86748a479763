"""Rules a Table Schema cannot say, one module per concern.

* :mod:`~dashlib.data.checks.table` — the declared single-table rules, run by pandera;
* :mod:`~dashlib.data.checks.keys` — foreign keys, including semicolon-separated lists;
* :mod:`~dashlib.data.checks.dates` — a precision that matches the date written, end >= start;
* :mod:`~dashlib.data.checks.troops` — both ends of a troop range, low <= high, dated;
* :mod:`~dashlib.data.checks.coordinates` — each site inside the country or territory it names;
* :mod:`~dashlib.data.checks.sources` — no refused host, one record per URL, not Wikipedia alone;
* :mod:`~dashlib.data.checks.quotations` — excerpts verbatim, short, a small share of their text;
* :mod:`~dashlib.data.checks.consistency` — one story across tables (periods, figures, events).

:func:`cross_checks` runs every cross-file rule. To add one, write a module here with a function
``(raws, frames, …) -> list[Problem]`` and call it from :func:`cross_checks`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashlib.data.checks import consistency, coordinates, dates, keys, quotations, sources, troops
from dashlib.data.csvio import RawTable
from dashlib.data.geo import CountryShapes
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource


def cross_checks(
    raws: dict[str, RawTable],
    frames: dict[str, pd.DataFrame],
    resources: dict[str, Resource],
    shapes: CountryShapes | None,
) -> list[Problem]:
    """Rules that span rows or files. Assumes single-table problems are reported separately."""
    problems: list[Problem] = keys.foreign_keys(raws, frames, resources)
    for name, frame in frames.items():
        problems += dates.date_rules(raws[name], frame)
        problems += troops.troop_rules(raws[name], frame)
    if shapes is not None:
        problems += coordinates.coordinates(raws, frames, shapes)
    return problems


def editorial_checks(raws: dict[str, RawTable], data_dir: Path) -> list[Problem]:
    """The newsroom's rules on sources, quotations and consistency between tables."""
    return (
        sources.source_rules(raws)
        + quotations.quotation_rules(raws, data_dir)
        + consistency.consistency_rules(raws)
    )
