"""CPU per article of each analysis stage, as a worker runs them in the bulk profile.

    python benchmarks/stages.py [--data ../shared/data] [--step 4] [--passes 3]

Runs ``work.analyse_encoded`` (split, rule taggers without spaCy, MinHash, embeddings, profile,
encoding for the store) in batches of 200 over every ``step``-th dated real article — the pool
``benchmarks/scale.py`` repeats — with each stage function timed where the pipeline calls it.
The first pass starts with empty caches (place candidates, word forms, content terms), like a
corpus of new articles; later passes find whatever the caches kept (all of the default sample;
far from all of the whole pool, ``--step 1``, which is what scale.py's corpus repeats).  Prints
the place-candidate cache's figures after the first pass, and milliseconds per article: the
first pass and the fastest later one.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import newsfuse.stages.extract as extract
import newsfuse.work as work
from newsfuse.assets import load_embedder, load_gazetteer
from newsfuse.evaluation.datasets import dated_articles
from newsfuse.settings import Settings
from newsfuse.stages.extract import places

DATA = Path(__file__).resolve().parents[2] / "shared/data"
STAGES: dict[ModuleType, tuple[str, ...]] = {
    extract: ("split_sentences", "tag_times", "tag_places", "tag_quantities", "tag_targets", "tag_quotes"),
    work: ("extract_facts", "embed_articles", "minhash_signature", "profile_article", "encode_analysis"),
}


def _timed(function: Callable[..., Any], name: str, seconds: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += time.perf_counter() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--step", type=int, default=4)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    settings = dataclasses.replace(settings, extract=dataclasses.replace(settings.extract, max_model_words=0))
    articles = dated_articles(args.data)[:: args.step]
    load_embedder(), load_gazetteer()  # loading models is not part of the figures
    seconds: dict[str, float] = defaultdict(float)
    for module, names in STAGES.items():
        for name in names:
            setattr(module, name, _timed(getattr(module, name), name, seconds))
    passes: list[dict[str, float]] = []
    for _ in range(max(2, args.passes)):
        seconds.clear()
        started = time.perf_counter()
        for i in range(0, len(articles), 200):
            work.analyse_encoded(articles[i : i + 200], settings)
        seconds["total"] = time.perf_counter() - started
        inner = sum(seconds[name] for name in STAGES[extract])
        seconds["extract: the rest"] = seconds.pop("extract_facts") - inner
        passes.append({name: 1000 * value / len(articles) for name, value in seconds.items()})
        if len(passes) == 1:
            cache = places._options.cache_info()
            print(f"place-candidate cache after the first pass: {cache.hits + cache.misses:,} lookups,"
                  f" {cache.misses:,} misses, {cache.maxsize:,} entries at most")  # fmt: skip
    best = min(passes[1:], key=lambda p: p["total"])
    words = sum(len(a.text.split()) for a in articles) // len(articles)
    print(f"{len(articles):,} articles, {words} words on average; ms of CPU per article (one process)")
    print("| stage | first pass | fastest later pass |\n|---|---|---|")
    for name in sorted(best, key=lambda n: (n == "total", -best[n])):
        print(f"| {name} | {passes[0][name]:.2f} | {best[name]:.2f} |")


if __name__ == "__main__":
    main()
