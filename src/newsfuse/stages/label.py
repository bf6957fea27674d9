"""Event labels a reader can scan: the headline when there is a real one, else the lead's first sentence.

Both are cleaned of what is not the news: datelines ("TRIPOLI | Thu Oct 20, 2011 7:15 pm EDT TRIPOLI
(Reuters) -"), bylines, "UPDATE:" tags, the site name after a headline ("... - FOX5 Vegas - KVVU") and
the tokenizer artefacts of PTB-tokenised corpora (``-LRB-``, ``` `` ```).  A headline that is too short
("U.S.", "News") or shares almost no words with its own article (a sidebar or series headline caught by
the page reader) is not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.stages.extract.lexicon import content_words

MIN_WORDS = 4  # fewer words is a section, a place or a site name, not a headline
MAX_WORDS = 30  # a label is one line: a longer lead sentence is cut here
LEAD_CHARS = 800  # how much of an article's text the lead-sentence label looks at
MIN_TITLE_AGREEMENT = 0.25  # share of a headline's content words its article's lead must hold

_PTB = [
    (re.compile(r"-LRB-\s*|-LCB-\s*"), "("),
    (re.compile(r"\s*-RRB-|\s*-RCB-"), ")"),
    (re.compile(r"-LSB-\s*"), "["),
    (re.compile(r"\s*-RSB-"), "]"),
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"\\([/*])"), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r" ([.,;?!%)\]])"), r"\1"),
    (re.compile(r" :(?! [A-Z])"), ":"),
    (re.compile(r"([(\[$]) "), r"\1"),
]
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# a news agency, or a broadcaster's call letters ("LOUISVILLE, KY (WAVE) -")
_AGENCY = r"\((?:Reuters|AP|AFP|UPI|CNN|Bloomberg|dpa|Xinhua|IANS|PTI|BBC|ANSA|[A-Z][A-Z0-9-]{1,7})\)"
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}"
_OUTLET = r"(?:CNN(?: Wire Staff)?|BBC(?: World)? News|BBC NI|BBC|Associated Press|Reuters)"
_ROLE = r"(?:[Rr]eporter|[Cc]orrespondent|[Ee]ditor|Presenter|[Ww]riter|Staff)"
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
_PREFIXES = [
    # "TRIPOLI | ", "CIBOLO, Texas | " before a timestamp
    re.compile(rf"^[A-Z][A-Za-z .,'/-]{{1,40}}?\s*\|\s*(?={_WEEKDAY}|{_MONTH}\s+\d)"),
    # "Thu Oct 20, 2011 7:15 pm EDT", "October 20, 2011", "Updated: 3:45 p.m."
    re.compile(
        rf"^(?:(?:Posted|Updated|Published|Last updated)\s*:?\s*)?(?:{_WEEKDAY},?\s+)?"
        rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}(?::\d{{2}})?\s*[ap]\.m\.|\d{{1,2}}:\d{{2}}\s*[ap]m)"
        rf"(?:\s+(?:at\s+)?\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}}T)?\s*[|,:-]?\s*",
        re.IGNORECASE,
    ),
    # "Wednesday 23 March 2005 16.08 GMT", "17:45 UK time, Wednesday, 29 April 2009"
    re.compile(
        rf"^(?:\d{{1,2}}[:.]\d{{2}}\s+UK time,?\s+)?(?:{_WEEKDAY},?\s+)?\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
        rf"(?:\s+\d{{1,2}}[:.]\d{{2}}(?:\s+(?:GMT|BST|UTC|[A-Z]{{2,4}}T))?)?\s*"
    ),
    # "WASHINGTON (Reuters) - ", "TRIPOLI, Libya (AP) — ", "CAIRO, Feb 3 (Reuters) - ", "HAWTHORNE — "
    re.compile(
        rf"^[A-Z][A-Z.'/-]+(?:\s+[A-Z][A-Z.'/-]+){{0,3}}(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
        rf"(?:,\s*{_MONTH}\s+\d{{1,2}})?\s*(?:{_AGENCY}\s*[-—–:]*|[-—–]+)\s*"
    ),
    # "Jul (Reuters) - ", "Jan 11 (Reuters) - ", "(Reuters) - "
    re.compile(rf"^(?:{_MONTH}\s*(?:\d{{1,2}}\s*)?)?{_AGENCY}\s*[-—–]*\s*"),
    re.compile(r"^(?:UPDATED?|BREAKING(?: NEWS)?|WATCH|VIDEO|PHOTOS?|LIVE|EXCLUSIVE|DEVELOPING)\s*[:|-]\s*", re.I),
    # "By the CNN Wire Staff ", "By Robyn Bresnahan BBC News ", "By Tim Lister and Emily Smith, CNN ",
    # "By Finlo Rohrer BBC News, Washington ", "By Damian Kahya Business reporter, BBC News "
    re.compile(
        rf"^By\s+(?:the\s+)?{_NAME}(?:\s+and\s+{_NAME})?"
        rf"(?:,?\s+(?:for|Special to)\s+{_OUTLET}|,?\s+(?:[A-Za-z]+\s+){{0,3}}?{_ROLE},?(?:\s+{_OUTLET})?"
        rf"|,?\s+{_OUTLET})"
        r"(?:,\s+[A-Z][\w.'’-]+)?\s*,?\s*"
    ),
]
_DURATION = re.compile(r"^\d{1,2}:\d{2}\s+(?![ap]\.?m)")  # a video playlist line ("1:08 ... Pause")
_BULLET = re.compile(r"^\*\s*([^*]+?)\s*(?:\*|$)")  # Reuters' summary bullets: the first is a headline
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|de|van))*,?(?:\s+[A-Za-z]+){0,4}$")
BYLINE_WORDS = 10  # a byline line is short; a longer line starting "By ..." is news
_SITE_SEPARATOR = re.compile(r"\s+(?:[|«»•:]|::|[-–—])\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'”’][.!?])[\"'”’]?\s+(?=[\"'“‘(]?[A-Z0-9])")


def untokenize(text: str) -> str:
    """Undo PTB token spacing and brackets (``-LRB-`` -> ``(``, ``` `` ``` -> ``"``)."""
    for pattern, replacement in _PTB:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def strip_prefixes(text: str) -> str:
    """``text`` without leading datelines, timestamps, agency tags and "UPDATE:"-like tags."""
    changed = True
    while changed:
        changed = False
        for pattern in _PREFIXES:
            stripped = pattern.sub("", text, count=1)
            if stripped != text:
                text, changed = stripped, True
    return text


def _cut(text: str) -> str:
    words = text.split()
    return text if len(words) <= MAX_WORDS else " ".join(words[:MAX_WORDS]) + " …"


def clean_title(title: str) -> str:
    """A headline without dateline, tags and the site name after it ("" when nothing usable is left)."""
    text = strip_prefixes(untokenize(title))
    if _DURATION.match(text):
        return ""
    if bullet := _BULLET.match(text):
        text = bullet.group(1)
    parts = (strip_prefixes(p) for p in _SITE_SEPARATOR.split(text))
    return _cut(next((p for p in parts if len(p.split()) >= MIN_WORDS), ""))


def lead_sentence(text: str) -> str:
    """The first sentence of an article's news, past datelines, bylines and short lines ("" if none)."""
    for line in untokenize_lines(text[:LEAD_CHARS]):
        if _DURATION.match(line):
            continue
        line = strip_prefixes(line)
        if bullet := _BULLET.match(line):
            line = bullet.group(1)
        words = len(line.split())
        if words < MIN_WORDS or (words <= BYLINE_WORDS and _BYLINE.match(line)):
            continue
        return _cut(_SENTENCE_END.split(line, maxsplit=1)[0])
    return ""


def untokenize_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, untokenised."""
    return [cleaned for line in text.split("\n") if (cleaned := untokenize(line))]


def _agrees(title: str, lead: str) -> bool:
    if not lead:
        return True
    words = set(content_words(title))
    low = lead.lower()  # a substring test: cheap, and "shooting" is found in "shootings"
    return not words or sum(w in low for w in words) >= MIN_TITLE_AGREEMENT * len(words)


def candidate(title: str, lead: str) -> str:
    """One article's label: its cleaned headline if that is a real one about the article, else its lead
    sentence, else whatever of the two is longer."""
    headline = clean_title(title)
    if headline and _agrees(headline, lead):
        return headline
    sentence = lead_sentence(lead)
    return sentence or headline or _cut(untokenize(title))


def choose_label(candidates: Sequence[str]) -> str:
    """The most central of the members' candidate labels (most content words shared with the others),
    preferring ones of at least ``MIN_WORDS`` words; ties go to the earliest."""
    if not candidates:
        return ""
    usable = [i for i, c in enumerate(candidates) if len(c.split()) >= MIN_WORDS] or list(range(len(candidates)))
    vocab = [set(content_words(c)) for c in candidates]

    def centrality(index: int) -> float:
        words = vocab[index]
        if not words:
            return 0.0
        return sum(len(words & other) / len(words) for j, other in enumerate(vocab) if j != index)

    return candidates[max(usable, key=lambda i: (centrality(i), -i))]
