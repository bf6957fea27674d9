"""Text renderings of briefs, event lists and search hits (Markdown), and JSON.

Article text is untrusted: every piece of it is escaped for Markdown tables
and HTML (``<`` ``>`` ``&`` ``|``) before it is written out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from newsfuse.models import Brief, Citation, Claim, Event, EventSummary, SearchHit, Story, TimelineEntry

MAX_FACT_ROWS = 30
MAX_QUOTES = 10  # the most important quotes; the rest are in --json


def escape(text: str) -> str:
    """Make untrusted text inert in Markdown and HTML, on one line."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


ARTICLE_KEY_CHARS = 6  # id characters in a citation: unique among any event's articles in practice


def article_key(c: Citation) -> str:
    """A short, stable name of the cited article: its outlet and the start of its id."""
    return f"{escape(c.source)} {c.article_id[:ARTICLE_KEY_CHARS]}"


def cite(c: Citation) -> str:
    """``[outlet abc123 §N]``: sentence N of that one article (the id start tells an outlet's articles apart)."""
    return f"[{article_key(c)} §{c.sentence + 1}]"


def cite_each_source(citations: Sequence[Citation], limit: int = 4) -> str:
    """The first citation of each outlet, and how many more there are."""
    first = list({c.source: c for c in reversed(citations)}.values())[::-1]
    shown = " ".join(cite(c) for c in first[:limit])
    rest = len(citations) - min(len(first), limit)
    return shown + (f" (+{rest} more)" if rest > 0 else "")


def to_json(value: Any) -> str:
    """JSON of any record (dataclasses, lists of them)."""
    return TypeAdapter(type(value) if not isinstance(value, list) else list[Any]).dump_json(value, indent=2).decode()


def _dated(claim: Claim) -> bool:
    return claim.kind == "date" and claim.label != "mentioned" and claim.granularity == "day"


def _fact_label(claim: Claim) -> str:
    label = f"date of {claim.label}" if claim.kind == "date" else claim.label
    notes = [n for n in (claim.revision, claim.note) if n]
    return escape(label) + (f" ({escape('; '.join(notes))})" if notes else "")


def brief_markdown(brief: Brief) -> str:
    event = brief.event
    lines = [f"# {escape(event.label)}", ""]
    facts = [f"event `{event.event_id}`"]
    if brief.day:
        facts.append(f"date {brief.day.isoformat()}")
    if brief.place:
        facts.append(f"place {escape(brief.place)}")
    facts.append(f"{len(brief.sources)} source(s): " + ", ".join(escape(s) for s in brief.sources))
    lines += [" · ".join(facts), ""]
    lines += ["## Summary", ""]
    lines += [f"- {escape(c.text)} {cite(c)}" for c in brief.summary] + [""]
    table = [c for c in brief.claims if c.kind in ("count", "place", "target") or _dated(c)]
    lines += ["## Key facts", "", "| Fact | Value | Status | Sources |", "|---|---|---|---|"]
    for claim in table[:MAX_FACT_ROWS]:
        values = (
            " vs ".join(escape(v) for v in claim.values)
            if claim.status in ("conflicting", "updated")
            else escape(claim.values[0])
        )
        lines.append(f"| {_fact_label(claim)} | {values} | {claim.status} | {cite_each_source(claim.citations)} |")
    if len(table) > MAX_FACT_ROWS:
        lines.append(f"| … {len(table) - MAX_FACT_ROWS} more (see --json) | | | |")
    lines.append("")
    contested = [c for c in brief.claims if c.status in ("conflicting", "updated")]
    if contested:
        lines += ["## Conflicts and updates", ""]
        for claim in contested:
            lines.append(
                f"- **{escape(claim.label)}** — {claim.status}" + (f" ({escape(claim.note)})" if claim.note else "")
            )
            for c in claim.citations:
                when = c.published_at.strftime("%Y-%m-%d %H:%M")
                lines.append(f"  - **{escape(c.value)}** — {escape(c.source)} ({when}): “{escape(c.text)}” {cite(c)}")
        lines.append("")
    quotes = [c for c in brief.claims if c.kind == "quote"]
    if quotes:
        lines += ["## Quotes", ""]
        for claim in quotes[:MAX_QUOTES]:
            cites = cite_each_source(claim.citations)
            note = f" ({escape(claim.note)})" if claim.note else ""
            lines.append(f"- **{escape(claim.label)}**: “{escape(claim.values[0])}” — {claim.status}{note} {cites}")
            for wording in claim.values[1:]:
                where = [c for c in claim.citations if wording[:40] in c.text]
                lines.append(f"  - {', '.join(escape(c.source) for c in where) or 'also'}: “{escape(wording)}”"
                             f" {cite_each_source(where)}".rstrip())  # fmt: skip
        if len(quotes) > MAX_QUOTES:
            lines.append(f"- … {len(quotes) - MAX_QUOTES} more quotes (see --json)")
        lines.append("")
    if brief.timeline:
        lines += ["## Timeline", ""]
        for entry in brief.timeline:
            day = entry.day.isoformat() if entry.granularity == "day" else entry.day.isoformat()[:7]
            first = entry.citations[0]
            more = cite_each_source(entry.citations)
            lines.append(f"- **{day}** ({escape(entry.note)}): {escape(first.text)} {more}")
        lines.append("")
    shown = [*brief.summary, *(c for claim in table[:MAX_FACT_ROWS] for c in claim.citations)]
    shown += [c for claim in contested for c in claim.citations]
    cited = {(c.source, c.article_id, c.sentence): c for c in shown}
    if cited:
        lines += ["## Cited sentences", ""]
        for key in sorted(cited):
            c = cited[key]
            lines.append(f"- {cite(c)} ({c.published_at:%Y-%m-%d}) {escape(c.text)}")
        lines.append("")
    lines += [f"_{escape(n)}_" for n in brief.notes]
    return "\n".join(lines).rstrip() + "\n"


