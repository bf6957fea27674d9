"""Shared fixtures: a real SQLite store in tmp_path, a fixed clock, the real models."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from newsfuse.models import Brief
from newsfuse.pipeline import ingest
from newsfuse.queries import brief
from newsfuse.settings import Settings
from newsfuse.store import Store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "test.db") as opened:
        yield opened


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return Path(str(resources.files("newsfuse").joinpath("examples")))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    """The two bundled samples ingested once (real spaCy model) for read-only tests."""
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    with Store(path) as opened:
        ingest(opened, [samples_dir], Settings(), now=NOW)
    return path


@pytest.fixture(scope="session")
def sample_brief(sample_db: Path) -> Brief:
    with Store(sample_db) as opened:
        events = opened.events()
        assert len(events) == 1
        return brief(opened, events[0].event_id)


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


@contextmanager
def served(app: Any) -> Iterator[str]:
    """A real uvicorn server of ``app`` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{running.servers[0].sockets[0].getsockname()[1]}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class MovedIds:
    """A store where a second article changed the event and story ids the first one had been shown under."""

    db: Path
    old: tuple[str, str]  # (event id, story id) before the second article
    new: tuple[str, str]  # and after


@pytest.fixture(scope="session")
def moved_ids(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> MovedIds:
    files = sorted(samples_dir.glob("*.txt"))[:2]
    folder = tmp_path_factory.mktemp("moved")
    for order in (files, files[::-1]):  # in one of the two orders the second article changes the ids
        db = folder / f"{order[0].stem}.db"
        with Store(db) as store:
            ingest(store, [order[0]], Settings(), now=NOW)
            [event], [story] = store.events(), store.stories()
            ingest(store, [order[1]], Settings(), now=NOW)
            [new_event], [new_story] = store.events(), store.stories()
        if event.event_id != new_event.event_id and story.story_id != new_story.story_id:
            return MovedIds(db, (event.event_id, story.story_id), (new_event.event_id, new_story.story_id))
    raise AssertionError("the ids did not change in either order")
