"""Generated exports in ACLED's public layout, for the tests and benchmarks of the ACLED layer.

Every row is made up ("Generated test row, not ACLED data."); :func:`generate` says how many
of them an import should keep (post-Soviet place, Russian forces among the actors).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PUBLIC_COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")

POST_SOVIET = [
    (804, "Ukraine", 44.0, 52.0, 22.0, 40.0),
    (643, "Russia", 45.0, 56.0, 33.0, 48.0),
    (268, "Georgia", 41.2, 43.5, 40.0, 46.5),
    (498, "Moldova", 45.5, 48.4, 26.7, 30.1),
    (112, "Belarus", 51.3, 56.1, 23.2, 32.7),
]
ELSEWHERE = [(760, "Syria", 32.5, 37.0, 35.8, 42.0), (466, "Mali", 11.0, 20.0, -11.0, 4.0)]
ACTORS = [
    ("Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", "", True),
    ("Military Forces of Ukraine (2019-)", "Military Forces of Russia (2000-)", "", True),
    ("Military Forces of Ukraine (2019-)", "Civilians (Ukraine)", "", False),
    ("Unidentified Armed Group (Ukraine)", "", "Wagner Group", True),
    ("Protesters (Russia)", "Police Forces of Russia (2000-)", "", False),
]


def generate(path: Path, rows: int, seed: int = 7) -> int:
    """Write ``rows`` events in ACLED's public layout; return how many should be kept."""
    rng = np.random.default_rng(seed)
    places = POST_SOVIET + ELSEWHERE
    place = np.arange(rows) % len(places)
    actor = (np.arange(rows) // len(places)) % len(ACTORS)
    iso = np.array([places[i][0] for i in place])
    lat_lo = np.array([places[i][2] for i in place])
    lat_hi = np.array([places[i][3] for i in place])
    lon_lo = np.array([places[i][4] for i in place])
    lon_hi = np.array([places[i][5] for i in place])
    days = rng.integers(0, 365 * 4, rows)
    dates = pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"TST{i}" for i in range(rows)],
            "event_date": dates.strftime("%Y-%m-%d"),
            "year": dates.year,
            "time_precision": rng.integers(1, 4, rows),
            "disorder_type": "Political violence",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": [ACTORS[a][0] for a in actor],
            "assoc_actor_1": "",
            "inter1": "State forces",
            "actor2": [ACTORS[a][1] for a in actor],
            "assoc_actor_2": [ACTORS[a][2] for a in actor],
            "inter2": "State forces",
            "interaction": "State forces-State forces",
            "civilian_targeting": "",
            "iso": iso,
            "region": "Europe",
            "country": [places[i][1] for i in place],
            "admin1": "Region",
            "admin2": "",
            "admin3": "",
            "location": "Somewhere",
            "latitude": np.round(rng.uniform(lat_lo, lat_hi), 4),
            "longitude": np.round(rng.uniform(lon_lo, lon_hi), 4),
            "geo_precision": rng.integers(1, 4, rows),
            "source": "Generated",
            "source_scale": "National",
            "notes": "Generated test row, not ACLED data.",
            "fatalities": rng.integers(0, 5, rows),
            "tags": "",
            "timestamp": 1700000000,
        }
    )
    assert list(frame.columns) == PUBLIC_COLUMNS
    frame.to_csv(path, index=False)
    in_scope = place < len(POST_SOVIET)
    russian = np.array([ACTORS[a][3] for a in actor])
    return int((in_scope & russian).sum())
