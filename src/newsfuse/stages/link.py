"""Link events into stories: the same developing situation over days or weeks.

Events are taken in time order.  Each joins the story whose recent events (those at most
``story_window_days`` before it) are on average most similar to it — average linkage over a sliding
window — when that mean reaches ``story_threshold`` *and* the mean similarity of their names
(people, places, organisations, figures; IDF-weighted, so "police" counts for little) reaches
``story_name_threshold``, less ``story_decay`` per day since the story's latest event (a follow-up
weeks later must be closer than one the next day); otherwise it starts a story.  One close pair
never merges two stories, and a story cannot drift far: every new event must agree with the story's
recent events taken together.  The names threshold is 0 by default: on ECB+, whose topics pair two
incidents of one kind with different participants, any positive value costs topic F1.
Deterministic for the same events, so an incremental ingest and a ``regroup`` agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse

from newsfuse.ids import story_id
from newsfuse.models import Event, Story
from newsfuse.settings import GroupSettings
from newsfuse.stages.group import FeatureTable, Frequencies, GroupInput, features, rows, similarity


def _event_rows(ordered: Sequence[Event], items: Mapping[str, GroupInput], frequencies: Frequencies) -> FeatureTable:
    """Each event's mean article feature rows (one sparse product averages every event's members)."""
    members = [[items[a] for a in e.article_ids if a in items] for e in ordered]
    flat = [m for group in members for m in group]
    table = features(flat, frequencies)
    sizes = np.array([len(g) for g in members])
    averaging = sparse.csr_matrix(
        (
            np.repeat(1.0 / np.maximum(sizes, 1), sizes).astype(np.float32),
            np.arange(len(flat)),
            np.concatenate([[0], np.cumsum(sizes)]),
        ),
        shape=(len(ordered), len(flat)),
    )
    embeddings = averaging @ table.embeddings if table.embeddings.shape[1] else np.zeros((len(ordered), 0))
    if embeddings.shape[1]:
        # without the component every event shares (the genre of the corpus), then unit length
        embeddings = embeddings - embeddings.mean(axis=0)
        embeddings /= np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
    return FeatureTable((averaging @ table.words).tocsr(), (averaging @ table.names).tocsr(), embeddings)


_ROWS = 128  # events per slice of a block whose word and name cosines are computed together


def _cosines(
    stacked: FeatureTable, block: np.ndarray, columns: np.ndarray, ends: np.ndarray, reach: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Word and name cosines of the ``block`` events with the ``columns`` events, computed a slice of
    ``_ROWS`` events at a time against only the earlier columns a slice can link to (ending at or
    after the slice's first ``reach``); the rest stay 0 and are never read.  Each computed cosine is
    the one the whole product gives, bit for bit: a sparse product sums each entry over its row's
    terms in the same order whichever other rows and columns take part."""
    words = np.zeros((len(block), len(columns)), dtype=stacked.words.dtype)
    names = np.zeros((len(block), len(columns)), dtype=stacked.names.dtype)
    for low in range(0, len(block), _ROWS):
        part = block[low : low + _ROWS]
        # a second of slack: a few more columns than needed, never one fewer for rounding
        keep = np.flatnonzero((ends[columns] >= reach[part[0]] - 1.0) & (columns < part[-1]))
        if len(keep):
            left, right = rows(stacked, part.tolist()), rows(stacked, columns[keep].tolist())
            words[low : low + len(part), keep] = (left.words @ right.words.T).toarray()
            names[low : low + len(part), keep] = (left.names @ right.names.T).toarray()
    return words, names


def _assign(ordered: Sequence[Event], stacked: FeatureTable, settings: GroupSettings) -> np.ndarray:
    """The story number of each event (time order), by windowed average linkage with a names gate."""
    story_of = np.full(len(ordered), -1, dtype=np.int64)
    window = settings.story_window_days * 86400.0
    starts = np.array([e.first_published_at.timestamp() for e in ordered])
    ends = np.array([e.last_published_at.timestamp() for e in ordered])
    weights = replace(
        settings, name_weight=settings.story_name_weight, embedding_weight=settings.story_embedding_weight
    )
    stories = 0
    for first in range(0, len(ordered), settings.block_size):
        block = np.arange(first, min(first + settings.block_size, len(ordered)))
        columns = np.concatenate([np.flatnonzero(ends[:first] >= starts[first] - window), block])
        left, right = rows(stacked, block.tolist()), rows(stacked, columns.tolist())
        words, names = _cosines(stacked, block, columns, ends, starts - window)
        scores = similarity(left, right, weights, words=words, names=names)
        usable = (starts[block][:, None] - ends[columns][None, :] <= window) & (block[:, None] > columns[None, :])
        # a story's mean cannot reach the threshold unless one of its events does: only those stories count
        reaching = usable & (scores >= settings.story_threshold)
        for row, event in enumerate(block.tolist()):
            hits = np.flatnonzero(reaching[row])
            if len(hits):
                valid = np.flatnonzero(usable[row] & np.isin(story_of[columns], story_of[columns[hits]]))
                labels, inverse = np.unique(story_of[columns[valid]], return_inverse=True)
                counts = np.bincount(inverse).astype(np.float64)
                mean = np.bincount(inverse, weights=scores[row, valid]) / counts
                name_mean = np.bincount(inverse, weights=names[row, valid]) / counts
                if settings.story_decay:  # the longer since the story's latest event, the more it takes
                    latest = np.full(len(labels), -np.inf)
                    np.maximum.at(latest, inverse, ends[columns[valid]])
                    mean -= settings.story_decay * np.maximum(starts[event] - latest, 0.0) / 86400.0
                mean[(mean < settings.story_threshold) | (name_mean < settings.story_name_threshold)] = -1.0
                best = int(np.argmax(mean))
                if mean[best] >= 0.0:
                    story_of[event] = labels[best]
                    continue
            story_of[event] = stories
            stories += 1
    return story_of


def link_stories(
    events: Sequence[Event], items: Mapping[str, GroupInput], settings: GroupSettings, *, frequencies: Frequencies
) -> list[Story]:
    """Stories over ``events`` (every event belongs to exactly one story)."""
    ordered = sorted(events, key=lambda e: (e.first_published_at, e.event_id))
    if not ordered:
        return []
    story_of = _assign(ordered, _event_rows(ordered, items, frequencies), settings)
    groups: dict[int, list[Event]] = {}
    for number, event in zip(story_of.tolist(), ordered, strict=True):
        groups.setdefault(number, []).append(event)
    stories = []
    for group in groups.values():
        largest = max(group, key=lambda e: (len(e.article_ids), -e.first_published_at.timestamp()))
        stories.append(
            Story(
                story_id=story_id(group[0].event_id),
                label=largest.label,
                event_ids=tuple(e.event_id for e in group),
                first_published_at=group[0].first_published_at,
                last_published_at=max(e.last_published_at for e in group),
            )
        )
    return sorted(stories, key=lambda s: (s.first_published_at, s.story_id))
