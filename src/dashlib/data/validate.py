"""Check every table against the declared schema, then the rules that span files.

Single-table rules (types, required, enums, ranges, patterns, uniqueness) come from
``datapackage.json``: the checks pandera builds from it
(:func:`dashlib.data.schema.pandera_schema`), run here the way pandera runs them
(:func:`schema_failures`) so that pandera itself only loads for a schema feature the rules do
not cover. Cross-file rules are written here because a Table Schema cannot say them: foreign
keys (including semicolon-separated lists), a precision that matches the date written, ``end >=
start``, ``troops_low <= troops_high``, and each site's coordinates inside the country or
territory it names.

Row-wise rules work on each distinct value once (most columns repeat a few values).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from dashlib.data import dates
from dashlib.data.csvio import RawTable
from dashlib.data.geo import EARTH_RADIUS_KM, CountryShapes
from dashlib.data.lists import split_list
from dashlib.data.problems import Problem
from dashlib.data.schema import ColumnRules, Resource, Rule, column_rules, pandera_schema

# How far outside its country's simplified outline a site may lie before we call it wrong:
# the 1:10m outlines are simplified to ~1–2 km, and coastal bases sit on the shoreline.
COORDINATE_TOLERANCE_KM = 10.0
# A planar distance (degrees) surely within that tolerance on the sphere (see _surely_within).
_SURELY_WITHIN_DEGREES = math.degrees(COORDINATE_TOLERANCE_KM * 0.999 / EARTH_RADIUS_KM)

LIST_REFERENCES: dict[tuple[str, str], str] = {
    # (table, column) -> referenced table; every table's source_ids is added below
    ("excerpts", "intervention_ids"): "interventions",
    ("excerpts", "country_iso3s"): "countries",
}
DATE_PAIRS = [("start_date", "end_date"), ("since", "until")]


def _row_line(raw: RawTable, index: Any) -> int:
    return raw.lines[int(index)] if index is not None and not pd.isna(index) else 0


def type_table(raw: RawTable, resource: Resource) -> tuple[pd.DataFrame, list[Problem]]:
    """Coerce a table's string cells to the declared types and run its pandera schema.

    Returns the typed frame (cells that failed set to NA) and the problems, each pointing at
    the line and column of the bad cell.
    """
    frame = raw.frame.copy()
    problems: list[Problem] = []
    for spec in resource.fields:
        name, kind = spec["name"], spec.get("type", "string")
        if kind not in ("integer", "number"):
            continue
        text = frame[name]
        numbers = _to_numbers(text)
        bad = text.notna() & numbers.isna()
        if kind == "integer":
            fractional = numbers.notna() & (numbers != numbers.round())
            bad |= fractional
        expected = "a whole number" if kind == "integer" else "a number"
        for index in frame.index[bad]:
            value = text[index]
            hint = (
                "write digits only, without spaces or thousands separators"
                if kind == "integer"
                else "write a decimal number with a point, e.g. 40.78"
            )
            if kind == "number" and re.fullmatch(r"-?\d+,\d+", str(value)):
                hint = f"use a decimal point, not a comma: {str(value).replace(',', '.')}"
            problems.append(
                Problem(
                    raw.file,
                    _row_line(raw, index),
                    raw.columns.get(name, 0),
                    f"{name} '{value}' is not {expected}",
                    hint,
                    name,
                )
            )
        numbers[bad] = pd.NA
        frame[name] = numbers.astype("Int64" if kind == "integer" else "Float64")

    rules = column_rules(resource)
    if rules is None or sorted(frame.columns) != sorted(r.name for r in rules):
        cases = pandera_failures(frame, resource)
    else:
        cases = schema_failures(frame, rules)
    if cases is not None:
        problems += _from_pandera(raw, resource, cases)
    return frame, problems


def _to_numbers(text: pd.Series) -> pd.Series:
    """``pd.to_numeric(text, errors="coerce")``, parsing each distinct value once."""
    codes, uniques = text.factorize()
    if len(uniques) == 0:
        return pd.to_numeric(text, errors="coerce")
    parsed = pd.to_numeric(pd.Series(uniques, dtype=text.dtype), errors="coerce")
    return pd.Series(parsed.array.take(codes, allow_fill=True), index=text.index, name=text.name)


def pandera_failures(frame: pd.DataFrame, resource: Resource) -> pd.DataFrame | None:
    """pandera's ``failure_cases`` for ``frame`` (None when it passes): the reference."""
    import pandera.errors as pa_errors

    try:
        pandera_schema(resource).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        cases: pd.DataFrame = err.failure_cases
        return cases
    return None


