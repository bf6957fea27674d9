"""Quoted stretches between quotation marks, sentence by sentence: one per pair of marks (straight,
curly, mixed or tokenised `` ''), a quote left open running on to its closing mark in a later
sentence of the same paragraph."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.models import Sentence

__all__ = ["Part", "bare", "quote_words", "quoted_parts"]

_HAS_WORD = re.compile(r"\w")

_QUOTE = re.compile(r"[“\"](?P<a>[^“”\"]{1,1500})[”\"]|``\s?(?P<c>.{1,1500}?)\s?''")  # marks may be mixed: "…”
_QUOTE_MARKS = re.compile(r"[“\"](?P<a>[^“”\"]{1,1500})[”\"]")  # _QUOTE without the tokenised `` '' pair
_WORD = re.compile(r"\w+")


def quote_words(text: str) -> tuple[str, ...]:
    """Lower-case words of a quote, for matching the same words across outlets."""
    return tuple(_WORD.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class Part:
    sentence: Sentence
    begin: int  # offsets in the sentence, marks included
    end: int
    body: str
    continued: bool  # continues a quote opened in an earlier sentence
    words: tuple[str, ...]  # quote_words(body)


_OPEN = re.compile(r"“|``|(?:^|(?<=[\s(\[—-]))\"(?=\w)")  # a straight quote opens before a word
_CLOSE = re.compile(r"”|''|\"")


def quoted_parts(sentences: Sequence[Sentence], text: str) -> list[Part]:
    """Every quoted stretch, sentence by sentence (a paragraph break without a closing mark ends
    a quote, as a new paragraph reopens it)."""
    parts: list[Part] = []
    open_quote = False
    previous_end = 0
    for sentence in sentences:
        if open_quote and "\n" in text[previous_end : sentence.start]:
            open_quote = False
        previous_end = sentence.end
        line = sentence.text
        position = 0
        if open_quote:
            close = _CLOSE.search(line)
            end = close.start() if close else len(line)
            parts.append(
                Part(sentence, 0, close.end() if close else len(line), line[:end], True, quote_words(line[:end]))
            )
            if close is None:
                continue
            position, open_quote = close.end(), False
        if "“" not in line and '"' not in line and "``" not in line:
            continue
        last = position
        for m in (_QUOTE if "``" in line else _QUOTE_MARKS).finditer(line, position):
            body = m.group("a") or m.groupdict().get("c") or ""
            parts.append(Part(sentence, m.start(), m.end(), body, False, quote_words(body)))
            last = m.end()
        opening = _OPEN.search(line, last)
        if opening is not None and _CLOSE.search(line, opening.end()) is None:
            body = line[opening.end() :]
            parts.append(Part(sentence, opening.start(), len(line), body, False, quote_words(body)))
            open_quote = True
    return parts


def bare(group: Sequence[Part]) -> bool:
    """Whether a quote's sentences hold nothing but the quote (no attribution around it)."""
    by_sentence: dict[int, list[Part]] = {}
    for part in group:
        by_sentence.setdefault(part.sentence.index, []).append(part)
    for parts in by_sentence.values():
        line, position = parts[0].sentence.text, 0
        for part in parts:
            if _HAS_WORD.search(line, position, part.begin):
                return False
            position = part.end
        if _HAS_WORD.search(line, position):
            return False
    return True
