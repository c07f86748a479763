"""Check every table against the declared schema, then the rules that span files.

The data path of validation, in order:

1. :mod:`dashlib.data.csvio` reads each file into strings with spreadsheet line numbers;
2. :mod:`dashlib.data.coercion` types the numeric columns (:func:`type_table`);
3. :mod:`dashlib.data.checks.table` runs the single-table rules of ``datapackage.json``
   through pandera, worded by :mod:`dashlib.data.messages`;
4. :func:`dashlib.data.checks.cross_checks` runs the rules that span rows and files.
"""

from __future__ import annotations

import pandas as pd

from dashlib.data.checks import cross_checks
from dashlib.data.checks.table import failure_cases
from dashlib.data.coercion import coerce_numbers
from dashlib.data.csvio import RawTable
from dashlib.data.messages import from_failure_cases
from dashlib.data.problems import Problem
from dashlib.data.schema import Resource

__all__ = ["cross_checks", "type_table"]


def type_table(raw: RawTable, resource: Resource) -> tuple[pd.DataFrame, list[Problem]]:
    """Coerce a table's string cells to the declared types and run its pandera schema.

    Returns the typed frame (cells that failed set to NA) and the problems, each pointing at
    the line and column of the bad cell.
    """
    frame, problems = coerce_numbers(raw, resource)
    cases = failure_cases(frame, resource)
    if cases is not None:
        problems += from_failure_cases(raw, resource, cases)
    return frame, problems
