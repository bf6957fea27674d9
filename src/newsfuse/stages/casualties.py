"""Killed or injured figures of zero that the reports show without stating a number: "none reported".

Only for an act of violence (a shooting, a stabbing, a bomb: the words say so in the first sentences).

* Killed: every report's headline and first sentences describe the victims as shot or wounded and
  none of them mentions a death (or a shot in the head, often fatal); cited to the sentences that
  describe the wounded.  The people
  shot ("five people were shot") are then the injured.
* Injured: one report's first sentences tell of a death and no report mentions an injury or a
  wounded person anywhere; cited to the sentences that tell of the death.

Only when no outlet states a figure of that kind for the event (a stated figure always wins), so a
"none reported" is never set against a number.  Used by ``reconcile``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from newsfuse.ids import claim_id
from newsfuse.models import Article, Citation, Claim, ClaimStatus, Event, Extraction, Figure, Measure, Sentence

# how far into a report its account of the victims is read (the headline and the first sentences)
LEAD_SENTENCES = 4
NONE_REPORTED = "none reported"
_DEATH = re.compile(
    r"\b(?:kill\w*|dead|died|dies|death\w*|fatal\w*|slain|murder\w*|homicides?|deceased|succumbed|lifeless"
    r"|passed away)\b",
    re.IGNORECASE,
)
_INJURY = re.compile(r"\b(?:wound\w*|injur\w*|hurt|hospitali[sz]ed|critical|stable|condition|surviv\w*)\b", re.I)
# a wound that is often fatal: a report naming one says too little for "none killed"
_GRAVE = re.compile(r"\bshot in the head\b", re.IGNORECASE)
_WOUNDED = re.compile(r"\b(?:wounded|injured|hurt|shot)\b", re.IGNORECASE)
# the event is an act of violence with victims (not a market "hurt" by rates)
_VIOLENCE = re.compile(
    r"\b(?:shot|shooting|shootings|gunfire|gunshots?|gunman|gunmen|opened fire|stabb(?:ed|ing)|bomb\w*|explosion)\b",
    re.IGNORECASE,
)
# counted nouns that name the victims as a whole
_VICTIMS = frozenset({"person", "man", "woman", "teen", "teenager", "boy", "girl", "victim", "other"})
_NOTES = {
    "killed": "no report mentions a death in its first sentences; they describe the victims as wounded",
    "injured": "no report mentions an injury; they tell of the dead only",
}


def _cite(article: Article, sentence: Sentence) -> Citation:
    return Citation(article.article_id, article.source, sentence.index, sentence.text, NONE_REPORTED,
                    article.published_at, start=sentence.start, end=sentence.end)  # fmt: skip


def _claim(event: Event, predicate: str, cited: list[tuple[str, Citation]]) -> Claim:
    outlets = {outlet for outlet, _ in cited}
    status: ClaimStatus = "corroborated" if len(outlets) >= 2 else "single-source"
    citations = tuple(sorted((c for _, c in cited), key=lambda c: (c.published_at, c.source, c.sentence)))
    slot = f"count:person|{predicate}"
    return Claim(
        claim_id(event.event_id, slot), event.event_id, "count", slot, f"people {predicate}", status,
        (NONE_REPORTED,), citations, _NOTES[predicate], measure=Measure("count", "person", predicate),
        figures=(Figure(0, "", NONE_REPORTED, citations[0].published_at),),
    )  # fmt: skip


def none_reported(
    event: Event,
    articles: Sequence[Article],
    extractions: Mapping[str, Extraction],
    outlet_of: Mapping[str, str],
    claims: Sequence[Claim],
) -> list[Claim]:
    """The "none reported" killed and injured claims of an event (see the module docstring)."""
    stated = {c.measure.predicate for c in claims if c.measure is not None and c.kind == "count"}
    if "killed" in stated and "injured" in stated:
        return []
    reports = [
        (article, extraction, "\n".join(s.text for s in extraction.sentences[:LEAD_SENTENCES]))
        for article in articles
        if (extraction := extractions.get(article.article_id)) is not None and extraction.sentences
    ]  # a sentence's words never run into the next one's across "\n": one search reads them all
    if not any(_VIOLENCE.search(article.title) or _VIOLENCE.search(lead) for article, _, lead in reports):
        return []
    wounded: list[tuple[str, Citation]] = []
    deaths: list[tuple[str, Citation]] = []
    maybe_dead = injury_anywhere = False
    for article, extraction, lead_text in reports:
        lead = extraction.sentences[:LEAD_SENTENCES]
        outlet = outlet_of.get(article.article_id, article.source)
        if _DEATH.search(article.title) or _DEATH.search(lead_text) or _GRAVE.search(lead_text):
            maybe_dead = True
            first = next((s for s in lead if _DEATH.search(s.text)), None)
            if first is not None:
                deaths.append((outlet, _cite(article, first)))
        elif (first := next((s for s in lead if _WOUNDED.search(s.text)), None)) is not None:
            wounded.append((outlet, _cite(article, first)))
        if not injury_anywhere:
            injury_anywhere = bool(_INJURY.search(article.title)) or bool(
                _INJURY.search("\n".join(s.text for s in extraction.sentences))
            )
    found: list[Claim] = []
    if "killed" not in stated and not maybe_dead and wounded:
        found.append(_claim(event, "killed", wounded))
        shot = [c for c in claims if c.measure is not None and c.slot == f"count:{c.measure.counted}|shot"]
        if "injured" not in stated and shot and shot[0].measure is not None and shot[0].measure.counted in _VICTIMS:
            found.append(_all_wounded(event, max(shot, key=lambda c: len({x.source for x in c.citations}))))
    if "injured" not in stated and "shot" not in stated and not injury_anywhere and deaths:
        found.append(_claim(event, "injured", deaths))
    return found


def _all_wounded(event: Event, shot: Claim) -> Claim:
    """The people shot as the injured when no report tells of a death."""
    slot = "count:person|injured"
    note = "; ".join(x for x in (shot.note, "the people shot, as no report tells of a death") if x)
    return replace(shot, claim_id=claim_id(event.event_id, slot), slot=slot, label="people injured",
                   measure=Measure("count", "person", "injured"), note=note)  # fmt: skip
