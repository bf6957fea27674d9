"""Schema migrations, tracked in ``PRAGMA user_version`` and applied in order."""

from __future__ import annotations

import sqlite3
from importlib import resources

from newsfuse.errors import StoreError


def _script(name: str) -> str:
    return resources.files("newsfuse.store").joinpath(name).read_text(encoding="utf-8")


def _schema_v1() -> str:
    return _script("schema.sql")


def _schema_v2() -> str:
    return _script("schema_v2.sql")


def _schema_v3() -> str:
    return _script("schema_v3.sql")


def _schema_v4() -> str:
    return _script("schema_v4.sql")


def _schema_v5() -> str:
    return _script("schema_v5.sql")


def _schema_v6() -> str:
    return _script("schema_v6.sql")


def _schema_v7() -> str:
    return _script("schema_v7.sql")


def _schema_v8() -> str:
    return _script("schema_v8.sql")


MIGRATIONS = (_schema_v1, _schema_v2, _schema_v3, _schema_v4, _schema_v5, _schema_v6, _schema_v7, _schema_v8)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to the newest schema; return its version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"database schema v{version} is newer than this newsfuse (v{len(MIGRATIONS)})")
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError("not a newsfuse database (it has tables but no newsfuse schema version)")
    for number in range(version, len(MIGRATIONS)):
        script = MIGRATIONS[number]()
        conn.execute("BEGIN")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements
