"""Dated timelines with citations: pick the dates, then the sentences for each date.

Date selection (unsupervised, in the spirit of DATEWISE, Ghalandari & Ifrim 2020): a day
scores one point for every article that names it (time expressions resolved against the
publish date, day granularity, other than the publish day itself; every naming sentence
counts instead when ``one_vote_per_article`` is off) and ``pub_weight`` for every article
published on it; with keywords, only sentences holding one count.

Sentence selection: a day's candidates are the sentences that name it, and the lead
sentences of articles published that day (or, with ``next_day_leads``, the day after, when
news of a day is usually written) that name no other day.  With ``centroid_opt`` (DATEWISE's
CentroidOpt) sentences are added greedily so that the TF-IDF sum of the summary stays closest
in cosine to the centroid of all candidates (the most typical account of the day); otherwise
each sentence is ranked alone by cosine to the centroid divided by ``length ** length_penalty``.
Either way near-repeats (cosine above ``redundancy``) are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.sparse import csr_matrix
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
    end: date | None = None, pub_weight: float = 0.5, one_vote_per_article: bool = True,
) -> dict[date, float]:  # fmt: skip
    """Salience of each day from mentions and publication counts."""
    scores: dict[date, float] = defaultdict(float)
    for article in articles:
        published = article.published_at.date()
        texts = {s.index: s.text for s in sentences.get(article.article_id, ())}
        named: list[date] = [
            t.value
            for t in times.get(article.article_id, ())
            if t.granularity == "day"
            and t.value != published
            and _has_keyword(texts.get(t.span.sentence, ""), keywords)
        ]
        for day in dict.fromkeys(named) if one_vote_per_article else named:
            scores[day] += 1.0
        scores[published] += pub_weight
    return {d: s for d, s in scores.items() if (start is None or d >= start) and (end is None or d <= end)}


def _greedy(matrix: csr_matrix, order: Sequence[int], count: int, redundancy: float) -> list[int]:
    """The first ``count`` rows of ``order`` that repeat no row already taken."""
    picked: list[int] = []
    for index in order:
        if len(picked) == count:
            break
        if not picked or (matrix[picked] @ matrix[index].T).max() <= redundancy:
            picked.append(index)
    return picked


def _centroid_opt(matrix: csr_matrix, centroid: np.ndarray, count: int, redundancy: float) -> list[int]:
    """Rows added one at a time so that their sum stays closest in cosine to ``centroid``."""
    target = centroid / (np.linalg.norm(centroid) or 1.0)
    to_target = matrix @ target
    norms = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    total = np.zeros(matrix.shape[1])
    picked: list[int] = []
    allowed = np.ones(matrix.shape[0], dtype=bool)
    while len(picked) < count and allowed.any():
        overlap = matrix @ total
        cosine = (total @ target + to_target) / np.sqrt(np.maximum(total @ total + 2 * overlap + norms, 1e-12))
        best = int(np.argmax(np.where(allowed, cosine, -np.inf)))
        picked.append(best)
        row = matrix[best]
        total = total + row.toarray().ravel()
        allowed &= np.asarray((matrix @ row.T).toarray()).ravel() <= redundancy
        allowed[best] = False
    return picked


def build_timeline(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]],
    times: Mapping[str, Sequence[TimeExpression]], settings: TimelineSettings, *, keywords: Sequence[str] = (),
    start: date | None = None, end: date | None = None,
) -> tuple[TimelineEntry, ...]:  # fmt: skip
    """A timeline of ``settings.dates`` days with up to ``settings.per_date`` cited sentences each."""
    keywords = [k.lower() for k in keywords]
    day_scores = score_dates(
        articles, times, sentences, keywords=keywords, start=start, end=end, pub_weight=settings.pub_weight,
        one_vote_per_article=settings.one_vote_per_article,
    )  # fmt: skip
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
                if settings.next_day_leads:
                    pool[published - timedelta(days=1)].append(_Candidate(article, sentence))
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
        if settings.centroid_opt:
            picked = _centroid_opt(matrix, centroid, settings.per_date, settings.redundancy)
        else:
            lengths = np.array([c.sentence.text.count(" ") + 1 for c in candidates], dtype=np.float64)
            order = np.argsort(-(matrix @ centroid) / lengths**settings.length_penalty, kind="stable")
            picked = _greedy(matrix, [int(i) for i in order], settings.per_date, settings.redundancy)
        citations = tuple(
            Citation(
                c.article.article_id,
                c.article.source,
                c.sentence.index,
                c.sentence.text,
                day.isoformat(),
                c.article.published_at,
                start=c.sentence.start,
                end=c.sentence.end,
            )  # fmt: skip
            for c in (candidates[i] for i in picked)
        )
        entries.append(TimelineEntry(day, "day", citations, f"{day_scores[day]:.1f}"))
    return tuple(entries)
