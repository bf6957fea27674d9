"""The web UI and JSON API against a real uvicorn server on loopback and a real SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import MovedIds, served
from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.store import Store
from newsfuse.web.app import create_app

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    (folder / "hostile.jsonl").write_text(
        json.dumps(
            {
                "text": f"{hostile} Flood waters rose in the valley on Monday, officials said.",
                "title": hostile,
                "date": "2023-11-06",
                "source": "<b>Evil</b>",
            }
        )  # fmt: skip
    )
    db = folder / "web.db"
    with Store(db) as store:
        ingest(store, [samples_dir, folder / "hostile.jsonl"], Settings(), now=NOW)
    with served(create_app(db)) as base:
        yield base


def _event_id(server: str, word: str) -> str:
    rows = httpx.get(f"{server}/api/events").json()
    return next(r["event"]["event_id"] for r in rows if word in r["event"]["label"])


def test_web_events_page_lists_conflict_badge(server: str) -> None:
    page = httpx.get(server + "/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Albu Kamal, Syria" in page.text and "1 conflict" in page.text


def test_web_event_page_shows_conflict_with_both_sources(server: str) -> None:
    event_id = _event_id(server, "fighter jets")
    page = httpx.get(f"{server}/events/{event_id}").text
    assert "soldiers injured" in page and "conflicting" in page
    assert "<h2>Sources</h2>" in page and "2023-10-27 00:00 UTC" in page
    assert "A total of <mark>21</mark> American soldiers" in page
    assert "<mark>24</mark> US soldiers" in page
    assert 'href="#s-' in page and 'id="s-' in page  # citations link to the cited sentence


def test_web_api_is_the_json_twin(server: str) -> None:
    event_id = _event_id(server, "fighter jets")
    brief = httpx.get(f"{server}/api/events/{event_id}").json()
    conflicts = [c for c in brief["claims"] if c["status"] == "conflicting"]
    assert {c["value"] for c in conflicts[0]["citations"]} == {"21", "24"}
    timeline = httpx.get(f"{server}/api/events/{event_id}/timeline").json()
    assert "2023-10-26" in {e["day"] for e in timeline}
    stories = httpx.get(f"{server}/api/stories").json()
    assert any(event_id in s["event_ids"] for s in stories)
    assert httpx.get(f"{server}/openapi.json").json()["info"]["title"] == "newsfuse"


def test_web_search_finds_event_by_spelling_variant(server: str) -> None:
    page = httpx.get(f"{server}/search", params={"q": "Boukamal"}).text
    assert "/events/" in page
    hits = httpx.get(f"{server}/api/search", params={"q": "Boukamal"}).json()
    assert hits and hits[0]["event_id"]


@pytest.mark.parametrize(
    "path", ["/api/events/ffffffff", "/api/stories/abc", "/api/nothing", "/api/events/..%2F..%2Fetc"]
)
def test_web_api_errors_have_one_shape(server: str, path: str) -> None:
    response = httpx.get(server + path)
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404 and body["error"]


def test_web_bad_pages_are_404_html(server: str) -> None:
    response = httpx.get(f"{server}/events/zzz")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "<title>Not Found · newsfuse</title>" in response.text
    bad = httpx.get(f"{server}/search", params={"q": "x" * 600})
    assert bad.status_code >= 400 and "<title>Not Found" not in bad.text


def test_web_escapes_hostile_article_text(server: str) -> None:
    event_id = _event_id(server, "alert")
    for path in ("/", f"/events/{event_id}", "/search?q=flood"):
        page = httpx.get(server + path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Evil" not in page
    event_page = httpx.get(f"{server}/events/{event_id}").text
    assert "&lt;script&gt;alert" in event_page and "&lt;b&gt;Evil" in event_page


def test_ui_reads_an_event_like_an_editor(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(server + "/")
    browser.find_element(By.PARTIAL_LINK_TEXT, "fighter jets").click()
    WebDriverWait(browser, 10).until(lambda d: "/events/" in d.current_url)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "soldiers injured" in body and "conflicting" in body
    assert "us-strikes-syria-a" in body and "us-strikes-syria-b" in body
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".conflict mark")]
    assert sorted(marks) == ["21", "24"]
    browser.save_screenshot(str(tmp_path / "event.png"))
    assert (tmp_path / "event.png").stat().st_size > 1000
    citation = browser.find_element(By.CSS_SELECTOR, ".conflict .cite")
    target = citation.get_attribute("href").split("#", 1)[1]
    citation.click()
    assert browser.current_url.endswith("#" + target)
    assert "21 American soldiers" in browser.find_element(By.ID, target).text or "24 US soldiers" in (
        browser.find_element(By.ID, target).text
    )
    box = browser.find_element(By.NAME, "q")
    box.send_keys("Boukamal")
    box.submit()
    WebDriverWait(browser, 10).until(lambda d: "/search?q=Boukamal" in d.current_url)
    browser.find_element(By.LINK_TEXT, "event").click()
    WebDriverWait(browser, 10).until(lambda d: "/events/" in d.current_url)
    assert "fighter jets" in browser.find_element(By.TAG_NAME, "h1").text


def test_web_is_read_only_by_default(server: str) -> None:
    response = httpx.post(f"{server}/api/ingest", content=b"{}")
    assert response.status_code in (404, 405) and response.json()["ok"] is False


def test_web_upload_reports_each_bad_item(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(create_app(tmp_path / "up.db", allow_ingest=True, hosts=("testserver",)))
    client.headers["content-type"] = "application/octet-stream"
    good = {"text": "Rescue teams reached the flooded valley on Monday after the storm.", "date": "2023-11-06"}
    body = "\n".join([json.dumps(good), "{broken", json.dumps({"text": "no date here at all, five words"})])
    response = client.post("/api/ingest", params={"name": "../../etc/passwd.jsonl"}, content=body.encode())
    data = response.json()
    assert response.status_code == 200 and data["added"] == 1
    assert [r["origin"] for r in data["rejected"]] == ["upload:passwd.jsonl:2", "upload:passwd.jsonl:3"]
    assert not Path("/etc/passwd.jsonl").exists()
    wrong = client.post("/api/ingest", params={"name": "x.exe"}, content=b"MZ")
    assert wrong.status_code == 400 and wrong.json() == {"ok": False, "error": wrong.json()["error"], "status": 400}
    huge = client.post("/api/ingest", params={"name": "big.txt"}, content=b"x" * (Settings().ingest.max_bytes * 10 + 1))
    assert huge.status_code == 400 and "larger than" in huge.json()["error"]


def test_web_highlight_never_splits_an_escaped_entity() -> None:
    from newsfuse.web.app import highlight

    shown = str(highlight("Police said it's 3 of 39 <b>cases</b>", "3"))
    assert shown == "Police said it&#39;s <mark>3</mark> of 39 &lt;b&gt;cases&lt;/b&gt;"
    assert str(highlight("O'Neil counted 9", "9")) == "O&#39;Neil counted <mark>9</mark>"
    assert str(highlight("<i>x</i>", "<i>")) == "<mark>&lt;i&gt;</mark>x&lt;/i&gt;"


def test_web_api_docs_work_offline(server: str) -> None:
    page = httpx.get(f"{server}/docs")
    assert page.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower() and "http://" not in page.text and "https://" not in page.text
    script = httpx.get(f"{server}/static/swagger/swagger-ui-bundle.js")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text[:5000] + script.text[-5000:]


def test_web_stories_index_and_article_page(server: str) -> None:
    stories = httpx.get(f"{server}/stories")
    assert stories.status_code == 200 and "fighter jets" in stories.text
    assert stories.headers["link"] == '</api/stories>; rel="alternate"; type="application/json"'
    event_id = _event_id(server, "fighter jets")
    event_page = httpx.get(f"{server}/events/{event_id}")
    assert event_page.headers["link"].startswith(f"</api/events/{event_id}>")
    brief = httpx.get(f"{server}/api/events/{event_id}").json()
    conflict = next(c for c in brief["claims"] if c["status"] == "conflicting")
    cited = conflict["citations"][0]
    # the event page's cited-sentences list names the article and links to its sentence
    link = f"/articles/{cited['article_id']}#s-{cited['sentence']}"
    assert f'href="{link}"' in event_page.text
    assert f"{cited['source']} {cited['article_id'][:6]} §{cited['sentence'] + 1}" in event_page.text
    article = httpx.get(server + link.split("#")[0])
    assert article.status_code == 200
    assert f'<p id="s-{cited["sentence"]}" class="cited">' in article.text and cited["value"] in article.text
    data = httpx.get(f"{server}/api/articles/{cited['article_id'][:8]}").json()
    assert data["article"]["article_id"] == cited["article_id"]
    # the citation's character offsets point at its sentence in the article's text
    assert cited["end"] > cited["start"] and data["article"]["text"][cited["start"] : cited["end"]] == cited["text"]
    assert [e["event_id"] for e in data["events"]] == [event_id]
    marked = [s for s in data["sentences"] if s["claims"]]
    assert any(s["sentence"]["index"] == cited["sentence"] for s in marked)
    assert httpx.get(f"{server}/articles/ffffffff").status_code == 404


def test_web_article_page_escapes_hostile_text(server: str) -> None:
    event_id = _event_id(server, "alert")
    [article_id] = httpx.get(f"{server}/api/events/{event_id}").json()["event"]["article_ids"]
    for path in (f"/articles/{article_id}", "/stories"):
        page = httpx.get(server + path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Evil" not in page
    assert "&lt;script&gt;alert" in httpx.get(f"{server}/articles/{article_id}").text


def test_ui_phone_layout_and_citation_to_the_article(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    browser.set_window_size(390, 844)
    try:
        for path in ("/", f"/events/{_event_id(server, 'fighter jets')}", "/stories"):
            browser.get(server + path)
            width = browser.execute_script("return window.innerWidth")
            # nothing sticks out of the page: wide tables scroll inside their own box
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width, path
        browser.get(f"{server}/events/{_event_id(server, 'fighter jets')}")
        boxes = browser.find_elements(By.CSS_SELECTOR, ".conflict > div")
        assert len(boxes) == 2 and all(b.rect["x"] >= 0 and b.rect["x"] + b.rect["width"] <= width for b in boxes)
        link = browser.find_element(By.CSS_SELECTOR, "li[id^='s-'] a[href^='/articles/']")
        target = link.get_attribute("href").split("#", 1)[1]
        link.click()
        WebDriverWait(browser, 10).until(lambda d: "/articles/" in d.current_url)
        sentence = browser.find_element(By.ID, target)
        assert "cited" in sentence.get_attribute("class") and sentence.text
    finally:
        browser.set_window_size(1400, 1000)


def test_web_outlets_list_and_page(server: str) -> None:
    listing = httpx.get(f"{server}/api/outlets")
    names = [o["name"] for o in listing.json()]
    assert listing.headers["x-total-count"] == "3" and {"us-strikes-syria-a", "us-strikes-syria-b"} < set(names)
    page = httpx.get(f"{server}/outlets/us-strikes-syria-a")
    assert page.status_code == 200 and page.headers["link"] == (
        '</api/outlets/us-strikes-syria-a>; rel="alternate"; type="application/json"'
    )
    data = httpx.get(f"{server}/api/outlets/us-strikes-syria-a").json()
    shared = dict(data["shared_claims"])
    assert shared["conflicting"] >= 1 and shared["corroborated"] >= 3
    assert data["disagreement"] == shared["conflicting"] / sum(shared.values())
    assert f"{round(data['disagreement'] * 100)}%" in page.text
    evil = httpx.get(f"{server}/outlets/<b>Evil</b>")
    assert evil.status_code == 200 and "<b>Evil" not in evil.text and "&lt;b&gt;Evil" in evil.text
    assert httpx.get(f"{server}/outlets/nobody").status_code == 404
    assert "<b>Evil" not in httpx.get(f"{server}/outlets").text


def test_web_csv_twins(server: str) -> None:
    import csv as csv_module

    events = httpx.get(f"{server}/events.csv")
    assert events.headers["content-type"].startswith("text/csv")
    rows = list(csv_module.DictReader(events.text.splitlines()))
    assert len(rows) == 2 and {r["event_id"] for r in rows} == {r["event"]["event_id"] for r in httpx.get(
        f"{server}/api/events").json()}  # fmt: skip
    event_id = _event_id(server, "fighter jets")
    claims = list(csv_module.DictReader(httpx.get(f"{server}/events/{event_id}/claims.csv").text.splitlines()))
    conflict = next(c for c in claims if c["status"] == "conflicting")
    assert conflict["values"] == "21 | 24" and conflict["outlets"].count(";") == 1
    hits = list(csv_module.DictReader(httpx.get(f"{server}/search.csv", params={"q": "flood"}).text.splitlines()))
    assert hits and all(not h["title"].startswith(("=", "+", "-", "@")) for h in hits)


def test_web_csv_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    folder = tmp_path / "in"
    folder.mkdir()
    record = {"text": "Flood waters rose in the valley on Monday, officials said again.", "date": "2023-11-06",
              "title": '=HYPERLINK("http://evil.example","click")', "source": "@outlet"}  # fmt: skip
    (folder / "f.jsonl").write_text(json.dumps(record))
    with Store(tmp_path / "csv.db") as store:
        ingest(store, [folder], Settings(), now=NOW)
    client = TestClient(create_app(tmp_path / "csv.db"))
    text = client.get("/search.csv", params={"q": "flood"}).text
    assert "'=HYPERLINK" in text and "'@outlet" in text and ",=HYPERLINK" not in text


def test_web_upload_refuses_cross_site_requests_and_every_response_has_security_headers(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(create_app(tmp_path / "up.db", allow_ingest=True, hosts=("testserver",)))
    good = json.dumps(
        {"text": "Rescue teams reached the flooded valley on Monday after the storm.", "date": "2023-11-06"}
    )
    binary = {"content-type": "application/octet-stream"}
    refused = [
        client.post("/api/ingest", content=good, headers={"content-type": "text/plain"}),  # a "simple" request
        client.post("/api/ingest", content=good),  # no content type: simple too
        client.post("/api/ingest", content=good, headers={**binary, "origin": "https://evil.example"}),
        client.post("/api/ingest", content=good, headers={**binary, "host": "evil.example"}),  # DNS rebinding
        client.post("/api/ingest", content=good, headers={**binary, "sec-fetch-site": "cross-site"}),
    ]
    for response in refused:
        assert response.status_code == 403
        assert response.json() == {"ok": False, "error": response.json()["error"], "status": 403}
    with Store(tmp_path / "up.db", read_only=True) as store:
        assert store.count_articles() == 0
    same_origin = client.post("/api/ingest", content=good, headers={**binary, "origin": "http://testserver"})
    assert same_origin.status_code == 200 and same_origin.json()["added"] == 1
    invalid = client.get("/api/events", params={"limit": "many"})
    assert invalid.status_code == 422
    assert invalid.json() == {"ok": False, "error": invalid.json()["error"], "status": 422}
    assert "limit" in invalid.json()["error"]
    for response in [
        *refused,
        same_origin,
        invalid,
        client.get("/"),
        client.get("/search?q=flood"),
        client.get("/nope"),
    ]:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "script-src 'none'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_web_upload_runs_off_the_event_loop(tmp_path: Path) -> None:
    """While an upload is ingested, other requests are answered."""
    import asyncio

    db = tmp_path / "busy.db"
    app = create_app(db, allow_ingest=True, hosts=("testserver",))
    lines = [json.dumps({"text": f"Crews cleared road {i} of the flooded valley on Monday after the storm.",
                         "date": "2023-11-06", "source": f"Paper {i}"}) for i in range(300)]  # fmt: skip

    async def scenario() -> bool:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            upload = asyncio.create_task(
                client.post("/api/ingest", content="\n".join(lines), headers={"content-type": "application/x-ndjson"})
            )
            await asyncio.sleep(0.3)
            answered = await client.get("/api/events")
            assert answered.status_code == 200
            answered_first = not upload.done()
            response = await upload
            assert response.status_code == 200 and response.json()["added"] == 300
            return answered_first

    assert asyncio.run(scenario())  # the read was answered while the upload was being ingested


def test_web_cached_pages_change_when_another_process_writes(tmp_path: Path, samples_dir: Path) -> None:
    db = tmp_path / "cache.db"
    with Store(db) as store:
        ingest(store, [samples_dir], Settings(), now=NOW)
    text = "Rescue teams reached the flooded Boukamal valley on Monday after the storm."
    later = {"text": text, "date": "2023-11-06"}
    (tmp_path / "later.jsonl").write_text(json.dumps(later))
    with served(create_app(db)) as base:
        before = httpx.get(f"{base}/api/events")
        hit = httpx.get(f"{base}/api/events")
        assert hit.content == before.content  # a hit: the same bytes, the same headers
        assert hit.headers["Content-Security-Policy"] == before.headers["Content-Security-Policy"]
        assert hit.headers["X-Total-Count"] == before.headers["X-Total-Count"]
        with Store(db) as store:  # a writer with its own connection, as `newsfuse ingest` is
            ingest(store, [tmp_path / "later.jsonl"], Settings(), now=NOW)
        after = httpx.get(f"{base}/api/events")
        assert after.headers["X-Total-Count"] == str(int(before.headers["X-Total-Count"]) + 1)
        assert "Boukamal valley" in httpx.get(f"{base}/").text
        assert after.headers["X-Content-Type-Options"] == "nosniff"


def test_web_old_ids_redirect_to_the_event_and_story_now_holding_their_articles(moved_ids: MovedIds) -> None:
    (old_event, old_story), (event, story) = moved_ids.old, moved_ids.new
    with served(create_app(moved_ids.db)) as base:
        for path, target in [
            (f"/events/{old_event}", f"/events/{event}"),
            (f"/api/events/{old_event}", f"/api/events/{event}"),
            (f"/api/events/{old_event}/timeline", f"/api/events/{event}/timeline"),
            (f"/stories/{old_story}", f"/stories/{story}"),
            (f"/api/stories/{old_story}?x=1", f"/api/stories/{story}?x=1"),
        ]:
            response = httpx.get(base + path)
            assert (response.status_code, response.headers["location"]) == (308, target), path
            assert httpx.get(base + path, follow_redirects=True).status_code == 200
        assert httpx.get(f"{base}/events/{event[:8]}").status_code == 200  # a prefix of the id itself stays
