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
from dataclasses import dataclass

from newsfuse.models import Entity, Quote, Sentence, Span

_QUOTE = re.compile(r"“(?P<a>[^”]{1,1500})”|\"(?P<b>[^\"]{1,1500})\"|``\s?(?P<c>.{1,1500}?)\s?''")
_WORD = re.compile(r"\w+")
_VERB_WORDS = (
    "said|says|say|added|adds|told|tells|stated|states|noted|notes|warned|warns|wrote|writes|declared|"
    "explained|explains|asked|asks|replied|continued|recalled|recalls|commented|argued|argues|insisted|"
    "claimed|claims|announced|acknowledged|admitted|testified|tweeted|posted|urged|vowed|called|calls|"
    "described|describes|concluded|responded|remarked|cautioned|stressed|emphasized|emphasised|observed|"
    "conceded|predicted|promised|recounted|shouted|yelled|texted|pleaded|maintained|confirmed|denied|"
    "reiterated|opined|quipped|joked|mused|sobbed|cried|exclaimed|whispered|screamed|insists|saying|adding|"
    "explaining|noting|warning|telling|writing|stressing|calling|describing|arguing|insisting"
)
_VERB = re.compile(rf"\b(?:{_VERB_WORDS})\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:“”\"]{2,80})")
# a clause boundary before a subject: the subject is what follows the last one before the verb
_BOUNDARY = re.compile(r"(?:^|[,;:(—–]|\s-\s|\b(?:that|and|but|because|which|who|when|while|as|if|so|where)\b)")
_TRAILING = re.compile(
    r"(?:\s+(?:also|later|previously|then|recently|has|had|have|would|will|once|further|again|just|"
    r"reportedly|publicly|earlier|repeatedly|simply|quickly|first|herself|himself|themselves|"
    r"has also|had also|would later))+$"
)
_PRONOUNS = frozenset({"he", "she"})
_NOBODY = frozenset({"i", "we", "you", "they", "it", "this", "that", "who", "which", "one", "there"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx"})
_TITLE_WORDS = frozenset(
    "president vice secretary minister prime foreign defense defence general gen sen senator rep representative "
    "gov governor mayor chief chair chairman chairwoman fed police det detective officer sgt sergeant lt "
    "lieutenant capt captain cpl corporal deputy sheriff attorney judge justice prosecutor spokesman spokeswoman "
    "spokesperson commissioner director superintendent supt pastor rev reverend father coach professor prof dean "
    "ambassador king queen prince princess pope premier chancellor speaker leader commander admiral col colonel "
    "maj major trooper agent inspector constable lord councilman councilwoman councillor alderman assemblyman "
    "treasury state interior health homeland security national army navy executive ceo founder official "
    "economist analyst pres sec gov. assistant acting former ex pc dc ds di mp mep u.s. us uk un eu nato".split()
)
_BODIES = frozenset(
    "house department office police ministry agency news times post service council committee court bureau "
    "commission association union party government administration company inc corp university hospital center "
    "centre network cnn bbc reuters ap afp pentagon kremlin fbi cia nato un eu media press group".split()
)  # a name ending in one of these is a body, not a person a pronoun can point to
_ABBREVIATIONS = {"det": "detective", "sgt": "sergeant", "lt": "lieutenant", "capt": "captain", "gen": "general",
                  "sen": "senator", "rep": "representative", "gov": "governor", "supt": "superintendent",
                  "col": "colonel", "maj": "major", "cpl": "corporal", "rev": "reverend", "prof": "professor"}  # fmt: skip
_DOTTED = re.compile(r"\b(Det|Sgt|Lt|Capt|Gen|Sen|Rep|Gov|Supt|Col|Maj|Cpl|Rev|Prof|Dr|Mr|Mrs|Ms|St|Jr|Sr|[A-Z])\.(?=\s)")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w’'\-]*|[A-Z]\.|(?:de|van|von|al|bin|da|del|la|le)(?:-\w+)?|Jr\.?|Sr\.?)$")
_CREDIT = re.compile(
    r"(?:^|\b)(?:Photo|Photos|Image|Images|Picture|Credit|Caption|Video|Illustration|File photo)s?\s*(?:by)?\s*:"
    r"|/\s*(?:Getty|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg)|\bGetty Images\b|\(AP Photo|^By\s+[A-Z]",
)
_NOT_QUOTE_BEFORE = re.compile(
    r"\b(?:titled|entitled|dubbed|nicknamed|known as|named|called the|book|film|movie|show|song|album|novel|"
    r"series|program|programme|documentary|newspaper|magazine|podcast|headline|hashtag|slogan)\s*$",
    re.IGNORECASE,
)
_SMALL = frozenset("a an and the of in on at to for by with from or but is are was be as vs".split())
_URL = re.compile(r"https?://|www\.|\.com\b|@\w")
MIN_WORDS = 4  # a span this long counts as a quote without a reporting verb around it
MAX_SPEAKER_WORDS = 8  # a longer "subject" is a clause, not a speaker


def quote_words(text: str) -> tuple[str, ...]:
    """Lower-case words of a quote, for matching the same words across outlets."""
    return tuple(w.lower() for w in _WORD.findall(text))


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str  # as written: "Jerome Powell", "police", "a senior official"; "he" / "she" before resolving
    role: str = ""
    person: bool = False  # a named person (a pronoun's antecedent), not a role or body


@dataclass(frozen=True, slots=True)
class _Part:
    sentence: Sentence
    begin: int  # offsets in the sentence, marks included
    end: int
    body: str
    continued: bool  # continues a quote opened in an earlier sentence


_OPEN = re.compile(r"“|``|(?:^|(?<=[\s(\[—-]))\"(?=\w)")  # a straight quote opens before a word
_CLOSE = re.compile(r"”|''|\"")


def _quoted_parts(sentences: Sequence[Sentence], text: str) -> list[_Part]:
    """Every quoted stretch, sentence by sentence (a paragraph break without a closing mark ends
    a quote, as a new paragraph reopens it)."""
    parts: list[_Part] = []
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
            parts.append(_Part(sentence, 0, close.end() if close else len(line), line[:end], True))
            if close is None:
                continue
            position, open_quote = close.end(), False
        if "“" not in line and '"' not in line and "``" not in line:
            continue
        last = position
        for m in _QUOTE.finditer(line, position):
            parts.append(_Part(sentence, m.start(), m.end(), m.group("a") or m.group("b") or m.group("c") or "", False))
            last = m.end()
        opening = _OPEN.search(line, last)
        if opening is not None and _CLOSE.search(line, opening.end()) is None:
            parts.append(_Part(sentence, opening.start(), len(line), line[opening.end() :], False))
            open_quote = True
    return parts


def _is_title(words: list[str]) -> bool:
    """Title case throughout ("The Late Show", "New York Times"): a name or a work, not speech."""
    long = [w for w in words if w.lower() not in _SMALL]
    return bool(long) and all(w[0].isupper() or w[0].isdigit() for w in long) and len(words) <= 10


def _parse_speaker(phrase: str, people: Sequence[str]) -> _Speaker | None:
    """The speaker a subject phrase names: a name with the title before it or the role after a comma,
    a pronoun, or a role / body as written."""
    phrase = _TRAILING.sub("", phrase.strip(" \t,.;:—–-“”\"'’(")).strip()
    if not phrase or _CREDIT.search(phrase) or "/" in phrase:
        return None
    role = ""
    if "," in phrase:
        phrase, role = (p.strip() for p in phrase.split(",", 1))
        role = re.sub(r"^(?:the|a|an)\s+", "", role)
    tokens = phrase.split()
    if not tokens or len(tokens) > MAX_SPEAKER_WORDS:
        return None
    low = tokens[0].lower()
    if len(tokens) == 1 and low in _PRONOUNS:
        return _Speaker(low)
    if low in _NOBODY or not tokens[0][0].isalpha():
        return None
    if low in ("the", "a", "an", "his", "her", "their", "its", "one", "two", "three", "several", "many") or (
        tokens[0][0].islower()
    ):
        return _Speaker(phrase, role)  # a role or body as the text gives it
    for name in people:  # a person the model found inside the phrase: the rest before it is the title
        at = phrase.find(name)
        if at >= 0:
            title = phrase[:at].strip()
            return _Speaker(_strip_honorific(name), _role(title) or role, True)
    cut = len(tokens)
    while cut > 0 and _NAME_TOKEN.match(tokens[cut - 1]) and tokens[cut - 1].lower().rstrip(".") not in _TITLE_WORDS:
        cut -= 1
    name_tokens = tokens[cut:]
    if not name_tokens:  # ends in a title or role word: "Police", "the Pentagon spokesman"
        return _Speaker(phrase, role) if tokens[-1].lower().rstrip(".") in _TITLE_WORDS else None
    if cut > 0 and any(not _NAME_TOKEN.match(t) and t not in ("of", "the", "for", "and") for t in tokens[:cut]):
        return _Speaker(phrase, role)  # "his lawyer Ann Lee"-like phrases stay as written
    person = name_tokens[-1].lower() not in _BODIES
    return _Speaker(" ".join(name_tokens), _role(" ".join(tokens[:cut])) or role, person)


def _strip_honorific(name: str) -> str:
    tokens = name.split()
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in _HONORIFICS | _TITLE_WORDS:
        tokens = tokens[1:]
    return " ".join(tokens)


def _role(title: str) -> str:
    tokens = [t for t in title.split() if t.lower().rstrip(".") not in _HONORIFICS]
    return " ".join(_ABBREVIATIONS.get(t.lower().rstrip("."), t) for t in tokens)


def _subject_before(text: str, people: Sequence[str]) -> _Speaker | None:
    """The subject of the last reporting verb in ``text`` ('Powell said the economy was ')."""
    verbs = list(_VERB.finditer(text))
    for verb in reversed(verbs):
        head = text[: verb.start()]
        boundaries = list(_BOUNDARY.finditer(head))
        start = boundaries[-1].end() if boundaries else 0
        found = _parse_speaker(head[start:], people)
        if found is None and not head[start:].strip() and start > 0:
            found = _sentence_subject(text, people)  # "Summers appeared on CNN and commented:"
        if found is not None:
            return found
        after = re.match(r"\s+(?P<who>[^,.;:“”\"]{2,80})", text[verb.end() :])  # inverted: 'said Powell:'
        if after and text[verb.end() :].strip().endswith((":", ",")):
            found = _parse_speaker(after.group("who"), people)
            if found is not None and (found.person or found.name in _PRONOUNS):
                return found
    return None


def _speaker_after(text: str, people: Sequence[str]) -> _Speaker | None:
    """The speaker right after a quote: '," Powell said', '," said Jerome Powell, the Fed chair'."""
    m = re.match(rf"^[\s,.!?—–-]*(?P<who>[^“”\".;:!?]{{1,90}}?)\s+(?:{_VERB_WORDS})\b", text)
    if m and len(m.group("who").split()) <= MAX_SPEAKER_WORDS:
        found = _parse_speaker(m.group("who"), people)
        if found is not None:
            return found
    m = re.match(rf"^[\s,.!?—–-]*(?:{_VERB_WORDS})\s+(?P<who>[^“”\".;:!?(]{{1,120}})", text)
    if m:
        who = re.split(r"\s+(?:in|on|at|during|after|before|when|to|of|from|about|while|as)\s+", m.group("who"))[0]
        who = re.split(r",\s*(?:who|which|adding|noting|saying)\b", who)[0]
        found = _parse_speaker(who, people)
        if found is not None and (found.person or found.name in _PRONOUNS or len(who.split()) <= 6):
            return found
    return None


_SUBJECT = re.compile(r"^[\s“\"']*(?P<who>(?:[A-Z][\w.’'\-]*\s+){0,5}[A-Z][\w’'\-]+)\s+(?P<next>[a-z]\w*)")


_OPENERS = frozenset(
    "the a an in on at after before during despite however meanwhile earlier later last yesterday today this "
    "that these those it he she they we i but and or so when while if as since until although though for from "
    "with without by to of there here what who why how where one some many most all no not according".split()
)  # words a sentence opens with that are not a person's name


def _sentence_subject(text: str, people: Sequence[str]) -> _Speaker | None:
    """The named person a sentence opens with as its subject ("Johnson said she …")."""
    m = _SUBJECT.match(text)
    if m is None or m.group("next") in ("of", "and", "or"):
        return None
    first = m.group("who").split()[0].lower()
    if first in _OPENERS or first.endswith("ing"):
        return None
    found = _parse_speaker(m.group("who"), people)
    return found if found is not None and found.person else None


def _people_in(sentence: Sentence, entities: Sequence[Entity]) -> list[str]:
    return [e.span.text for e in entities if e.span.sentence == sentence.index and e.label == "PERSON"]


def _is_speech(body: str, before: str, after: str, credit: bool) -> bool:
    words = _WORD.findall(body)
    if not words or credit or _URL.search(body) or _NOT_QUOTE_BEFORE.search(before):
        return False
    if len(words) >= 2 and _is_title(body.split()):
        return False
    if len(words) >= MIN_WORDS:
        return True
    near = before[-120:] + " " + after[:80]
    return bool(_VERB.search(near) or _ACCORDING.search(near)) and not (len(words) == 1 and words[0][0].isupper())


def tag_quotes(sentences: Sequence[Sentence], entities: Sequence[Entity], text: str = "") -> tuple[Quote, ...]:
    """Direct quotes, each with the best speaker found (empty when the text names none)."""
    parts = _quoted_parts(sentences, text)
    groups: list[list[_Part]] = []
    for part in parts:
        if groups and (part.continued or _fragment_of(groups[-1][-1], part)):
            groups[-1].append(part)
        else:
            groups.append([part])
    by_sentence: dict[int, list[_Part]] = {}
    for part in parts:
        by_sentence.setdefault(part.sentence.index, []).append(part)
    found: list[tuple[list[_Part], _Speaker | None]] = []
    last_person: _Speaker | None = None
    previous: tuple[int, _Speaker | None] = (-9, None)  # the last quote's sentence and speaker
    subjects_done = -1
    known: dict[str, _Speaker] = {}  # surname -> the fullest form of the name seen so far
    roles: dict[str, str] = {}  # full name -> role
    group_of = {id(p): i for i, g in enumerate(groups) for p in g}
    for group in groups:
        first = group[0].sentence.index
        for s in sentences[max(subjects_done, previous[0]) + 1 : first]:  # people named as subjects up to here
            subject = _sentence_subject(s.text, _people_in(s, entities))
            if subject is not None and not _CREDIT.search(s.text):
                last_person = subject
                _remember(subject, known, roles)
        subjects_done = max(subjects_done, first - 1)
        speaker: _Speaker | None = None
        speech = False
        for part in group:
            line = _DOTTED.sub(r"\1 ", part.sentence.text)  # "Det. Eloi" reads as one phrase; offsets kept
            siblings = by_sentence[part.sentence.index]
            at = next(i for i, p in enumerate(siblings) if p is part)
            before = line[siblings[at - 1].end if at > 0 else 0 : part.begin]
            after = line[part.end : siblings[at + 1].begin if at + 1 < len(siblings) else len(line)]
            credit = bool(_CREDIT.search(line[: part.begin]))
            speech = speech or _is_speech(part.body, before, after, credit)
            if speaker is not None:
                continue
            people = _people_in(part.sentence, entities)
            speaker = _speaker_after(after, people) if not part.continued or at == 0 else None
            if speaker is None and (at == 0 or group_of[id(siblings[at - 1])] != group_of[id(part)]):
                speaker = _subject_before(before, people) if before.strip() else None
            if speaker is None:
                according = _ACCORDING.search(line[: part.begin] + " " + line[part.end :])
                speaker = _parse_speaker(according.group("who"), people) if according else None
            if speaker is None and at > 0 and previous[0] == part.sentence.index:
                speaker = previous[1]  # '… “in self-defense” and “aimed only to …”': the same speaker
        if not speech:
            continue
        sentence = group[0].sentence
        if speaker is None and sentence.index > 0 and group[0].begin <= 1:
            prior = sentences[sentence.index - 1]
            if prior.text.rstrip().endswith(":") and '"' not in prior.text and "“" not in prior.text:
                speaker = _subject_before(prior.text, _people_in(prior, entities))
            elif previous[0] == sentence.index - 1 and not line_outside(group):
                speaker = previous[1]  # a bare quote right after one by a named speaker: the same speaker
        if speaker is not None and speaker.name in _PRONOUNS:
            speaker = last_person
        if speaker is not None and speaker.person:
            speaker = known.get(speaker.name.split()[-1], speaker) if " " not in speaker.name else speaker
            if not speaker.role and speaker.name in roles:
                speaker = _Speaker(speaker.name, roles[speaker.name], True)
            last_person = speaker
            _remember(speaker, known, roles)
        previous = (group[-1].sentence.index, speaker)
        found.append((group, speaker))
    return tuple(_quote(group, speaker) for group, speaker in found)


def _remember(speaker: _Speaker, known: dict[str, _Speaker], roles: dict[str, str]) -> None:
    surname = speaker.name.split()[-1]
    if len(speaker.name) >= len(known.get(surname, _Speaker("")).name):
        known[surname] = speaker
    if speaker.role:
        roles.setdefault(speaker.name, speaker.role)


def _fragment_of(earlier: _Part, part: _Part) -> bool:
    """'"It was a long day," she said, "but we got through it."': one quote split by its attribution."""
    if earlier.sentence.index != part.sentence.index or not part.body[:1].islower():
        return False
    between = part.sentence.text[earlier.end : part.begin]
    return len(between.split()) <= MAX_SPEAKER_WORDS and bool(_VERB.search(between))


def line_outside(group: Sequence[_Part]) -> str:
    """The words of a quote's sentences outside its marks (empty for a sentence that is all quote)."""
    outside = ""
    for part in group:
        line = part.sentence.text
        outside += line[: part.begin] + line[part.end :]
    return "".join(_WORD.findall(outside))


def _quote(group: Sequence[_Part], speaker: _Speaker | None) -> Quote:
    first, last = group[0], group[-1]
    start, end = first.sentence.start + first.begin, last.sentence.start + last.end
    body = " ".join(p.body.strip() for p in group).strip()
    return Quote(
        Span(first.sentence.index, start, end, body),
        speaker.name if speaker else "",
        quote_words(body),
        speaker.role if speaker else "",
    )
