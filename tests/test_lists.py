"""Lists through a real corpus: paging, totals, filters and facets in the store, the CLI, the API
and the pages, on a real store of 500 events."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from conftest import served
from newsfuse.cli import main
from newsfuse.errors import InvalidInput
from newsfuse.models import ListFilter
from newsfuse.pipeline import ingest
from newsfuse.settings import ExtractSettings, Settings
from newsfuse.store import Store
from newsfuse.store.filters import fts_query
from newsfuse.web.app import create_app

EVENTS = 500
OUTLETS = ("Daily Ledger", "Coast Radio", "Valley Times")
CITIES = ("Denver", "Lyon", "Osaka", "Nairobi", "Quito")
START = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
GAP = timedelta(days=9)  # more than the grouping window: every article is an event of its own


def _corpus(path: Path) -> Path:
    rng = random.Random(500)
    syllables = ["ka", "lo", "mi", "ren", "tu", "sha", "vo", "pel", "dri", "an", "os", "qui"]
    rows = []
    for n in range(EVENTS):
        name = "".join(rng.sample(syllables, 3)).title() + "".join(rng.sample(syllables, 2))
        city = CITIES[n % len(CITIES)]
        text = (
            f"Engineers from {name} Works finished repairing the {name} canal lock in {city} on Monday, "
            f"officials said. The {name} project employed {n + 3} workers and took {n % 9 + 2} months."
        )
        when = START + GAP * n
        rows.append({"text": text, "title": f"{name} lock repaired in {city}", "date": when.isoformat(),
                     "source": OUTLETS[n % len(OUTLETS)]})  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lists")
    db = folder / "lists.db"
    settings = Settings(extract=ExtractSettings(max_model_words=0))
    with Store(db) as store:
        ingest(store, [_corpus(folder / "corpus.jsonl")], settings, now=datetime(2026, 11, 23, tzinfo=UTC))
        assert store.count_events() == EVENTS
    return db


@pytest.fixture(scope="module")
def corpus_server(corpus_db: Path) -> Iterator[str]:
    with served(create_app(corpus_db)) as base:
        yield base


def test_lists_offset_and_cursor_pages_cover_every_event_once(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        everything, total = store.list_events(ListFilter(), EVENTS + 10)
        assert total == EVENTS and len(everything) == EVENTS
        by_offset, cursor_pages, after = [], [], ""
        for offset in range(0, EVENTS, 64):
            page, page_total = store.list_events(ListFilter(), 64, offset=offset)
            assert page_total == EVENTS
            by_offset += [e.event_id for e in page]
        while True:
            page, _ = store.list_events(ListFilter(), 64, after=after)
            if not page:
                break
            cursor_pages += [e.event_id for e in page]
            after = page[-1].event_id
    newest_first = [e.event_id for e in everything]
    assert by_offset == newest_first and cursor_pages == newest_first
    assert [e.last_published_at for e in everything] == sorted((e.last_published_at for e in everything), reverse=True)


def test_lists_filters_and_facets_agree_with_the_events(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        outlet = ListFilter(outlet="Coast Radio")
        events, total = store.list_events(outlet, EVENTS)
        members = {a.source for e in events for a in store.articles(e.article_ids, text=False)}
        assert total == len(events) == len(range(1, EVENTS, 3)) and members == {"Coast Radio"}
        day, last = (START + GAP * 100).date(), (START + GAP * 110).date()
        everything, _ = store.list_events(ListFilter(), EVENTS)
        expected = {e.event_id for e in everything if day <= (e.day or e.first_published_at.date()) <= last}
        dated, dated_total = store.list_events(ListFilter(since=day, until=last), 50)
        assert dated_total == len(expected) >= 10 and {e.event_id for e in dated} == expected
        facets = {(f.field, f.value): f.count for f in store.event_facets(ListFilter())}
        assert facets[("outlet", "Daily Ledger")] == len(range(0, EVENTS, 3))
        assert facets[("language", "en")] == EVENTS
        osaka = [e for e in store.list_events(ListFilter(place="osaka"), EVENTS)[0]]
        assert osaka and all("Osaka" in e.place for e in osaka)
        assert store.list_events(ListFilter(place="100%_"), 10) == ([], 0)  # LIKE wildcards are literal
        with pytest.raises(InvalidInput, match="no longer an event"):
            store.list_events(ListFilter(), 10, after="0000000000000000")


def test_lists_fts_query_takes_phrases_operators_and_nothing_else() -> None:
    assert fts_query('canal "lock repaired" OR dam*') == '"canal" "lock repaired" OR "dam"*'
    assert fts_query("canal NOT Lyon") == '"canal" NOT "Lyon"'
    assert fts_query("NOT OR canal AND") == '"canal"'  # dangling operators dropped
    assert fts_query('title:x NEAR(a b) ^c "unclosed') == '"title" "x" "NEAR" "a" "b" "c" "unclosed"'
    with pytest.raises(InvalidInput):
        fts_query('"" ( ) * :')


def test_lists_search_phrases_or_not_prefix_with_totals(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        _, lyon = store.search_page("Lyon", ListFilter(), 5)
        _, quito = store.search_page("Quito", ListFilter(), 5)
        _, either = store.search_page("Lyon OR Quito", ListFilter(), 5)
        _, neither = store.search_page('"canal lock" NOT Lyon NOT Quito', ListFilter(), 5)
        _, prefix = store.search_page("Nair*", ListFilter(), 5)
        hits, coast = store.search_page("canal", ListFilter(outlet="Coast Radio"), 7, offset=7)
    assert lyon == quito == prefix == EVENTS // len(CITIES) and either == lyon + quito
    assert neither == EVENTS - lyon - quito
    assert coast == len(range(1, EVENTS, 3)) and len(hits) == 7 and {h.source for h in hits} == {"Coast Radio"}


def test_lists_cli_says_how_many_and_pages(corpus_db: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["events", "--db", str(corpus_db), "--limit", "50"])
    assert first.exit_code == 0 and "events 1–50 of 500; --offset 50 for more" in first.output
    last = runner.invoke(main, ["events", "--db", str(corpus_db), "--limit", "50", "--offset", "480"])
    assert "events 481–500 of 500" in last.output and "for more" not in last.output
    found = runner.invoke(main, ["search", '"canal lock" Lyon', "--db", str(corpus_db), "--outlet", "Daily Ledger"])
    assert found.exit_code == 0 and "hits 1–20 of" in found.output
    since = runner.invoke(main, ["events", "--db", str(corpus_db), "--since", "2020-01-01", "--json"])
    assert json.loads(since.output) and all(e["first_published_at"] >= "2020" for e in json.loads(since.output))
    bad = runner.invoke(main, ["events", "--db", str(corpus_db), "--since", "yesterday"])
    assert bad.exit_code == 2


def test_lists_api_next_links_walk_the_whole_list(corpus_server: str) -> None:
    seen: list[str] = []
    url: str | None = f"{corpus_server}/api/events?limit=128&outlet=Valley+Times"
    while url:
        response = httpx.get(url)
        assert response.status_code == 200 and response.headers["x-total-count"] == str(len(range(2, EVENTS, 3)))
        seen += [row["event"]["event_id"] for row in response.json()]
        link = response.headers.get("link", "")
        url = corpus_server + link[1 : link.index(">")] if link else None
    assert len(seen) == len(set(seen)) == len(range(2, EVENTS, 3))
    hits = httpx.get(f"{corpus_server}/api/search", params={"q": "canal", "limit": 100})
    assert hits.headers["x-total-count"] == str(EVENTS) and 'rel="next"' in hits.headers["link"]
    bad = httpx.get(f"{corpus_server}/api/events", params={"since": "not-a-day"})
    assert bad.status_code == 400 and bad.json() == {"ok": False, "error": bad.json()["error"], "status": 400}
    page = httpx.get(f"{corpus_server}/", params={"since": "not-a-day"})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"] and "not a day" in page.text


def test_lists_pages_filter_facets_and_paging(corpus_server: str) -> None:
    page = httpx.get(f"{corpus_server}/", params={"outlet": "Coast Radio", "limit": 50})
    assert page.status_code == 200 and f"Events 1–50 of {len(range(1, EVENTS, 3))}" in page.text
    assert 'rel="next" href="/?limit=50&amp;offset=50&amp;outlet=Coast+Radio"' in page.text
    assert page.headers["link"].startswith("</api/events?limit=50&outlet=Coast+Radio>")
    assert "<strong>outlet</strong>" in page.text and "<strong>place</strong>" in page.text
    search = httpx.get(f"{corpus_server}/search", params={"q": "Lyon OR Quito"})
    assert f"Hits 1–50 of {2 * EVENTS // len(CITIES)}" in search.text


def test_ui_pages_through_500_events_and_filters(corpus_server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(corpus_server + "/?limit=100")
    seen: list[str] = []
    for _ in range(EVENTS // 100):
        rows = browser.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(2) a")
        seen += [r.get_attribute("href") for r in rows]
        nxt = browser.find_elements(By.CSS_SELECTOR, "a[rel=next]")
        if not nxt:
            break
        nxt[0].click()
        wanted = f"offset={len(seen)}"
        WebDriverWait(browser, 10).until(lambda d, wanted=wanted: wanted in d.current_url)
    assert len(seen) == len(set(seen)) == EVENTS
    browser.get(corpus_server + "/")
    browser.find_element(By.NAME, "outlet").send_keys("Valley Times")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(browser, 10).until(lambda d: "outlet=Valley+Times" in d.current_url)
    assert f"of {len(range(2, EVENTS, 3))}" in browser.find_element(By.CSS_SELECTOR, "p.count").text


def test_lists_dates_are_days(corpus_db: Path) -> None:
    with Store(corpus_db, read_only=True) as store:
        [first], _ = store.list_events(ListFilter(until=date(2010, 1, 4)), 5)
    assert first.first_published_at == START


def test_lists_stories_and_outlets_page_with_totals(corpus_server: str) -> None:
    stories = httpx.get(f"{corpus_server}/api/stories", params={"limit": 200})
    total = int(stories.headers["x-total-count"])
    assert total >= 200 and len(stories.json()) == 200 and "offset=200" in stories.headers["link"]
    page = httpx.get(f"{corpus_server}/stories", params={"limit": 100, "offset": 100})
    assert f"Stories 101–200 of {total}" in page.text and 'rel="prev"' in page.text
    outlets = httpx.get(f"{corpus_server}/outlets.csv").text.splitlines()
    assert outlets[0] == "outlet,articles,events,first_published_at,last_published_at" and len(outlets) == 4
    assert len(httpx.get(f"{corpus_server}/stories.csv").text.splitlines()) == total + 1