# pandera coerces a "string" column to pandas' default string dtype (NaN for missing on pandas 3)
_PANDERA_STRING: Any = (
    pd.StringDtype(na_value=np.nan) if int(pd.__version__.split(".")[0]) >= 3 else pd.StringDtype()
)
_CASE_COLUMNS = ["schema_context", "column", "check", "check_number", "failure_case", "index"]


def schema_failures(frame: pd.DataFrame, rules: Iterable[ColumnRules]) -> pd.DataFrame | None:
    """What :func:`pandera_failures` returns, computed without pandera.

    Follows pandera's pandas backend step by step: coerce each column to its dtype, report
    missing values of a non-nullable column, every copy of a duplicated value of a unique one,
    then each element-wise check on the non-missing values; gather the cases in that order and
    sort them as ``SchemaErrors`` does.
    """
    pieces: list[pd.DataFrame] = []

    def add(failed: pd.Series, column: str, check: str, number: Any, ignore_na: bool) -> None:
        cases = failed.rename("failure_case")
        cases.index.name = "index"
        cases = cases.reset_index()
        if ignore_na:
            cases = cases.dropna()
        pieces.append(
            cases.assign(column=column, schema_context="Column", check=check, check_number=number)[
                _CASE_COLUMNS
            ]
        )

    for rule in rules:
        series = frame[rule.name].astype(_PANDERA_STRING if rule.dtype == "string" else rule.dtype)
        if not rule.nullable and series.hasnans:
            add(series[series.isna()], rule.name, "not_nullable", None, ignore_na=False)
        if rule.dtype == "string" and len(series) >= _MANY_ROWS and _worth_distinct(rule):
            # Text repeats: run the element-wise checks once per distinct value.
            codes, uniques = series.factorize()
            distinct = pd.Series(uniques, dtype=series.dtype)
            is_unique = len(uniques) + series.hasnans == len(series)  # what Series.is_unique says
        else:
            codes, distinct, is_unique = None, series.dropna(), None
        if rule.unique and not (series.is_unique if is_unique is None else is_unique):
            # (a repeated value: Series.duplicated(keep=False) has some True)
            if codes is None:
                duplicated = series.duplicated(keep=False).to_numpy()
            else:  # the same rows, but for missing values (dropped from the cases anyway)
                counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
                duplicated = np.append(counts, 0)[codes] > 1  # code -1 (missing): 0
            add(series[duplicated], rule.name, "field_uniqueness", None, ignore_na=True)
        for number, check in enumerate(rule.checks):
            passed = _run_check(check, distinct)
            if passed.empty and passed.dtype != bool:
                passed = passed.astype(bool)
            if passed.all():
                continue
            if passed.dtype != bool:
                passed = passed.astype(bool)
            if codes is None:
                failed = distinct[~passed]
            else:  # the rows holding a failing value, in row order
                failed = series[np.isin(codes, np.flatnonzero(~passed.to_numpy()))]
            add(failed, rule.name, check.label, number, ignore_na=True)
    if not pieces:
        return None
    cases = pd.concat(pieces).reset_index(drop=True)
    return cases.sort_values("schema_context", ascending=False)


_MANY_ROWS = 1000  # below this, working out the distinct values costs more than it saves


def _worth_distinct(rule: ColumnRules) -> bool:
    """Uniqueness needs the distinct values anyway; a pattern is slow to test row by row."""
    return rule.unique or any(c.name in ("str_matches", "str_length") for c in rule.checks)


def _run_check(check: Rule, data: pd.Series) -> pd.Series:
    """pandera's built-in check ``check.name`` (pandas backend) on ``data``."""
    if check.name == "str_matches":
        return data.str.match(check.args[0], na=False)
    if check.name == "isin":
        return data.isin(check.args[0])
    if check.name == "in_range":
        low, high = check.args
        return (low <= data) & (high >= data)
    if check.name == "greater_than_or_equal_to":
        return data >= check.args[0]
    if check.name == "less_than_or_equal_to":
        return data <= check.args[0]
    if check.name == "str_length":
        low, high = check.args
        length = data.str.len()
        if high is None:
            return length >= low
        if low is None:
            return length <= high
        return (length <= high) & (length >= low)
    raise ValueError(f"no such check: {check.name}")


