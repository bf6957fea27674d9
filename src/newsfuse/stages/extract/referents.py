"""Who a speaker phrase points to elsewhere in the article: the person a pronoun, "the man" or a
title ("the committee chairman") points back to, the body "the group" does, the holder of a
title named earlier ("the mayor" -> "Mayor Vincent Gray"), and the fullest form of a name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.stages.extract.speakers import Speaker
from newsfuse.stages.extract.speech_words import ANAPHORIC_BODIES, OPENERS, TITLE_WORDS

__all__ = [
    "ANAPHOR_REACH",
    "NAMED_BODY",
    "PRONOUN_REACH",
    "antecedent",
    "fullest",
    "holder",
    "remember",
    "resolve",
    "titled_after",
    "titled_before",
]

_NAME_WORD = re.compile(r"[A-Z][\w’'\-]*\.?$")
_AFTER_NAME = re.compile(r"(?:\s+[A-Z][\w’'\-]+){0,2}(?:\s+(?:Jr\.?|Sr\.?|II|III|IV)\b)?")
_SPELT_OUT = re.compile(r"((?:[A-Z][\w’'.&-]*\s+){1,6})$")
_ACRONYM = re.compile(r"^(?:the |The )?([A-Z]{2,6})$")


def fullest(speaker: Speaker | None, text: str, forms: dict[str, Speaker]) -> Speaker | None:
    """The fullest form of a one-word name the article gives ("Jermaine" -> "Jermaine Jackson", one
    form only: two people sharing a surname keep it short), or a body's acronym spelt out where the
    article defines it ("the SCSO" -> "Sevier County Sheriff's Office")."""
    if speaker is None or " " in speaker.name.strip() and _ACRONYM.match(speaker.name) is None or not text:
        return speaker
    if speaker.name in forms:
        return forms[speaker.name]
    found = speaker
    acronym = _ACRONYM.match(speaker.name)
    if acronym is not None:
        at = text.find(f"({acronym.group(1)})")  # "The Sevier County Sheriff's Office (SCSO)"
        defined = _SPELT_OUT.search(text, max(0, at - 100), at) if at > 0 else None
        if defined is not None:
            spelt = defined.group(1).split()
            found = Speaker(" ".join(spelt[1:] if spelt[0] == "The" else spelt), speaker.role, False)
    elif speaker.person:
        full: set[str] = set()
        titles: dict[str, str] = {}  # form -> the title words before it ("Fed Chair")
        at, mentions = text.find(speaker.name), 0
        while at >= 0 and mentions < MENTIONS:  # each mention, with the capitalised words around it
            mentions += 1
            end = at + len(speaker.name)
            if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                left = text[max(0, at - 40) : at].split()[-3:] if text[at - 1 : at].isspace() else []
                while left and not all(_NAME_WORD.match(t) for t in left):
                    left = left[1:]
                right = _AFTER_NAME.match(text, end)
                name = _strip_title([*left, speaker.name])
                form = " ".join(name + (right.group().split() if right else []))
                title = [t for t in left[: len(left) + 1 - len(name)] if t.lower() not in OPENERS]
                if len(title) > len(titles.get(form, "").split()):
                    titles[form] = " ".join(title)
                full.add(form)
            at = text.find(speaker.name, end)
        full = {f for f in full if " " in f and not any(t.lower() in OPENERS for t in f.split())}
        full = {
            f for f in full if not any(o != f and f.endswith(" " + o) for o in full)
        }  # "Republican Mitch McConnell"
        if len(full) == 1:
            form = full.pop()
            found = Speaker(form, speaker.role or titles.get(form, ""), True)
    forms[speaker.name] = found
    return found


def _strip_title(tokens: list[str]) -> list[str]:
    while tokens and (tokens[0].lower().rstrip(".") in TITLE_WORDS or tokens[0].lower() in OPENERS):
        tokens = tokens[1:]
    return tokens


PRONOUN_REACH = 8  # sentences back a pronoun may point: further is another part of the story


def resolve(pronoun: str, index: int, persons: Sequence[tuple[int, Speaker]], gender: dict[str, str]) -> Speaker | None:
    """The nearest person in speaker position a pronoun can be (not one "he" already went to for "she")."""
    for at, person in reversed(persons):
        if index - at > PRONOUN_REACH:
            return None
        if gender.setdefault(person.name, pronoun) == pronoun:
            return person
    return None


ANAPHOR_REACH = 2  # sentences back "the man" or "the group" may point
NAMED_BODY = re.compile(r"^(?:the |The )?(?:[A-Z][\w.&’'-]*\s?)*[A-Z][\w.&’'-]*$|\b[A-Z]{2,}\b")  # "the NRA", "BP"
_PERSON_NOUNS = {"man": "he", "boy": "he", "woman": "she", "girl": "she"}


def antecedent(
    phrase: Speaker, index: int, persons: Sequence[tuple[int, Speaker]], bodies: Sequence[tuple[int, Speaker]],
    gender: dict[str, str], known: dict[str, Speaker],
) -> Speaker | None:  # fmt: skip
    """Who a definite description in speaker position points back to, within two sentences: "the man" or
    "the woman" to the nearest person (of that pronoun), "the group" to the nearest named body, a
    title ("the committee chairman") to the one named person in speaker position there."""
    words = phrase.name.lower().split()
    if words[-1] in ANAPHORIC_BODIES:
        return next((b for at, b in reversed(bodies) if index - at <= ANAPHOR_REACH), None)
    pronoun = _PERSON_NOUNS.get(words[-1]) if len(words) == 2 else None
    if pronoun is None and words[-1] not in TITLE_WORDS:
        return None
    near = {p.name for at, p in persons if index - at <= ANAPHOR_REACH and p.person}
    if pronoun is None and len(near) > 1:
        return None  # two people in speaker position: "the prime minister" could be either
    for at, person in reversed(persons):
        if index - at > ANAPHOR_REACH:
            return None
        role = person.role or known.get(person.name.split()[-1], person).role
        if role and pronoun is None and role.split()[-1].lower() != words[-1]:
            continue  # "the prosecutor" is not the defence attorney named before
        if person.person and (pronoun is None or gender.setdefault(person.name, pronoun) == pronoun):
            title = " ".join(phrase.name.split()[1:]) if pronoun is None else ""
            return Speaker(person.name, person.role or title, True)
        if pronoun is not None and not person.person:
            return person  # "A neighbor … said he …" then "the man said": the neighbor
    return None


def titled_before(phrase: Speaker, before: str) -> Speaker | None:
    """The last person the text before names with the title of a definite role phrase ("the mayor"
    -> "Mayor Vincent Gray"), a title word only."""
    head = phrase.name.split()[-1].lower()
    if head not in TITLE_WORDS or len(head) < 3 or not before:
        return None
    lowered, at = before.lower(), len(before)
    for _ in range(MENTIONS):
        at = lowered.rfind(head, 0, at)
        if at < 0:
            return None
        found = _FULL_NAME.match(before, at + len(head)) if at == 0 or not before[at - 1].isalnum() else None
        name = _strip_title(found.group("who").split()) if found else []
        if len(name) >= 2:
            return Speaker(" ".join(name), head, True)
    return None


def titled_after(phrase: Speaker, after: str) -> Speaker | None:
    """The person the next lines name with the title of a definite role phrase ('… ," the president
    said. President Donald Trump and …'), within ``AFTER_CHARS``."""
    head = phrase.name.split()[-1].lower()
    if head not in TITLE_WORDS or len(head) < 3 or not after:
        return None
    window = after[:AFTER_CHARS]
    at = window.lower().find(head)
    while at >= 0:
        found = _FULL_NAME.match(window, at + len(head)) if at == 0 or not window[at - 1].isalnum() else None
        name = _strip_title(found.group("who").split()) if found else []
        if len(name) >= 2:
            return Speaker(" ".join(name), head, True)
        at = window.lower().find(head, at + len(head))
    return None


AFTER_CHARS = 300  # how far after a quote its speaker's name may come ("the president" then "President Trump")
MENTIONS = 6  # mentions of a name or title read for its fullest form
_FULL_NAME = re.compile(r"\s+(?P<who>(?:[A-Z][\w’'\-]+\.?\s+){1,2}[A-Z][\w’'\-]+)")


def holder(role: Speaker, roles: dict[str, str], known: dict[str, Speaker]) -> Speaker | None:
    """The person named earlier with the role a definite role phrase gives ("the mayor" -> Gray)."""
    head = role.name.split()[-1].lower()
    for name, title in reversed(list(roles.items())):
        if title and title.split()[-1].lower() == head:
            return known.get(name.split()[-1], Speaker(name, title, True))
    return None


def remember(speaker: Speaker, known: dict[str, Speaker], roles: dict[str, str]) -> None:
    surname = speaker.name.split()[-1]
    if len(speaker.name) >= len(known.get(surname, Speaker("")).name):
        known[surname] = speaker
    if speaker.role:
        roles.setdefault(speaker.name, speaker.role)
