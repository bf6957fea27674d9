"""The extract stage: entities, places, time expressions, counts, targets and quotes.

Only a bounded part of each article goes through the spaCy model (the lead,
then sentences with quotes or numbers, up to ``max_model_words``); the rule
based taggers read every sentence.  The model and gazetteer are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsfuse.models import Article, Entity, Extraction, Sentence, Span
from newsfuse.settings import ExtractSettings
from newsfuse.stages.extract.places import Gazetteer, tag_places
from newsfuse.stages.extract.quantities import tag_quantities
from newsfuse.stages.extract.quotes import tag_quotes
from newsfuse.stages.extract.targets import tag_targets
from newsfuse.stages.extract.timex import tag_times
from newsfuse.stages.split import split_sentences

__all__ = ["extract_facts", "fact_rules_apply", "model_sentences"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_INTEREST = re.compile(r"[“”\"]|``|\d|\b(?:said|says|told|killed|injured|dead|died|wounded)\b")


def _fill(sentences: Sequence[Sentence], budget: int, chosen: list[Sentence]) -> int:
    for sentence in sentences:
        words = sentence.text.count(" ") + 1
        if words <= budget:
            chosen.append(sentence)
            budget -= words
        elif budget < 8:
            break
    return budget


def model_sentences(sentences: Sequence[Sentence], settings: ExtractSettings) -> list[Sentence]:
    """The sentences that go through the spaCy model: the lead, then quotes and numbers, within budget
    (none when ``max_model_words`` is 0: the rule taggers alone, for bulk archives)."""
    chosen: list[Sentence] = []
    if settings.max_model_words <= 0:
        return chosen
    lead = sentences[: settings.lead_sentences]
    left = _fill(lead, min(settings.lead_words, settings.max_model_words), chosen)
    rest = [s for s in sentences[len(lead) :] if _INTEREST.search(s.text)]
    _fill(rest, settings.max_model_words - settings.lead_words + left, chosen)
    return sorted(chosen, key=lambda s: s.index)


def fact_rules_apply(article: Article) -> bool:
    """Whether the English fact rules (times, counts, targets, quotes) may read ``article``: an
    English full report; teasers and captions are too thin to cite and other languages are not read."""
    return article.language == "en" and article.content_kind == "full"


def extract_facts(
    articles: Sequence[Article], *, nlp: Any, gazetteer: Gazetteer, settings: ExtractSettings
) -> list[Extraction]:
    """Extract every kind of mention from ``articles`` (one spaCy pass for the batch)."""
    split = [split_sentences(a.text, max_sentences=settings.max_sentences) for a in articles]
    chosen = [model_sentences(sentences, settings) for sentences in split]
    flat = [s for group in chosen for s in group]
    docs = iter(nlp.pipe((s.text for s in flat), batch_size=256) if flat else ())
    results: list[Extraction] = []
    for article, sentences, picked in zip(articles, split, chosen, strict=True):
        entities: list[Entity] = []
        for sentence in picked:
            doc = next(docs)
            for ent in doc.ents:
                if ent.label_ in ENTITY_LABELS:
                    start = sentence.start + ent.start_char
                    entities.append(Entity(Span(sentence.index, start, start + len(ent.text), ent.text), ent.label_))
        places = tag_places(sentences, entities, gazetteer)
        if not fact_rules_apply(article):  # names and places only: the fact rules read English reports
            results.append(Extraction(article.article_id, sentences, entities=tuple(entities), places=places))
            continue
        times = tag_times(sentences, article.published_at.date())
        results.append(
            Extraction(
                article_id=article.article_id,
                sentences=sentences,
                entities=tuple(entities),
                places=places,
                times=times,
                quantities=tag_quantities(sentences, times),
                targets=tag_targets(sentences),
                quotes=tag_quotes(sentences, entities, article.text),
            )
        )
    return results