def _spread(result: pd.Series, codes: np.ndarray, text: pd.Series) -> pd.Series:
    """A result per distinct value of ``text`` (``codes`` from factorize) back on its rows."""
    out = result.take(codes)
    out.index = text.index
    return out.rename(text.name)


def _from_pandera(raw: RawTable, resource: Resource, cases: pd.DataFrame) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        name = str(case.column)
        if name not in raw.columns or not raw.columns[name]:
            continue  # the missing column is already reported once, on the header
        check = str(case.check)
        value = case.failure_case
        line = _row_line(raw, case.index)
        position = raw.columns[name]
        spec = resource.field(name)
        message, hint = _explain(resource, spec, check, value, raw, case.index)
        problems.append(Problem(raw.file, line, position, message, hint, name))
    return problems


def _explain(
    resource: Resource, spec: dict[str, Any], check: str, value: Any, raw: RawTable, index: Any
) -> tuple[str, str]:
    name = spec["name"]
    constraints = spec.get("constraints", {})
    if check == "not_nullable":
        return f"{name} is empty but required", f"fill in {spec.get('description', name)}"
    if check.startswith("field_uniqueness") or check == "unique":
        first = _first_line_of(raw, name, value, index)
        return (
            f"duplicate {name} '{value}'" + (f" (also on line {first})" if first else ""),
            f"each {name} must be unique: rename one of them",
        )
    if check.startswith("isin") and spec.get("type") == "boolean":
        return f"{name} '{value}' is not true or false", "write true or false"
    if check.startswith("isin"):
        allowed = ", ".join(constraints.get("enum", []))
        return f"{name} '{value}' is not an allowed value", f"use one of: {allowed}"
    if check == "iso_date" or (check.startswith("str_matches") and "[0-9]{4}" in check):
        return f"{name} '{value}' is not a date in ISO form", dates.date_hint(str(value))
    if check.startswith("str_matches") and name in ("url", "original_url"):
        return f"{name} '{value}' is not a web address", "write a full http:// or https:// address"
    if check.startswith("str_matches"):
        return (
            f"{name} '{value}' is not in the expected form",
            f"expected pattern {constraints.get('pattern')}: {spec.get('description', '')}",
        )
    if check.startswith(("in_range", "greater_than", "less_than")):
        low, high = constraints.get("minimum"), constraints.get("maximum")
        bounds = (
            f"between {low} and {high}"
            if low is not None and high is not None
            else f"at least {low}"
            if low is not None
            else f"at most {high}"
        )
        return f"{name} {value} is out of range", f"it must be {bounds}"
    return f"{name} '{value}' fails check {check}", spec.get("description", "")


def _first_line_of(raw: RawTable, name: str, value: Any, index: Any) -> int | None:
    column = raw.frame[name]
    matches = column.index[column == value]
    if len(matches) == 0:
        return None
    first = int(matches[0])
    if index is not None and not pd.isna(index) and first == int(index) and len(matches) > 1:
        first = int(matches[1])
    return raw.lines[first]


def cross_checks(
    raws: dict[str, RawTable],
    frames: dict[str, pd.DataFrame],
    resources: dict[str, Resource],
    shapes: CountryShapes | None,
) -> list[Problem]:
    """Rules that span rows or files. Assumes single-table problems are reported separately."""
    problems: list[Problem] = []
    problems += _foreign_keys(raws, frames, resources)
    facts = _DateFacts(text for frame in frames.values() for text in _date_texts(frame))
    for name, frame in frames.items():
        raw = raws[name]
        problems += _date_rules(raw, frame, facts)
        problems += _troop_rules(raw, frame)
    if shapes is not None:
        problems += _coordinates(raws, frames, shapes)
    return problems


def _keys(frames: dict[str, pd.DataFrame], table: str, column: str) -> set[str]:
    frame = frames.get(table)
    if frame is None or column not in frame:
        return set()
    return set(frame[column].dropna().astype(str))


