"""Fixtures of the platform tests (``test_platform_*``): a data folder per test, the
data-officer personas on top of the standard world, and a generated county (once per
session).

A test module loads them with
``pytest_plugins = ["jiandu.datacheck.tests.platform_support"]`` (the engine's tests own
this folder's conftest) and imports the helpers it calls from :mod:`.platform_data`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jiandu.accounts import roles as r
from jiandu.testing import make_user

from .platform_data import WUHUA, DatacheckWorld


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.JIANDU_DATA_DIR = tmp_path / "jiandu-data"
    return settings.JIANDU_DATA_DIR


@pytest.fixture
def dc(world, data_dir, tmp_path) -> DatacheckWorld:
    return DatacheckWorld(
        world=world,
        city_data=make_user("dc_city", world.city, r.ROLE_DATA, r.ROLE_CLUES),
        county_data=make_user("dc_county", world.county, r.ROLE_DATA, r.ROLE_CLUES),
        identity=make_user("dc_identity", world.city, r.ROLE_DATA, r.ROLE_IDENTITY),
        outsider=make_user("dc_outsider", world.other_county, r.ROLE_DATA, r.ROLE_CLUES),
        tmp=tmp_path,
    )


@pytest.fixture(scope="session")
def generated_county(tmp_path_factory) -> Path:
    """A generated county (400 persons, anomalies of every rule) moved to 五华区."""
    from jiandu.datacheck.demo import generate_relocated

    folder = tmp_path_factory.mktemp("generated") / "data"
    generate_relocated(folder, region_code=WUHUA, persons=400, seed=11, place_names={})
    return folder