def events_markdown(summaries: Sequence[EventSummary]) -> str:
    if not summaries:
        return "No events yet: run `newsfuse ingest PATH` first.\n"
    lines = [
        "| Event | Published | Date | Place | Articles | Sources | Story | Label |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for summary in summaries:
        e = summary.event
        day = e.day.isoformat() if e.day else ""
        lines.append(
            f"| `{e.event_id}` | {e.first_published_at:%Y-%m-%d} | {day} | {escape(e.place)} | {len(e.article_ids)}"
            f" | {summary.sources} | `{e.story_id[:8]}` | {escape(e.label)} |"
        )
    return "\n".join(lines) + "\n"


def stories_markdown(stories: Sequence[Story]) -> str:
    if not stories:
        return "No stories yet: run `newsfuse ingest PATH` first.\n"
    lines = ["| Story | From | To | Events | Label |", "|---|---|---|---|---|"]
    for s in stories:
        lines.append(
            f"| `{s.story_id}` | {s.first_published_at:%Y-%m-%d} | {s.last_published_at:%Y-%m-%d}"
            f" | {len(s.event_ids)} | {escape(s.label)} |"
        )
    return "\n".join(lines) + "\n"


def story_markdown(story: Story, events: Sequence[Event]) -> str:
    lines = [f"# {escape(story.label)}", "", f"story `{story.story_id}` · {len(events)} event(s)", ""]
    for e in events:
        day = e.day.isoformat() if e.day else f"{e.first_published_at:%Y-%m-%d}"
        place = f" · {escape(e.place)}" if e.place else ""
        lines.append(f"- **{day}**{place}: {escape(e.label)} (`{e.event_id}`, {len(e.article_ids)} article(s))")
    return "\n".join(lines) + "\n"


def hits_markdown(hits: Sequence[SearchHit]) -> str:
    if not hits:
        return "No matches.\n"
    return "".join(
        f"- {h.published_at:%Y-%m-%d} {escape(h.source)}: **{escape(h.title)}** — {escape(h.snippet)}"
        f"{f' (event `{h.event_id}`)' if h.event_id else ''}\n"
        for h in hits
    )


def timeline_markdown(title: str, entries: Sequence[TimelineEntry]) -> str:
    if not entries:
        return "No dated statements found.\n"
    lines = [f"# Timeline: {escape(title)}", ""]
    for entry in entries:
        lines.append(f"## {entry.day.isoformat()}")
        lines.append("")
        for c in entry.citations:
            lines.append(f"- {escape(c.text)} {cite(c)} (published {c.published_at:%Y-%m-%d})")
        lines.append("")
    return "\n".join(lines)


def dumps(value: Any) -> str:
    """Pretty JSON for CLI output."""
    return json.dumps(json.loads(to_json(value)), indent=2, ensure_ascii=False)
