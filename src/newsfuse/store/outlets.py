"""The ``outlets`` table: one row per outlet articles came from, with the other names seen for it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from urllib.parse import urlsplit

from newsfuse.models import Article
from newsfuse.stages.outlets import registered_domain


def record_outlets(conn: sqlite3.Connection, articles: Sequence[Article]) -> None:
    """Add the outlets of ``articles`` to ``outlets`` (one row per registered domain, else per name),
    with every other name seen for it as an alias."""
    found: dict[str, tuple[str, str, str]] = {}  # outlet id -> (name, domain, language)
    names: dict[str, set[str]] = {}
    domains: dict[str, str] = {}  # host -> registered domain
    for article in articles:
        host = (urlsplit(article.url).hostname or "") if article.url else ""
        if host not in domains:
            domains[host] = registered_domain(host) if host else ""
        outlet_id = domains[host] or article.source.casefold()
        found.setdefault(outlet_id, (article.source, domains[host], article.language))
        names.setdefault(outlet_id, set()).add(article.source)
    for outlet_id, (name, domain, language) in found.items():
        row = conn.execute("SELECT name, aliases FROM outlets WHERE outlet_id = ?", (outlet_id,)).fetchone()
        if row is None:
            aliases = sorted(names[outlet_id] - {name})
            conn.execute(
                "INSERT INTO outlets (outlet_id, name, domain, aliases, language) VALUES (?,?,?,?,?)",
                (outlet_id, name, domain, json.dumps(aliases), language),
            )
        elif names[outlet_id] - {row[0], *json.loads(row[1])}:
            aliases = sorted((set(json.loads(row[1])) | names[outlet_id]) - {row[0]})
            conn.execute("UPDATE outlets SET aliases = ? WHERE outlet_id = ?", (json.dumps(aliases), outlet_id))


def read_outlets(conn: sqlite3.Connection) -> list[tuple[str, str, str, list[str], str, str]]:
    """Every outlet: (id, name, domain, aliases, country, language)."""
    rows = conn.execute("SELECT outlet_id, name, domain, aliases, country, language FROM outlets ORDER BY outlet_id")
    return [(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]
