"""Where a report says it is from: its dateline (``LAFAYETTE, La. (AP) —``, ``CHICAGO —``) and a city
followed by its US state (``in Akron, Ohio``, ``Greenville, N.C.``), with AP state abbreviations.

These are the strongest evidence of an event's place: the city comes with its state, so a namesake
elsewhere (Jackson, Mississippi for Jackson, Tenn.) is ruled out.  Used by ``places``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.models import Sentence

# US state names with their AP style and postal abbreviations (AP style as news datelines use it)
US_STATES: dict[str, tuple[str, ...]] = {
    "Alabama": ("Ala.", "AL"), "Alaska": ("AK",), "Arizona": ("Ariz.", "AZ"), "Arkansas": ("Ark.", "AR"),
    "California": ("Calif.", "Cal.", "CA"), "Colorado": ("Colo.", "CO"), "Connecticut": ("Conn.", "CT"),
    "Delaware": ("Del.", "DE"), "District of Columbia": ("D.C.", "DC"), "Florida": ("Fla.", "FL"),
    "Georgia": ("Ga.", "GA"), "Hawaii": ("HI",), "Idaho": ("ID",), "Illinois": ("Ill.", "IL"),
    "Indiana": ("Ind.", "IN"), "Iowa": ("IA",), "Kansas": ("Kan.", "Kans.", "KS"), "Kentucky": ("Ky.", "KY"),
    "Louisiana": ("La.", "LA"), "Maine": ("ME",), "Maryland": ("Md.", "MD"), "Massachusetts": ("Mass.", "MA"),
    "Michigan": ("Mich.", "MI"), "Minnesota": ("Minn.", "MN"), "Mississippi": ("Miss.", "MS"),
    "Missouri": ("Mo.", "MO"), "Montana": ("Mont.", "MT"), "Nebraska": ("Neb.", "Nebr.", "NE"),
    "Nevada": ("Nev.", "NV"), "New Hampshire": ("N.H.", "NH"), "New Jersey": ("N.J.", "NJ"),
    "New Mexico": ("N.M.", "NM"), "New York": ("N.Y.", "NY"), "North Carolina": ("N.C.", "NC"),
    "North Dakota": ("N.D.", "ND"), "Ohio": ("OH",), "Oklahoma": ("Okla.", "OK"), "Oregon": ("Ore.", "OR"),
    "Pennsylvania": ("Pa.", "PA"), "Rhode Island": ("R.I.", "RI"), "South Carolina": ("S.C.", "SC"),
    "South Dakota": ("S.D.", "SD"), "Tennessee": ("Tenn.", "TN"), "Texas": ("Tex.", "TX"), "Utah": ("UT",),
    "Vermont": ("Vt.", "VT"), "Virginia": ("Va.", "VA"), "Washington": ("Wash.", "WA"),
    "West Virginia": ("W.Va.", "W. Va.", "WV"), "Wisconsin": ("Wis.", "Wisc.", "WI"), "Wyoming": ("Wyo.", "WY"),
}  # fmt: skip
_STATE_OF = {name: name for name in US_STATES} | {a: name for name, abbrs in US_STATES.items() for a in abbrs}
_STATE = "|".join(re.escape(s) for s in sorted(_STATE_OF, key=len, reverse=True))
_CITY = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
# "LAFAYETTE, La. (AP) —", "CHICAGO (STMW) —", "HAWTHORNE —": a capitalised place, then a dash
_DATELINE = re.compile(
    rf"(?m)^\W{{0,3}}(?P<city>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){{0,2}})(?:,\s+(?P<state>{_STATE}))?"
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:[—–]|--?\s)"
)
# "Akron, Ohio", "Greenville, N.C.": a state after a comma (the state name may not run on: "Washington
# Post"), found from the comma (a literal first is a fast scan), then the city before it
_STATE_AFTER = re.compile(rf",\s+(?P<state>{_STATE})(?![\w-]|\s+[A-Z][a-z])")
_CITY_BEFORE = re.compile(rf"(?<![\w.])(?P<city>{_CITY})$")
# a city before the comma is at most this many characters long
_CITY_CHARS = 48


@dataclass(frozen=True, slots=True)
class Anchor:
    """A city named with its state or in the dateline (state "" when the dateline gives none)."""

    start: int  # in the sentence
    end: int
    city: str  # as it is written, capitalised like a name ("Lafayette" for "LAFAYETTE")
    state: str  # the full state name


def _name(city: str) -> str:
    return city.title() if city.isupper() else city


def states_named(sentences: Sequence[Sentence]) -> set[int]:
    """The indexes of the sentences with a state after a comma (one scan of the whole article)."""
    starts, position = [], 0
    for sentence in sentences:
        starts.append(position)
        position += len(sentence.text) + 1
    whole = "\n".join(s.text for s in sentences)
    return {sentences[bisect_right(starts, m.start()) - 1].index for m in _STATE_AFTER.finditer(whole)}


def anchors(text: str, lead: bool) -> list[Anchor]:
    """Datelines (at the start of a line of a ``lead`` sentence: page furniture may come first) and
    cities named with their state in ``text``."""
    found = []
    if lead and (m := _DATELINE.search(text)) and len(m.group("city")) > 2:
        state = _STATE_OF.get(m.group("state") or "", "")
        found.append(Anchor(m.start("city"), m.end("city"), _name(m.group("city")), state))
    for m in _STATE_AFTER.finditer(text):
        city = _CITY_BEFORE.search(text, max(0, m.start() - _CITY_CHARS), m.start())
        if city and not any(a.start <= city.start() < a.end for a in found):
            found.append(Anchor(city.start(), city.end(), _name(city.group("city")), _STATE_OF[m.group("state")]))
    return found
