"""Direct quotes with their speaker.

The speaker is the PERSON (else ORG) named in the quote's sentence, nearest
to the quote; a pronoun with a speech verb points to the last person named
earlier in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.models import Entity, Quote, Sentence, Span

_QUOTE = re.compile(r"“(?P<a>[^”]{12,1500})”|\"(?P<b>[^\"]{12,1500})\"|``\s?(?P<c>.{12,1500}?)\s?''")
_SPEECH = re.compile(r"\b(said|says|added|told|stated|noted|warned|wrote|declared|according to)\b", re.IGNORECASE)
_VERBS = r"(?:said|says|added|told|stated|noted|warned|wrote|declared)"
_NAMED_BEFORE = re.compile(rf"((?:[A-Z][\w.’'\-]+\s+){{1,4}}[A-Z][\w’'\-]+)\s+{_VERBS}\b[^“\"]*$")
_NAMED_AFTER = re.compile(rf"^[^“\"]*?\b{_VERBS}\s+((?:[A-Z][\w.’'\-]+\s+){{0,4}}[A-Z][\w’'\-]+)")
_PRONOUN = re.compile(r"\b(he|she)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def quote_words(text: str) -> tuple[str, ...]:
    """Lower-case words of a quote, for matching the same words across outlets."""
    return tuple(w.lower() for w in _WORD.findall(text))


_TITLES = re.compile(
    r"^(?:(?:the|The|US|U\.S\.|Defen[cs]e|Secretary|Minister|President|Prime|Foreign|General|Gen\.|Sen\.|Senator|"
    r"Rep\.|Dr\.|Mr\.|Mrs\.|Ms\.|Chief|Spokesman|Spokeswoman)\s+)+"
)


def _name(entity: Entity) -> str:
    return _TITLES.sub("", entity.span.text).strip() or entity.span.text


_OPEN = re.compile(r"“|``|(?:^|(?<=[\s(\[—-]))\"(?=\w)")  # a straight quote opens before a word
_CLOSE = re.compile(r"”|''|\"")


def _quoted_parts(sentences: Sequence[Sentence], text: str) -> list[tuple[Sentence, int, int, str]]:
    """(sentence, start, end, body) of every quoted stretch, sentence by sentence.

    A quote may run over several sentences: the opening mark in one, the closing mark in a later
    one (a paragraph break without a closing mark ends it, as a new paragraph reopens it)."""
    parts: list[tuple[Sentence, int, int, str]] = []
    open_quote = False
    previous_end = 0
    for sentence in sentences:
        if "\n" in text[previous_end : sentence.start]:
            open_quote = False
        previous_end = sentence.end
        line = sentence.text
        position = 0
        if open_quote:
            close = _CLOSE.search(line)
            end = close.start() if close else len(line)
            parts.append((sentence, 0, close.end() if close else len(line), line[:end]))
            if close is None:
                continue
            position, open_quote = close.end(), False
        if "“" not in line and '"' not in line and "``" not in line:
            continue  # no quote opens here
        last = position
        for m in _QUOTE.finditer(line, position):
            parts.append((sentence, m.start(), m.end(), m.group("a") or m.group("b") or m.group("c") or ""))
            last = m.end()
        opening = _OPEN.search(line, last)
        if opening is not None and _CLOSE.search(line, opening.end()) is None:
            parts.append((sentence, opening.start(), len(line), line[opening.end() :]))
            open_quote = True
    return parts


def tag_quotes(sentences: Sequence[Sentence], entities: Sequence[Entity], text: str = "") -> tuple[Quote, ...]:
    """Quotes of at least four words (a quote over several sentences gives one per sentence),
    each with the best speaker found."""
    found: list[Quote] = []
    people = sorted((e for e in entities if e.label == "PERSON"), key=lambda e: e.span.start)
    parts = _quoted_parts(sentences, text)
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for sentence, begin, finish, _ in parts:
        by_sentence.setdefault(sentence.index, []).append((sentence.start + begin, sentence.start + finish))
    for sentence, begin, finish, body in parts:
        words = quote_words(body)
        if len(words) < 4:
            continue
        quoted = by_sentence[sentence.index]
        start, end = sentence.start + begin, sentence.start + finish
        inside = [
            e
            for e in entities
            if e.span.sentence == sentence.index and not any(s <= e.span.start < t for s, t in quoted)
        ]
        speaker = ""
        for labels in (("PERSON",), ("ORG", "NORP")):
            named = [e for e in inside if e.label in labels]
            if named:
                nearest = min(named, key=lambda e: min(abs(e.span.end - start), abs(e.span.start - end)))
                speaker = _name(nearest)
                break
        outside = sentence.text[:begin] + sentence.text[finish:]
        if not speaker:
            by_name = _NAMED_BEFORE.search(sentence.text[:begin]) or _NAMED_AFTER.search(sentence.text[finish:])
            speaker = _TITLES.sub("", by_name.group(1)).strip() if by_name else ""
        if not speaker and _SPEECH.search(outside) and _PRONOUN.search(outside):
            earlier = [p for p in people if p.span.end <= start]
            speaker = _name(earlier[-1]) if earlier else ""
        found.append(Quote(Span(sentence.index, start, end, body), speaker, words))
    return tuple(found)
