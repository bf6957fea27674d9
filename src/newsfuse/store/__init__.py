"""The embedded SQLite store: the only module that speaks SQL."""

from newsfuse.store.store import Store

__all__ = ["Store"]
