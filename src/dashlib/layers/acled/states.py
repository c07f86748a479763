"""The states an import keeps, read from ``countries.csv`` (the dataset's own list).

ACLED identifies a state by its ISO 3166-1 *numeric* code (``iso``) or its English name
(``country``). The dataset's ``countries.csv`` gives each state's ISO3 code, name and name
variants; what it does not hold is below: the numeric codes, and the spellings ACLED uses that
are not name variants a reader would search for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashlib import paths
from dashlib.data.csvio import read_csv
from dashlib.data.lists import split_list
from dashlib.data.problems import DataError
from dashlib.data.schema import read_package

# ISO 3166-1 numeric code by alpha-3 code (ACLED's ``iso`` column), for the states of
# countries.csv; a state added there needs its code here.
ISO_NUMERIC = {
    "ARM": 51, "AZE": 31, "BLR": 112, "EST": 233, "GEO": 268, "KAZ": 398, "KGZ": 417,
    "LVA": 428, "LTU": 440, "MDA": 498, "RUS": 643, "TJK": 762, "TKM": 795, "UKR": 804,
    "UZB": 860,
}  # fmt: skip
# Official names ACLED may write that countries.csv does not list among the variants.
ACLED_NAMES = {"KGZ": ("Kyrgyz Republic",), "MDA": ("Republic of Moldova",)}


@dataclass(frozen=True)
class States:
    """Lookups from what an export writes to the ISO3 code of one of the dataset's states."""

    names: dict[str, str]
    """ISO3 -> the name to show."""
    by_numeric: dict[int, str]
    by_name: dict[str, str]
    """Lower-case name or variant -> ISO3."""

    @property
    def codes(self) -> list[str]:
        return list(self.names)


def read_states(data_dir: Path) -> States:
    """The states of ``data_dir/countries.csv`` (the shipped one when the folder has none)."""
    folder = Path(data_dir)
    if not (folder / "countries.csv").is_file():
        folder = paths.data_dir()
    resource = read_package(folder)["countries"]
    raw = read_csv(folder / resource.path, resource.columns, resource.path)
    if raw.problems:
        raise DataError(raw.problems)
    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for row in raw.frame.itertuples(index=False):
        iso3 = str(row.iso3)
        names[iso3] = str(row.name)
        for name in (row.name, *split_list(row.name_variants), *ACLED_NAMES.get(iso3, ())):
            by_name[str(name).lower()] = iso3
    by_numeric = {ISO_NUMERIC[iso3]: iso3 for iso3 in names if iso3 in ISO_NUMERIC}
    return States(names, by_numeric, by_name)
