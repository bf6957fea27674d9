"""Case-insensitive patterns, scanned as lowercase patterns over the lowered sentence.

Python's ``re`` cannot skip ahead to a literal or a first-character set under IGNORECASE, so
scanning a sentence for, say, forty count words is two to three times slower than the same
case-sensitive scan of the lowered sentence.  Both give the same matches unless the sentence
holds one of four characters whose case folds cross into ASCII or change length (İ ı ſ K);
such a sentence takes the IGNORECASE scan.  A pattern with a case-sensitive part (a month name
must be capitalised) scans with that part folded too, which finds every match and perhaps more:
each candidate is matched again by the pattern itself, and any disagreement sends the sentence
to the pattern's own scan.  The matches handed back are always on the sentence, so groups keep
their original case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# the only code points whose lower() is not one character, is ASCII while they are not, or that
# match an ASCII letter under IGNORECASE (checked over every code point in the tests)
FOLD_CROSSING = "\u0130\u0131\u017f\u212a"
_ESCAPES_AND_NAMES = re.compile(r"\\.|\(\?P[<=]\w+>?")


def lowered(text: str) -> str | None:
    """``text`` lowered, when a lowercase scan of it equals an IGNORECASE scan of ``text``; else None."""
    if text.isascii() or not any(c in text for c in FOLD_CROSSING):
        return text.lower()
    return None


@dataclass(frozen=True, slots=True)
class Scan:
    """A pattern and, when it can have one, its fast twin: the pattern folded to lower case, which
    matches the lowered sentence wherever the pattern matches the sentence."""

    exact: re.Pattern[str]
    fast: re.Pattern[str] | None

    @classmethod
    def compile(cls, source: str, *, ignore_case: bool = True, folded: str | None = None) -> Scan:
        """``folded`` is ``source`` with its case-sensitive parts made case-insensitive (default: ``source``);
        spelled with a capital letter it gets no fast twin (nor does a case-sensitive pattern)."""
        if not ignore_case:
            return cls(re.compile(source), None)
        twin = source if folded is None else folded
        lowercase = not re.search(r"[A-Z]", _ESCAPES_AND_NAMES.sub("", twin))
        return cls(re.compile(source, re.IGNORECASE), re.compile(twin) if lowercase else None)

    def finditer(self, text: str, low: str | None) -> list[re.Match[str]]:
        """What ``exact.finditer(text)`` finds; ``low`` is ``lowered(text)``."""
        if low is None or self.fast is None:
            return list(self.exact.finditer(text))
        found = []
        for candidate in self.fast.finditer(low):
            same = self.exact.match(text, candidate.start())
            if same is None or same.end() != candidate.end():
                return list(self.exact.finditer(text))  # the folded part matched more than the pattern does
            found.append(same)
        return found

    def search(self, text: str, low: str | None) -> bool:
        """Whether ``exact`` matches anywhere in ``text``."""
        return bool(self.finditer(text, low))