def _foreign_keys(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], resources: dict[str, Resource]
) -> list[Problem]:
    problems: list[Problem] = []
    checks: list[tuple[str, str, str, str, bool]] = []  # table, column, ref table, ref column, list
    for name, res in resources.items():
        for fk in res.foreign_keys:
            fields = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
            ref = fk["reference"]
            ref_field = ref["fields"] if isinstance(ref["fields"], str) else ref["fields"][0]
            checks.append((name, fields, ref["resource"] or name, ref_field, False))
        if "source_ids" in res.columns:
            checks.append((name, "source_ids", "sources", "source_id", True))
    for (table, column), ref_table in LIST_REFERENCES.items():
        ref_col = resources[ref_table].primary_key[0]
        checks.append((table, column, ref_table, ref_col, True))

    for table, column, ref_table, ref_column, is_list in checks:
        if table not in frames or ref_table not in frames:
            continue
        raw, frame = raws[table], frames[table]
        known = _keys(frames, ref_table, ref_column)
        if not raws[ref_table].columns.get(ref_column):
            continue  # the referenced table is unreadable; reported there
        position = raw.columns.get(column, 0)
        if not position:
            continue
        # Each distinct cell once (missing cells get code -1); most cells hold one known id.
        codes, uniques = frame[column].factorize()
        values = pd.Series(uniques, dtype=frame[column].dtype).astype(str).tolist()
        wrong = [
            code
            for code, value in enumerate(values)
            if value not in known
            and (not is_list or any(i not in known for i in split_list(value)))
        ]
        rows = np.flatnonzero(np.isin(codes, wrong))
        for index, value in zip(frame.index[rows], (values[c] for c in codes[rows]), strict=True):
            for item in split_list(value) if is_list else [value]:
                if item not in known:
                    problems.append(
                        Problem(
                            raw.file,
                            raw.lines[int(index)],
                            position,
                            f"{column} '{item}' does not exist in {raws[ref_table].file}",
                            f"add it to {raws[ref_table].file} first, or fix the spelling",
                            column,
                        )
                    )
    return problems


def _date_rules(
    raw: RawTable, frame: pd.DataFrame, facts: _DateFacts | None = None
) -> list[Problem]:
    """Precision matches the date written; end not before start. Loops only over bad rows.

    ``facts`` must know every date written in ``frame`` (by default it is worked out here).
    """
    problems: list[Problem] = []
    if facts is None:
        facts = _DateFacts(_date_texts(frame))

    def add(index: Any, column: str, message: str, hint: str) -> None:
        problems.append(
            Problem(
                raw.file, raw.lines[int(index)], raw.columns.get(column, 0), message, hint, column
            )
        )

    for column in frame.columns:
        precision_col = _precision_column(column, frame)
        if precision_col is None:
            continue
        values, precision = frame[column], frame[precision_col]
        for index in frame.index[values.isna() & precision.notna()]:
            add(
                index,
                precision_col,
                f"{precision_col} is set but {column} is empty",
                f"fill in {column}, or clear {precision_col}",
            )
        present = values.dropna().astype(str)
        actual, shaped = facts.precisions(present)
        unreal = actual.isna() & shaped
        for index in present.index[unreal]:
            add(
                index,
                column,
                f"{column} '{present[index]}' is not a real date",
                "check the month (01–12) and day",
            )
        given = precision[values.notna()]  # as precision.reindex(present.index)
        known = actual.notna()
        for index in present.index[known & given.isna()]:
            add(
                index,
                precision_col,
                f"{precision_col} is empty but {column} is '{present[index]}'",
                f"write {actual[index]}",
            )
        for index in present.index[known & given.notna() & (given != actual)]:
            add(
                index,
                precision_col,
                f"{precision_col} is '{given[index]}' but {column} '{present[index]}' gives a "
                f"{actual[index]}",
                f"write {actual[index]}, or write the date to the {given[index]}",
            )
    for start, end in DATE_PAIRS:
        if start not in frame or end not in frame:
            continue
        both = frame[[start, end]].dropna().astype(str)
        first, _ = facts.bounds(both[start])
        _, last = facts.bounds(both[end])
        valid = first.notna() & last.notna()
        both, first, last = both[valid], first[valid], last[valid]
        if both.empty:
            continue
        for index in both.index[(last < first).to_numpy()]:
            add(
                index,
                end,
                f"{end} {both.at[index, end]} is before {start} {both.at[index, start]}",
                "swap them, or correct the year",
            )
    return problems


def _padded(text: pd.Series) -> pd.Series:
    """Partial ISO dates completed to their first day ('1992' -> '1992-01-01')."""
    parts = text.str.count("-")
    return text.where(parts == 2, text.where(parts == 1, text + "-01") + "-01")


