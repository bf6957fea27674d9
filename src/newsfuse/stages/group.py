"""Same-event grouping, in batch and one article at a time.

Similarity of two articles is a weighted sum of three cosines:

* content words (TF-IDF of hashed word counts) — what happened;
* names (TF-IDF of capitalised words, resolved place ids and numbers) —
  who, where and how many, which is what separates two events of the same
  kind (two rehab stories, two share-price stories);
* the wordllama embedding of title and lead — paraphrase.

Pairs published more than ``window_days`` apart never link.  Batch grouping
is average-linkage agglomerative clustering, run over time-ordered blocks of
``block_size`` articles with clusters carried across block edges, so cost
grows linearly with the corpus.  Average linkage over unit vectors equals the
dot product of cluster means, so an incremental article joins the open event
with the highest mean similarity when it reaches the same threshold: batch
and incremental decide by one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from itertools import chain, islice

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering

from newsfuse.ids import event_id
from newsfuse.models import Event, Mapper, Profile, SparseVector
from newsfuse.settings import GroupSettings
from newsfuse.stages.label import candidate, choose_label
from newsfuse.stages.profile import DIMENSIONS


@dataclass(frozen=True, slots=True)
class GroupInput:
    """What grouping needs to know about one article."""

    article_id: str
    title: str
    published_at: datetime
    embedding: np.ndarray
    profile: Profile
    lead: str = ""  # the start of the text (``label.LEAD_CHARS``), for a label when the title is no headline


@dataclass(frozen=True, slots=True)
class TermCounts:
    """How many documents hold each hashed term: sorted term ``ids`` and their ``counts``."""

    ids: np.ndarray
    counts: np.ndarray

    def of(self, terms: np.ndarray) -> np.ndarray:
        """The counts of ``terms`` (0 for a term no document holds)."""
        if not len(self.ids):
            return np.zeros(len(terms), dtype=np.int64)
        # a table indexed by term: one gather instead of a binary search per term (terms are hashed
        # below profile.DIMENSIONS, so the table is a few MiB)
        table = np.zeros(int(self.ids[-1]) + 2, dtype=self.counts.dtype)
        table[self.ids] = self.counts
        found: np.ndarray = table[np.minimum(terms, len(table) - 1)]
        return found


@dataclass(frozen=True, slots=True)
class Frequencies:
    """Document frequencies of hashed terms, for IDF weights (compact: they travel with grouping work)."""

    documents: int
    words: TermCounts
    names: TermCounts


def count_frequencies(profiles: Iterable[Profile]) -> Frequencies:
    """Document frequencies over ``profiles`` (a profile lists each term once)."""
    words = np.zeros(DIMENSIONS, dtype=np.int64)
    names = np.zeros(DIMENSIONS, dtype=np.int64)
    total = 0
    iterator = iter(profiles)
    while chunk := list(islice(iterator, 4096)):
        total += len(chunk)
        for counts, vectors in ((words, [p.words for p in chunk]), (names, [p.names for p in chunk])):
            ids = np.fromiter(chain.from_iterable(v.ids for v in vectors), dtype=np.int64)
            counts += np.bincount(ids, minlength=DIMENSIONS)
    held = [np.flatnonzero(counts) for counts in (words, names)]
    return Frequencies(
        total,
        TermCounts(held[0].astype(np.int32), words[held[0]].astype(np.int32)),
        TermCounts(held[1].astype(np.int32), names[held[1]].astype(np.int32)),
    )


def _matrix(vectors: Sequence[SparseVector], df: TermCounts, documents: int) -> sparse.csr_matrix:
    lengths = np.array([len(v.ids) for v in vectors], dtype=np.int64)
    total = int(lengths.sum())
    ids = np.fromiter(chain.from_iterable(v.ids for v in vectors), dtype=np.int64, count=total)
    counts = np.fromiter(chain.from_iterable(v.counts for v in vectors), dtype=np.float64, count=total)
    idf = np.log((documents + 1) / (df.of(ids).astype(np.float64) + 1)) + 1.0
    weights = (1.0 + np.log(np.maximum(counts, 1.0))) * idf
    rows = np.repeat(np.arange(len(vectors)), lengths)
    matrix = sparse.csr_matrix((weights, (rows, ids)), shape=(len(vectors), DIMENSIONS), dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = sparse.diags(1.0 / np.maximum(norms, 1e-9))
    return (scale @ matrix).tocsr()


@dataclass
class FeatureTable:
    """Unit-length feature rows: words and names (sparse), embeddings (dense)."""

    words: sparse.csr_matrix
    names: sparse.csr_matrix
    embeddings: np.ndarray


def features(items: Sequence[GroupInput], frequencies: Frequencies) -> FeatureTable:
    """Unit-length word, name and embedding rows of ``items``."""
    words = _matrix([i.profile.words for i in items], frequencies.words, frequencies.documents)
    names = _matrix([i.profile.names for i in items], frequencies.names, frequencies.documents)
    dimension = max((len(i.embedding) for i in items), default=0)
    embeddings = np.zeros((len(items), dimension), dtype=np.float32)
    for row, item in enumerate(items):
        if len(item.embedding) == dimension:
            embeddings[row] = item.embedding
    return FeatureTable(words, names, embeddings)


def _weights(settings: GroupSettings) -> tuple[float, float, float]:
    return 1.0 - settings.name_weight - settings.embedding_weight, settings.name_weight, settings.embedding_weight


def similarity(
    a: FeatureTable,
    b: FeatureTable,
    settings: GroupSettings,
    *,
    words: np.ndarray | None = None,
    names: np.ndarray | None = None,
) -> np.ndarray:
    """Weighted cosine similarities between the rows of ``a`` and ``b`` (``words``, ``names``: their
    word and name cosines, when the caller has them already)."""
    w_words, w_names, w_embed = _weights(settings)
    if words is None:
        words = (a.words @ b.words.T).toarray()
    if names is None:
        names = (a.names @ b.names.T).toarray()
    total = w_words * words + w_names * names
    if w_embed and a.embeddings.shape[1] and a.embeddings.shape[1] == b.embeddings.shape[1]:
        total += w_embed * (a.embeddings @ b.embeddings.T)
    return np.asarray(total, dtype=np.float64)


@dataclass
class _Cluster:
    """An open event: members and the sums of their unit feature vectors."""

    members: list[GroupInput]
    words: sparse.csr_matrix
    names: sparse.csr_matrix
    embedding: np.ndarray
    first: datetime
    last: datetime
    seen: set[str] = field(default_factory=set)

    def add(self, item: GroupInput, row: FeatureTable) -> None:
        self.members.append(item)
        self.words = self.words + row.words
        self.names = self.names + row.names
        if row.embeddings.shape[1] == self.embedding.shape[0]:
            self.embedding = self.embedding + row.embeddings[0]
        self.first = min(self.first, item.published_at)
        self.last = max(self.last, item.published_at)

    def mean(self) -> FeatureTable:
        n = float(len(self.members))
        return FeatureTable(self.words / n, self.names / n, (self.embedding / n)[None, :])


def _new_cluster(item: GroupInput, row: FeatureTable) -> _Cluster:
    cluster = _Cluster(
        [], row.words * 0, row.names * 0, np.zeros(row.embeddings.shape[1]), item.published_at, item.published_at
    )
    cluster.add(item, row)
    return cluster


def rows(table: FeatureTable, index: Sequence[int]) -> FeatureTable:
    """The selected rows."""
    return FeatureTable(table.words[index], table.names[index], table.embeddings[index])


def _stacked(clusters: Sequence[_Cluster]) -> FeatureTable:
    """The summed feature rows of ``clusters``, one row each."""
    return FeatureTable(
        sparse.vstack([c.words for c in clusters]).tocsr(),
        sparse.vstack([c.names for c in clusters]).tocsr(),
        np.stack([c.embedding for c in clusters]),
    )


def _best_open(
    row: FeatureTable, when: datetime, open_clusters: Sequence[_Cluster], settings: GroupSettings
) -> tuple[float, _Cluster | None]:
    window = timedelta(days=settings.window_days)
    candidates = [c for c in open_clusters if c.first - window <= when <= c.last + window]
    if not candidates:
        return 0.0, None
    sizes = np.array([len(c.members) for c in candidates], dtype=np.float64)
    scores = similarity(row, _stacked(candidates), settings)[0] / sizes
    best = int(np.argmax(scores))
    return float(scores[best]), candidates[best]


COSINE_ROWS = 128  # rows per slice of a block whose word and name cosines are computed together


def _windowed_cosines(block: FeatureTable, times: np.ndarray, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Word and name cosines of a block's rows (``times`` in order) with each other, computed a slice
    of ``COSINE_ROWS`` rows at a time against only the rows within ``window`` seconds; the rest stay 0
    (grouping scores them 0 anyway).  Each computed cosine is the one the whole product gives, bit for
    bit: a sparse product sums each entry over its row's terms in the same order whichever other rows
    take part."""
    size = block.words.shape[0]
    words = np.zeros((size, size), dtype=block.words.dtype)
    names = np.zeros((size, size), dtype=block.names.dtype)
    for low in range(0, size, COSINE_ROWS):
        high = min(low + COSINE_ROWS, size)
        # a second of slack: a few more columns than needed, never one fewer for rounding
        first = int(np.searchsorted(times, times[low] - window - 1.0, side="left"))
        last = int(np.searchsorted(times, times[high - 1] + window + 1.0, side="right"))
        words[low:high, first:last] = (block.words[low:high] @ block.words[first:last].T).toarray()
        names[low:high, first:last] = (block.names[low:high] @ block.names[first:last].T).toarray()
    return words, names


