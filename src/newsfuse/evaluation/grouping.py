"""Evaluate same-event grouping on labelled sets, next to a TF-IDF single-pass baseline.

Protocol: settings are chosen on the ``dev`` split only (ECB+ topics 1-35,
NeuS validation) with ``tune``; ``evaluate`` reports every split with the
settings it is given.  BASIL and MEANTIME have no dev split and are never
tuned on.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.evaluation.datasets import LabeledArticle
from newsfuse.evaluation.metrics import ClusterScores, score_clusters
from newsfuse.models import Analysis
from newsfuse.settings import GroupSettings
from newsfuse.stages.group import GroupInput, assign_incrementally, count_frequencies, group_into_events
from newsfuse.stages.label import LEAD_CHARS
from newsfuse.stages.link import link_stories

Analyse = Callable[[Sequence[LabeledArticle]], list[Analysis]]


@dataclass(frozen=True, slots=True)
class GroupingResult:
    """Scores of one system on one split at one gold level."""

    dataset: str
    split: str
    level: str
    system: str
    scores: ClusterScores
    seconds: float
    articles: int


def group_inputs(labeled: Sequence[LabeledArticle], analyses: Sequence[Analysis]) -> list[GroupInput]:
    return [
        GroupInput(x.article.article_id, x.article.title, x.article.published_at,
                   np.asarray(a.embedding, dtype=np.float32), a.profile, x.article.text[:LEAD_CHARS])
        for x, a in zip(labeled, analyses, strict=True)
    ]  # fmt: skip


def _labels(items: Sequence[GroupInput], groups: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    where = {article: group for group, members in groups for article in members}
    return [where[i.article_id] for i in items]


def ours(items: Sequence[GroupInput], settings: GroupSettings) -> tuple[list[str], list[str]]:
    """Event and story label per item from the product's batch grouping."""
    frequencies = count_frequencies(i.profile for i in items)
    events = group_into_events(items, {}, settings, frequencies=frequencies)
    stories = link_stories(events, {i.article_id: i for i in items}, settings, frequencies=frequencies)
    story_of = {e: s.story_id for s in stories for e in s.event_ids}
    event_labels = _labels(items, [(e.event_id, e.article_ids) for e in events])
    return event_labels, [story_of[e] for e in event_labels]


def incremental(items: Sequence[GroupInput], settings: GroupSettings) -> list[str]:
    """Event label per item when articles arrive one at a time, in time order, into open events."""
    frequencies = count_frequencies(i.profile for i in items)
    events = assign_incrementally([], items, {}, settings, frequencies=frequencies)
    return _labels(items, [(e.event_id, e.article_ids) for e in events])


def tfidf_single_pass(labeled: Sequence[LabeledArticle], threshold: float) -> list[str]:
    """Baseline: TF-IDF of title and text; each article joins the most similar centroid above ``threshold``.

    A centroid's cosine with an article is the sum of its members' dot products with it over the
    centroid's norm, both kept from one article-by-article product (no dense vocabulary rows)."""
    order = sorted(range(len(labeled)), key=lambda i: (labeled[i].article.published_at, i))
    texts = [f"{labeled[i].article.title}\n{labeled[i].article.text}" for i in order]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dots = (matrix @ matrix.T).toarray()
    cluster_of = np.full(len(order), -1, dtype=np.int64)
    squared: list[float] = []  # each centroid's squared norm
    for k in range(len(order)):
        best, index = -1.0, -1
        if squared:
            sums = np.bincount(cluster_of[:k], weights=dots[k, :k], minlength=len(squared))
            scores = sums / np.maximum(np.sqrt(np.array(squared)), 1e-9)
            index = int(np.argmax(scores))
            best = float(scores[index])
        if best >= threshold:
            squared[index] += 2.0 * float(sums[index]) + float(dots[k, k])
        else:
            squared.append(float(dots[k, k]))
            index = len(squared) - 1
        cluster_of[k] = index
    labels = [""] * len(labeled)
    for k, i in enumerate(order):
        labels[i] = f"c{cluster_of[k]}"
    return labels


def evaluate(
    dataset: str, labeled: Sequence[LabeledArticle], analyses: Sequence[Analysis], settings: GroupSettings,
    baseline_threshold: float, *, with_incremental: bool = True,
) -> list[GroupingResult]:  # fmt: skip
    """Scores of ours, ours incremental and the baseline on every split and gold level."""
    results: list[GroupingResult] = []
    for split in sorted({x.split for x in labeled}):
        index = [i for i, x in enumerate(labeled) if x.split == split]
        part = [labeled[i] for i in index]
        items = group_inputs(part, [analyses[i] for i in index])
        started = time.perf_counter()
        events, stories = ours(items, settings)
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        base = tfidf_single_pass(part, baseline_threshold)
        base_seconds = time.perf_counter() - started
        systems = [("newsfuse", events, ours_seconds), ("newsfuse stories", stories, ours_seconds),
                   ("tfidf single-pass", base, base_seconds)]  # fmt: skip
        if with_incremental:
            started = time.perf_counter()
            online = incremental(items, settings)
            systems.append(("newsfuse incremental", online, time.perf_counter() - started))
            agreement = score_clusters(events, online)
            results.append(GroupingResult(dataset, split, "batch", "incremental (scored against batch)", agreement, 0.0,
                                          len(part)))  # fmt: skip
        levels = [("event", [x.event for x in part])] if len({x.event for x in part}) < len(part) else []
        if any(x.topic != x.event for x in part):
            levels.append(("topic", [x.topic for x in part]))
        for level, gold in levels:
            for system, predicted, seconds in systems:
                scores = score_clusters(gold, predicted)
                results.append(GroupingResult(dataset, split, level, system, scores, seconds, len(part)))
    return results