def _date_texts(frame: pd.DataFrame) -> set[str]:
    """Every date written in the columns :func:`_date_rules` reads."""
    columns = {c for c in frame.columns if _precision_column(c, frame) is not None}
    columns |= {c for pair in DATE_PAIRS if set(pair) <= set(frame.columns) for c in pair}
    return {str(t) for c in columns for t in frame[c].dropna().astype(str).unique()}


class _DateFacts:
    """What each distinct date text means, worked out once: dates repeat across rows and tables.

    Lookups give exactly what :func:`_precisions_of` and :func:`_period_bounds_of` give for the
    same (missing-free) text, row by row.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        values = pd.Series(sorted(set(texts)), dtype="string").astype(str)  # as _date_rules
        self._index = pd.Index(values)
        self._precision = _precisions_of(values)
        self._first, self._last = _period_bounds_of(values)
        self._shaped = values.str.match(dates.PARTIAL_DATE.pattern)

    def _lookup(self, text: pd.Series, *facts: pd.Series) -> list[pd.Series]:
        codes, uniques = text.factorize()
        where = self._index.get_indexer(uniques)
        if (where < 0).any():
            raise KeyError(f"dates not looked at: {list(uniques[where < 0])[:3]}")
        return [_spread(fact.take(where), codes, text) for fact in facts]

    def precisions(self, text: pd.Series) -> tuple[pd.Series, pd.Series]:
        """'day'/'month'/'year' per cell, or NA when it is not a real partial ISO date; and
        whether each cell starts like a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."""
        precision, shaped = self._lookup(text, self._precision, self._shaped)
        return precision, shaped

    def bounds(self, text: pd.Series) -> tuple[pd.Series, pd.Series]:
        """First and last day each partial date can mean (NaT when not a real date)."""
        first, last = self._lookup(text, self._first, self._last)
        return first, last


def _precisions(text: pd.Series) -> pd.Series:
    """'day'/'month'/'year' per cell, or NA when it is not a real partial ISO date (vectorised)."""
    return _DateFacts(text).precisions(text)[0]


def _precisions_of(text: pd.Series) -> pd.Series:
    shaped = text.str.fullmatch(dates.PARTIAL_DATE.pattern.strip("^$"))
    real = pd.to_datetime(_padded(text.where(shaped, "")), format="%Y-%m-%d", errors="coerce")
    names = text.str.count("-").map({0: "year", 1: "month", 2: "day"})
    return names.where(shaped & real.notna())


def _period_bounds(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day each partial date can mean (NaT when not a real date)."""
    return _DateFacts(text).bounds(text)


