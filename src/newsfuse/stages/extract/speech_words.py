"""The words the quote tagger reads speech attribution by: reporting verbs, titles, roles, and
the function words a speaker phrase cannot begin or end with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VERB_WORDS = (
    "said|says|say|added|adds|told|tells|stated|states|noted|notes|warned|warns|wrote|writes|declared|"
    "explained|explains|asked|asks|replied|continued|recalled|recalls|commented|argued|argues|insisted|"
    "claimed|claims|announced|acknowledged|admitted|testified|tweeted|posted|urged|vowed|called|calls|"
    "described|describes|concluded|responded|remarked|cautioned|stressed|emphasized|emphasised|observed|"
    "conceded|predicted|promised|recounted|shouted|yelled|texted|pleaded|maintained|confirmed|denied|"
    "reiterated|opined|quipped|joked|mused|sobbed|cried|exclaimed|whispered|screamed|insists|saying|adding|"
    "explaining|noting|warning|telling|writing|stressing|calling|describing|arguing|insisting|pointed out|"
    "praised|criticized|criticised|accused|blasted|slammed|condemned|thanked|mocked|hailed|dismissed|labeled|"
    "labelled|branded|termed|touted|decried|blamed|lamented|recommended|pledged|demanded|apologized|proclaimed|"
    "tweeting|posting|admitting|acknowledging|reported|reports|assured|assures|concludes|replies|answered|"
    "answers|informed|announces|declares|adds|continues|recalled"
)  # reporting verbs, as a regex alternation

PRONOUNS = frozenset({"he", "she"})

NOBODY = frozenset({"i", "we", "you", "they", "it", "this", "that", "who", "which", "there"})

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx"})

TITLE_WORDS = _words(
    "president vice secretary minister prime foreign defense defence general gen sen senator rep representative "
    "gov governor mayor chief chair chairman chairwoman fed police det detective officer sgt sergeant lt "
    "lieutenant capt captain cpl corporal deputy sheriff attorney judge justice prosecutor spokesman spokeswoman "
    "spokesperson commissioner director superintendent supt pastor rev reverend father coach professor prof dean "
    "ambassador king queen prince princess pope premier chancellor speaker leader commander admiral col colonel "
    "maj major trooper agent inspector constable lord councilman councilwoman councillor alderman assemblyman "
    "treasury state interior health homeland security national army navy executive ceo founder official "
    "economist analyst pres sec gov. assistant acting former ex pc dc ds di mp mep u.s. us uk un eu nato"
)  # titles and role words before a name

BODIES = _words(
    "house department office police ministry agency news times post service council committee court bureau "
    "commission association union party government administration company inc corp university hospital center "
    "centre network cnn bbc reuters ap afp pentagon kremlin fbi cia nato un eu media press group"
)  # a name ending in one of these is a body, not a person a pronoun can point to

ROLE_NOUNS = _words(
    "police authorities officials witnesses witness victim victims neighbor neighbors neighbour neighbours friend "
    "friends mother father son daughter brother sister wife husband family relatives relative owner student "
    "students source sources staff investigators prosecutors residents experts protesters activists critics "
    "organizers organisers doctors nurses paramedics firefighters troopers deputies officers lawmakers "
    "congressman congresswoman spokesman spokeswoman spokesperson statement report office ministry military army "
    "government court activist advocate"
)  # heads of a role or body that speaks without an article ("police said")

ABBREVIATIONS = {
    "det": "detective", "sgt": "sergeant", "lt": "lieutenant", "capt": "captain", "gen": "general",
    "sen": "senator", "rep": "representative", "gov": "governor", "supt": "superintendent", "col": "colonel",
    "maj": "major", "cpl": "corporal", "rev": "reverend", "prof": "professor",
}  # fmt: skip

SMALL = _words("a an and the of in on at to for by with from or but is are was be as vs")

DETERMINERS = _words("the a an his her their its one two three several many some another our my")

PREPOSITIONS = _words("for of to at in on by with from about against")

FUNCTION = _words(
    "and but or then so also later who which that when while as if there here now still even just only "
    "said says added told not never was is were are be been his her their its could would should will can may "
    "might have has had do does did done what about"
)  # a "role as written" that begins or ends with one of these is a clause fragment

OPENERS = _words(
    "the a an in on at after before during despite however meanwhile earlier later last yesterday today this "
    "that these those it he she they we i but and or so when while if as since until although though for from "
    "with without by to of there here what who why how where one some many most all no not according yet still now "
    "instead also even both each every such other more less only just then thus meanwhile asked monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july august september "
    "october november december my our your unlike like inside outside across among amid near under over beyond "
    "within through close"
)  # words a sentence opens with that are not a person's name

TITLE_BEFORE = _words(
    "titled entitled book film movie show song album novel series program programme documentary newspaper "
    "magazine podcast headline hashtag slogan"
)  # the word right before a quoted title: 'the book "…"'

TRAILING_WORDS = _words(
    "also later previously then recently has had have would will once further again just earlier first herself "
    "himself themselves is are was were today yesterday tonight Monday Tuesday Wednesday Thursday Friday Saturday "
    "Sunday morning afternoon evening night time statement interview tweet letter email week month year weekend "
    "published released issued filed"
)  # the words a trailing aside between a subject and its verb can end with (besides "-ly" adverbs)

ANAPHORIC_BODIES = _words("group organization organisation company firm paper newspaper agency network campaign")
# "the group said": a body named before


def _trie(words: Sequence[str]) -> str:
    """A regex alternation of ``words`` as a prefix tree ("sa(?:id|ys)"): far cheaper to search
    than a flat list of words."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(rest) for c, rest in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + "|".join(branches) + ")"
        return body + ("?" if "" in node else "")

    return pattern(tree)


VERB = re.compile(rf"(?<![a-z])(?:{_trie(sorted({w for w in VERB_WORDS.split('|') if ' ' not in w}))})(?![a-z])")
# one reporting verb, a whole lower-case word