def _cluster_block(block: FeatureTable, times: np.ndarray, settings: GroupSettings) -> np.ndarray:
    if block.words.shape[0] == 1:
        return np.zeros(1, dtype=int)
    window = settings.window_days * 86400.0
    if np.all(times[1:] >= times[:-1]):  # in time order (as grouping sends them): only pairs in reach
        words, names = _windowed_cosines(block, times, window)
        scores = similarity(block, block, settings, words=words, names=names)
    else:
        scores = similarity(block, block, settings)
    apart = np.abs(times[:, None] - times[None, :]) > window
    scores[apart] = 0.0
    distance = np.clip(1.0 - scores, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - settings.threshold
    )
    return np.asarray(model.fit_predict(distance))


@dataclass
class _OpenEvents:
    """The events batch grouping can still add to: their members, first and last times, and the sums
    of their members' unit feature rows as one table (row i is event i), so each block is merged with
    a few whole-table operations."""

    members: list[list[GroupInput]] = field(default_factory=list)
    first: list[datetime] = field(default_factory=list)
    last: list[datetime] = field(default_factory=list)
    sums: FeatureTable | None = None

    def close(self, horizon: datetime) -> list[list[GroupInput]]:
        """Drop and return the events whose last article is before ``horizon``."""
        keep = [i for i, last in enumerate(self.last) if last >= horizon]
        if len(keep) == len(self.last):
            return []
        closed = [m for i, m in enumerate(self.members) if self.last[i] < horizon]
        self.members = [self.members[i] for i in keep]
        self.first = [self.first[i] for i in keep]
        self.last = [self.last[i] for i in keep]
        self.sums = rows(self.sums, keep) if keep and self.sums is not None else None
        return closed

    def merge(
        self, block_items: Sequence[GroupInput], block: FeatureTable, labels: np.ndarray, settings: GroupSettings
    ) -> None:
        """Add a block's clusters: each joins the most similar open event in its window when the mean
        similarity reaches the threshold, else opens a new one."""
        order = np.argsort(labels, kind="stable")
        groups = sorted(np.split(order, np.flatnonzero(np.diff(labels[order])) + 1), key=lambda g: int(g[0]))
        member_of = sparse.csr_matrix(
            (np.ones(len(order), dtype=np.float32), (np.repeat(np.arange(len(groups)), [len(g) for g in groups]),
             np.concatenate(groups))), shape=(len(groups), len(block_items)),
        )  # fmt: skip
        sums = FeatureTable(
            (member_of @ block.words).tocsr(), (member_of @ block.names).tocsr(), member_of @ block.embeddings
        )
        targets = self._targets(block_items, groups, sums, settings)
        # a join adds the cluster's sums to its event's row; joins into one event are added in group order
        rank: dict[int, int] = {}
        joins: list[list[tuple[int, int]]] = []
        for row, target in enumerate(targets):
            if target >= 0:
                rank[target] = rank.get(target, -1) + 1
                if rank[target] == len(joins):
                    joins.append([])
                joins[rank[target]].append((target, row))
            members = [block_items[int(i)] for i in groups[row]]
            first, last = min(m.published_at for m in members), max(m.published_at for m in members)
            if target < 0:
                self.members.append(members)
                self.first.append(first)
                self.last.append(last)
            else:
                self.members[target] += members
                self.first[target] = min(self.first[target], first)
                self.last[target] = max(self.last[target], last)
        table = self.sums
        for pairs in joins:
            assert table is not None
            into = sparse.csr_matrix(
                (np.ones(len(pairs), dtype=np.float32), ([t for t, _ in pairs], [g for _, g in pairs])),
                shape=(table.words.shape[0], len(groups)),
            )
            embeddings = table.embeddings.copy()
            embeddings[[t for t, _ in pairs]] += sums.embeddings[[g for _, g in pairs]]
            table = FeatureTable(table.words + into @ sums.words, table.names + into @ sums.names, embeddings)
        fresh = [row for row, target in enumerate(targets) if target < 0]
        if fresh:
            made = rows(sums, fresh)
            table = made if table is None else FeatureTable(
                sparse.vstack([table.words, made.words]).tocsr(), sparse.vstack([table.names, made.names]).tocsr(),
                np.concatenate([table.embeddings, made.embeddings]),
            )  # fmt: skip
        self.sums = table

    def _targets(
        self, block_items: Sequence[GroupInput], groups: list[np.ndarray], sums: FeatureTable, settings: GroupSettings
    ) -> list[int]:
        """For each cluster of the block, the open event it joins, or -1."""
        if self.sums is None:
            return [-1] * len(groups)
        window = timedelta(days=settings.window_days)
        sizes = np.array([len(g) for g in groups], dtype=np.float64)
        means = FeatureTable(
            sparse.diags(1.0 / sizes) @ sums.words, sparse.diags(1.0 / sizes) @ sums.names,
            sums.embeddings / sizes[:, None],
        )  # fmt: skip
        scores = similarity(means, self.sums, settings)
        scores /= np.array([len(m) for m in self.members], dtype=np.float64)[None, :]
        when = np.array([block_items[int(g[0])].published_at.timestamp() for g in groups])[:, None]
        firsts = np.array([(f - window).timestamp() for f in self.first])[None, :]
        lasts = np.array([(last + window).timestamp() for last in self.last])[None, :]
        scores[(when < firsts) | (when > lasts)] = -1.0
        best = np.argmax(scores, axis=1)
        return [int(col) if scores[row, col] >= settings.threshold else -1 for row, col in enumerate(best.tolist())]


