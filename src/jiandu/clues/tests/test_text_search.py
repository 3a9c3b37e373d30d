"""Text search over 标题 and 内容 of petitions and clues, through the bigram index.

Run on SQLite (FTS5) and PostgreSQL (GIN over the bigram array) alike."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.clues import services
from jiandu.clues.choices import ClueSource
from jiandu.clues.models import Clue, Petition
from jiandu.clues.search import ensure_sqlite_index, query_grams, text_grams
from jiandu.clues.selectors import ClueFilters, PetitionFilters, clue_list, petition_list

D = dt.date(2020, 3, 2)


def test_grams_are_the_bigrams_of_each_run_of_letters_and_digits():
    assert text_grams("套取低保", "低保资金") == "套取 取低 低保 保资 资金"
    assert text_grams("虚报，冒领 AB1") == "虚报 冒领 ab b1"
    assert query_grams("低") == [] and query_grams("低保") == ["低保"]


@pytest.fixture
def records(world, users):
    def clue(title, content=""):
        return services.clue_create(
            actor=users["city"],
            source=ClueSource.INSPECTION,
            title=title,
            content=content,
            received_date=D,
        )

    def petition(title, content):
        return services.petition_register(
            actor=users["city"], received_date=D, channel="letter", title=title, content=content
        )

    return {
        "title": clue("某村干部套取低保资金"),
        "content": clue("反映村干部问题", "优亲厚友，违规办理低保"),
        "apart": clue("低收入户保险问题", "低、保分开出现"),
        "split": clue("套取低", "保障房"),  # 套取低 + 保: holds the bigrams, not the text
        "other": clue("违规发放耕地补贴"),
        "petition": petition("举报某镇民政所", "民政所长截留特困供养金"),
    }


def _clues(text, users):
    return set(clue_list(user=users["city"], filters=ClueFilters(text=text)))


def test_two_character_and_longer_queries_find_titles_and_contents(records, users):
    r = records
    assert _clues("低保", users) == {r["title"], r["content"]}
    assert _clues("套取低保", users) == {r["title"]}
    assert _clues("套取低保资金", users) == {r["title"]}
    assert _clues("保障", users) == {r["split"]}
    assert _clues("套取低保障", users) == set()  # the bigrams match, the text does not
    assert _clues("低", users) == {r["title"], r["content"], r["apart"], r["split"]}  # scan
    found = set(petition_list(user=users["city"], filters=PetitionFilters(text="特困供养")))
    assert found == {r["petition"]}
    assert _clues(r["other"].number.lower(), users) == {r["other"]}  # a whole 编号


def test_the_query_asks_the_index(records, users):
    with CaptureQueriesContext(connection) as ctx:
        list(clue_list(user=users["city"], filters=ClueFilters(text="套取低保")))
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "string_to_array" in sql and "@>" in sql
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM clues_clue "
                "WHERE string_to_array(search_grams, ' ') @> ARRAY['低保']"
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        assert "clues_clue_search" in plan
    else:
        assert "clues_clue_search MATCH" in sql
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM clues_clue_search "
                "WHERE clues_clue_search MATCH '\"低保\"'"
            )
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in plan


def test_editing_title_or_content_keeps_the_index_in_step(records, users):
    clue = records["other"]
    clue.title = "违规发放危房改造补助"
    clue.save(update_fields=["title"])
    assert _clues("危房", users) == {clue}
    assert _clues("耕地", users) == set()
    Clue.objects.filter(pk=records["title"].pk).update(status="closed")  # no text change
    assert records["title"] in _clues("低保", users)


def test_a_rebuilt_table_gets_its_index_back(records, users):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: triggers are dropped with a rebuilt table")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER clues_petition_search_ai")
        cursor.execute("DELETE FROM clues_petition_search")
    assert ensure_sqlite_index(connection) is True
    assert ensure_sqlite_index(connection) is False
    found = set(petition_list(user=users["city"], filters=PetitionFilters(text="截留")))
    assert found == {records["petition"]}
    Petition.objects.filter(pk=records["petition"].pk).update(search_grams="")
    assert not petition_list(user=users["city"], filters=PetitionFilters(text="截留")).exists()


def test_an_index_made_before_entries_were_written_ahead_gets_the_trigger_condition(records, users):
    """A database indexed before imports wrote search entries ahead (an insert trigger
    without condition, no bookkeeping tables): ``migrate`` gives the trigger its
    condition and makes the tables, without rebuilding the index; staged clues then get
    their entries ahead and new clues still theirs from the trigger."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from jiandu.clues.search import search_entries_ahead

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER clues_clue_search_ai")
        cursor.execute("DROP TABLE clues_clue_search_ahead_batch")
        cursor.execute("DROP TABLE clues_clue_search_ahead")
        cursor.execute(
            "CREATE TRIGGER clues_clue_search_ai AFTER INSERT ON clues_clue BEGIN "
            "INSERT INTO clues_clue_search(rowid, search_grams) VALUES (new.id, new.search_grams);"
            " END"
        )
    assert search_entries_ahead(Clue, [(10**9, "截留")]) is None  # the trigger does it
    with CaptureQueriesContext(connection) as queries:
        assert ensure_sqlite_index(connection) is True
    assert not any("rebuild" in q["sql"] for q in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'clues_clue_search_ai'")
        assert "clues_clue_search_ahead" in cursor.fetchone()[0]
    assert ensure_sqlite_index(connection) is False
    assert _clues("低保", users) >= {records["title"]}  # the index was kept
    ahead = search_entries_ahead(Clue, [(10**9, "截留")])
    assert ahead is not None and ahead.rows == 1
    ahead.discard()  # never published: taken out again
    fresh = services.clue_create(
        actor=users["city"], source=ClueSource.PETITION, title="虚报冒领危房补助", received_date=D
    )
    assert _clues("危房", users) == {fresh}


def test_common_grams_scan_newest_first_with_the_same_answer(records, users, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite decides from FTS5's term statistics")
    from jiandu.clues import search
    from jiandu.core.pagination import count_or_estimate

    before = {text: _clues(text, users) for text in ("低保", "套取低保", "保障")}
    qs = clue_list(user=users["city"], filters=ClueFilters(text="低保"))
    assert count_or_estimate(qs) == (2, True)
    # every bigram counts as common: scanned, and the total estimated
    monkeypatch.setattr(search, "SCAN_MIN_ROWS", 0)
    monkeypatch.setattr(search, "SCAN_FACTOR", 0)
    monkeypatch.setattr(search, "COUNT_ROWS", 0)
    with CaptureQueriesContext(connection) as ctx:
        assert {text: _clues(text, users) for text in before} == before
    assert not any("MATCH" in q["sql"] for q in ctx.captured_queries)
    qs = clue_list(user=users["city"], filters=ClueFilters(text="低保"))
    assert count_or_estimate(qs)[1] is False


def test_postgresql_scans_common_words_by_position(records, users, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL decides from ANALYZE's element statistics")
    from jiandu.clues import search

    before = {text: _clues(text, users) for text in ("低保", "套取低保", "保障")}
    monkeypatch.setattr(search, "_pg_gram_rows", lambda qs, grams: (10**6, 10**6))
    with CaptureQueriesContext(connection) as ctx:
        assert {text: _clues(text, users) for text in before} == before
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "STRPOS" in sql.upper() and "@>" not in sql
