"""SQL conditions built from what a user asks for: list filters and full-text queries (the values
always go as parameters; only fixed SQL text is put together here)."""

from __future__ import annotations

import re

from newsfuse.errors import InvalidInput
from newsfuse.models import ListFilter

_OPERATORS = ("AND", "OR", "NOT")
_TERM = re.compile(r'"[^"]*"?|[^\s"]+')
_WORD = re.compile(r"[^\W_]+")


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for what a user typed: words, "exact phrases", prefix* words and
    the operators AND, OR and NOT (upper case) between terms.  Every word is quoted, so no other
    FTS5 syntax (columns, NEAR, parentheses, ^) gets through; a dangling operator is dropped."""
    parts: list[str] = []
    for token in _TERM.findall(text):
        if token in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(token)
            continue
        words = _WORD.findall(token)
        if not words:
            continue
        if token.startswith('"'):
            parts.append('"' + " ".join(words) + '"')
        else:
            prefix = token.endswith("*")
            parts += [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"' + ("*" if prefix else "")]
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    if not parts:
        raise InvalidInput("empty search query")
    return " ".join(parts)


def event_conditions(where: ListFilter) -> tuple[str, list[object]]:
    """SQL conditions on events ``e`` (and their values) for a filter."""
    conditions, params = ["1"], []  # type: list[str], list[object]
    day = "coalesce(nullif(e.day, ''), substr(e.first_published_at, 1, 10))"
    if where.since:
        conditions.append(f"{day} >= ?")
        params.append(where.since.isoformat())
    if where.until:
        conditions.append(f"{day} <= ?")
        params.append(where.until.isoformat())
    if where.place:
        conditions.append("e.place LIKE ? ESCAPE '\\'")
        escaped = where.place.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    members = "SELECT ea.event_id FROM articles a JOIN event_articles ea USING (article_id) WHERE"
    if where.outlet:
        conditions.append(f"e.event_id IN ({members} a.source = ?)")
        params.append(where.outlet)
    if where.language:
        conditions.append("EXISTS (SELECT 1 FROM event_articles ea JOIN articles a USING (article_id)"
                          " WHERE ea.event_id = e.event_id AND a.language = ?)")  # fmt: skip
        params.append(where.language)
    if where.status:
        conditions.append(_STATUS_CONDITIONS[where.status])
    return " AND ".join(conditions), params


# the events' own claim counts (schema v8) say which have conflicting or updated claims
_STATUS_CONDITIONS = {
    "conflicting": "e.conflicting > 0",
    "updated": "e.updated > 0",
    "contested": "(e.conflicting > 0 OR e.updated > 0)",
}