def _label(members: Sequence[GroupInput]) -> str:
    return choose_label([candidate(m.title, m.lead) for m in members])


def _events(clusters: Iterable[Sequence[GroupInput]], copies: Mapping[str, list[GroupInput]]) -> list[Event]:
    events = []
    for cluster in clusters:
        members = sorted(cluster, key=lambda i: (i.published_at, i.article_id))
        everyone = sorted(
            members + [c for m in members for c in copies.get(m.article_id, [])],
            key=lambda i: (i.published_at, i.article_id),
        )
        events.append(
            Event(
                event_id=event_id(everyone[0].article_id),
                label=_label(members),
                article_ids=tuple(i.article_id for i in everyone),
                first_published_at=everyone[0].published_at,
                last_published_at=everyone[-1].published_at,
            )
        )
    return events


def _split_copies(
    items: Sequence[GroupInput], duplicates: Mapping[str, str]
) -> tuple[list[GroupInput], dict[str, list[GroupInput]]]:
    known = {i.article_id for i in items}
    originals = [i for i in items if duplicates.get(i.article_id) not in known]
    copies: dict[str, list[GroupInput]] = {}
    for item in items:
        root = duplicates.get(item.article_id)
        if root in known:
            copies.setdefault(root, []).append(item)
    return originals, copies


