"""Run the Timeline17 protocol (news-tls section 5.2) with newsfuse's timeline builder.

Each gold timeline is one task: articles of its topic published within the gold date range;
l = number of gold dates, k = round(mean sentences per gold date); keywords of the topic.
The builder runs with its defaults; ``leave_one_topic_out`` scores ``LOTO_GRID`` the held-out way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsfuse.evaluation.datasets import TlsTopic
from newsfuse.evaluation.tls import T17_KEYWORDS, TaskResult, parse_tilse, score_timeline
from newsfuse.models import Sentence, TimeExpression
from newsfuse.settings import TimelineSettings
from newsfuse.stages.extract.timex import tag_times
from newsfuse.stages.split import split_sentences
from newsfuse.stages.timeline import build_timeline


@dataclass(frozen=True, slots=True)
class TaggedTopic:
    """A topic's articles split into sentences and tagged with time expressions, once for all runs."""

    topic: TlsTopic
    sentences: dict[str, tuple[Sentence, ...]]
    times: dict[str, tuple[TimeExpression, ...]]
    seconds: float


def tag_topics(topics: Sequence[TlsTopic]) -> list[TaggedTopic]:
    """Split and time-tag every article of ``topics``."""
    tagged = []
    for topic in topics:
        started = time.perf_counter()
        sentences: dict[str, tuple[Sentence, ...]] = {}
        times: dict[str, tuple[TimeExpression, ...]] = {}
        for article in topic.articles:
            sentences[article.article_id] = split_sentences(article.text)
            times[article.article_id] = tag_times(sentences[article.article_id], article.published_at.date())
        tagged.append(TaggedTopic(topic, sentences, times, time.perf_counter() - started))
    return tagged


def run_t17(tagged: Sequence[TaggedTopic], settings: TimelineSettings) -> list[TaskResult]:
    """Score newsfuse timelines on every gold timeline of the tagged topics."""
    results = []
    for prepared in tagged:
        topic, sentences, times = prepared.topic, prepared.sentences, prepared.times
        shared_seconds = prepared.seconds / len(topic.timelines)
        for name, text in topic.timelines:
            gold = parse_tilse(text)
            start, end = min(gold), max(gold)
            task_started = time.perf_counter()
            in_range = [a for a in topic.articles if start <= a.published_at.date() <= end]
            per_date = max(1, round(sum(len(s) for s in gold.values()) / len(gold)))
            task = replace(settings, dates=len(gold), per_date=per_date)
            entries = build_timeline(
                in_range, sentences, times, task, keywords=T17_KEYWORDS.get(topic.topic, ()), start=start, end=end
            )
            predicted = {e.day: [c.text for c in e.citations] for e in entries}
            seconds = time.perf_counter() - task_started + shared_seconds
            results.append(
                TaskResult(
                    topic.topic,
                    name,
                    score_timeline(predicted, gold),
                    score_timeline(predicted, gold, stopwords=True),
                    seconds,
                    len(gold),
                    per_date,
                )  # fmt: skip
            )
    return results


def leave_one_topic_out(
    tagged: Sequence[TaggedTopic], settings: TimelineSettings, grid: dict[str, Sequence[float]]
) -> tuple[list[TaskResult], dict[str, TimelineSettings]]:
    """Held-out results where each topic uses the grid point best on the other topics (mean AR-1 F1)."""
    from itertools import product

    from newsfuse.evaluation.tls import average

    names = list(grid)
    runs = []
    for values in product(*(grid[n] for n in names)):
        candidate = replace(settings, **dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        runs.append((candidate, run_t17(tagged, candidate)))
    chosen: dict[str, TimelineSettings] = {}
    held_out: list[TaskResult] = []
    for topic in (t.topic.topic for t in tagged):

        def train_score(results: list[TaskResult], held: str = topic) -> tuple[float, float]:
            scores = average([r.scores for r in results if r.topic != held])
            return scores.ar1, scores.date_f1

        best, results = max(runs, key=lambda run: train_score(run[1]))
        chosen[topic] = best
        held_out += [r for r in results if r.topic == topic]
    return held_out, chosen


LOTO_GRID: dict[str, Sequence[float]] = {
    "pub_weight": (0.25, 0.5),
    "one_vote_per_article": (False, True),
    "next_day_leads": (False, True),
    "centroid_opt": (False, True),
}


def describe(settings: TimelineSettings) -> str:
    """The grid settings of ``settings`` as ``name=value`` pairs."""
    return ", ".join(f"{name}={getattr(settings, name)}" for name in LOTO_GRID)
