"""newsfuse: a local-first engine for multi-source news.

Feed it dated articles from many outlets; it finds which report the same
event, what the sources agree on, where they conflict, and what happened
when, citing every statement to its sentence.

The public names below are imported on first use, so ``import newsfuse`` (and the command
line's start) does not load the models and the scientific stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsfuse.version import __version__

if TYPE_CHECKING:
    from newsfuse.errors import EngineError, InvalidInput, NotFound, StoreError
    from newsfuse.models import Article, Brief, Citation, Claim, Event, Extraction, Rejected
    from newsfuse.pipeline import ingest, rebuild
    from newsfuse.queries import brief
    from newsfuse.settings import Settings, load_settings
    from newsfuse.store import Store

_HOMES = {
    "EngineError": "errors", "InvalidInput": "errors", "NotFound": "errors", "StoreError": "errors",
    "Article": "models", "Brief": "models", "Citation": "models", "Claim": "models", "Event": "models",
    "Extraction": "models", "Rejected": "models", "ingest": "pipeline", "rebuild": "pipeline", "brief": "queries",
    "Settings": "settings", "load_settings": "settings", "Store": "store",
}  # fmt: skip

__all__ = [
    "__version__",
    "Article",
    "Brief",
    "Citation",
    "Claim",
    "EngineError",
    "Event",
    "Extraction",
    "InvalidInput",
    "NotFound",
    "Rejected",
    "Settings",
    "Store",
    "StoreError",
    "brief",
    "ingest",
    "load_settings",
    "rebuild",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
    value = getattr(import_module(f"newsfuse.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
