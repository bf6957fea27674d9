"""Link events into stories: the same developing situation over days or weeks.

Two events link when the mean similarity of their articles (the grouping
similarity, averaged) reaches ``story_threshold`` — lower than the event
threshold — and they are at most ``story_window_days`` apart.  Stories are
the connected components, their events in time order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from newsfuse.ids import story_id
from newsfuse.models import Event, Story
from newsfuse.settings import GroupSettings
from newsfuse.stages.group import FeatureTable, Frequencies, GroupInput, features, similarity


def link_stories(
    events: Sequence[Event], items: Mapping[str, GroupInput], settings: GroupSettings, *, frequencies: Frequencies
) -> list[Story]:
    """Stories over ``events`` (every event belongs to exactly one story)."""
    ordered = sorted(events, key=lambda e: (e.first_published_at, e.event_id))
    if not ordered:
        return []
    members = [[items[a] for a in e.article_ids if a in items] for e in ordered]
    flat = [m for group in members for m in group]
    table = features(flat, frequencies)
    # one sparse product averages every event's member rows: row i holds 1/size over event i's articles
    sizes = np.array([len(g) for g in members])
    averaging = sparse.csr_matrix(
        (
            np.repeat(1.0 / np.maximum(sizes, 1), sizes).astype(np.float32),
            np.arange(len(flat)),
            np.concatenate([[0], np.cumsum(sizes)]),
        ),
        shape=(len(ordered), len(flat)),
    )
    stacked = FeatureTable(
        (averaging @ table.words).tocsr(),
        (averaging @ table.names).tocsr(),
        averaging @ table.embeddings if table.embeddings.shape[1] else np.zeros((len(ordered), 0)),
    )
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    window = settings.story_window_days * 86400.0
    starts = np.array([e.first_published_at.timestamp() for e in ordered])
    ends = np.array([e.last_published_at.timestamp() for e in ordered])
    for first in range(0, len(ordered), settings.block_size):
        block = list(range(first, min(first + settings.block_size, len(ordered))))
        earlier = np.flatnonzero(ends[:first] >= starts[first] - window).tolist()
        columns = earlier + block
        scores = similarity(
            FeatureTable(stacked.words[block], stacked.names[block], stacked.embeddings[block]),
            FeatureTable(stacked.words[columns], stacked.names[columns], stacked.embeddings[columns]),
            settings,
        )
        later = np.array(block)[:, None] > np.array(columns)[None, :]
        close = starts[block][:, None] - ends[columns][None, :] <= window
        for row, col in zip(*np.nonzero((scores >= settings.story_threshold) & later & close), strict=True):
            parent[find(block[int(row)])] = find(columns[int(col)])
    groups: dict[int, list[Event]] = {}
    for i, event in enumerate(ordered):
        groups.setdefault(find(i), []).append(event)
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
