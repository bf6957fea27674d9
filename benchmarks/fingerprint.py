"""Fingerprints of what a store holds, to show that a change leaves results as they were.

    python benchmarks/fingerprint.py STORE.db [--json]

Prints a hash and a count per table group: articles, analyses (extractions, MinHash, embeddings,
profiles: the bytes as stored), duplicates, events (with their sorted members, label, dates,
place and story), claims (their JSON without ``produced_by``, so a bumped stage version alone
does not count as a change) and stories (with their events).  Reads SQLite directly, so stores
written by an older newsfuse compare too.  To check a refactor, ingest the same corpus with the
old and the new code (``benchmarks/scale.py``'s ``build_corpus`` makes one) and compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path


def _digest(rows: Iterable[object]) -> tuple[str, int]:
    digest, count = hashlib.sha256(), 0
    for row in sorted(rows, key=repr):
        digest.update(repr(row).encode())
        count += 1
    return digest.hexdigest()[:16], count


def fingerprint(path: Path) -> dict[str, tuple[str, int]]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    members: dict[str, list[str]] = {}
    for event_id, article_id in db.execute("SELECT event_id, article_id FROM event_articles"):
        members.setdefault(event_id, []).append(article_id)
    events = [
        (row[0], tuple(sorted(members.get(row[0], []))), *row[1:])
        for row in db.execute(
            "SELECT event_id, label, first_published_at, last_published_at, day, place, story_id FROM events"
        )
    ]

    def claim(data: str) -> str:
        record = json.loads(data)
        record.pop("produced_by", None)
        return json.dumps(record, sort_keys=True)

    claims = [
        (c, e, k, s, claim(d))
        for c, e, k, s, d in db.execute("SELECT claim_id, event_id, kind, status, data FROM claims")
    ]
    in_story: dict[str, list[str]] = {}
    for story_id, event_id in db.execute("SELECT story_id, event_id FROM events"):
        in_story.setdefault(story_id, []).append(event_id)
    stories = [
        (s, label, first, last, tuple(sorted(in_story.get(s, []))))
        for s, label, first, last in db.execute(
            "SELECT story_id, label, first_published_at, last_published_at FROM stories"
        )
    ]
    return {
        "articles": _digest(
            db.execute("SELECT article_id, source, title, text, published_at, url, language, origin FROM articles")
        ),
        "analyses": _digest(
            db.execute("SELECT article_id, produced_by, extraction, minhash, embedding, profile FROM analyses")
        ),
        "duplicates": _digest(db.execute("SELECT article_id, original_id, similarity FROM duplicates")),
        "events": _digest(events),
        "claims": _digest(claims),
        "stories": _digest(stories),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    found = fingerprint(args.store)
    if args.json:
        print(json.dumps(found, indent=1))
        return
    for name, (digest, count) in found.items():
        print(f"{name:10s} {count:>9,}  {digest}")


if __name__ == "__main__":
    main()
