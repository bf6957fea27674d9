"""The web UI and JSON API against a real uvicorn server on loopback and a real SQLite file."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

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
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


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


def test_web_escapes_hostile_article_text(server: str) -> None:
    event_id = _event_id(server, "alert")
    for path in ("/", f"/events/{event_id}", "/search?q=flood"):
        page = httpx.get(server + path).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Evil" not in page
    event_page = httpx.get(f"{server}/events/{event_id}").text
    assert "&lt;script&gt;alert" in event_page and "&lt;b&gt;Evil" in event_page


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="newsfuse-chromium-")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--disable-quic", f"--user-data-dir={profile}"]
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


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
