"""What an action was aimed at: ``the strikes targeted two weapons and ammunition depots``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.models import Sentence, Span, Target
from newsfuse.stages.extract.caseless import Scan, lowered
from newsfuse.stages.extract.lexicon import NUMBER_WORDS, STOP_WORDS, content_words

_ACTION = Scan.compile(
    r"\b(?P<verb>struck|targeted|targeting|hit|bombed|shelled|raided|destroyed|attacked|strikes?\s+(?:\w+\s+){0,3}?(?:on|against))\s+"
    r"(?P<object>(?:(?:the|a|an|two|three|four|several|multiple|\d+)\s+)?[^,.;:“”\"()]{3,80})"
)
_END = re.compile(
    r"\s(?:in|near|at|on|that|which|who|used|linked|after|before|with|as|by|to|from|since)\s", re.IGNORECASE
)
_LEADING_TIME = re.compile(
    r"^(?:(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|overnight)\s+)"
    r"(?:(?:on|against)\s+)?",
    re.IGNORECASE,
)
_VERB = {"targeting": "targeted", "hit": "struck", "bombed": "struck", "shelled": "struck", "raided": "struck"}
_GENERIC = {"thursday", "friday", "monday", "tuesday", "wednesday", "saturday", "sunday", "time", "area", "way"}


def tag_targets(sentences: Sequence[Sentence]) -> tuple[Target, ...]:
    """Objects of strike/attack verbs, as sets of content words."""
    found: list[Target] = []
    for sentence in sentences:
        for m in _ACTION.finditer(sentence.text, lowered(sentence.text)):
            obj = _LEADING_TIME.sub("", m.group("object"))
            cut = _END.search(" " + obj + " ")
            phrase = obj[: max(0, cut.start() - 1)] if cut else obj
            phrase = phrase.strip()
            words = tuple(
                sorted({w for w in content_words(phrase) if w not in STOP_WORDS and w not in NUMBER_WORDS} - _GENERIC)
            )
            if not words or len(words) > 6:
                continue
            verb = m.group("verb").split()[0].lower()
            action = "struck" if verb.startswith("strike") else _VERB.get(verb, verb)
            start = sentence.start + m.start("object") + len(m.group("object")) - len(obj)
            found.append(Target(Span(sentence.index, start, start + len(phrase), phrase), action, words, phrase))
    return tuple(found)