def _period_bounds_of(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    precision = _precisions_of(text)
    first = pd.to_datetime(
        _padded(text.where(precision.notna(), "")), format="%Y-%m-%d", errors="coerce"
    )
    last = first.copy()
    month = precision == "month"
    year = precision == "year"
    last[month] = first[month] + pd.offsets.MonthEnd(0)
    last[year] = first[year] + pd.offsets.YearEnd(0)
    return first, last


def _precision_column(column: str, frame: pd.DataFrame) -> str | None:
    for candidate in (column.removesuffix("_date") + "_precision", column + "_precision"):
        if candidate != column and candidate in frame.columns:
            return candidate
    return None


def _troop_rules(raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    if "troops_low" not in frame:
        return []
    problems = []
    low, high = frame["troops_low"], frame["troops_high"]
    column = raw.columns.get("troops_high", 0)
    for index in frame.index[low.isna() != high.isna()]:
        problems.append(
            Problem(
                raw.file,
                raw.lines[int(index)],
                column,
                "only one end of the troop range is given",
                "give both troops_low and troops_high (equal when sources agree on one figure)",
                "troops_high",
            )
        )
    upside_down = (low > high).fillna(False).astype(bool)
    for index in frame.index[upside_down]:
        problems.append(
            Problem(
                raw.file,
                raw.lines[int(index)],
                column,
                f"troops_high {high[index]} is smaller than troops_low {low[index]}",
                "swap them",
                "troops_high",
            )
        )
    undated = (low.notna() | high.notna()) & frame["troops_as_of"].isna()
    for index in frame.index[undated]:
        problems.append(
            Problem(
                raw.file,
                raw.lines[int(index)],
                raw.columns.get("troops_as_of", 0),
                "a troop figure is given without the date it refers to",
                "fill in troops_as_of (YYYY, YYYY-MM or YYYY-MM-DD)",
                "troops_as_of",
            )
        )
    return problems


def _coordinates(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], shapes: CountryShapes
) -> list[Problem]:
    problems: list[Problem] = []
    territories = frames.get("territories")
    territory_country: dict[str, str] = {}
    if territories is not None:
        territory_country = dict(
            zip(
                territories["territory_id"].astype(str),
                territories["country_iso3"].astype(str),
                strict=True,
            )
        )
    for table in ("deployments", "territories"):
        frame = frames.get(table)
        if frame is None or not {"lat", "lon", "country_iso3"} <= set(frame.columns):
            continue
        raw = raws[table]
        if table == "deployments" and "territory_id" in frame:
            # .map(territory_country), once per distinct territory_id (missing ones too)
            codes, uniques = pd.factorize(frame["territory_id"], use_na_sentinel=False)
            expected = _spread(
                pd.Series(uniques, dtype=frame["territory_id"].dtype).map(territory_country),
                codes,
                frame["territory_id"],
            )
            wrong = expected.notna() & (expected != frame["country_iso3"])
            for index in frame.index[wrong.fillna(False).astype(bool)]:
                problems.append(
                    Problem(
                        raw.file,
                        raw.lines[int(index)],
                        raw.columns.get("country_iso3", 0),
                        f"territory {frame.at[index, 'territory_id']} belongs to "
                        f"{expected[index]}, not {frame.at[index, 'country_iso3']}",
                        f"write {expected[index]}",
                        "country_iso3",
                    )
                )
        ok = frame["lat"].notna() & frame["lon"].notna() & frame["country_iso3"].notna()
        sub = frame[ok]
        if sub.empty:
            continue
        iso3s = sub["country_iso3"].astype(str).to_numpy(dtype=object)
        lons = sub["lon"].astype(float).to_numpy()
        lats = sub["lat"].astype(float).to_numpy()
        # inf is out of range already (reported by the schema), and has no distance
        far = ~_surely_within(shapes, iso3s, lons, lats) & np.isfinite(lons) & np.isfinite(lats)
        sub = sub[far]
        distances = shapes.distance_km(iso3s[far].tolist(), lons[far], lats[far])
        for index, km in zip(sub.index, distances, strict=True):
            if km is None or km <= COORDINATE_TOLERANCE_KM:
                continue
            lat, lon = float(sub.at[index, "lat"]), float(sub.at[index, "lon"])
            iso3 = str(sub.at[index, "country_iso3"])
            swapped = shapes.distance_km([iso3], [lat], [lon])[0]
            hint = (
                "latitude and longitude look swapped"
                if swapped is not None and swapped <= COORDINATE_TOLERANCE_KM
                else "check the coordinates (decimal degrees, lat then lon)"
            )
            problems.append(
                Problem(
                    raw.file,
                    raw.lines[int(index)],
                    raw.columns.get("lat", 0),
                    f"({sub.at[index, 'lat']}, {sub.at[index, 'lon']}) is {km:.0f} km "
                    f"outside {iso3}",
                    hint,
                    "lat",
                )
            )
    return problems


def _surely_within(
    shapes: CountryShapes, iso3s: np.ndarray, lons: np.ndarray, lats: np.ndarray
) -> np.ndarray:
    """True where :meth:`CountryShapes.distance_km` is sure to be within the tolerance.

    That is inside the country's outline (distance 0), or so close to it that the distance
    cannot exceed the tolerance: the great-circle distance to the outline's nearest point is
    at most the Earth's radius times the planar distance in radians. Only the other points need
    the exact (slower, point by point) distance.
    """
    near = np.zeros(len(iso3s), dtype=bool)
    codes, names = pd.factorize(iso3s)
    for code, iso3 in enumerate(names):
        geom = shapes.shapes.get(iso3)
        if geom is None:
            continue
        rows = np.flatnonzero(codes == code)
        inside = shapely.contains_xy(geom, lons[rows], lats[rows])
        near[rows[inside]] = True
        outside = rows[~inside]
        if outside.size:
            points = shapely.points(lons[outside], lats[outside])
            near[outside] = shapely.dwithin(geom, points, _SURELY_WITHIN_DEGREES)
    return near