def prepare_block(
    block_items: Sequence[GroupInput], settings: GroupSettings, frequencies: Frequencies
) -> tuple[FeatureTable, np.ndarray]:
    """A block's feature rows and the cluster label of each article in it (independent of other
    blocks, so it runs on a worker when there is one)."""
    block = features(block_items, frequencies)
    times = np.array([i.published_at.timestamp() for i in block_items])
    return block, _cluster_block(block, times, settings)


def iter_events(
    items: Sequence[GroupInput],
    duplicates: Mapping[str, str],
    settings: GroupSettings,
    *,
    frequencies: Frequencies | None = None,
    mapper: Mapper = map,
) -> Iterator[Event]:
    """Group articles into events in batch, yielding each event once it is complete: when a block
    starts more than ``window_days`` after an event's last article, nothing later can join it (so
    the events can be reconciled while later blocks are grouped).  Blocks are clustered on
    ``mapper`` (a few ahead) and merged here in time order.  Deterministic for the same input."""
    originals, copies = _split_copies(items, duplicates)
    originals.sort(key=lambda i: (i.published_at, i.article_id))
    if not originals:
        return
    frequencies = frequencies or count_frequencies(i.profile for i in originals)
    blocks = [originals[start : start + settings.block_size] for start in range(0, len(originals), settings.block_size)]
    prepared = mapper(partial(prepare_block, settings=settings, frequencies=frequencies), blocks)
    open_events = _OpenEvents()
    for block_items, (block, labels) in zip(blocks, prepared, strict=True):
        horizon = block_items[0].published_at - timedelta(days=settings.window_days)
        yield from _events(open_events.close(horizon), copies)
        open_events.merge(block_items, block, labels, settings)
    yield from _events(open_events.members, copies)


