"""Foreign keys across files, including cells that list several ids (``a; b``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from dashlib.data.csvio import RawTable
from dashlib.data.lists import split_list
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource

# (table, column) -> referenced table, for list columns the Table Schema cannot declare;
# every table's ``source_ids`` is added in :func:`references`.
LIST_REFERENCES: dict[tuple[str, str], str] = {
    ("excerpts", "intervention_ids"): "interventions",
    ("excerpts", "country_iso3s"): "countries",
}


class Reference(NamedTuple):
    table: str
    column: str
    ref_table: str
    ref_column: str
    is_list: bool


def references(resources: dict[str, Resource]) -> list[Reference]:
    """Every reference to check: declared foreign keys, ``source_ids`` and list columns."""
    out: list[Reference] = []
    for name, res in resources.items():
        for fk in res.foreign_keys:
            fields = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
            ref = fk["reference"]
            ref_field = ref["fields"] if isinstance(ref["fields"], str) else ref["fields"][0]
            out.append(Reference(name, fields, ref["resource"] or name, ref_field, False))
        if "source_ids" in res.columns:
            out.append(Reference(name, "source_ids", "sources", "source_id", True))
    for (table, column), ref_table in LIST_REFERENCES.items():
        out.append(Reference(table, column, ref_table, resources[ref_table].primary_key[0], True))
    return out


def foreign_keys(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], resources: dict[str, Resource]
) -> list[Problem]:
    """Every cell naming an id its referenced table does not hold."""
    problems: list[Problem] = []
    for ref in references(resources):
        if ref.table not in frames or ref.ref_table not in frames:
            continue
        if not raws[ref.ref_table].columns.get(ref.ref_column):
            continue  # the referenced table is unreadable; reported there
        if not raws[ref.table].columns.get(ref.column, 0):
            continue
        known = set(frames[ref.ref_table][ref.ref_column].dropna().astype(str))
        problems += _unknown(raws[ref.table], frames[ref.table], ref, known, raws[ref.ref_table])
    return problems


def _unknown(
    raw: RawTable, frame: pd.DataFrame, ref: Reference, known: set[str], target: RawTable
) -> list[Problem]:
    # Each distinct cell once (missing cells get code -1); most cells hold one known id.
    codes, uniques = frame[ref.column].factorize()
    values = pd.Series(uniques, dtype=frame[ref.column].dtype).astype(str).tolist()
    wrong = [
        code
        for code, value in enumerate(values)
        if value not in known
        and (not ref.is_list or any(i not in known for i in split_list(value)))
    ]
    rows = np.flatnonzero(np.isin(codes, wrong))
    problems = []
    for index, value in zip(frame.index[rows], (values[c] for c in codes[rows]), strict=True):
        for item in split_list(value) if ref.is_list else [value]:
            if item not in known:
                problems.append(
                    raw.problem(
                        index,
                        ref.column,
                        f"{ref.column} '{item}' does not exist in {target.file}",
                        f"add it to {target.file} first, or fix the spelling",
                    )
                )
    return problems
