"""Fixtures of the API tests: persona clients, bearer tokens and a few records set up
through the real services."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.api.records import make_clue, make_person

from jiandu.accounts import roles
from jiandu.accounts.models import ApiToken
from jiandu.testing import make_user


@pytest.fixture
def login(client):
    """``login(user)`` → the test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def bearer():
    """``bearer(user)`` → (a fresh client that sends that user's new token, the row)."""

    def _bearer(user, **client_kwargs):
        token = ApiToken.generate()
        row = ApiToken.objects.create(
            user=user, name="接口测试", prefix=token[:8], token_hash=ApiToken.hash(token)
        )
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **client_kwargs), row

    return _bearer


@pytest.fixture
def identity_officer(world):
    """A city clue manager who also holds the identity role (full ID numbers)."""
    return make_user("identity", world.city, roles.ROLE_CLUES, roles.ROLE_IDENTITY)


@pytest.fixture
def county_clue(world):
    return make_clue(world)


@pytest.fixture
def other_clue(world):
    return make_clue(world, user="outsider", org=world.other_county, title="盘龙区某站所问题")


@pytest.fixture
def county_person(world):
    return make_person(world, world.county)


@pytest.fixture
def other_person(world):
    return make_person(world, world.other_county, name="王强", sequence=13)