def group_into_events(
    items: Sequence[GroupInput],
    duplicates: Mapping[str, str],
    settings: GroupSettings,
    *,
    frequencies: Frequencies | None = None,
) -> list[Event]:
    """Group articles into events in batch (deterministic for the same input), in time order."""
    events = iter_events(items, duplicates, settings, frequencies=frequencies)
    return sorted(events, key=lambda e: (e.first_published_at, e.event_id))


def assign_incrementally(
    existing: Sequence[Sequence[GroupInput]],
    new_items: Sequence[GroupInput],
    duplicates: Mapping[str, str],
    settings: GroupSettings,
    *,
    frequencies: Frequencies,
) -> list[Event]:
    """Add ``new_items`` one at a time to ``existing`` events (member lists); return every touched event."""
    everything = [m for group in existing for m in group] + list(new_items)
    table = features(everything, frequencies)
    position = {item.article_id: row for row, item in enumerate(everything)}
    clusters: list[_Cluster] = []
    for group in existing:
        cluster = _new_cluster(group[0], rows(table, [position[group[0].article_id]]))
        for member in group[1:]:
            cluster.add(member, rows(table, [position[member.article_id]]))
        clusters.append(cluster)
    touched: list[_Cluster] = []
    home = {m.article_id: c for c in clusters for m in c.members}
    for item in sorted(new_items, key=lambda i: (i.published_at, i.article_id)):
        row = rows(table, [position[item.article_id]])
        target = home.get(duplicates.get(item.article_id, ""))
        if target is None:
            score, target = _best_open(row, item.published_at, clusters, settings)
            if target is not None and score < settings.threshold:
                target = None
        if target is None:
            target = _new_cluster(item, row)
            clusters.append(target)
        else:
            target.add(item, row)
        home[item.article_id] = target
        if all(target is not t for t in touched):
            touched.append(target)
    return _events((c.members for c in touched), {})
