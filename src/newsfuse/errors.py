"""Exceptions raised by newsfuse.

    EngineError
    ├── InvalidInput (also ValueError)   bad arguments or unreadable settings
    ├── NotFound (also LookupError)      no event / article with that id
    ├── Forbidden (also PermissionError) a request the web app refuses (e.g. a cross-site upload)
    └── StoreError                       the database cannot be used

Per-item ingest problems are not exceptions: they come back as ``Rejected``.
"""

from __future__ import annotations


class EngineError(Exception):
    """Root of every error newsfuse raises on purpose."""


class InvalidInput(EngineError, ValueError):
    """An argument, path or setting that cannot be used."""


class NotFound(EngineError, LookupError):
    """The requested record does not exist."""


class Forbidden(EngineError, PermissionError):
    """A request refused for where it comes from or how it is sent."""


class StoreError(EngineError):
    """The database is not a newsfuse database or is too new for this version."""
