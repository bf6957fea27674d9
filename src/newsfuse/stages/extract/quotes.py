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


def tag_quotes(sentences: Sequence[Sentence], entities: Sequence[Entity]) -> tuple[Quote, ...]:
    """Quotes of at least four words, each with the best speaker found."""
    found: list[Quote] = []
    people = sorted((e for e in entities if e.label == "PERSON"), key=lambda e: e.span.start)
    for sentence in sentences:
        quoted = [(sentence.start + q.start(), sentence.start + q.end()) for q in _QUOTE.finditer(sentence.text)]
        for m in _QUOTE.finditer(sentence.text):
            body = m.group("a") or m.group("b") or m.group("c") or ""
            words = quote_words(body)
            if len(words) < 4:
                continue
            start, end = sentence.start + m.start(), sentence.start + m.end()
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
            outside = sentence.text[: m.start()] + sentence.text[m.end() :]
            if not speaker:
                by_name = _NAMED_BEFORE.search(sentence.text[: m.start()]) or _NAMED_AFTER.search(
                    sentence.text[m.end() :]
                )
                speaker = _TITLES.sub("", by_name.group(1)).strip() if by_name else ""
            if not speaker and _SPEECH.search(outside) and _PRONOUN.search(outside):
                earlier = [p for p in people if p.span.end <= start]
                speaker = _name(earlier[-1]) if earlier else ""
            found.append(Quote(Span(sentence.index, start, end, body), speaker, words))
    return tuple(found)
