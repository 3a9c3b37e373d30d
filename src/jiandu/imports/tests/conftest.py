import pytest

from jiandu.accounts import roles
from jiandu.testing import make_user


@pytest.fixture
def data_officer(world):
    """A 数据管理 officer of the city commission: may import orgs and people."""
    return make_user("data", world.city, roles.ROLE_DATA)


@pytest.fixture
def county_data_officer(world):
    return make_user("county-data", world.county, roles.ROLE_DATA)
