"""The audit log page: for the 审计管理员 only; filters, pages and each row's changes."""

from django.urls import reverse

from jiandu.core.audit import audit_record, audit_seal
from jiandu.core.choices import AuditAction
from jiandu.orgs.services import org_update


def test_business_users_are_refused(client, world):
    for name in ("city", "county", "leader", "sysadmin"):
        client.force_login(world.users[name])
        assert client.get(reverse("core:audit_list")).status_code == 403, name


def test_auditor_sees_the_log(client, world):
    org_update(actor=world.users["sysadmin"], org=world.unit_a, short_name="财政局")
    client.force_login(world.users["auditor"])
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "市财政局" in html
    assert "sysadmin" in html


def test_auditor_has_no_business_pages(client, world):
    client.force_login(world.users["auditor"])
    for name in ("orgs:org_tree", "people:person_list", "clues:clue_list"):
        assert client.get(reverse(name)).status_code == 403, name


def test_filters_by_action_actor_and_object_type(client, world):
    org_update(actor=world.users["sysadmin"], org=world.unit_a, short_name="财政局")
    audit_record(actor=world.users["city"], action=AuditAction.EXPORT, summary="导出线索清单")
    client.force_login(world.users["auditor"])

    rows = client.get(reverse("core:audit_list"), {"action": "export"}).context["rows"]
    assert [row.summary for row, _label in rows] == ["导出线索清单"]

    rows = client.get(reverse("core:audit_list"), {"actor": "sysadmin"}).context["rows"]
    assert {row.actor_name for row, _label in rows} == {"sysadmin"}

    rows = client.get(
        reverse("core:audit_list"),
        {"object_type": "orgs.org", "action": "update", "actor": "sysadmin"},
    ).context["rows"]
    assert [row.object_repr for row, _label in rows] == ["市财政局"]
    assert rows[0][1].startswith("组织机构")


def test_bad_date_range_is_an_error_on_the_field(client, world):
    client.force_login(world.users["auditor"])
    response = client.get(reverse("core:audit_list"), {"start": "2020-05-01", "end": "2020-04-01"})
    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert response.context["rows"] == []


def test_htmx_filter_gets_the_results_partial(client, world):
    client.force_login(world.users["auditor"])
    response = client.get(
        reverse("core:audit_list"),
        {"action": "create"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audit-results",
    )
    html = response.content.decode()
    assert '<table class="table">' in html
    assert "校验哈希链" not in html  # the page around the results is not repeated
    assert "<html" not in html


def test_pages_cover_every_row_once(client, world, monkeypatch):
    from jiandu.core import views

    for i in range(7):
        audit_record(actor=world.users["city"], action=AuditAction.EXPORT, summary=f"导出{i}")
    audit_seal()  # the test's transaction never commits: seal as a commit would
    client.force_login(world.users["auditor"])
    monkeypatch.setattr(views, "AUDIT_PAGE_SIZE", 3)
    seen, url = [], reverse("core:audit_list") + "?action=export"
    while url:
        page = client.get(url).context["page"]
        seen += [row.summary for row in page.items]
        url = reverse("core:audit_list") + page.next_url if page.has_next else None
    assert seen == [f"导出{i}" for i in reversed(range(7))]


def test_detail_shows_the_json_changes(client, world):
    org_update(actor=world.users["sysadmin"], org=world.unit_a, short_name="财政局")
    from jiandu.core.models import AuditLog

    audit_seal()  # the test's transaction never commits: seal as a commit would
    row = AuditLog.objects.filter(action="update", object_type="orgs.org").order_by("-sequence")[0]
    client.force_login(world.users["auditor"])
    response = client.get(reverse("core:audit_detail", args=[row.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&quot;short_name&quot;" in html
    assert "&quot;after&quot;: &quot;财政局&quot;" in html

    client.force_login(world.users["city"])
    assert client.get(reverse("core:audit_detail", args=[row.pk])).status_code == 403


def test_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.users["auditor"])
    # Session, user, permissions, the header's unread-message count, the page itself.
    with django_assert_max_num_queries(11) as few:
        client.get(reverse("core:audit_list"))
    for i in range(40):
        audit_record(actor=world.users["city"], action=AuditAction.EXPORT, summary=f"导出{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:audit_list"))
