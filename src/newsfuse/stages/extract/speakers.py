"""Who a phrase before or after a quote names: a person with a title or a role in apposition, a
pronoun to resolve, or a role or body as the text gives it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.stages.extract.speech_words import (
    ABBREVIATIONS as _ABBREVIATIONS,
)
from newsfuse.stages.extract.speech_words import (
    BODIES as _BODIES,
)
from newsfuse.stages.extract.speech_words import (
    DETERMINERS as _DETERMINERS,
)
from newsfuse.stages.extract.speech_words import (
    FUNCTION as _FUNCTION,
)
from newsfuse.stages.extract.speech_words import (
    HONORIFICS as _HONORIFICS,
)
from newsfuse.stages.extract.speech_words import (
    NOBODY as _NOBODY,
)
from newsfuse.stages.extract.speech_words import (
    OPENERS as _OPENERS,
)
from newsfuse.stages.extract.speech_words import (
    PREPOSITIONS as _PREPOSITIONS,
)
from newsfuse.stages.extract.speech_words import (
    PRONOUNS as _PRONOUNS,
)
from newsfuse.stages.extract.speech_words import (
    ROLE_NOUNS as _ROLE_NOUNS,
)
from newsfuse.stages.extract.speech_words import (
    TITLE_WORDS as _TITLE_WORDS,
)
from newsfuse.stages.extract.speech_words import (
    TRAILING_WORDS as _TRAILING_WORDS,
)

__all__ = [
    "AGENT",
    "MAX_SPEAKER_WORDS",
    "TAIL_CHARS",
    "Speaker",
    "can_be_referent",
    "is_credit",
    "parse_speaker",
    "trim",
]

TAIL_CHARS = 80  # trailing adverbs and a title word before a quote fit in this
MAX_SPEAKER_WORDS = 8  # a longer "subject" is a clause, not a speaker
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
_TRAILING = re.compile(
    r"(?:\s+(?:also|later|previously|then|recently|has|had|have|would|will|once|further|again|just|"
    r"reportedly|publicly|earlier|repeatedly|simply|quickly|first|herself|himself|themselves|"
    r"has also|had also|would later|is|are|was|were|[a-z]+ly|today|yesterday|tonight|"
    rf"(?:on\s+)?{_DAY}|at the time|in (?:a|an|his|her|their|its) (?:statement|interview|tweet|letter|email)|"
    r"(?:last|this|earlier this|late last|next) (?:week|month|year|night|morning|weekend)|"
    r"published|released|issued|filed))+$"
)  # adverbs, auxiliaries, times and asides between a subject and its verb ("Comey at the time said")
AGENT = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman)s?$")  # officer, prosecutor, economist, resident
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w’'\-]*|[A-Z]\.|(?:de|van|von|al|bin|da|del|la|le)(?:-\w+)?|Jr\.?|Sr\.?)$")
_CREDIT = re.compile(
    r"(?:^|\b)(?:Photo|Photos|Image|Images|Picture|Credit|Caption|Video|Illustration|File photo)s?\s*(?:by)?\s*:"
    r"|/\s*(?:Getty|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg)|\bGetty Images\b|\(AP Photo|^By\s+[A-Z]",
)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # as written: "Jerome Powell", "police", "a senior official"; "he" / "she" before resolving
    role: str = ""
    person: bool = False  # a named person (a pronoun's antecedent), not a role or body


def trim(text: str) -> str:
    """``text`` without trailing adverbs and auxiliaries ("Powell also" -> "Powell"), read from its end."""
    last = text[text.rfind(" ") + 1 :]
    if last not in _TRAILING_WORDS and not last.endswith("ly"):
        return text  # the cheap gate: the last word could not end a trailing aside
    tail = text[-TAIL_CHARS:]
    cut = _TRAILING.search(tail)
    return text[: len(text) - len(tail) + cut.start()] if cut else text


def is_credit(text: str) -> bool:
    """A photo credit, caption label or byline (cheap gate first: they all have ':', '/', 'By' or 'Getty')."""
    gated = ":" in text or "/" in text or "By " in text or "Getty" in text or "(AP" in text
    return gated and _CREDIT.search(text) is not None


_REDUCED_RELATIVE = frozenset(["we", "i", "you", "they"])  # "a neighbor we spoke with": the clause after it
_OF_PLACE = re.compile(r"(?<=[a-z])\s+(?:of|from)\s+(?:[A-Z][\w.’'-]*\s*)+$")


def _parse_chunk(chunk: str, people: Sequence[str]) -> Speaker | None:
    place = _OF_PLACE.search(chunk) if " of " in chunk or " from " in chunk else None
    if place and chunk[: place.start()].split()[-1].lower() not in _TITLE_WORDS:
        chunk = chunk[: place.start()]  # "Nancy Pelosi of California"
    tokens = chunk.split()
    while tokens and tokens[0][0].isdigit():
        tokens = tokens[1:]  # "18-year-old Alex Asoto"
    if len(tokens) > 2 and tokens[0].lower() in _DETERMINERS:
        cut = next((i for i, t in enumerate(tokens[2:], 2) if t.lower() in _REDUCED_RELATIVE), len(tokens))
        tokens = tokens[:cut]  # "A neighbor we spoke with": a neighbor
    chunk = " ".join(tokens)
    if not tokens or len(tokens) > MAX_SPEAKER_WORDS:
        return None
    low = tokens[0].lower()
    if low in _PREPOSITIONS or (low in _OPENERS and low not in _DETERMINERS and low not in _PRONOUNS):
        return None  # "On Twitter", "In a statement": not who
    if low in _PRONOUNS and len(tokens) <= 4:
        return Speaker(low)  # "he", "he went on to"
    if low in _NOBODY or not tokens[0][0].isalpha():
        return None
    for found in people:  # a person the model found inside the chunk: the rest before it is the title
        at = chunk.find(found)
        if at >= 0 and chunk[at + len(found) :].strip() == "":
            return Speaker(_strip_honorific(found), _role(chunk[:at]), True)
    cut = len(tokens)
    while cut > 0 and _NAME_TOKEN.match(tokens[cut - 1]) and tokens[cut - 1].lower().rstrip(".") not in _TITLE_WORDS:
        cut -= 1
    while cut < len(tokens) - 1 and tokens[cut].lower().rstrip(".") in _HONORIFICS | (_OPENERS - _DETERMINERS):
        cut += 1  # "Mr. Gowdy" is Gowdy; "On Saturday" is no one
    if cut < len(tokens) and cut == 0 and tokens[0].lower() in _DETERMINERS:
        return Speaker(chunk) if len(tokens) <= MAX_SPEAKER_WORDS else None  # "The NRA": a body as written
    if cut < len(tokens) and tokens[cut].lower() in _OPENERS:
        return None
    name, prefix = tokens[cut:], tokens[:cut]
    if name and tokens[cut].lower().rstrip(".") not in _HONORIFICS:
        person = name[-1].lower() not in _BODIES
        if prefix and all(t.lower() == "the" for t in prefix):
            return Speaker(chunk)  # "the NRA", "the Associated Press": a body as written, not a person
        if not prefix or all(_NAME_TOKEN.match(t) or t in ("of", "the", "for", "and") for t in prefix):
            return Speaker(" ".join(name), _role(" ".join(prefix)), person)
        if prefix[-1].lower() in _PREPOSITIONS:  # "the lawyer for Norris Greenhouse": a role as written
            return Speaker(chunk) if prefix[0].lower() in _DETERMINERS else None
        described = _undetermined(prefix)
        titled = any(t.lower().rstrip(".") in _TITLE_WORDS | _ROLE_NOUNS for t in described)
        if titled and not any(t.lower() in _FUNCTION for t in described):  # "U.S. secretary of education X"
            return Speaker(" ".join(name), _role(" ".join(described)), person)
        if len(described) <= 3 and not any(t.lower() in _FUNCTION | _PREPOSITIONS for t in described):
            return Speaker(" ".join(name), _role(" ".join(described)), person)  # "shooting victim Devon McNeal"
        return None
    if low in _FUNCTION or tokens[-1].lower() in _FUNCTION:
        return None
    head = tokens[-1].lower().rstrip(".")
    if any(t.lower() in _FUNCTION for t in tokens) or len(tokens) > (MAX_SPEAKER_WORDS if low in _DETERMINERS else 3):
        return None
    if low in _DETERMINERS or head in _TITLE_WORDS or head in _ROLE_NOUNS or AGENT.search(head):
        return Speaker(chunk)  # a role or body as the text gives it: "police", "a senior official"
    return None


def _undetermined(tokens: Sequence[str]) -> list[str]:
    return list(tokens[1:]) if tokens and tokens[0].lower() in ("the", "a", "an") else list(tokens)


_DOCUMENTS = r"(?:letter|statement|tweet|post|email|e-mail|message|memo|note|release|filing)"
_DOCUMENT_WORD = re.compile(rf"\b{_DOCUMENTS}\b")
_DOCUMENT_FROM = re.compile(rf"^(?:[Tt]he |[Aa]n? )?(?:\w+ )?{_DOCUMENTS}\s+(?:from|by)\s+(?P<who>.+)$")
_DOCUMENT_OF = re.compile(rf"^(?P<who>.+?)\s?(?:’s|'s|’|')\s+(?:\w+\s+)?{_DOCUMENTS}$")


def parse_speaker(phrase: str, people: Sequence[str]) -> Speaker | None:
    """The speaker a subject phrase names: a name with its title or its role in apposition
    ("Jerome Powell, the Fed chair"; "the spokesman, Nick Merrill"), a pronoun, or a role / body
    as written."""
    phrase = trim(phrase.strip(" \t,.;:—–-“”\"'’(")).strip()
    if not phrase or "/" in phrase or is_credit(phrase):
        return None
    if " " in phrase and _DOCUMENT_WORD.search(phrase):
        writer = _DOCUMENT_FROM.match(phrase) or _DOCUMENT_OF.match(phrase)
        if writer is not None:  # "the letter from Taylor", "the Republicans’ letter": who wrote it
            phrase = writer.group("who")
    chunks = [c.strip() for c in phrase.split(",") if c.strip()]
    if len(chunks) > 4:
        return None
    parsed = [_parse_chunk(c, people) for c in chunks]
    if parsed[0] is not None and parsed[0].name in _PRONOUNS:
        return parsed[0]
    if parsed[-1] is not None and parsed[-1].name in _PRONOUNS:
        return parsed[-1]  # '… the flu, she said': a pronoun is never an apposition
    at = next((i for i, p in enumerate(parsed) if p is not None and p.person), -1)
    if at < 0:
        return next((p for p in parsed if p is not None and p.name not in _PRONOUNS), None)
    person = parsed[at]
    assert person is not None
    if person.role:
        return person
    for i in (at - 1, at + 1):  # "the spokesman, Nick Merrill" / "Lis Smith, a spokeswoman for …"
        other = parsed[i] if 0 <= i < len(parsed) else None
        if other is not None and not other.person and other.name not in _PRONOUNS:
            return Speaker(person.name, " ".join(_undetermined(other.name.split())), True)
    return person


def _strip_honorific(name: str) -> str:
    tokens = name.split()
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in _HONORIFICS | _TITLE_WORDS:
        tokens = tokens[1:]
    return " ".join(tokens)


_INITIALS = re.compile(r"\b(?:[A-Z] )+[A-Z]\b")  # "U S" as the quote tagger blanks "U.S."


def _role(title: str) -> str:
    tokens = [t for t in title.split() if t.lower().rstrip(".") not in _HONORIFICS]
    role = " ".join(_ABBREVIATIONS.get(t.lower().rstrip("."), t) for t in tokens)
    return _INITIALS.sub(lambda m: m.group().replace(" ", ".") + ".", role) if " " in role else role


def can_be_referent(speaker: Speaker) -> bool:
    """A named person, or one person by role ("the president", "a spokesman"), not a body or a group."""
    if speaker.person:
        return True
    head = speaker.name.split()[-1].lower().rstrip(".")
    return speaker.name.split()[0].lower() in ("the", "a", "an") and (
        head in _TITLE_WORDS or bool(AGENT.search(head) and not head.endswith("s"))
    )
