from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest

from newsfuse.stages.extract import quantities, targets, timex
from newsfuse.stages.extract.caseless import FOLD_CROSSING, Scan, lowered
from newsfuse.stages.split import split_sentences

SCANS = [
    *(scan for _, scan, _ in timex._RULES + timex._OTHER_RULES + timex._CONTEXT_RULES),
    timex._AHEAD,
    quantities._COUNT,
    targets._ACTION,
]
FAST = [scan for scan in SCANS if scan.fast is not None]
EXAMPLES = Path(timex.__file__).parents[2] / "examples"


def _every_character() -> tuple[str, str]:
    """Every non-ASCII code point but the fold-crossing ones and surrogates, and the same lowered."""
    chars = "".join(
        chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and chr(c) not in FOLD_CROSSING
    )
    return chars, "".join(c.lower() for c in chars)


def test_lowering_keeps_every_character_class_the_patterns_use() -> None:
    chars, low = _every_character()
    assert len(low) == len(chars)  # one character each, so positions line up
    assert re.search(r"[\x00-\x7f]", low) is None  # nothing lowers into ASCII
    assert re.search(r"[a-z]", chars, re.IGNORECASE) is None  # nothing else folds to an ASCII letter
    for letter in string.ascii_lowercase:
        assert re.search(letter, chars, re.IGNORECASE) is None, letter
    for cls in (r"\w", r"\d", r"\s", r"\b"):
        assert [m.start() for m in re.finditer(cls, chars)] == [m.start() for m in re.finditer(cls, low)], cls
    literals = {c for scan in FAST for c in scan.exact.pattern if not c.isascii() or not c.isalpha()}
    for literal in literals:
        if literal.isalpha() or literal.isspace():
            continue
        folded = [m.start() for m in re.finditer(re.escape(literal), chars, re.IGNORECASE)]
        assert folded == [m.start() for m in re.finditer(re.escape(literal), low)], literal


@pytest.mark.parametrize("char", list(FOLD_CROSSING))
def test_fold_crossing_characters_take_the_exact_scan(char: str) -> None:
    text = f"Fighting lasted ŞI{char} {char}X three days ago"
    assert lowered(text) is None
    assert lowered("Zürich, TODAY") == "zürich, today"


def test_capitalised_patterns_have_no_fast_twin() -> None:
    assert Scan.compile(r"\b(?P<Name>monday)\b").fast is not None
    assert Scan.compile(r"\bMonday\b").fast is None
    assert Scan.compile(r"\bmonday\b", ignore_case=False).fast is None
    assert len(FAST) >= 15


def test_a_folded_candidate_the_pattern_rejects_sends_the_sentence_to_the_exact_scan() -> None:
    scan = Scan.compile(r"(?-i:X)yz|yzw", folded=r"xyz|yzw")
    assert scan.fast is not None
    assert [m.span() for m in scan.finditer("xYzw", lowered("xYzw"))] == [(1, 4)]  # "xyz" is no match here
    assert [m.span() for m in scan.finditer("XYzw", lowered("XYzw"))] == [(0, 3)]
    assert scan.search("xyzW", lowered("xyzW")) and not scan.search("xyz", lowered("xyz"))


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    sentences = [s.text for text in texts for s in split_sentences(text)]
    tricky = [
        "STRUCK the Depot on THURSDAY Morning, Three Days Ago, and Last Week: AT LEAST 19 were HURT.",
        "Über 12 Menschen — the Ministry said Tuesday — ŞEHİR hit “two weapons depots” near İdlib.",
        "Kelvin \u212a: the strike hit ſome 40 ſites in the \u212aurdish north yesterday; 5 days later it ended.",
        "Officials in DIYARBAKIR said 'nine soldiers' died during the past decade, daily, EVERY week.",
        "Troops may 5 times march 12 miles, on May 5 and 12 March 2023 they did, mid-march, early MAY, since March.",
        "Over The Past Months the Latest Quarter was weak, as it was Last SUMMER and in the early ſpring.",
        "The ﬁrst-quarter results (the second quarter of 2023) came a year earlier than the weekend.",
    ]
    return sentences + tricky


@pytest.mark.parametrize("scan", FAST, ids=lambda s: s.exact.pattern[:40])
def test_fast_scan_finds_what_the_ignorecase_scan_finds(scan: Scan) -> None:
    seen = 0
    for text in _sentences():
        expected = [(m.span(), m.groupdict(), m.group(0)) for m in scan.exact.finditer(text)]
        got = [(m.span(), m.groupdict(), m.group(0)) for m in scan.finditer(text, lowered(text))]
        assert got == expected, text
        assert scan.search(text, lowered(text)) == bool(expected)
        seen += len(expected)
    assert seen > 0  # every pattern matches somewhere, so the comparison is not empty
