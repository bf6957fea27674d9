"""Where an id went: after a regroup, each event or story id that is gone points to the one now holding
most of its articles, so a link that was shared once keeps working."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping


def find_successors(before: Mapping[str, Iterable[str]], after: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """For each id of ``before`` (id -> member article ids) missing from ``after``, the ``after`` id that
    holds most of its members (ties: the smaller id); ids none of whose members remain are left out."""
    home = {member: new for new, members in after.items() for member in members}
    successors = {}
    for old, members in before.items():
        if old in after:
            continue
        votes = Counter(home[m] for m in members if m in home)
        if votes:
            successors[old] = min(votes, key=lambda new: (-votes[new], new))
    return successors
