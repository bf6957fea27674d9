"""The embedded SQLite store: the only module that speaks SQL."""

from newsfuse.store.store import SearchHit, Store

__all__ = ["SearchHit", "Store"]
