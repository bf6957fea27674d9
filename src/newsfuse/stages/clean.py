"""Take what is not the report out of an article's text before it is split: the dateline at its
start (its place is kept as evidence), and boilerplate lines (newsletter footers, photo credits,
"Read more" prompts, related-link lists).

Only whole lines are removed, and only by patterns that do not occur in reporting prose, so a
sentence of the article is never cut in half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACE = r"[A-ZÀ-Ý][A-ZÀ-Ý.'’-]*(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý.'’-]*){0,3}(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
_AGENCY = r"\((?:Reuters|AP|AFP|Bloomberg|dpa|UPI|CNN|IANS|PTI|Xinhua|ANSA|EFE|ANI)\)"
_DASH = r"\s*[-–—]+\s*"
# "TRIPOLI | Thu Oct 20, 2011 7:15 pm EDT " before the dateline proper (Reuters' page header)
_HEADER = re.compile(rf"^\s*{_PLACE}\s+\|\s+[^\n]{{0,60}}?\b(?:[AP]M|am|pm)\s+[A-Z]{{2,4}}\s+")
# "TRIPOLI (Reuters) - ", "LONDON, March 3 (Reuters) - ", "BEIRUT — " (capitals only)
_DATELINE = re.compile(
    rf"^\s*(?P<place>{_PLACE})(?:,\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*(?:{_AGENCY}{_DASH}|(?<=[A-Z.])\s*[—–]\s+)"
)
_BOILERPLATE = re.compile(
    r"^\s*(?:"
    r"A version of this (?:story|article) (?:appears|appeared|first appeared)\b"
    r"|(?:Read|READ) (?:more|MORE)\b"
    r"|(?:À |A )?[Ll]ire aussi\b|Voir aussi\b|Lesen Sie (?:auch|mehr)\b|Mehr zum Thema\b|Auch interessant\b"
    r"|(?:Leer|Lea|Lee) (?:más|también)\b|Leggi anche\b|(?:Read|See) also\b|Also read\b"
    r"|Our (?:editorial )?standards\s*:"
    r"|Submit your (?:letter|story|tip|news)\b"
    r"|(?:We use|Nous utilisons des|Wir (?:verwenden|nutzen)|Usamos|Utilizamos) cookies\b"
    r"|(?:Sign up|Subscribe) (?:for|to) (?:our|the)\b.*\bnewsletter"
    r"|(?:Click|Tap) here to\b"
    r"|Follow (?:us|\w+) on (?:Twitter|Facebook|Instagram|X)\b"
    r"|This (?:story|article) (?:was|has been) (?:updated|corrected)\b[^.]{0,40}$"
    r")",
    re.IGNORECASE,
)
# a photo credit line ("Photo: Reuters", "(Credit: Clayton Aldern / Grist)"); in some texts the body runs on
# in the same line, so only a line this short is taken for a credit alone
_CREDIT = re.compile(
    r"^\s*\(?(?:Photo|Photograph|Image|Picture|Foto|Bild|Credit|Crédit|Crédito)s?(?:\s+credit)?\s*:", re.I
)
_CREDIT_WORDS = 16
_RELATED = re.compile(
    r"^\s*(?:Related(?: stories| articles| coverage| links)?|More on this(?: story)?"
    r"|See also|Most read|Recommended"
    r"|(?:Weitere|Mehr) (?:Informationen|Nachrichten|Artikel|Themen)\b[^.!?\n]{0,80}:"
    r"|(?:Más información|Plus d'informations|More information)\b[^.!?\n]{0,80}:)\s*:?\s*$",
    re.IGNORECASE,
)
# a closing line that sends readers to the outlet's social accounts and newsletter ("... seguir a Materia en
# Facebook, Twitter ... o suscribirse aquí a nuestra newsletter")
_SOCIAL_FOOTER = re.compile(
    r"\b(?:Facebook|Twitter|Instagram)\b.{0,200}\b(?:newsletter|suscrib\w*|abonn\w*|subscri\w*)", re.IGNORECASE
)
_FOOTER_WORDS = 40  # a social footer is short; a longer line is reporting that names a network
# the words a boilerplate or related-list line starts with (one search over the text gates the line pass)
_TRIGGERS = re.compile(
    r"^\s*(?:A version|\(?Photo|\(?Image|Picture|\(?Foto|\(?Bild|\(?Cr[eé]dit|Read|Sign|Subscribe|Click|Tap"
    r"|Follow|This (?:story|article)|Related|More (?:on|information)|See also|Most read|Recommended|À lire"
    r"|A lire|Lire aussi|Voir aussi|Lesen Sie|Mehr |Auch interessant|Weitere |Le[ea]r? |Leggi anche|Also read"
    r"|Our (?:editorial )?[Ss]tandards|Submit your|We use cookies|Nous utilisons|Wir (?:verwenden|nutzen)"
    r"|Usamos|Utilizamos|Más información|Plus d'informations|READ|PHOTO|RELATED)",
    re.MULTILINE,  # case-exact: such lines start with a capital, and the gate runs on every text
)
_NETWORKS = ("Facebook", "Twitter", "Instagram")  # plain substring tests gate the social-footer search
_TAIL_CHARS = 1500  # social footers close a text: only its end is searched
_LINK_LINE_WORDS = 16  # a related-link line is a headline: short and without a full stop
_PLACE_WORDS = 4  # longer capitals runs are shouted headlines, not places


@dataclass(frozen=True, slots=True)
class Cleaned:
    """An article text without its dateline and boilerplate, and the dateline's place."""

    text: str
    dateline: str


def _strip_dateline(text: str) -> tuple[str, str]:
    head = _HEADER.sub("", text, count=1)
    match = _DATELINE.match(head)
    if match is None:
        return text, ""
    place = " ".join(match.group("place").split()).rstrip(",")
    if len(place.split(",")[0].split()) > _PLACE_WORDS:
        return text, ""
    return head[match.end() :], place


def _is_link_line(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _LINK_LINE_WORDS and not line.rstrip().endswith((".", "!", "?", '"', "”", ":"))


def _is_social_footer(line: str) -> bool:
    return (
        any(network in line for network in _NETWORKS)
        and len(line.split()) <= _FOOTER_WORDS
        and _SOCIAL_FOOTER.search(line) is not None
    )


def _without_social_footer(text: str) -> str:
    """``text`` without the social/newsletter lines at its end (only its tail is looked at)."""
    if not any(network in text[-_TAIL_CHARS:] for network in _NETWORKS):
        return text
    lines = text.rstrip().split("\n")
    while lines and len(lines) > 1 and _is_social_footer(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def _without_boilerplate(text: str) -> str:
    if _TRIGGERS.search(text) is None:  # most texts: no line can match, skip the line pass
        return _without_social_footer(text)
    kept: list[str] = []
    in_related = False
    for line in text.split("\n"):
        if in_related:
            if _is_link_line(line):
                continue
            in_related = False
        if _RELATED.match(line):
            in_related = True
            continue
        if _BOILERPLATE.match(line) or (_CREDIT.match(line) and len(line.split()) <= _CREDIT_WORDS):
            continue
        kept.append(line)
    return _without_social_footer("\n".join(kept))


def clean_article(text: str) -> Cleaned:
    """``text`` without its dateline and boilerplate lines; the dateline place ("TRIPOLI") or ""."""
    body, place = _strip_dateline(text)
    body = _without_boilerplate(body).strip()
    if not body:  # nothing but boilerplate: keep what there was rather than store nothing
        return Cleaned(text, "")
    return Cleaned(body, place.title() if place.isupper() else place)
