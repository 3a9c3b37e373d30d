"""Shared pytest fixtures: the standard world and its personas."""

import pytest


@pytest.fixture
def world(db):
    from jiandu.testing import build_world

    return build_world()


@pytest.fixture
def users(world):
    return world.users


@pytest.fixture(autouse=True)
def _media_and_tasks(request, tmp_path):
    # Pure tests (the comparison engine, the board calculator) also run without Django.
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JIANDU_TASKS_MODE = "eager"
    # A test's transaction never commits: audit rows join the chain as they are written.
    # (The tests of sealing after commit run their writers in other processes.)
    settings.JIANDU_AUDIT_SEAL_AT_ONCE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The deadline rules in force as migrating leaves them (read by the first database test).
_REFERENCE_RULES: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test ends by flushing the database, reference data included (the
    deadline table, problem sources, list kinds …): install it again for the tests that
    follow in the same process, as they find it after migrating. Every database test also
    starts by checking it is there (one query): in some orders of a full run the table
    was found empty by a test that needs it, after some earlier module left it so."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None or "db" in request.fixturenames:
        from jiandu.core.models import DeadlineRule

        with request.getfixturevalue("django_db_blocker").unblock():
            in_force = DeadlineRule.objects.filter(archived_at__isnull=True).count()
            if in_force < _REFERENCE_RULES.setdefault("in_force", in_force):
                from jiandu.core.reference import ensure_reference_data

                ensure_reference_data()
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    from jiandu.core.reference import ensure_reference_data

    with request.getfixturevalue("django_db_blocker").unblock():
        ensure_reference_data()


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    # Each test starts with an empty cache.
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def small_demo_built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo's summary and table snapshot (``jiandu.testing.SharedDemo``), for
    a transactional test to put back and commit (``small_demo`` for the others)."""
    from jiandu.testing import build_shared_demo

    with django_db_blocker.unblock():
        return build_shared_demo(media_root=tmp_path_factory.mktemp("small-demo-media"))


@pytest.fixture(scope="module")
def small_demo(small_demo_built, django_db_blocker):
    """The small demo (``jiandu.testing.SMALL_DEMO_SCALE``, "today"
    ``SMALL_DEMO_TODAY``; its :class:`DemoSummary`): built once per test process, its
    rows put back for each module that asks, inside a transaction rolled back after the
    module (a test's own writes roll back after the test, as usual)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        small_demo_built.snapshot.restore()
        # The content types' ids are the snapshot's (a flush in between renumbers them).
        ContentType.objects.clear_cache()
        yield small_demo_built.summary
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()
