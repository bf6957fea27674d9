"""Direct quotes with their speaker and the speaker's role.

A quote is the text between a pair of quotation marks; one running over several sentences (or
split by its attribution: '"…," he said, "…"') is one quote.  Short spans count only where
speech is reported around them, and titles, names and credit lines are left out.  The speaker
is found by where news puts it: after the quote ('…," Powell said.' / '…," said Powell'),
before it ('Powell said: "…"', 'the Fed chair told reporters "…"'), "according to …", the
subject of a reporting verb in reported speech ('Powell said the economy was "in a good
place"'), the subject of a sentence ending in a colon just before, or a quote right after one
by the same speaker.  A pronoun is the nearest person named in speaker position before it (the
speaker of an earlier quote or a sentence's subject), never any person in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.models import Entity, Quote, Sentence, Span
from newsfuse.stages.extract.marks import Part, bare, quote_words, quoted_parts
from newsfuse.stages.extract.referents import (
    ANAPHOR_REACH,
    NAMED_BODY,
    PRONOUN_REACH,
    antecedent,
    fullest,
    holder,
    remember,
    resolve,
    titled_after,
    titled_before,
)
from newsfuse.stages.extract.speakers import AGENT as _AGENT
from newsfuse.stages.extract.speakers import (
    MAX_SPEAKER_WORDS,
)
from newsfuse.stages.extract.speakers import Speaker as _Speaker
from newsfuse.stages.extract.speakers import can_be_referent as _can_be_referent
from newsfuse.stages.extract.speakers import is_credit as _credit
from newsfuse.stages.extract.speakers import parse_speaker as _parse_speaker
from newsfuse.stages.extract.speakers import trim as _trim
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
    SMALL as _SMALL,
)
from newsfuse.stages.extract.speech_words import (
    TITLE_BEFORE as _TITLE_BEFORE,
)
from newsfuse.stages.extract.speech_words import (
    TITLE_WORDS as _TITLE_WORDS,
)
from newsfuse.stages.extract.speech_words import (
    VERB as _VERB,
)

__all__ = ["quote_words", "tag_quotes"]

_STOP = re.compile(r"[“”\".;:!?]")
_BOUNDARY_WORDS = frozenset(
    ["that", "and", "but", "because", "which", "who", "when", "while", "as", "if", "so", "where", "then", "what"]
)
_PRONOUN_AFTER = re.compile(r"\s*(?:he|she|they|we|I)\b")


def _verbs(text: str) -> list[re.Match[str]]:
    """The reporting verbs in ``text``, in order."""
    return list(_VERB.finditer(text))


_TOKENS = re.compile(r"\S+")


def _last_boundary(head: str) -> tuple[int, int, str] | None:
    """The last clause boundary in ``head`` (start, end, word): punctuation, a conjunction or relative
    pronoun; a comma opening an apposition ("Ben Smith, the editor, said") is not one."""
    tokens = list(_TOKENS.finditer(head))
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        word = token.group()
        if word.lower().strip("“”\"'") in _BOUNDARY_WORDS:
            return token.start(), token.end(), word.lower()
        if word in ("-", "—", "–") or word[-1] in ";:(—–":
            return token.end() - (0 if word[-1] != "(" else 0), token.end(), word[-1]
        if word[0] == "(":
            return token.start() + 1, token.start() + 1, "("
        if word.endswith(","):
            rest = head[token.end() :]
            apposition = len(rest.split(",", 1)[0].split()) <= 12 and not _PRONOUN_AFTER.match(rest)
            if not apposition:
                return token.end(), token.end(), ","
    return None


_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:“”\"]{2,80})")
_DOTTED = re.compile(r"\b([A-Z][a-z]{0,4}|[A-Z])\.(?=\s|[A-Z]\.)")  # "Det. Eloi", "Cmdr. Alder", "H. R.", "U.S."
_ASIDE = re.compile(r"\s?\([^()“”\"]{1,40}\)|\s?-LRB- [^“”\"]{1,40}? -RRB-")  # "Nancy Pelosi (D-Calif.) said"


def _plain(line: str) -> str:
    """``line`` with abbreviation dots and short asides blanked, so a speaker phrase reads as one
    (the same length: offsets into it stay those of the sentence)."""
    if "(" in line or "-LRB-" in line:
        line = _ASIDE.sub(lambda m: " " * len(m.group()), line)
    return _DOTTED.sub(r"\1 ", line) if line.find(".", 0, len(line) - 1) >= 0 else line


_NAMED_AS = frozenset(["dubbed", "nicknamed", "known as", "named", "called the"])
NAME_WORDS = 5  # a span this short after "called the" or "known as" is a name, a longer one speech
_LAST_WORDS = re.compile(r"[a-z]+")
_URL = re.compile(r"https?://|www\.|\.com\b|@\w")
_LINK = re.compile(r"https?://|www\.")  # in a longer span: a tweet may name @someone, a link is not speech
TWEET_WORDS = 8  # a span this long with an @name or a .com in it is a post quoted, not an address
MIN_WORDS = 4  # a span this long counts as a quote without a reporting verb around it
FINAL_WORDS = 10  # a sentence's closing ", she said." clause is at most this long
ATTRIBUTION_WORDS = 20  # a sentence this short after a bare quote may be its attribution line
_QUOTE_MARK = re.compile(r"[“”\"]|``")
HEAD_CHARS = 300  # a subject is within this many characters before its verb
VERBS_TRIED = 2  # reporting verbs tried from the quote backwards
_SAID = re.compile(r"\b(?:said|says|told|added)\b")  # the verbs that put a person in speaker position


def _is_title(words: list[str]) -> bool:
    """Title case throughout ("The Late Show", "New York Times"): a name or a work, not speech."""
    if len(words) > 10:
        return False
    long = [w for w in words if w.lower() not in _SMALL]
    return bool(long) and all(w[0].isupper() or w[0].isdigit() for w in long)


_INVERTED_COLON = re.compile(r"\s+(?P<who>[^.;:“”\"]{2,80})")


def _subject_before(text: str, people: Sequence[str]) -> _Speaker | None:
    """The subject of the last reporting verb in ``text`` ('Powell said the economy was ')."""
    text = text[-HEAD_CHARS:]
    verbs = _verbs(text)
    for verb in verbs[: -VERBS_TRIED - 1 : -1]:
        if verb.group().endswith("ing"):  # "…, saying": the subject of the main clause
            found = _named_subject(text[: verb.start()], people)
            if found is not None:
                return found
            continue
        head = _trim(text[: verb.start()].rstrip(" ,"))
        while True:
            boundary = _last_boundary(head)
            start = boundary[1] if boundary else 0
            segment = _trim(head[start:].strip(" ,"))
            found = _parse_speaker(segment, people)
            if found is None and not segment and start > 0:
                found = _sentence_subject(text, people)  # "Summers appeared on CNN and commented:"
            if found is not None:
                return found
            if boundary is None or boundary[2] not in ("who", "which"):
                break
            head = head[: boundary[0]]  # "Pelosi, who is in line …, said": the one before
        after = _INVERTED_COLON.match(text, verb.end())  # inverted: 'said Powell:'
        if after and text[verb.end() :].strip().endswith((":", ",")):
            found = _parse_speaker(after.group("who"), people)
            if found is not None and (found.person or found.name in _PRONOUNS):
                return found
    return None


_NAMED = re.compile(
    r"(?:^|(?<=[\s,]))(?P<who>(?:[A-Z][\w.’'\-]*\s+){0,4}[A-Z][\w’'\-]+)(?:,[^,]{1,60},)?\s+(?!of\b|and\b)[a-z]"
)


_NOT_BEFORE_SUBJECT = _PREPOSITIONS - {"from", "by"}  # "the article from Lisa Rein claims": its writer


def _named_subject(head: str, people: Sequence[str]) -> _Speaker | None:
    """The first named person followed by a verb in a clause ("In tweets, Mr Trump seemed to …")."""
    found = _titled(head, people) or _sentence_subject(head, people)
    if found is not None:
        return found
    for m in _NAMED.finditer(head):
        who = m.group("who")
        prior = head[max(0, m.start() - 12) : m.start()].split()[-1:]
        if (
            who.split()[0].lower() in _OPENERS
            or who.endswith(("’s", "'s"))
            or prior
            and prior[0] in _NOT_BEFORE_SUBJECT
        ):
            continue  # "Grimm's first campaign", "an ally of President Trump", "in Charlottesville": not a subject
        found = _titled(head[m.start() :], people) or _parse_speaker(who, people)  # "Swedish activist Greta …"
        if found is not None and found.person:
            return found
    return None


_REPORTED = re.compile(r"[\s,]*(?:the\s+)?[A-Z][^.;:“”\"]{0,60}\s(?:reported|reports)\b")  # an outlet as source
_DEFINITE = re.compile(r"(?:[Tt]he |[A-Z][\w.-]* ?(?:’s|'s) )")  # "the president", "Senegal's president"
_NAME_COLON = re.compile(r"\s*(?P<who>(?:[A-Z][\w.’'\-]+\s+){1,3}[A-Z][\w’'\-]+)\s*:\s*$")  # 'Kofi Annan: "…"'
SPEAKER_SPACES = 20  # a longer stretch before a reporting verb is a clause, not who said it
_INVERTED = re.compile(r"\s+(?P<who>[^“”\".;:!?(]{1,120})")
_CLAUSE_AFTER = re.compile(r"\s+(?:in|on|at|during|after|before|when|to|of|from|about|while|as)\s+")
_AFTER_INVERTED = re.compile(r",?\s+(?:who|which|that|[a-z]+ing)\b")  # "said a fighter waiting to fill up"


def _speaker_after(text: str, people: Sequence[str]) -> _Speaker | None:
    """The speaker right after a quote: '," Powell said', '," said Jerome Powell, the Fed chair'."""
    lead = len(text) - len(text.lstrip(" \t,.!?—–-"))
    first = _VERB.search(text, lead, lead + 160)
    if first is None:
        return None
    who = text[lead : first.start()]
    if who.strip():
        if who.count(" ") > SPEAKER_SPACES or _STOP.search(who) or not who[-1:].isspace():
            return None
        return _parse_speaker(who, people)
    rest = _INVERTED.match(text, first.end())  # inverted: "said Powell"
    if rest is None:
        return None
    who = _AFTER_INVERTED.split(_CLAUSE_AFTER.split(rest.group("who"), 1)[0], 1)[0]
    found = _parse_speaker(who, people)
    if found is not None and (found.person or found.name in _PRONOUNS or len(who.split()) <= 6):
        return found
    return None


_SUBJECT = re.compile(
    r"^[\s“\"']*(?P<who>(?:[A-Z][\w.’'\-]*\s+){0,5}[A-Z][\w’'\-]+)(?:\s?,[^,“”\"]{1,80}){0,2}?\s?,?\s+(?P<next>[a-z]\w*)"
)  # "Victoria Austin, 61, a priest at the Zen Center, put up …"


_LEAD_WORD = re.compile(
    r"^[\s“\"']*(?:(?:But|And|Yet|Still|However|Meanwhile|Then|Now|Also|Later|So),?\s+|"
    r"(?:On|In|Inside|Outside|At|After|Before|During|Last|Earlier|Since|Speaking|Asked)\b[^,“”\"]{1,60},\s+)"
)  # "On Saturday morning, Victoria Austin …": the subject after an opening word or phrase
_ROLE_NAME = re.compile(
    r"^[\s“\"']*(?P<who>(?:[A-Z][\w.’'\-]*\s+){1,3}(?:[a-z][\w’'\-]*\s+){1,2}(?:[A-Z][\w.’'\-]*\s+){0,3}"
    r"[A-Z][\w’'\-]+),?\s+(?P<next>[a-z]\w*)"
)  # "Community activist Kevin Orange was …", "Swedish activist Greta Thunberg joined …"


def _titled(text: str, people: Sequence[str]) -> _Speaker | None:
    """A person named with a lower-case role before the name ("Community activist Kevin Orange")."""
    m = _ROLE_NAME.match(text)
    if m is None:
        return None
    roles = [t for t in m.group("who").split() if t[0].islower()]
    if not all(t.lower() in _TITLE_WORDS or t.lower() in _ROLE_NOUNS or _AGENT.search(t) for t in roles):
        return None
    found = _parse_speaker(m.group("who"), people)
    return found if found is not None and found.person else None


def _sentence_subject(text: str, people: Sequence[str]) -> _Speaker | None:
    """The named person a sentence opens with as its subject ("Johnson said she …")."""
    text = _LEAD_WORD.sub("", text, count=1)
    found = _titled(text, people)
    if found is not None:
        return found
    m = _SUBJECT.match(text)
    if m is None or m.group("next") in ("of", "and", "or", "which") or m.group("next") in _PREPOSITIONS:
        return None
    first = m.group("who").split()[0].lower()
    if first in _OPENERS or first.endswith("ing") or m.group("who").endswith(("’s", "'s")):
        return None
    found = _parse_speaker(m.group("who"), people)
    return found if found is not None and found.person else None


def _people_in(sentence: Sentence, entities: Sequence[Entity]) -> list[str]:
    return [e.span.text for e in entities if e.span.sentence == sentence.index and e.label == "PERSON"]


def _is_speech(part: Part, before: str, after: str, credit: bool) -> bool:
    body, words = part.body, part.words
    linked = "@" in body or "www" in body or "http" in body or ".com" in body
    last = _LAST_WORDS.findall(before[-30:].lower())
    if (
        not words
        or credit
        or linked
        and (_URL if len(words) < TWEET_WORDS else _LINK).search(body)
        or last[-1:]
        and last[-1] in _TITLE_BEFORE
    ):
        return False
    if len(words) <= NAME_WORDS and last and (last[-1] in _NAMED_AS or " ".join(last[-2:]) in _NAMED_AS):
        return False  # 'a group called the "Proud Boys"', not 'what he called the "failed states of …"'
    if len(words) >= 2 and _is_title(body.split(None, 11)):
        return False
    if len(words) >= MIN_WORDS:
        return True
    near = before[-120:] + " " + after[:80]
    return bool(_verbs(near) or _ACCORDING.search(near))


def tag_quotes(sentences: Sequence[Sentence], entities: Sequence[Entity], text: str = "") -> tuple[Quote, ...]:
    """Direct quotes, each with the best speaker found (empty when the text names none)."""
    parts = quoted_parts(sentences, text)
    if not parts:
        return ()
    groups: list[list[Part]] = []
    for part in parts:
        if groups and (part.continued or _fragment_of(groups[-1][-1], part)):
            groups[-1].append(part)
        else:
            groups.append([part])
    by_sentence: dict[int, list[Part]] = {}
    place: dict[int, int] = {}  # id(part) -> its position among its sentence's parts
    for part in parts:
        siblings = by_sentence.setdefault(part.sentence.index, [])
        place[id(part)] = len(siblings)
        siblings.append(part)
    plain: dict[int, str] = {}  # sentence index -> _plain(text)
    found: list[tuple[list[Part], _Speaker | None, bool]] = []
    persons: list[tuple[int, _Speaker]] = []  # (sentence, person) in speaker position, in text order
    gender: dict[str, str] = {}  # name -> the pronoun already resolved to it
    bodies: list[tuple[int, _Speaker]] = []  # (sentence, named body) in speaker position
    previous: tuple[int, _Speaker | None] = (-9, None)  # the last quote's sentence and speaker
    scanned: set[int] = set()
    spoken = {p.sentence.index for p in parts if p.begin <= 1}  # sentences read for their speaker, not subject
    known: dict[str, _Speaker] = {}  # surname -> the fullest form of the name seen so far
    roles: dict[str, str] = {}  # full name -> role
    group_of = {id(p): i for i, g in enumerate(groups) for p in g}

    def scan(upto: int, reach: int = PRONOUN_REACH) -> None:
        """People named as subjects in the sentences before ``upto`` a pronoun may reach (read
        only when one is needed: most quotes name their speaker)."""
        start = max(upto - reach, 0)
        fresh = [s for s in sentences[start:upto] if s.index not in scanned and s.index not in spoken]
        for s in fresh:
            scanned.add(s.index)
            people = _people_in(s, entities)
            said = _subject_before(s.text, people) if _SAID.search(s.text) else None
            subject = said if said is not None and _can_be_referent(said) else _sentence_subject(s.text, people)
            if subject is not None and not _credit(s.text):
                persons.append((s.index, subject))
                remember(subject, known, roles)
        if fresh:
            persons.sort(key=lambda p: p[0])

    for group in groups:
        speaker: _Speaker | None = None
        speech = told_before = inherited = False
        for part in group:
            line = plain.get(part.sentence.index) or plain.setdefault(part.sentence.index, _plain(part.sentence.text))
            siblings = by_sentence[part.sentence.index]
            at = place[id(part)]
            before = line[siblings[at - 1].end if at > 0 else 0 : part.begin]
            after = line[part.end : siblings[at + 1].begin if at + 1 < len(siblings) else len(line)]
            credit = _credit(line[: part.begin])
            speech = speech or _is_speech(part, line[: part.begin], after, credit)
            if not speech and len(group) == 1 and not (len(part.words) < MIN_WORDS and bare(group)):
                break  # a title, name or scare quote: dropped below, so no speaker is looked for
            if speaker is not None:
                continue
            people = _people_in(part.sentence, entities)
            speaker = _speaker_after(after, people) if not part.continued or at == 0 else None
            if speaker is not None and not speaker.person and _REPORTED.match(after):
                speaker = _subject_before(before, people) or speaker  # 'Gibson described him as a "…," AP reported'
            if speaker is None and at == len(siblings) - 1 and line.find(",", part.end) > 0:
                tail = line[line.rfind(",", part.end) :]  # '… is “crowding out” seasonal flu, she said.'
                speaker = _speaker_after(tail, people) if tail.count(" ") <= FINAL_WORDS else None
            if speaker is None and (at == 0 or group_of[id(siblings[at - 1])] != group_of[id(part)]):
                speaker = _subject_before(before, people) if before.strip() else None
                told_before = speaker is not None
            if speaker is None:
                according = (
                    _ACCORDING.search(line[: part.begin] + " " + line[part.end :]) if "ccording" in line else None
                )
                speaker = _parse_speaker(according.group("who"), people) if according else None
            colon = _NAME_COLON.match(before) if speaker is None and before.rstrip().endswith(":") else None
            if colon is not None and colon.group("who").split()[0].lower() not in _OPENERS:
                named = _parse_speaker(colon.group("who"), people)
                speaker = named if named is not None and named.person and " " in named.name else None
            if speaker is None and at > 0 and previous[0] == part.sentence.index:
                speaker = previous[1]  # '… “in self-defense” and “aimed only to …”': the same speaker
                inherited = True
        direct = speaker is not None and speaker.name not in _PRONOUNS and not inherited
        short = sum(len(p.words) for p in group) < MIN_WORDS
        if not speech and not (short and bare(group)):
            continue
        sentence = group[0].sentence
        group_end = group[-1].sentence.index
        if speaker is None and sentence.index > 0 and group[0].begin <= 1:
            prior = sentences[sentence.index - 1]
            if prior.text.rstrip().endswith(":") and '"' not in prior.text and "“" not in prior.text:
                speaker = _subject_before(prior.text, _people_in(prior, entities))
            elif previous[0] == sentence.index - 1 and bare(group):
                speaker = previous[1]  # a bare quote right after one by a named speaker: the same speaker
            elif bare(group) and _SAID.search(prior.text):
                scan(sentence.index, 1)
                if persons and persons[-1][0] == sentence.index - 1:
                    speaker = persons[-1][1]  # 'Hayes says she grabbed the children. “When everything stopped …”'
        last = group[-1].sentence
        if speaker is None and bare(group) and last.index + 1 < len(sentences):
            following = sentences[last.index + 1]  # '“…!” / Mr. Calderón told CNBC.'
            brief = following.text.count(" ") < ATTRIBUTION_WORDS
            speaker = _speaker_after(_plain(following.text), []) if brief else None
            if speaker is not None:
                group_end = following.index  # the next bare quote continues after this line
        if speaker is not None and speaker.name in _PRONOUNS:  # 'Smith said he …': the sentence's own subject
            before_quote, people = sentence.text[: group[0].begin], _people_in(sentence, entities)
            pronoun = re.search(rf"\b{speaker.name}\b", before_quote, re.IGNORECASE)
            before_quote = before_quote[: pronoun.start()] if pronoun else before_quote  # only who comes before it
            if told_before:
                own = _named_subject(before_quote, people)
            else:  # 'Smith said he …'; a lone capitalised word is a name only beside a reporting verb
                own = _sentence_subject(before_quote, people)
                if own is not None and " " not in own.name and own.name not in people and not _verbs(before_quote):
                    own = None
            for back in range(1, PRONOUN_REACH + 1 if own is None else 0):  # nearest sentences first
                scan(sentence.index, back)
                if any(at >= sentence.index - back and gender.get(p.name, speaker.name) == speaker.name
                       for at, p in persons):  # fmt: skip
                    break
            speaker = own or resolve(speaker.name, sentence.index, persons, gender)
        if speaker is not None and not speaker.person and _DEFINITE.match(speaker.name):
            scan(sentence.index, ANAPHOR_REACH)
            speaker = (
                holder(speaker, roles, known)  # "the prime minister" named earlier with that title
                or titled_before(speaker, text[: sentence.start])  # "Mayor Vincent Gray" earlier
                or antecedent(speaker, sentence.index, persons, bodies, gender, known)  # "the man", "the group"
                or titled_after(speaker, text[sentence.end :])  # "President Donald Trump" in the next lines
                or speaker
            )
        if speaker is not None and not speaker.person and NAMED_BODY.search(speaker.name):
            bodies.append((sentence.index, speaker))  # "the NRA said …" then "the group called it …"
        if speaker is not None and not speaker.person and _can_be_referent(speaker):
            persons.append((sentence.index, speaker))  # "the president said …" then "he added"
            spoken.add(sentence.index)
        if speaker is not None and speaker.person:
            speaker = known.get(speaker.name.split()[-1], speaker) if " " not in speaker.name else speaker
            if not speaker.role and speaker.name in roles:
                speaker = _Speaker(speaker.name, roles[speaker.name], True)
            persons.append((sentence.index, speaker))
            spoken.add(sentence.index)
            remember(speaker, known, roles)
        if short and speaker is None:
            continue  # a short span counts only with a speaker: otherwise a term or scare quote
        previous = (group_end, speaker)
        found.append((group, speaker, direct))
    forms: dict[str, _Speaker] = {}
    return tuple(_quote(group, fullest(speaker, text, forms), direct) for group, speaker, direct in found)


def _fragment_of(earlier: Part, part: Part) -> bool:
    """'"It was a long day," she said, "but we got through it."': one quote split by its attribution."""
    if earlier.sentence.index != part.sentence.index or not part.body[:1].islower():
        return False
    between = part.sentence.text[earlier.end : part.begin]
    return len(between.split()) <= MAX_SPEAKER_WORDS and bool(_verbs(between))


def _quote(group: Sequence[Part], speaker: _Speaker | None, direct: bool) -> Quote:
    first, last = group[0], group[-1]
    start, end = first.sentence.start + first.begin, last.sentence.start + last.end
    body = " ".join(p.body.strip() for p in group).strip()
    return Quote(
        Span(first.sentence.index, start, end, body),
        speaker.name if speaker else "",
        tuple(w for p in group for w in p.words),
        speaker.role if speaker else "",
        direct,
    )
