from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.errors import InvalidInput
from newsfuse.settings import Settings, load_settings


def test_settings_defaults_without_file_or_environment() -> None:
    assert load_settings(None, environ={}) == Settings()


def test_settings_toml_sections_override_defaults(tmp_path: Path) -> None:
    path = tmp_path / "newsfuse.toml"
    path.write_text("[group]\nthreshold = 0.4\nwindow_days = 3\n[timeline]\nnext_day_leads = false\n")
    settings = load_settings(path, environ={})
    assert settings.group.threshold == 0.4 and settings.group.window_days == 3
    assert settings.timeline.next_day_leads is False
    assert settings.ingest == Settings().ingest


@pytest.mark.parametrize(
    ("text", "expected"), [("false", False), ("0", False), ("No", False), ("true", True), ("on", True)]
)
def test_settings_environment_booleans_turn_off_and_on(text: str, expected: bool) -> None:
    settings = load_settings(None, environ={"NEWSFUSE_TIMELINE_ONE_VOTE_PER_ARTICLE": text})
    assert settings.timeline.one_vote_per_article is expected


def test_settings_environment_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "newsfuse.toml"
    path.write_text("[ingest]\nmin_words = 9\n")
    settings = load_settings(path, environ={"NEWSFUSE_INGEST_MIN_WORDS": "12", "NEWSFUSE_DB": "x.db", "OTHER": "1"})
    assert settings.ingest.min_words == 12


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NEWSFUSE_TIMELINE_NEXT_DAY_LEADS": "maybe"}, "not a boolean"),
        ({"NEWSFUSE_GROUP_THRESHOLD": "high"}, "bad value for group.threshold"),
        ({"NEWSFUSE_GROUP_NO_SUCH": "1"}, "unknown setting group.no_such"),
    ],
)
def test_settings_bad_values_are_rejected(environ: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        load_settings(None, environ=environ)


def test_settings_toml_boolean_for_a_number_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[ingest]\nmin_words = true\n")
    with pytest.raises(InvalidInput, match="ingest.min_words"):
        load_settings(path, environ={})


def test_settings_unreadable_file_and_unknown_section(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[group\n")
    with pytest.raises(InvalidInput, match="cannot read settings"):
        load_settings(broken, environ={})
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[nope]\nx = 1\n")
    with pytest.raises(InvalidInput, match=r"unknown settings section \[nope\]"):
        load_settings(unknown, environ={})
