"""dashlib.layers.acled.states: the import's states come from countries.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashlib.layers.acled.importer import country_codes
from dashlib.layers.acled.states import read_states

from conftest import FIXTURES, REPO


def test_every_shipped_state_has_its_acled_code() -> None:
    states = read_states(REPO / "data")
    assert len(states.codes) == 15
    assert sorted(states.by_numeric.values()) == sorted(states.codes)


def test_states_follow_the_data_folder(tmp_path: Path) -> None:
    fixture = read_states(FIXTURES / "valid")  # five states
    frame = pd.DataFrame(
        {"iso": ["804", "112", None], "country": [None, None, "moldavia"]}, dtype="string"
    )
    assert country_codes(frame, fixture).tolist() == ["UKR", pd.NA, "MDA"]
    assert country_codes(frame, read_states(tmp_path)).tolist() == ["UKR", "BLR", "MDA"]
