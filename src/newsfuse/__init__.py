"""newsfuse: a local-first engine for multi-source news.

Feed it dated articles from many outlets; it finds which report the same
event, what the sources agree on, where they conflict, and what happened
when, citing every statement to its sentence.
"""

from newsfuse.errors import EngineError, InvalidInput, NotFound, StoreError
from newsfuse.models import Article, Brief, Citation, Claim, Event, Extraction, Rejected
from newsfuse.pipeline import ingest, rebuild
from newsfuse.queries import brief
from newsfuse.settings import Settings, load_settings
from newsfuse.store import Store

__all__ = [
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
