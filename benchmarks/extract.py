"""Extraction throughput on Timeline17: articles/second for the extract stage alone, per component.

    python benchmarks/extract.py [--data ../shared/data] [--limit 2000]

Single process, models loaded before timing.  Splits the time between sentence splitting,
the spaCy NER pass (bounded text), and the rule taggers (places, times, counts, targets, quotes).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsfuse.assets import load_gazetteer, load_nlp
from newsfuse.evaluation.datasets import read_t17
from newsfuse.settings import Settings
from newsfuse.stages.extract import extract_facts, model_sentences
from newsfuse.stages.split import split_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data")
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    settings = Settings()
    articles = [a for topic in read_t17(args.data) for a in topic.articles]
    articles = articles[:: max(1, len(articles) // args.limit)][: args.limit]
    nlp, gazetteer = load_nlp(), load_gazetteer()
    started = time.perf_counter()
    split = [split_sentences(a.text) for a in articles]
    split_seconds = time.perf_counter() - started
    chosen = [s.text for sentences in split for s in model_sentences(sentences, settings.extract)]
    started = time.perf_counter()
    list(nlp.pipe(chosen, batch_size=256))
    ner_seconds = time.perf_counter() - started
    started = time.perf_counter()
    extractions = extract_facts(articles, nlp=nlp, gazetteer=gazetteer, settings=settings.extract)
    total = time.perf_counter() - started
    words = sum(len(a.text.split()) for a in articles)
    mentions = sum(
        len(x.entities) + len(x.places) + len(x.times) + len(x.quantities) + len(x.quotes) for x in extractions
    )
    print(f"articles: {len(articles)} ({words:,} words), mentions found: {mentions:,}")
    print(f"extract stage: {total:.1f} s = {len(articles) / total:.1f} articles/s on one process")
    rest = max(0.0, total - split_seconds - ner_seconds)
    ner_words = sum(len(c.split()) for c in chosen)
    print(f"  sentence split {split_seconds:.1f} s; spaCy NER on {ner_words:,} words {ner_seconds:.1f} s;"
          f" rule taggers and the rest {rest:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