@dataclass(frozen=True, slots=True)
class TopicSpread:
    """How one gold topic (one long story) is split into our stories, and how pure those are."""

    dataset: str
    topic: str
    articles: int
    stories: int  # stories holding at least one of the topic's articles
    largest_share: float  # share of the topic's articles in its largest story
    purity: float  # article-weighted share of those stories' articles that belong to this topic


def topic_spread(dataset: str, labeled: Sequence[LabeledArticle], analyses: Sequence[Analysis],
                 settings: GroupSettings) -> list[TopicSpread]:  # fmt: skip
    """Per gold topic: how many of our (batch) stories hold its articles, the largest one's share, and
    the purity of those stories (all splits together)."""
    items = group_inputs(labeled, analyses)
    _, stories = ours(items, settings)
    topics = [x.topic for x in labeled]
    story_topics: dict[str, Counter[str]] = {}
    for story, topic in zip(stories, topics, strict=True):
        story_topics.setdefault(story, Counter())[topic] += 1
    rows = []
    for topic in sorted(set(topics)):
        held = {s: c[topic] for s, c in story_topics.items() if c[topic]}
        total = sum(held.values())
        purity = sum(story_topics[s][topic] / sum(story_topics[s].values()) * n for s, n in held.items()) / total
        rows.append(TopicSpread(dataset, topic, total, len(held), max(held.values()) / total, purity))
    return rows


def format_spread(rows: Sequence[TopicSpread]) -> str:
    """A Markdown table of topic spreads."""
    lines = ["| dataset | topic | articles | stories | largest story's share | purity |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.dataset} | {r.topic} | {r.articles} | {r.stories} | {r.largest_share:.3f} | {r.purity:.3f} |"
              for r in rows]  # fmt: skip
    return "\n".join(lines) + "\n"


def tune_many(
    sets: Sequence[tuple[Sequence[LabeledArticle], Sequence[Analysis]]], settings: GroupSettings,
    grid: dict[str, Sequence[float]],
) -> tuple[GroupSettings, float]:  # fmt: skip
    """The settings in ``grid`` with the best event-level B-cubed F1 averaged over the dev splits of ``sets``."""
    prepared = []
    for labeled, analyses in sets:
        index = [i for i, x in enumerate(labeled) if x.split == "dev"]
        items = group_inputs([labeled[i] for i in index], [analyses[i] for i in index])
        prepared.append((items, [labeled[i].event for i in index]))
    candidates = [settings]
    for name, values in grid.items():
        candidates = [replace(c, **cast(dict[str, Any], {name: v})) for c in candidates for v in values]
    best: tuple[float, GroupSettings] | None = None
    for candidate in candidates:
        if candidate.name_weight + candidate.embedding_weight > 1.0:
            continue
        f1 = sum(score_clusters(gold, ours(items, candidate)[0]).f1 for items, gold in prepared) / len(prepared)
        if best is None or f1 > best[0]:
            best = (f1, candidate)
    assert best is not None
    return best[1], best[0]


def tune_stories(
    labeled: Sequence[LabeledArticle], analyses: Sequence[Analysis], settings: GroupSettings,
    thresholds: Sequence[float],
) -> tuple[GroupSettings, float]:  # fmt: skip
    """The story threshold with the best topic-level B-cubed F1 of stories on the dev split."""
    index = [i for i, x in enumerate(labeled) if x.split == "dev"]
    items = group_inputs([labeled[i] for i in index], [analyses[i] for i in index])
    gold = [labeled[i].topic for i in index]
    scored = [(score_clusters(gold, ours(items, replace(settings, story_threshold=t))[1]).f1, t) for t in thresholds]
    f1, threshold = max(scored)
    return replace(settings, story_threshold=threshold), f1


def tune_baseline(labeled: Sequence[LabeledArticle], thresholds: Sequence[float]) -> tuple[float, float]:
    """The baseline threshold with the best event-level B-cubed F1 on the dev split."""
    part = [x for x in labeled if x.split == "dev"]
    scored = [(score_clusters([x.event for x in part], tfidf_single_pass(part, t)).f1, t) for t in thresholds]
    f1, threshold = max(scored)
    return threshold, f1


def format_results(results: Sequence[GroupingResult]) -> str:
    """A Markdown table of results."""
    lines = [
        "| dataset | split | gold level | system | B3 P | B3 R | B3 F1 | ARI | AMI | clusters / gold | articles/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.scores
        speed = f"{r.articles / r.seconds:,.0f}" if r.seconds else "—"
        lines.append(
            f"| {r.dataset} | {r.split} | {r.level} | {r.system} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f}"
            f" | {s.ari:.3f} | {s.ami:.3f} | {s.clusters} / {s.gold_clusters} | {speed} |"
        )
    return "\n".join(lines) + "\n"
