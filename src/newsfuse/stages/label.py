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
_AGENCY = (
    r"\((?:Reuters(?: [A-Z][a-z]+!?)?|AP|AFP|UPI|CNN|Bloomberg|dpa|Xinhua|IANS|PTI|BBC|ANSA|Hollywood Reporter"
    r"|[A-Z][A-Z0-9-]{1,7})(?:\)|(?=\s+[-—–]))"  # a lost ")" too: "ALGIERS, Aug 30 (Reuters - "
)
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}"
_OUTLET = r"(?:CNN(?: Wire [Ss]taff)?|BBC(?: World)? News|BBC NI|BBC|Associated Press|Reuters)"
_ROLE = r"(?:[Rr]eporter|[Cc]orrespondent|[Ee]ditor|Presenter|[Ww]riter|[Pp]roducer|Staff)"
_NAMES = rf"{_NAME}(?:(?:,\s*|\s+and\s+){_NAME})*"  # "Ivan Watson, Joe Duran and Livia Borghese"
_ZONE = r"(?-i:\s+(?:[A-Z]{1,3}T|UTC|JST|UK)\b)"  # "EDT", "ET", "GMT", "UTC" (capitals only)
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
_PREFIXES = [
    # "TRIPOLI | ", "CIBOLO, Texas | ", "NEW YORK, April 30 | " before a timestamp
    re.compile(rf"^[A-Z][A-Za-z0-9 .,'/-]{{1,40}}?\s*\|\s*(?={_WEEKDAY}|{_MONTH}\s+\d)"),
    # "Page last updated at 07:41 GMT, Wednesday, 9 June 2010 08:41 UK", "Last updated at 05:09 GMT Help",
    # "Last updated: 1 may, 2009 - 17:54 GMT", "updated : Sun Jul 29 2012 08:01:00"
    re.compile(
        rf"^(?:Page\s+)?(?:last\s+)?updated(?:\s+at)?\s*:?\s*(?:\d{{1,2}}[:.]\d{{2}}{_ZONE}?,?\s*)?"
        rf"(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})?"
        rf"(?:\s*-?\s*\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?{_ZONE}?)?(?:\s*Help\b)?\s*",
        re.IGNORECASE,
    ),
    # "; 4:30 PM " (a blog post's time), "20:34 UTC ", "2009 04 25 08:50 JST "
    re.compile(
        rf"^(?:;\s*\d{{1,2}}:\d{{2}}\s*[AP]M(?:\s+--)?|(?:\d{{4}}\s+\d{{2}}\s+\d{{1,2}}\s+)?\d{{1,2}}:\d{{2}}{_ZONE})\s+"
    ),
    # "(an error occurred while processing this directive)", an editor's note "(Adds details, comment)",
    # "(For full coverage of the flu outbreak, click (nFLU))", a credit "(By M. Spencer Green -- Associated Press)"
    re.compile(
        r"^\((?:an error occurred while processing this directive|(?:Adds|Updates|Recasts|Repeats|Corrects|Refiles"
        r"|For (?:full coverage|a factbox|more)|Writes through)\b[^()]*(?:\([^()]*\)[^()]*)*"
        r"|(?:By\s+)?[A-Z][\w.' -]{1,40}?\s+(?:--|for)\s+(?:The\s+)?"
        r"(?:Associated Press|Washington Post|Reuters|AP))\)\s*"
    ),
    # "WOLF BLITZER, CNN ANCHOR: " (a transcript's speaker)
    re.compile(
        r"^[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3},\s+(?:[A-Z]+\s+){0,2}(?:ANCHOR|CORRESPONDENT|HOST)\b[A-Z ]*:\s*"
    ),
    # "COLUMBIA, SC: " (a dateline with a colon needs its state: "POLICE: ..." is a source)
    re.compile(r"^[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3},\s*[A-Z][A-Za-z.]{1,12}:\s+"),
    # "Thu Oct 20, 2011 7:15 pm EDT", "October 20, 2011", "Updated: 3:45 p.m."
    re.compile(
        rf"^(?:(?:Posted|Updated|Published|Last updated)\s*:?\s*)?(?:{_WEEKDAY},?\s+)?"
        rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?=\s+\d{{1,2}}:\d{{2}})"
        rf"|\d{{1,2}}(?::\d{{2}})?\s*[ap]\.m\.|\d{{1,2}}:\d{{2}}\s*[ap]m)"
        rf"(?:\s+(?:at\s+)?\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?)?{_ZONE}?\s*[|,:-]?\s*",
        re.IGNORECASE,
    ),
    # "Wednesday 23 March 2005 16.08 GMT", "17:45 UK time, Wednesday, 29 April 2009"
    re.compile(
        rf"^(?:\d{{1,2}}[:.]\d{{2}}\s+UK time,?\s+)?(?:{_WEEKDAY},?\s+)?\d{{1,2}}\s+{_MONTH}\s+"
        rf"(?:\d{{4}}|\d{{2}}(?=\s+\d{{1,2}}[:.]\d{{2}}))"
        rf"(?:\s+\d{{1,2}}[:.]\d{{2}}(?:\s+(?:GMT|BST|UTC|[A-Z]{{2,4}}T))?)?\s*"
    ),
    # "WASHINGTON (Reuters) - ", "TRIPOLI, Libya (AP) — ", "CAIRO, Feb 3 (Reuters) - ", "HAWTHORNE — "
    re.compile(
        rf"^[A-Z][A-Z.'/-]+(?:\s+[A-Z][A-Z.'/-]+){{0,3}}(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
        rf"(?:,?\s*{_MONTH}\s+\d{{1,2}})?\s*(?:{_AGENCY}\s*[-—–:]*|[-—–]+)\s*"
    ),
    # "Jul (Reuters) - ", "Jan 11 (Reuters) - ", "(Reuters) - "
    re.compile(rf"^(?:{_MONTH}\s*(?:\d{{1,2}}\s*)?)?{_AGENCY}\s*[-—–]*\s*"),
    re.compile(r"^(?:UPDATED?|BREAKING(?: NEWS)?|WATCH|VIDEO|PHOTOS?|LIVE|EXCLUSIVE|DEVELOPING)\s*[:|-]\s*", re.I),
    # "By the CNN Wire Staff ", "By Robyn Bresnahan BBC News ", "By Tim Lister and Emily Smith, CNN ",
    # "By Finlo Rohrer BBC News, Washington ", "By Damian Kahya Business reporter, BBC News "
    re.compile(
        rf"^(?:By|From)\s+(?:the\s+)?{_NAMES}"
        rf"(?:,?\s+(?:-{{1,2}}\s+)?(?:[Ff]or|Special to)\s+{_OUTLET}"
        rf"|,?\s+(?:[A-Za-z]+\s+){{0,3}}?{_ROLE},?(?:\s+{_OUTLET})?"
        rf"|,?\s+{_OUTLET})"
        r"(?:,\s+[A-Z][\w.'’-]+)?\s*,?\s*"
    ),
    re.compile(rf"^By\s+the\s+{_OUTLET}\s*"),  # "By the CNN Wire staff "
    # Reuters' notes on a video: "REUTERS IS UNABLE TO INDEPENDENTLY VERIFY ... THIS VIDEO "
    re.compile(
        r"^(?:ROUGH CUT \(NO REPORTER NARRATION\)\s*)?(?:PLEASE NOTE:\s*)?REUTERS [A-Z ]*VERIFY[A-Z ,]*?"
        r"\s+(?=[A-Z][a-z])"
    ),
    # a byline before a dateline or a date: "By Shailagh Murray and Paul Kane TOLEDO, Ohio --",
    # "By Hamid Ould Ahmed and Mariam Karouny ALGIERS/TUNIS | ", "By Dan Primack February 2, 2011: "
    re.compile(rf"^By\s+{_NAMES}\s+(?=[A-Z]{{2,}}[A-Z.'/-]*[\s,|]|{_MONTH}\s+\d)"),
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
