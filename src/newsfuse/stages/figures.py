"""When two figures agree, conflict or update each other (pure rules, used by ``reconcile``).

* Agreement: equal numbers; a qualifier that allows the other ("at least 19" and 23, "about 100"
  and 104); or rounding, which is explicit and conservative: a round figure of at most two
  significant digits agrees with an exact one that rounds to it at two significant digits, and only
  from ``SMALLEST_ROUNDED`` up ($1.4 billion and $1.375 billion, 1,400 and 1,432; not $100 billion
  and $130 billion, not 20 and 24); decimals agree when the finer one rounds to the coarser
  (9.1% and 9%).
* Conflict: two figures of different independent outlets that do not agree, published within
  ``CONFLICT_HOURS`` of each other, and not explained as an update.
* Update: a cumulative kind (killed, injured, arrested, missing, cases, cost) whose later figure is
  higher; the sequence is shown with its times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsfuse.models import ClaimStatus, Figure

CUMULATIVE = frozenset(
    {
        "killed",
        "injured",
        "shot",
        "missing",
        "arrested",
        "displaced",
        "infected",
        "confirmed",
        "evacuated",
        "rescued",
        "cost",
    }
)
# below this, figures are not rounded in news: 20 and 24 injured disagree
SMALLEST_ROUNDED = 100
# rounding never goes coarser than two significant digits ($100 billion is not $130 billion)
ROUNDING_DIGITS = 2
# "about": within this share of the figure
ABOUT_SHARE = 0.1
# figures published further apart than this are a revision, not a disagreement
CONFLICT_HOURS = 36
# a later figure counts as an update only if it came out at least this much later
UPDATE_GAP = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Stated:
    """One outlet's statement of a figure: the figure, the outlet and where it was said."""

    figure: Figure
    outlet: str
    published_at: datetime
    where: tuple[str, int]  # (article id, sentence)


def _significant(number: float) -> int:
    digits = f"{abs(number):.10g}".replace(".", "").replace("-", "").strip("0")
    return len(digits)


def _decimals(text: str) -> int:
    number = "".join(c for c in text.split()[0 if text[:1].isdigit() else -1] if c.isdigit() or c == ".")
    return len(number.split(".", 1)[1]) if "." in number else 0


def _rounds_to(rough: float, exact: float) -> bool:
    if min(abs(rough), abs(exact)) < SMALLEST_ROUNDED or _significant(rough) > ROUNDING_DIGITS:
        return False
    return float(f"{exact:.{ROUNDING_DIGITS}g}") == rough


def _same_decimal(a: Figure, b: Figure) -> bool:
    if a.number == int(a.number) and b.number == int(b.number):
        return False
    places = min(_decimal_places(a.number), _decimal_places(b.number))
    return round(a.number, places) == round(b.number, places)


def _decimal_places(number: float) -> int:
    text = f"{number:.6f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures of the same thing can both be true (see the module docstring)."""
    if a.number == b.number or _rounds_to(a.number, b.number) or _rounds_to(b.number, a.number):
        return a.qualifier == b.qualifier or a.number == b.number or "" in (a.qualifier, b.qualifier)
    if _same_decimal(a, b):
        return True
    low, high = (a, b) if a.number < b.number else (b, a)
    if low.qualifier in ("at least", "more than") or high.qualifier == "up to":
        return True
    return "about" in (a.qualifier, b.qualifier) and high.number - low.number <= ABOUT_SHARE * max(low.number, 1)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status of one figure's statements and how one outlet's several figures read."""

    status: ClaimStatus
    revision: str  # "", "revised", "several figures"
    note: str


def _explained_by_update(earlier: Stated, later: Stated, cumulative: bool) -> bool:
    return (
        cumulative
        and later.figure.number > earlier.figure.number
        and (later.published_at - earlier.published_at >= UPDATE_GAP)
    )


def _sequence(statements: Sequence[Stated]) -> str:
    steps: list[str] = []
    for s in sorted(statements, key=lambda s: s.published_at):
        text = f"{s.figure.text} ({s.outlet}, {s.published_at:%Y-%m-%d %H:%M})"
        if not steps or not steps[-1].startswith(s.figure.text + " "):
            steps.append(text)
    return " → ".join(steps)


def judge(statements: Sequence[Stated], cumulative: bool) -> Verdict:
    """Corroborated, single-source, conflicting or updated, for statements of one figure."""
    outlets = {s.outlet for s in statements}
    ordered = sorted(statements, key=lambda s: s.published_at)
    rises = cumulative and any(
        _explained_by_update(a, b, True) for i, a in enumerate(ordered) for b in ordered[i + 1 :]
    )
    conflict = False
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a.outlet == b.outlet or compatible(a.figure, b.figure):
                continue
            if b.published_at - a.published_at > timedelta(hours=CONFLICT_HOURS):
                continue
            if _explained_by_update(a, b, cumulative):
                continue
            conflict = True
    agreeing = all(compatible(a.figure, b.figure) for a in statements for b in statements)
    several = any(a.outlet == b.outlet and not compatible(a.figure, b.figure) for a in statements for b in statements)
    revision = ("revised" if rises else "several figures") if several else ""
    if conflict:
        return Verdict("conflicting", revision, "")
    monotone = all(
        b.figure.number >= a.figure.number or compatible(a.figure, b.figure)
        for a, b in zip(ordered, ordered[1:], strict=False)
    )
    if rises and monotone and len({s.figure.number for s in statements}) > 1:
        return Verdict("updated", revision, "later reports give higher figures: " + _sequence(statements))
    single: ClaimStatus = "corroborated" if len(outlets) >= 2 else "single-source"
    if agreeing:
        distinct = {s.figure.number for s in statements}
        return Verdict(single, "", "" if len(distinct) == 1 else "values differ only within their qualifiers")
    return Verdict("single-source" if not _corroborated(statements) else "corroborated", revision or "several figures",
                   "figures differ between reports published apart: " + _sequence(statements))  # fmt: skip


def _corroborated(statements: Sequence[Stated]) -> bool:
    """Two outlets state the latest figure alike."""
    latest = max(statements, key=lambda s: s.published_at).figure
    return len({s.outlet for s in statements if compatible(s.figure, latest)}) >= 2
