"""The published dataset validates and meets the coverage the newsroom promised."""

from __future__ import annotations

import pytest

from dashlib.data.dataset import Dataset, check, load
from dashlib.data.lists import split_list

from conftest import REPO

DATA = REPO / "data"
POST_SOVIET = {
    "ARM",
    "AZE",
    "BLR",
    "EST",
    "GEO",
    "KAZ",
    "KGZ",
    "LVA",
    "LTU",
    "MDA",
    "RUS",
    "TJK",
    "TKM",
    "UKR",
    "UZB",
}
REQUIRED_INTERVENTIONS = {
    "transnistria-war-1992",
    "transnistria-force",
    "abkhazia-war-1992",
    "abkhazia-peacekeeping-1994",
    "south-ossetia-war-1991",
    "south-ossetia-peacekeeping-1992",
    "tajikistan-civil-war",
    "tajikistan-201st",
    "chechnya-war-1",
    "chechnya-war-2",
    "georgia-2008",
    "crimea-2014",
    "donbas-2014",
    "belarus-2020",
    "nagorno-karabakh-peacekeeping-2020",
    "ukraine-buildup-2021",
    "kazakhstan-csto-2022",
    "ukraine-invasion-2022",
}
TERRITORIES = {
    "crimea",
    "transnistria",
    "abkhazia",
    "south-ossetia",
    "nagorno-karabakh",
    "donetsk-occupied",
    "luhansk-occupied",
    "zaporizhzhia-occupied",
    "kherson-occupied",
}


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load(DATA)


def test_shipped_data_validates() -> None:
    assert check(DATA) == []


def test_coverage(ds: Dataset) -> None:
    assert set(ds.countries["iso3"]) == POST_SOVIET
    assert TERRITORIES <= set(ds.territories["territory_id"])
    assert REQUIRED_INTERVENTIONS <= set(ds.interventions["intervention_id"])
    # Issue 12's coverage through 2026: 28 interventions, 45 sites, 120 events, 15 after mid-2024.
    assert len(ds.interventions) >= 28
    assert len(ds.deployments) >= 45
    assert len(ds.events) >= 120
    assert (ds.events["date"].astype(str) > "2024-06-30").sum() >= 15
    # Quotation, not republication: a few short excerpts (the share rule is the validator's).
    assert len(ds.excerpts) >= 5


def test_chechen_wars_are_marked_inside_russia(ds: Dataset) -> None:
    inter = ds.interventions.set_index("intervention_id")
    for key in ("chechnya-war-1", "chechnya-war-2"):
        assert inter.at[key, "inside_russia"] and inter.at[key, "country_iso3"] == "RUS"
    assert not inter["inside_russia"].drop(["chechnya-war-1", "chechnya-war-2"]).any()


def test_crimea_is_ukraine(ds: Dataset) -> None:
    crimea = ds.territories.set_index("territory_id").loc["crimea"]
    assert crimea["country_iso3"] == "UKR" and crimea["status"] == "occupied"
    in_crimea = ds.deployments[ds.deployments["territory_id"] == "crimea"]
    assert len(in_crimea) and set(in_crimea["country_iso3"]) == {"UKR"}


def test_full_scale_invasion_is_ongoing(ds: Dataset) -> None:
    row = ds.interventions.set_index("intervention_id").loc["ukraine-invasion-2022"]
    assert row["start_date"] == "2022-02-24" and row["ongoing"]


@pytest.mark.parametrize(
    "table", ["countries", "territories", "interventions", "deployments", "events"]
)
def test_every_row_cites_an_openable_source(ds: Dataset, table: str) -> None:
    urls = dict(zip(ds.sources["source_id"], ds.sources["url"], strict=True))
    for cell in ds.table(table)["source_ids"]:
        ids = split_list(cell)
        assert ids, f"{table}: a row cites no source"
        assert all(urls[i].startswith(("https://", "http://")) for i in ids)


def test_geo_files_are_committed() -> None:
    for name in ("geo/countries.geojson", "geo/crimea.geojson"):
        assert (DATA / name).stat().st_size > 0
    for name in ("world_50m.json", "world_110m.json"):
        assert (REPO / "static" / "topojson" / name).stat().st_size > 0


def test_geo_countries_are_the_15_states(ds: Dataset) -> None:
    assert ds.countries_geojson is not None
    codes = {f["properties"]["iso3"] for f in ds.countries_geojson["features"]}
    assert codes == POST_SOVIET


def test_crimea_inside_ukraine_outline() -> None:
    import json

    from shapely.geometry import shape

    countries = json.loads((DATA / "geo" / "countries.geojson").read_text())
    crimea = shape(
        json.loads((DATA / "geo" / "crimea.geojson").read_text())["features"][0]["geometry"]
    )
    outlines = {f["properties"]["iso3"]: shape(f["geometry"]) for f in countries["features"]}
    centre = crimea.representative_point()
    assert outlines["UKR"].buffer(0.05).contains(centre)
    assert not outlines["RUS"].contains(centre)
