"""Settings: dataclass defaults, overridden by a TOML file and NEWSFUSE_* variables.

The TOML sections mirror the CLI commands::

    [ingest]
    max_bytes = 5000000
    [group]
    threshold = 0.55
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from newsfuse.errors import InvalidInput


def default_workers() -> int:
    """Processes a run uses by default: the cores, at most two (each holds its own models)."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """Limits on what an input item may be."""

    max_bytes: int = 5_000_000
    min_words: int = 5
    batch_size: int = 200
    source: str = ""  # outlet name for items that name none (``--source``)


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """How much text goes through the spaCy model per article."""

    lead_sentences: int = 8
    lead_words: int = 150
    max_model_words: int = 260
    max_sentences: int = 400


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """MinHash near-duplicate detection."""

    num_perm: int = 64
    shingle_words: int = 5
    threshold: float = 0.8
    window_days: int = 30  # a copy is linked only to articles published this many days before it


@dataclass(frozen=True, slots=True)
class GroupSettings:
    """Same-event grouping and story linking.  threshold and weights were chosen on dev splits only
    (ECB+ topics 1-35, NeuS validation) by ``newsfuse eval grouping --tune``; the story_* settings on
    ECB+ dev topics and the gva_dev incidents (see docs/quality.md)."""

    threshold: float = 0.3
    name_weight: float = 0.3
    embedding_weight: float = 0.2
    window_days: int = 7
    block_size: int = 1000
    story_threshold: float = 0.28
    story_name_threshold: float = 0.0
    story_name_weight: float = 0.3
    story_embedding_weight: float = 0.6
    story_window_days: int = 60
    story_decay: float = 0.005
    story_close_days: float = 1.0  # within a day of a story's latest event no shared name is asked for
    story_rare_names: int = 2  # later, this many specific names shared with one of its events
    story_close_names: int = 0  # and this many within the day (first reports often name no one)
    story_rare_share: float = 0.01  # a name at most this share of the corpus holds is specific


@dataclass(frozen=True, slots=True)
class TimelineSettings:
    """How many dates and sentences, and how dates are scored."""

    dates: int = 10
    per_date: int = 1
    pub_weight: float = 0.5
    lead_sentences: int = 3
    min_words: int = 6
    max_words: int = 60
    redundancy: float = 0.5
    length_penalty: float = 0.0
    one_vote_per_article: bool = True
    next_day_leads: bool = True
    centroid_opt: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings, one section per command."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    group: GroupSettings = field(default_factory=GroupSettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _convert(current: Any, value: Any) -> Any:
    """``value`` (from TOML or an environment variable's text) as the type of the default ``current``."""
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError(f"not a boolean (use one of {', '.join(_TRUE + _FALSE)})")
    if isinstance(value, bool):  # bool is an int: true must not become 1 or 1.0
        raise ValueError("a boolean where a number or text is expected")
    return type(current)(value)


def _apply(section: Any, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(section)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise InvalidInput(f"unknown setting {where}.{key}")
        try:
            changes[key] = _convert(getattr(section, key), value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"bad value for {where}.{key}: {value!r} ({exc})") from exc
    return replace(section, **changes)


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (TOML) and ``NEWSFUSE_<SECTION>_<KEY>`` variables."""
    settings = Settings()
    sections: dict[str, dict[str, Any]] = {}
    if path is not None:
        import tomllib  # only when there is a file (a few dozen ms at start otherwise)

        try:
            sections = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read settings {path}: {exc}") from exc
    for key, value in (environ if environ is not None else dict(os.environ)).items():
        if key.startswith("NEWSFUSE_") and key.count("_") >= 2:
            section, _, name = key[len("NEWSFUSE_") :].lower().partition("_")
            if section in {f.name for f in fields(settings)}:
                sections.setdefault(section, {})[name] = value
    for name, values in sections.items():
        if name not in {f.name for f in fields(settings)} or not isinstance(values, dict):
            raise InvalidInput(f"unknown settings section [{name}]")
        settings = replace(settings, **{name: _apply(getattr(settings, name), values, name)})
    return settings
