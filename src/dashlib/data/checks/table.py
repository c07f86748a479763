"""The single-table rules declared in ``datapackage.json``, run by pandera.

Types, required, enums, ranges, patterns and uniqueness come from the Table Schema through
:func:`dashlib.data.schema.pandera_schema`. A hand-written copy of pandera's pandas backend
used to run them; it was deleted (issue 14) after measuring the whole validation of the
generated 100k-row package (``bench/generate``): 0.62 s with the copy against 0.85 s with
pandera (plus about 1.5 s to import pandera in a fresh process) — 1.4× on the validation
itself, short of the 2× that would have justified keeping a second engine.
"""

from __future__ import annotations

import pandas as pd

from dashlib.data.schema import Resource, pandera_schema


def failure_cases(frame: pd.DataFrame, resource: Resource) -> pd.DataFrame | None:
    """pandera's ``failure_cases`` for ``frame`` (None when it passes every rule)."""
    import pandera.errors as pa_errors  # about a second to import: only when validating

    try:
        pandera_schema(resource).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        cases: pd.DataFrame = err.failure_cases
        return cases
    return None
