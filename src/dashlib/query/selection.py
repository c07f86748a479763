"""The whole view state as one value, and its round trip to URL query parameters.

``country`` (ISO3, comma-separated), ``from``, ``to``, ``date`` (YYYY-MM-DD), ``kind``
(comma-separated), ``q`` (search text) and ``intervention`` (one id). Anything unknown or
malformed is dropped with a note for the reader, never an exception.

>>> sel, notes = Selection.from_params({"country": "UKR,GEO", "date": "2014-03-18"})
>>> sel.countries, sel.as_of
(('GEO', 'UKR'), datetime.date(2014, 3, 18))
>>> sel.to_params()
{'country': 'GEO,UKR', 'date': '2014-03-18'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashlib.data.dataset import Dataset

PARAMS = ("country", "from", "to", "date", "kind", "q", "intervention", "layer")
LAYERS = ("acled",)  # optional layers a reader can switch on
# Parameters Streamlit itself reads; never reported as unknown.
STREAMLIT_PARAMS = ("embed", "embed_options")
FIRST_DATE = dt.date(1991, 1, 1)
MAX_QUERY = 200


@dataclass(frozen=True)
class Selection:
    """Countries, date range, as-of date, kinds, search text and one intervention."""

    countries: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_of: dt.date | None = None
    kinds: tuple[str, ...] = ()
    query: str = ""
    intervention: str | None = None
    layers: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    def as_of_or(self, today: dt.date) -> dt.date:
        return self.as_of or today

    def range_or(self, today: dt.date) -> tuple[dt.date, dt.date]:
        return self.date_from or FIRST_DATE, self.date_to or today

    def with_(self, **changes: object) -> Selection:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_params(self) -> dict[str, str]:
        """Query parameters for this selection; defaults are left out so links stay short."""
        out: dict[str, str] = {}
        if self.countries:
            out["country"] = ",".join(self.countries)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.as_of:
            out["date"] = self.as_of.isoformat()
        if self.kinds:
            out["kind"] = ",".join(self.kinds)
        if self.query:
            out["q"] = self.query
        if self.intervention:
            out["intervention"] = self.intervention
        if self.layers:
            out["layer"] = ",".join(self.layers)
        return out

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, str | list[str]],
        countries: Collection[str] | None = None,
        kinds: Collection[str] | None = None,
        interventions: Collection[str] | None = None,
        today: dt.date | None = None,
    ) -> tuple[Selection, list[str]]:
        """Parse query parameters; return the selection and notes on what was dropped.

        ``countries``, ``kinds`` and ``interventions`` are the known values (None: accept any
        well-formed value).
        """
        notes: list[str] = []
        today = today or dt.date.today()
        read = _Reader(params, notes, today)
        one, codes, date = read.one, read.codes, read.date

        for key in params:
            if key not in PARAMS and key not in STREAMLIT_PARAMS:
                notes.append(f"Ignored unknown parameter '{str(key)[:40]}'.")
        date_from, date_to = date("from"), date("to")
        if date_from and date_to and date_from > date_to:
            notes.append("Ignored from/to: 'from' is after 'to'.")
            date_from = date_to = None
        query = one("q")
        if len(query) > MAX_QUERY:
            notes.append(f"Search text cut to {MAX_QUERY} characters.")
            query = query[:MAX_QUERY]
        intervention = one("intervention").lower() or None
        if intervention and interventions is not None and intervention not in interventions:
            notes.append(f"Ignored unknown intervention '{intervention[:40]}'.")
            intervention = None
        selection = cls(
            countries=codes("country", countries, upper=True),
            date_from=date_from,
            date_to=date_to,
            as_of=date("date"),
            kinds=codes("kind", kinds, upper=False),
            query=query,
            intervention=intervention,
            layers=codes("layer", LAYERS, upper=False),
            notes=tuple(notes),
        )
        return selection, notes


def parse_for(
    ds: Dataset, params: Mapping[str, str | list[str]], today: dt.date | None = None
) -> tuple[Selection, list[str]]:
    """:meth:`Selection.from_params` against what ``ds`` holds: its countries and
    interventions, and the kinds the figures know."""
    from dashlib.figures.theme import KIND_ORDER

    return Selection.from_params(
        params,
        countries=set(ds.countries["iso3"]),
        kinds=set(KIND_ORDER),
        interventions=set(ds.interventions["intervention_id"]),
        today=today,
    )


@dataclass
class _Reader:
    """Reads single values, code lists and dates from query parameters, noting what it drops."""

    params: Mapping[str, str | list[str]]
    notes: list[str]
    today: dt.date

    def one(self, key: str) -> str:
        value = self.params.get(key, "")
        if isinstance(value, list):
            value = value[-1] if value else ""
        return str(value).strip()

    def codes(self, key: str, known: Collection[str] | None, upper: bool) -> tuple[str, ...]:
        kept: list[str] = []
        for item in self.one(key).split(","):
            item = item.strip().upper() if upper else item.strip().lower()
            if not item:
                continue
            if known is not None and item not in known:
                self.notes.append(f"Ignored unknown {key} '{item[:40]}'.")
                continue
            if item not in kept:
                kept.append(item)
        return tuple(sorted(kept))

    def date(self, key: str) -> dt.date | None:
        raw = self.one(key)
        if not raw:
            return None
        try:
            value = dt.date.fromisoformat(raw)
            if len(raw) != 10:
                raise ValueError(raw)
        except ValueError:
            self.notes.append(f"Ignored {key}='{raw[:40]}': dates are written YYYY-MM-DD.")
            return None
        if not FIRST_DATE <= value <= self.today:
            self.notes.append(
                f"Ignored {key}={raw}: it must be between {FIRST_DATE} and {self.today}."
            )
            return None
        return value
