"""Dated timelines with citations: pick the dates, then the sentences for each date.

Date selection (unsupervised, in the spirit of DATEWISE, Ghalandari & Ifrim 2020): a day
scores one point for every sentence that names it (time expressions resolved against the
publish date, day granularity, other than the publish day itself) and ``pub_weight`` for
every article published on it; with keywords, only sentences holding one count.

Sentence selection: a day's candidates are the sentences that name it, and the lead
sentences of articles published that day that name no other day.  They are ranked by
TF-IDF cosine to the centroid of the candidates (the most typical account of the day),
divided by ``length ** length_penalty``, and taken greedily without near-repeats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.models import Article, Citation, Sentence, TimeExpression, TimelineEntry
from newsfuse.settings import TimelineSettings


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: Article
    sentence: Sentence


def _has_keyword(text: str, keywords: Sequence[str]) -> bool:
    low = text.lower()
    return not keywords or any(k in low for k in keywords)


def score_dates(
    articles: Sequence[Article], times: Mapping[str, Sequence[TimeExpression]],
    sentences: Mapping[str, Sequence[Sentence]], *, keywords: Sequence[str] = (), start: date | None = None,
    end: date | None = None, pub_weight: float = 0.5,
) -> dict[date, float]:  # fmt: skip
    """Salience of each day from mentions and publication counts."""
    scores: dict[date, float] = defaultdict(float)
    for article in articles:
        published = article.published_at.date()
        texts = {s.index: s.text for s in sentences.get(article.article_id, ())}
        for t in times.get(article.article_id, ()):
            if (
                t.granularity == "day"
                and t.value != published
                and _has_keyword(texts.get(t.span.sentence, ""), keywords)
            ):
                scores[t.value] += 1.0
        scores[published] += pub_weight
    return {d: s for d, s in scores.items() if (start is None or d >= start) and (end is None or d <= end)}


def build_timeline(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]],
    times: Mapping[str, Sequence[TimeExpression]], settings: TimelineSettings, *, keywords: Sequence[str] = (),
    start: date | None = None, end: date | None = None,
) -> tuple[TimelineEntry, ...]:  # fmt: skip
    """A timeline of ``settings.dates`` days with up to ``settings.per_date`` cited sentences each."""
    keywords = [k.lower() for k in keywords]
    day_scores = score_dates(
        articles, times, sentences, keywords=keywords, start=start, end=end, pub_weight=settings.pub_weight
    )
    pool: dict[date, list[_Candidate]] = defaultdict(list)
    for article in articles:
        published = article.published_at.date()
        named: dict[int, set[date]] = defaultdict(set)
        for t in times.get(article.article_id, ()):
            if t.kind == "date" and t.granularity == "day":
                named[t.span.sentence].add(t.value)
        for sentence in sentences.get(article.article_id, ()):
            words = sentence.text.count(" ") + 1
            if not settings.min_words <= words <= settings.max_words or not _has_keyword(sentence.text, keywords):
                continue
            days = named.get(sentence.index, set())
            for day in days:
                pool[day].append(_Candidate(article, sentence))
            if not days and sentence.index < settings.lead_sentences:
                pool[published].append(_Candidate(article, sentence))
    ranked = [d for d, _ in sorted(day_scores.items(), key=lambda x: (-x[1], x[0])) if pool.get(d)]
    chosen_days = ranked[: settings.dates]
    texts = sorted({c.sentence.text for d in chosen_days for c in pool[d]})
    if not texts:
        return ()
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    entries = []
    for day in sorted(chosen_days):
        candidates = pool[day]
        matrix = vectorizer.transform([c.sentence.text for c in candidates])
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        lengths = np.array([c.sentence.text.count(" ") + 1 for c in candidates], dtype=np.float64)
        scores = (matrix @ centroid) / lengths**settings.length_penalty
        picked: list[int] = []
        for index in np.argsort(-scores, kind="stable"):
            row = matrix[int(index)]
            if any((row @ matrix[p].T).toarray()[0, 0] > settings.redundancy for p in picked):
                continue
            picked.append(int(index))
            if len(picked) == settings.per_date:
                break
        citations = tuple(
            Citation(
                c.article.article_id,
                c.article.source,
                c.sentence.index,
                c.sentence.text,
                day.isoformat(),
                c.article.published_at,
            )  # fmt: skip
            for c in (candidates[i] for i in picked)
        )
        entries.append(TimelineEntry(day, "day", citations, f"{day_scores[day]:.1f}"))
    return tuple(entries)
