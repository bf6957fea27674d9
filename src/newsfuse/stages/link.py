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

What it does ask for is a specific name: an event more than ``story_close_days`` after the story's
latest event joins only if it shares at least ``story_rare_names`` specific names with one of the
story's events — names in the sentences of an article's lead that at most ``story_rare_share`` of
the corpus holds (a victim, a suspect, a street or a small town; not the city, "Police", a weekday,
a byline or the spokeswoman who reads out every incident).  Two shootings of one kind in one city
weeks apart share words, a city and an outlet's phrasing, but not their people.
Deterministic for the same events, so an incremental ingest and a ``regroup`` agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse

from newsfuse.ids import story_id
from newsfuse.models import Event, Story
from newsfuse.settings import GroupSettings
from newsfuse.stages.group import COSINE_ROWS, FeatureTable, Frequencies, GroupInput, features, rows, similarity
from newsfuse.stages.profile import term_id

RARE_NAMES_MIN_DOCUMENTS = 3  # in a small corpus, a name three articles hold is still specific
_LEAD_NAME = re.compile(r"(?<=[a-z0-9,] )[A-Z][a-z][\w'’-]*")
_PERSON = r"[A-Z][\w.'’-]+(?:\s+(?:and\s+)?[A-Z][\w.'’-]+)*"
_TITLE = (
    r"(?:(?:police|Police|the|a)\s+)?"
    r"(?:Officer|Sgt|Sergeant|Lt|Lieutenant|Det|Detective|Cpl|Capt|Captain|Chief|Deputy|Trooper)"
)
# who reports or comments, not who took part: a byline, "said Officer Amina Greer", "Jo Li, a police spokeswoman"
_REPORTERS = re.compile(rf"\b(?:[Bb]y|said|says|told|according to)\s+(?:{_TITLE}\.?\s+)?{_PERSON}")
_SPOKESPEOPLE = re.compile(rf"{_PERSON},\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?:spokes\w+|information officer)")
_POSSESSIVE = ("'s", "’s")


def _lead_names(lead: str) -> set[int]:
    """The term ids of the names inside the sentences of an article's lead: mixed-case capitalised words
    after a lower-case word or a comma (not a sentence's first word, not a title's Title Case, not an
    all-capitals transcript), past a byline line; "Miami's" counts as "miami"."""
    found = set()
    for line in lead.split("\n"):
        if line.startswith("By "):
            continue
        line = _REPORTERS.sub(" ", line)
        if "spokes" in line or "information officer" in line:  # the costly pattern only where it can match
            line = _SPOKESPEOPLE.sub(" ", line)
        for token in _LEAD_NAME.findall(line):
            low = token.lower()
            found.add(term_id(low[:-2] if low.endswith(_POSSESSIVE) else low.rstrip("'’")))
    return found


def _rare_names(
    ordered: Sequence[Event], items: Mapping[str, GroupInput], frequencies: Frequencies, share: float
) -> list[frozenset[int]]:
    """Each event's specific names: the names in its articles' leads that at most ``share`` of the corpus's
    documents hold (a person, a street, a small town: not "Police", "Miami"; numbers and footers never)."""
    limit = max(RARE_NAMES_MIN_DOCUMENTS, share * frequencies.documents)
    terms = [list(set().union(*(_lead_names(items[a].lead) for a in e.article_ids if a in items))) for e in ordered]
    ids = np.fromiter((t for event in terms for t in event), dtype=np.int64)
    held = frequencies.names.of(ids)  # one lookup for all events; 0: a word profiles do not count as a name
    keep = (held >= 2) & (held <= limit)
    sizes = np.array([len(event) for event in terms], dtype=np.int64)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    return [frozenset(ids[low:high][keep[low:high]].tolist()) for low, high in zip(starts, ends, strict=True)]


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


def _cosines(
    stacked: FeatureTable, block: np.ndarray, columns: np.ndarray, ends: np.ndarray, reach: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Word and name cosines of the ``block`` events with the ``columns`` events, computed a slice of
    ``COSINE_ROWS`` events at a time against only the earlier columns a slice can link to (ending at or
    after the slice's first ``reach``); the rest stay 0 and are never read.  Each computed cosine is
    the one the whole product gives, bit for bit: a sparse product sums each entry over its row's
    terms in the same order whichever other rows and columns take part."""
    words = np.zeros((len(block), len(columns)), dtype=stacked.words.dtype)
    names = np.zeros((len(block), len(columns)), dtype=stacked.names.dtype)
    for low in range(0, len(block), COSINE_ROWS):
        part = block[low : low + COSINE_ROWS]
        # a second of slack: a few more columns than needed, never one fewer for rounding
        keep = np.flatnonzero((ends[columns] >= reach[part[0]] - 1.0) & (columns < part[-1]))
        if len(keep):
            left, right = rows(stacked, part.tolist()), rows(stacked, columns[keep].tolist())
            words[low : low + len(part), keep] = (left.words @ right.words.T).toarray()
            names[low : low + len(part), keep] = (left.names @ right.names.T).toarray()
    return words, names


def _assign(
    ordered: Sequence[Event], stacked: FeatureTable, rare: Sequence[frozenset[int]], settings: GroupSettings
) -> np.ndarray:
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
                latest = np.full(len(labels), -np.inf)
                np.maximum.at(latest, inverse, ends[columns[valid]])
                gap = np.maximum(starts[event] - latest, 0.0) / 86400.0
                # the longer since the story's latest event, the more it takes
                mean -= settings.story_decay * gap
                # past story_close_days, an event must share specific names with one of the story's events
                shared = np.array([len(rare[event] & rare[c]) for c in columns[valid].tolist()], dtype=np.float64)
                specific = np.zeros(len(labels))
                np.maximum.at(specific, inverse, shared)
                needed = np.where(
                    gap > settings.story_close_days, settings.story_rare_names, settings.story_close_names
                )
                mean[
                    (mean < settings.story_threshold)
                    | (name_mean < settings.story_name_threshold)
                    | (specific < needed)
                ] = -1.0
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
    rare = _rare_names(ordered, items, frequencies, settings.story_rare_share)
    story_of = _assign(ordered, _event_rows(ordered, items, frequencies), rare, settings)
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
