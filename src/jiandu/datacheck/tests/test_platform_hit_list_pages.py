"""The hit list says how many hits there are (共N件), numbers its pages and sorts by the
columns users sort by; page and sort links keep the filters (a searched ID number only
as its blind index)."""

from django.urls import reverse

from jiandu.datacheck import views

from .platform_data import P_WUHUA, small_run

pytest_plugins = ["jiandu.datacheck.tests.platform_support"]


def test_total_page_numbers_and_sorting(client, dc, monkeypatch):
    small_run(dc)
    monkeypatch.setattr(views, "HIT_PAGE_SIZE", 2)
    client.force_login(dc.city_data)
    url = reverse("datacheck:hit_list")
    response = client.get(url, {"sort": "-period"})
    page = response.context["page"]
    assert (page.total, page.page_count, page.number) == (3, 2, 1)
    text = response.content.decode()
    assert "共<strong>3</strong>件" in text and "第1/2页" in text
    assert [r["hit"].period for r in response.context["rows"]] == ["2024-05", "2024-04"]
    assert 'href="?sort=-period&amp;page=2"' in text
    second = client.get(url, {"sort": "-period", "page": "2"}).context["rows"]
    assert [r["hit"].period for r in second] == ["2024-04"]
    # the current sort column reverses; the others start descending (as every list)
    links = page.sort_links
    assert links["period"].url == "?sort=period" and links["period"].descending
    assert links["amount"].url == "?sort=-amount" and not links["amount"].active
    by_name = client.get(url, {"sort": "name"}).context["rows"]
    assert [r["hit"].subject_name for r in by_name] == ["张三", "张三"]
    # unknown sort keys and page numbers fall back instead of failing
    odd = client.get(url, {"sort": "subject", "page": "99"})
    assert odd.status_code == 200 and odd.context["page"].number == 2


def test_links_keep_a_searched_number_only_as_its_key(client, dc, monkeypatch):
    small_run(dc)
    monkeypatch.setattr(views, "HIT_PAGE_SIZE", 1)
    client.force_login(dc.city_data)
    response = client.get(reverse("datacheck:hit_list"), {"subject": P_WUHUA})
    page = response.context["page"]
    assert (page.total, page.page_count) == (2, 2)
    assert "subject_key=" in page.next_url and P_WUHUA not in page.next_url
    following = client.get(reverse("datacheck:hit_list") + page.next_url)
    assert following.context["page"].total == 2
    assert following.context["rows"][0]["hit"].subject == P_WUHUA
