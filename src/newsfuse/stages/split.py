"""Split article text into sentences with character offsets (blingfire)."""

from __future__ import annotations

import re

import blingfire

from newsfuse.models import Sentence

_LINE = re.compile(r"[^\n]+")
_INNER_END = re.compile(r"[.!?][\"'”’)\]]*\s+\S")


def split_sentences(text: str, *, max_sentences: int = 10_000) -> tuple[Sentence, ...]:
    """Sentences of ``text``: lines first (paragraphs), then blingfire within each."""
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        if _INNER_END.search(line.group().strip()):
            _, offsets = blingfire.text_to_sentences_and_offsets(line.group())
        else:
            offsets = [(0, len(line.group().rstrip()))]
        for start, end in offsets:
            begin, finish = line.start() + start, line.start() + end
            chunk = text[begin:finish]
            if chunk.strip():
                sentences.append(Sentence(len(sentences), begin, finish, chunk))
                if len(sentences) >= max_sentences:
                    return tuple(sentences)
    return tuple(sentences)
