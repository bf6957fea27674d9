"""All SQL lives here.  One transaction per call that writes."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Literal

import numpy as np

from newsfuse.encoding import (
    ANALYSIS_COLUMNS,
    VECTOR_TYPES,
    EncodedAnalysis,
    ReconciledEvent,
    decode_claim,
    decode_extraction,
    decode_vector,
    encode_analysis,
    unpack_profile,
)
from newsfuse.errors import InvalidInput, NotFound, StoreError
from newsfuse.models import (
    Analysis,
    Article,
    Claim,
    Duplicate,
    Event,
    Extraction,
    Facet,
    ListFilter,
    OutletSummary,
    Profile,
    Rejected,
    SearchHit,
    Story,
)
from newsfuse.store.filters import event_conditions, fts_query
from newsfuse.store.lock import WRITER_WAIT, WriterLock
from newsfuse.store.migrations import MIGRATIONS, migrate
from newsfuse.store.outlets import read_outlets, record_outlets

_CITED_BY = "SELECT 1 FROM json_each(c.data, '$.citations') j WHERE json_extract(j.value, '$.source')"
# an article's columns with its text left out (lists and reconciling need who published what when)
_WITHOUT_TEXT = (
    "article_id, source, title, '' AS text, published_at, url, language, origin, content_kind, dateline, date_source"
)
_CANDIDATES_SHOWN = 5  # ids an ambiguous prefix error lists
_CACHE_KIB = -128 * 1024  # page cache of 128 MiB (the default 2 MiB thrashes on inserts into indexes of text keys)
_BUSY_SECONDS = 60.0  # a statement waits this long for another connection's commit (WAL readers never wait)
_OWN_SUFFIXES = (
    "",
    "-wal",
    "-shm",
    "-journal",
    ".lock",
)  # the database file and SQLite's and newsfuse's files beside it


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _valid(text: str) -> str:
    return text.encode("utf-8", "replace").decode()


EXPORT_TABLES = (
    "articles", "analyses", "duplicates", "events", "event_articles", "claims", "stories", "rejections"
)  # fmt: skip
# an article needs analysing: none stored, another extractor version's, or one from before profiles
_PENDING = "(n.article_id IS NULL OR n.produced_by != ? OR length(n.profile) = 0)"


def _article(row: sqlite3.Row) -> Article:
    return Article(
        article_id=row["article_id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        published_at=_dt(row["published_at"]),
        url=row["url"],
        language=row["language"],
        origin=row["origin"],
        content_kind=row["content_kind"],
        dateline=row["dateline"],
        date_source=row["date_source"],
    )


class Store:
    """A newsfuse SQLite database file: created and migrated on open, or with ``read_only`` opened
    as it is (``StoreError`` when it is missing or has an older schema; nothing is ever written).

    Runs that write (ingest, update, regroup) hold ``writing()``, a lock on ``<db>.lock``, so one
    process writes a store at a time; another writer waits up to ``writer_wait`` seconds, calling
    ``on_wait`` once with a message saying why.  Readers never take it."""

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        writer_wait: float = WRITER_WAIT,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.path = str(path)
        self._lock = WriterLock(self.path, wait=writer_wait, on_wait=on_wait)
        if read_only and not Path(path).is_file():
            raise StoreError(f"no database at {self.path} (run `newsfuse ingest PATH --db {self.path}` first)")
        try:
            if read_only:
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, isolation_level=None, check_same_thread=False, timeout=_BUSY_SECONDS
                )
            else:
                self._conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False, timeout=_BUSY_SECONDS
                )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute(f"PRAGMA cache_size = {_CACHE_KIB}")
            if read_only:
                self._check_schema()
            else:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _check_schema(self) -> None:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version == 0:
            raise StoreError(f"{self.path} is not a newsfuse database")
        if version != len(MIGRATIONS):
            raise StoreError(
                f"{self.path} has schema v{version}, this newsfuse reads v{len(MIGRATIONS)}"
                + (f" (run `newsfuse regroup --db {self.path}` to upgrade it)" if version < len(MIGRATIONS) else "")
            )

    def close(self) -> None:
        self._conn.close()
        self._lock.close()

    def data_version(self) -> tuple[int, int, int]:
        """Changes whenever any connection or process has committed to this database since the last
        call (SQLite's ``data_version``, with the file's device and inode, so a file replaced by
        another also counts)."""
        info = os.stat(self.path)
        return info.st_dev, info.st_ino, int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def own_files(self) -> frozenset[Path]:
        """The resolved paths of the database and the files SQLite and newsfuse keep beside it (never input)."""
        return frozenset(Path(self.path + suffix).resolve() for suffix in _OWN_SUFFIXES)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock of this store for the block (re-entrant); ``StoreError`` when another
        process holds it for longer than ``writer_wait`` seconds."""
        self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; any exception (Ctrl-C too) rolls it back."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- articles -----------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], rejected: Sequence[Rejected], *, now: datetime) -> int:
        """Store new articles and rejections in one transaction; return how many articles were new."""
        return self.add_batch(articles, rejected, now=now)[0]

    def add_batch(
        self, articles: Sequence[Article], rejected: Sequence[Rejected], *, now: datetime
    ) -> tuple[int, list[Rejected]]:
        """Store new articles and rejections in one transaction; return how many articles were new and
        which rejections (a rejection is recorded once per origin and reason).

        New rows take rowids above the largest one, which is how they are found for the full-text index."""
        new_rejections: list[Rejected] = []
        with self.transaction() as conn:
            last = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
            cursor = conn.executemany(
                "INSERT OR IGNORE INTO articles (article_id, source, title, text, published_at, url,"
                " language, origin, ingested_at, content_kind, dateline, date_source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        a.article_id,
                        a.source,
                        a.title,
                        a.text,
                        _ts(a.published_at),
                        a.url,
                        a.language,
                        a.origin,
                        _ts(now),
                        a.content_kind,
                        a.dateline,
                        a.date_source,
                    )
                    for a in articles
                ],
            )
            added = max(cursor.rowcount, 0)
            conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles WHERE rowid > ?",
                (last,),
            )
            for r in rejected:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO rejections (origin, reason, code, at) VALUES (?,?,?,?)",
                    (_valid(r.origin), _valid(r.reason), r.code, _ts(now)),
                )
                if cursor.rowcount > 0:
                    new_rejections.append(r)
            record_outlets(conn, articles)
        return added, new_rejections

    def count_articles(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def _rows_in(self, sql: str, ids: Iterable[str], *params: object) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` (whose ``{marks}`` is an ``IN`` list) for ``ids``, 500 ids per query;
        ``params`` follow the ids."""
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            yield from self._conn.execute(sql.format(marks=",".join("?" * len(chunk))), [*chunk, *params])

    def articles(self, article_ids: Iterable[str], *, text: bool = True) -> list[Article]:
        """The articles with these ids, oldest first (with ``text=False`` their ``text`` is left empty:
        reconciling needs only who published what when, and article texts are most of the bytes)."""
        columns = "*" if text else _WITHOUT_TEXT
        rows = self._rows_in(f"SELECT {columns} FROM articles WHERE article_id IN ({{marks}})", article_ids)
        return sorted((_article(r) for r in rows), key=lambda a: (a.published_at, a.article_id))

    def article(self, article_id: str) -> Article:
        """The article with this id or unique id prefix."""
        return _article(self._by_prefix("articles", "article_id", article_id, "article"))

    def events_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The event of each of these articles that belongs to one."""
        sql = "SELECT article_id, event_id FROM event_articles WHERE article_id IN ({marks})"
        return {r[0]: r[1] for r in self._rows_in(sql, article_ids)}

    def duplicates_among(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The duplicate links (copy id -> original id) of those of these articles that are copies."""
        sql = "SELECT article_id, original_id FROM duplicates WHERE article_id IN ({marks})"
        return {r[0]: r[1] for r in self._rows_in(sql, article_ids)}

    def duplicates_of(self, article_id: str) -> dict[str, str]:
        """The duplicate links (copy id -> original id) this article is on either side of."""
        rows = self._conn.execute(
            "SELECT article_id, original_id FROM duplicates WHERE article_id = ? OR original_id = ?",
            (article_id, article_id),
        )
        return {r[0]: r[1] for r in rows}

    def outlets(self, limit: int, *, offset: int = 0, name: str = "") -> tuple[list[OutletSummary], int]:
        """Outlets by how many articles they have (or the one called ``name``), and how many in all."""
        where, params = ("WHERE a.source = ?", [name]) if name else ("", [])
        total = self._conn.execute(f"SELECT count(DISTINCT a.source) FROM articles a {where}", params).fetchone()[0]
        rows = self._conn.execute(
            "SELECT a.source, count(*), count(DISTINCT ea.event_id), min(a.published_at), max(a.published_at)"
            f" FROM articles a LEFT JOIN event_articles ea USING (article_id) {where}"
            " GROUP BY a.source ORDER BY 2 DESC, 1 LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [OutletSummary(r[0], r[1], r[2], _dt(r[3]), _dt(r[4])) for r in rows], int(total)

    def outlet_articles(self, name: str, limit: int) -> list[Article]:
        """The newest articles of one outlet (text left out)."""
        rows = self._conn.execute(
            f"SELECT {_WITHOUT_TEXT} FROM articles WHERE source = ? ORDER BY published_at DESC, article_id LIMIT ?",
            (name, limit),
        ).fetchall()
        return [_article(r) for r in rows]

    def shared_claim_statuses(self, name: str) -> dict[str, int]:
        """Statuses of the claims that cite outlet ``name`` and at least one other outlet."""
        rows = self._conn.execute(
            "SELECT c.status, count(*) FROM claims c WHERE c.event_id IN"
            " (SELECT ea.event_id FROM event_articles ea JOIN articles a USING (article_id) WHERE a.source = ?)"
            f" AND EXISTS ({_CITED_BY} = ?) AND EXISTS ({_CITED_BY} != ?)"
            " GROUP BY c.status ORDER BY c.status",
            (name, name, name),
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def pending_ids(self, produced_by: str) -> list[str]:
        """Ids of articles not analysed yet, or analysed by another version of the extractor, oldest first."""
        rows = self._conn.execute(
            "SELECT a.article_id FROM articles a LEFT JOIN analyses n USING (article_id)"
            f" WHERE {_PENDING} ORDER BY a.published_at, a.article_id",
            (produced_by,),
        ).fetchall()
        return [r[0] for r in rows]

    def pending_among(self, article_ids: Iterable[str], produced_by: str) -> list[str]:
        """Those of ``article_ids`` (in their order) that ``pending_ids`` would list."""
        ids = list(article_ids)
        sql = (
            "SELECT a.article_id FROM articles a LEFT JOIN analyses n USING (article_id)"
            f" WHERE a.article_id IN ({{marks}}) AND {_PENDING}"
        )
        pending = {r[0] for r in self._rows_in(sql, ids, produced_by)}
        return [a for a in ids if a in pending]

    def article_meta(self) -> list[tuple[str, str, datetime, str]]:
        """(article_id, source, published_at, title) of every analysed article, oldest first."""
        rows = self._conn.execute(
            "SELECT article_id, source, published_at, title FROM articles JOIN analyses USING (article_id)"
            " ORDER BY published_at, article_id"
        ).fetchall()
        return [(r[0], r[1], _dt(r[2]), r[3]) for r in rows]

    def leads(self, chars: int) -> dict[str, str]:
        """The first ``chars`` characters of every article's text."""
        return dict(self._conn.execute("SELECT article_id, substr(text, 1, ?) FROM articles", (chars,)).fetchall())

    # -- analyses -----------------------------------------------------------
    def save_analyses(self, analyses: Sequence[Analysis]) -> None:
        self.save_encoded_analyses([encode_analysis(a) for a in analyses])

    def save_encoded_analyses(self, rows: Sequence[EncodedAnalysis]) -> None:
        """Store analyses already encoded (as workers send them)."""
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO analyses ({', '.join(ANALYSIS_COLUMNS)}) VALUES (?,?,?,?,?,?)", rows
            )

    def table_batches(self, table: str, size: int = 10_000) -> Iterator[tuple[list[str], list[tuple[object, ...]]]]:
        """Every row of one of ``EXPORT_TABLES`` as (column names, rows), ``size`` rows at a time."""
        if table not in EXPORT_TABLES:
            raise InvalidInput(f"cannot export table {table!r}")
        cursor = self._conn.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(size):
            yield columns, [tuple(r) for r in rows]

    def extractions(self, article_ids: Iterable[str]) -> dict[str, Extraction]:
        return {a: decode_extraction(raw) for a, raw in self.extraction_json(article_ids).items()}

    def extraction_json(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The stored JSON of these articles' extractions (``newsfuse.encoding.decode_extraction`` reads it)."""
        sql = "SELECT article_id, extraction FROM analyses WHERE article_id IN ({marks})"
        return {r[0]: r[1] for r in self._rows_in(sql, article_ids)}

    def vectors(self, column: Literal["minhash", "embedding"]) -> dict[str, np.ndarray]:
        """Every article's ``minhash`` or ``embedding`` as a numpy array."""
        if column not in VECTOR_TYPES:
            raise InvalidInput(f"no vector column {column!r}")
        return {
            r[0]: decode_vector(r[1], column) for r in self._conn.execute(f"SELECT article_id, {column} FROM analyses")
        }

    def profiles(self, article_ids: Iterable[str] | None = None) -> dict[str, Profile]:
        """Grouping profiles of the given (default: all) analysed articles."""
        if article_ids is None:
            rows = self._conn.execute("SELECT article_id, profile FROM analyses").fetchall()
        else:
            rows = list(
                self._rows_in("SELECT article_id, profile FROM analyses WHERE article_id IN ({marks})", article_ids)
            )
        return {r[0]: unpack_profile(r[1]) for r in rows}

    # -- duplicates, events, claims -----------------------------------------
    def replace_duplicates(self, duplicates: Sequence[Duplicate]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM duplicates")
            conn.executemany(
                "INSERT INTO duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
                [(d.article_id, d.original_id, d.similarity) for d in duplicates],
            )

    def duplicates(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._conn.execute("SELECT article_id, original_id FROM duplicates")}

    def replace_events(
        self,
        reconciled: Iterable[ReconciledEvent],
        *,
        removed: Iterable[str] | None = None,
        versions: Mapping[str, str] | None = None,
    ) -> list[Event]:
        """Write events and their (encoded) claims atomically; return the events written.

        With ``removed=None`` every stored event is replaced; otherwise the ``removed`` ids are deleted
        first (an update). ``reconciled`` is read lazily and written a chunk at a time, so the claims
        of a whole-corpus regroup never sit in memory together.  ``versions`` (stage -> version) are
        recorded as the makers of the rows in the same transaction."""
        written: list[Event] = []
        with self.transaction() as conn:
            if removed is None:
                conn.execute("DELETE FROM claims")
                conn.execute("DELETE FROM event_articles")
                conn.execute("DELETE FROM events")
            else:
                gone = [(i,) for i in set(removed)]
                conn.executemany("DELETE FROM claims WHERE event_id = ?", gone)
                conn.executemany("DELETE FROM event_articles WHERE event_id = ?", gone)
                conn.executemany("DELETE FROM events WHERE event_id = ?", gone)
            iterator = iter(reconciled)
            while chunk := list(islice(iterator, 1000)):
                self._insert_events(conn, chunk)
                written += [e for e, _ in chunk]
            self._record_versions(conn, versions or {})
        return written

    @staticmethod
    def _record_versions(conn: sqlite3.Connection, versions: Mapping[str, str]) -> None:
        conn.executemany("INSERT OR REPLACE INTO stage_versions (stage, version) VALUES (?,?)", versions.items())

    def stage_versions(self) -> dict[str, str]:
        """Which version of each stage made the stored rows (as recorded with them)."""
        return {r[0]: r[1] for r in self._conn.execute("SELECT stage, version FROM stage_versions")}

    @staticmethod
    def _insert_events(conn: sqlite3.Connection, chunk: Sequence[ReconciledEvent]) -> None:
        conn.executemany(
            "INSERT INTO events (event_id, label, first_published_at, last_published_at, produced_by, day,"
            " place, story_id, conflicting, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    e.event_id,
                    e.label,
                    _ts(e.first_published_at),
                    _ts(e.last_published_at),
                    e.produced_by,
                    e.day.isoformat() if e.day else "",
                    e.place,
                    e.story_id,
                    sum(c.status == "conflicting" for c in claims),
                    sum(c.status == "updated" for c in claims),
                )
                for e, claims in chunk
            ],  # fmt: skip
        )
        conn.executemany(
            "INSERT INTO event_articles (event_id, article_id) VALUES (?,?)",
            [(e.event_id, a) for e, _ in chunk for a in e.article_ids],
        )
        conn.executemany(
            "INSERT INTO claims (claim_id, event_id, kind, status, data) VALUES (?,?,?,?,?)",
            [row for _, rows in chunk for row in rows],
        )

    def replace_stories(self, stories: Sequence[Story], *, versions: Mapping[str, str] | None = None) -> None:
        """Swap in a new set of stories and point each event at its story (``versions`` as in
        ``replace_events``)."""
        with self.transaction() as conn:
            self._record_versions(conn, versions or {})
            conn.execute("DELETE FROM stories")
            conn.execute("UPDATE events SET story_id = ''")
            conn.executemany(
                "INSERT INTO stories (story_id, label, first_published_at, last_published_at, produced_by)"
                " VALUES (?,?,?,?,?)",
                [
                    (s.story_id, s.label, _ts(s.first_published_at), _ts(s.last_published_at), s.produced_by)
                    for s in stories
                ],
            )
            conn.executemany(
                "UPDATE events SET story_id = ? WHERE event_id = ?",
                [(s.story_id, e) for s in stories for e in s.event_ids],
            )

    def stories(self, limit: int = 100, *, offset: int = 0) -> list[Story]:
        """Stories, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM stories ORDER BY last_published_at DESC, story_id LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return [self._story_from_row(r) for r in rows]

    def count_stories(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM stories").fetchone()[0])

    def story(self, story_id: str) -> Story:
        """The story with this id or unique id prefix, or the one an older story id now redirects to."""
        row = self._followed("stories", "story_id", story_id, "story")
        return self._story_from_row(row)

    def _story_from_row(self, row: sqlite3.Row) -> Story:
        events = [
            r[0]
            for r in self._conn.execute(
                "SELECT event_id FROM events WHERE story_id = ? ORDER BY first_published_at, event_id",
                (row["story_id"],),
            )
        ]
        return Story(
            story_id=row["story_id"],
            label=row["label"],
            event_ids=tuple(events),
            first_published_at=_dt(row["first_published_at"]),
            last_published_at=_dt(row["last_published_at"]),
            produced_by=row["produced_by"],
        )

    def events_since(self, when: datetime) -> list[Event]:
        """Events whose last article is at or after ``when`` (the ones a new article may join)."""
        rows = self._conn.execute("SELECT * FROM events WHERE last_published_at >= ?", (_ts(when),)).fetchall()
        return self._events_from_rows(rows)

    def outlets_of(self, event_ids: Sequence[str]) -> dict[str, list[str]]:
        """The distinct outlets of each event's articles, copies of another article left out (as the
        brief counts sources), in order of name."""
        sql = (
            "SELECT DISTINCT event_id, source FROM event_articles JOIN articles USING (article_id)"
            " WHERE event_id IN ({marks}) AND article_id NOT IN (SELECT article_id FROM duplicates)"
        )
        outlets: dict[str, list[str]] = {}
        for event_id, source in self._rows_in(sql, event_ids):
            outlets.setdefault(event_id, []).append(source)
        return {e: sorted(names) for e, names in outlets.items()}

    def status_counts(self, event_ids: Sequence[str], status: str) -> dict[str, int]:
        """How many claims of each event have ``status``."""
        sql = "SELECT event_id, count(*) FROM claims WHERE event_id IN ({marks}) AND status = ? GROUP BY event_id"
        return {r[0]: r[1] for r in self._rows_in(sql, event_ids, status)}

    def count_events(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def count_unlinked_events(self) -> int:
        """Events in no story (every event is in one once a run has finished)."""
        return int(self._conn.execute("SELECT count(*) FROM events WHERE story_id = ''").fetchone()[0])

    def count_claims(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM claims").fetchone()[0])

    def _members(self, event_ids: Sequence[str]) -> dict[str, list[str]]:
        """The article ids of each event, oldest first (a query per 500 events, not per event)."""
        members: dict[str, list[str]] = {e: [] for e in event_ids}
        sql = (
            "SELECT event_id, article_id FROM event_articles JOIN articles USING (article_id)"
            " WHERE event_id IN ({marks}) ORDER BY published_at, article_id"
        )
        for event_id, article_id in self._rows_in(sql, event_ids):
            members[event_id].append(article_id)
        return members

    def _events_from_rows(self, rows: Sequence[sqlite3.Row]) -> list[Event]:
        members = self._members([r["event_id"] for r in rows])
        return [
            Event(
                event_id=row["event_id"],
                label=row["label"],
                article_ids=tuple(members[row["event_id"]]),
                first_published_at=_dt(row["first_published_at"]),
                last_published_at=_dt(row["last_published_at"]),
                produced_by=row["produced_by"],
                day=date.fromisoformat(row["day"]) if row["day"] else None,
                place=row["place"],
                story_id=row["story_id"],
            )
            for row in rows
        ]

    def list_events(
        self, where: ListFilter, limit: int, *, offset: int = 0, after: str = ""
    ) -> tuple[list[Event], int]:
        """A page of the events ``where`` selects, newest first, and how many it selects in all.

        ``after`` is a keyset cursor: the id of the previous page's last event (``InvalidInput`` when
        that event no longer exists, e.g. after a regroup)."""
        conditions, params = event_conditions(where)
        total = self._conn.execute(f"SELECT count(*) FROM events e WHERE {conditions}", params).fetchone()[0]
        page, page_params = conditions, list(params)
        if after:
            row = self._conn.execute("SELECT last_published_at FROM events WHERE event_id = ?", (after,)).fetchone()
            if row is None:
                raise InvalidInput(f"the page cursor {after!r} is no longer an event (start from the first page)")
            page += " AND (e.last_published_at < ? OR (e.last_published_at = ? AND e.event_id > ?))"
            page_params += [row[0], row[0], after]
        rows = self._conn.execute(
            f"SELECT e.* FROM events e WHERE {page} ORDER BY e.last_published_at DESC, e.event_id LIMIT ? OFFSET ?",
            [*page_params, limit, offset],
        ).fetchall()
        return self._events_from_rows(rows), int(total)

    def event_facets(self, where: ListFilter, top: int = 8) -> list[Facet]:
        """Counts of the selected events by status (conflicting, updated), outlet, place and language."""
        conditions, params = event_conditions(where)
        conflicting, updated = self._conn.execute(
            f"SELECT total(e.conflicting > 0), total(e.updated > 0) FROM events e WHERE {conditions}", params
        ).fetchone()
        facets = [Facet("status", k, int(n)) for k, n in (("conflicting", conflicting), ("updated", updated)) if n]
        chosen = f"SELECT e.event_id FROM events e WHERE {conditions}"
        # the narrow index, not the rows: the join reads every selected event's articles
        members = (
            "event_articles ea JOIN articles a INDEXED BY articles_outlet USING (article_id)"
            f" WHERE ea.event_id IN ({chosen})"
        )
        queries = (
            ("outlet", f"SELECT a.source, count(DISTINCT ea.event_id) FROM {members}"
             f" GROUP BY a.source ORDER BY 2 DESC, 1 LIMIT {top}"),
            ("place", f"SELECT e.place, count(*) FROM events e WHERE {conditions} AND e.place != ''"
             f" GROUP BY e.place ORDER BY 2 DESC, 1 LIMIT {top}"),
            ("language", f"SELECT a.language, count(DISTINCT ea.event_id) FROM {members}"
             f" GROUP BY a.language ORDER BY 2 DESC, 1 LIMIT {top}"),
        )  # fmt: skip
        return facets + [
            Facet(name, str(value), int(count))
            for name, sql in queries
            for value, count in self._conn.execute(sql, params).fetchall()
        ]

    def events(self, limit: int = 100) -> list[Event]:
        """Events, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM events ORDER BY last_published_at DESC, event_id LIMIT ?", (limit,)
        ).fetchall()
        return self._events_from_rows(rows)

    def _by_prefix(self, table: str, column: str, wanted: str, what: str) -> sqlite3.Row:
        cleaned = wanted.strip().lower()
        if not cleaned or not all(c in "0123456789abcdef" for c in cleaned):
            raise NotFound(f"no {what} {wanted!r}")
        rows = self._conn.execute(
            f"SELECT * FROM {table} WHERE {column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?",
            (cleaned, cleaned + "g", _CANDIDATES_SHOWN + 1),
        ).fetchall()
        if not rows:
            raise NotFound(f"no {what} {wanted!r}")
        if len(rows) > 1:
            shown = ", ".join(r[column] for r in rows[:_CANDIDATES_SHOWN])
            more = " and more" if len(rows) > _CANDIDATES_SHOWN else ""
            raise NotFound(f"{what} id prefix {wanted!r} is ambiguous: {shown}{more}")
        return rows[0]  # type: ignore[no-any-return]

    def event(self, event_id: str) -> Event:
        """The event with this id or unique id prefix, or the one an older event id now redirects to."""
        return self._events_from_rows([self._followed("events", "event_id", event_id, "event")])[0]

    def _followed(self, table: str, column: str, wanted: str, kind: Literal["event", "story"]) -> sqlite3.Row:
        """``_by_prefix``, falling back to the redirect of an id that is no longer stored."""
        try:
            return self._by_prefix(table, column, wanted, kind)
        except NotFound:
            cleaned = wanted.strip().lower()
            moved = self._conn.execute(
                "SELECT DISTINCT new_id FROM redirects WHERE kind = ? AND old_id >= ? AND old_id < ? LIMIT 2",
                (kind, cleaned, cleaned + "g"),
            ).fetchall()
            if len(moved) != 1:
                raise
            return self._by_prefix(table, column, moved[0][0], kind)

    def memberships(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The article ids of every stored event and of every stored story."""
        events: dict[str, list[str]] = {}
        stories: dict[str, list[str]] = {}
        rows = self._conn.execute(
            "SELECT event_id, story_id, article_id FROM event_articles JOIN events USING (event_id)"
        )
        for event_id, story_id, article_id in rows:
            events.setdefault(event_id, []).append(article_id)
            if story_id:
                stories.setdefault(story_id, []).append(article_id)
        return events, stories

    def save_redirects(self, kind: Literal["event", "story"], successors: Mapping[str, str]) -> None:
        """Point ids that are gone (and the redirects that led to them) at their successors; an id that is
        stored again loses its redirect."""
        table, column = ("events", "event_id") if kind == "event" else ("stories", "story_id")
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE redirects SET new_id = ? WHERE kind = ? AND new_id = ?",
                [(new, kind, old) for old, new in successors.items()],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO redirects (old_id, kind, new_id) VALUES (?,?,?)",
                [(old, kind, new) for old, new in successors.items()],
            )
            conn.execute(f"DELETE FROM redirects WHERE kind = ? AND old_id IN (SELECT {column} FROM {table})", (kind,))

    def claims(self, event_id: str) -> list[Claim]:
        rows = self._conn.execute("SELECT data FROM claims WHERE event_id = ? ORDER BY rowid", (event_id,))
        return [decode_claim(r[0]) for r in rows]

    def rejections(self) -> list[Rejected]:
        rows = self._conn.execute("SELECT origin, reason, code FROM rejections ORDER BY rowid")
        return [Rejected(r[0], r[1], r[2] or "internal_error") for r in rows]

    def ungrouped_ids(self) -> list[str]:
        """Ids of analysed articles that belong to no event (left so by an interrupted run), oldest first."""
        rows = self._conn.execute(
            "SELECT a.article_id FROM articles a JOIN analyses USING (article_id)"
            " WHERE NOT EXISTS (SELECT 1 FROM event_articles e WHERE e.article_id = a.article_id)"
            " ORDER BY a.published_at, a.article_id"
        ).fetchall()
        return [r[0] for r in rows]

    # -- search -------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search, best matches first (query syntax: ``fts_query``)."""
        return self.search_page(query, ListFilter(), limit)[0]

    def search_page(self, query: str, where: ListFilter, limit: int, *, offset: int = 0) -> tuple[list[SearchHit], int]:
        """A page of full-text hits among the articles ``where`` selects (its dates, outlet and
        language), best first, and how many match in all."""
        match = fts_query(query)
        conditions, params = ["articles_fts MATCH ?"], [match]
        if where.since:
            conditions.append("a.published_at >= ?")
            params.append(where.since.isoformat())
        if where.until:
            conditions.append("substr(a.published_at, 1, 10) <= ?")
            params.append(where.until.isoformat())
        if where.outlet:
            conditions.append("a.source = ?")
            params.append(where.outlet)
        if where.language:
            conditions.append("a.language = ?")
            params.append(where.language)
        found = " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE " + " AND ".join(conditions)
        total = self._conn.execute("SELECT count(*)" + found, params).fetchone()[0]
        rows = self._conn.execute(
            "SELECT a.article_id, a.source, a.title, a.published_at,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet,"
            " coalesce((SELECT event_id FROM event_articles e WHERE e.article_id = a.article_id), '') AS event_id"
            + found
            + " ORDER BY rank LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        hits = [
            SearchHit(r["article_id"], r["source"], r["title"], _dt(r["published_at"]), r["snippet"], r["event_id"])
            for r in rows
        ]
        return hits, int(total)

    # -- HTTP cache (conditional GET of fetched URLs) --------------------------
    def http_validators(self) -> dict[str, tuple[str, str]]:
        """The ETag and Last-Modified last seen for each fetched URL."""
        return {r[0]: (r[1], r[2]) for r in self._conn.execute("SELECT url, etag, last_modified FROM http_cache")}

    def save_http_validators(self, rows: Mapping[str, tuple[str, str]], *, now: datetime) -> None:
        """Remember the validators of fetched URLs (sent back on the next fetch)."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, fetched_at) VALUES (?,?,?,?)",
                [(url, etag, modified, _ts(now)) for url, (etag, modified) in rows.items()],
            )

    def outlet_records(self) -> list[tuple[str, str, str, list[str], str, str]]:
        """Every outlet: (id, name, domain, aliases, country, language)."""
        return read_outlets(self._conn)
