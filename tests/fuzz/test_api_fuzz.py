"""The whole /api/v1/ schema fuzzed with schemathesis, as two personas: a city account
holding every business role and a county account. Each operation gets a bounded number
of generated requests (``JIANDU_FUZZ_EXAMPLES``, default 5, plus schemathesis' own
boundary cases: about 100 requests per operation and persona, on two workers),
through the WSGI application against the test database. Any 5xx, an undocumented status code, a
non-JSON answer or an answer that does not match the documented schema fails the test.

Run: ``make test-fuzz`` (CI runs it); marked ``fuzz`` so the ordinary suite skips it."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks as sc
from schemathesis.specs.openapi import checks as oc
from tests.api.records import make_clue, make_person, register_petition

from jiandu.accounts import roles
from jiandu.accounts.models import ApiToken
from jiandu.api import api
from jiandu.testing import build_world, make_user

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("JIANDU_FUZZ_EXAMPLES", "5"))
# Every role but the three administrators' (who see no business data): new roles and
# their endpoints are fuzzed as they are added.
BUSINESS_ROLES = sorted(set(roles.ROLE_PERMISSIONS) - roles.ADMIN_ROLES)
CHECKS = [
    sc.not_a_server_error,
    oc.status_code_conformance,
    oc.content_type_conformance,
    oc.response_schema_conformance,
]


def _bearer(user) -> dict[str, str]:
    token = ApiToken.generate()
    ApiToken.objects.create(
        user=user, name="接口模糊测试", prefix=token[:8], token_hash=ApiToken.hash(token)
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def _fuzz_settings(settings):
    settings.ALLOWED_HOSTS = ["*"]
    # Look-ups of people are rate-limited; the fuzzer is one user asking many times.
    settings.JIANDU_PERSON_LOOKUP_LIMIT = 0


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    """Bearer headers of the two personas, with a few records to find: set up once for
    the module (each operation's test then runs in a transaction rolled back after it),
    removed at the end."""
    with django_db_blocker.unblock():
        world = build_world()
        make_clue(world)
        make_clue(world, user="outsider", org=world.other_county, title="盘龙区某站所问题")
        make_person(world, world.county)
        make_person(world, world.other_county, name="王强", sequence=13)
        register_petition(world)
        city = make_user("fuzz_city", world.city, *BUSINESS_ROLES)
        county = make_user(
            "fuzz_county", world.county, roles.ROLE_CLUES, roles.ROLE_TRIAL, roles.ROLE_PETITION
        )
        yield [_bearer(city), _bearer(county)]
        call_command("flush", interactive=False, verbosity=0)


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_as_documented(case, personas):
    for headers in personas:
        case.call_and_validate(headers=headers, checks=CHECKS)
