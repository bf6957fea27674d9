"""Acceptance on the two bundled sample articles, through the real spaCy model."""

from __future__ import annotations

from datetime import date

from newsfuse.models import Brief, Claim
from newsfuse.render import brief_markdown


def _claims(brief: Brief, kind: str) -> list[Claim]:
    return [c for c in brief.claims if c.kind == kind]


def _count(brief: Brief, slot: str) -> Claim:
    [claim] = [c for c in brief.claims if c.slot == slot]
    return claim


def test_samples_form_one_event_with_two_sources(sample_brief: Brief) -> None:
    assert len(sample_brief.sources) == 2
    assert len(sample_brief.event.article_ids) == 2


def test_samples_corroborated_counts(sample_brief: Brief) -> None:
    jets = _count(sample_brief, "count:aircraft|")
    attacks = _count(sample_brief, "count:attack|")
    for claim, value in ((jets, "2"), (attacks, "at least 19")):
        assert claim.status == "corroborated"
        assert claim.values[0] == value
        assert len({c.source for c in claim.citations}) == 2


def test_samples_injured_is_a_conflict_cited_to_both(sample_brief: Brief) -> None:
    claim = _count(sample_brief, "count:soldier|injured")
    assert claim.status == "conflicting"
    by_source = {c.source: c.value for c in claim.citations}
    assert by_source == {"us-strikes-syria-a": "21", "us-strikes-syria-b": "24"}
    assert any("21 American soldiers" in c.text for c in claim.citations)


def test_samples_death_is_single_source(sample_brief: Brief) -> None:
    claim = _count(sample_brief, "count:person|killed")
    assert claim.status == "single-source"
    assert claim.values == ("1",)
    assert "one person has died" in claim.citations[0].text


def test_samples_place_variants_are_one_corroborated_place(sample_brief: Brief) -> None:
    [claim] = [c for c in _claims(sample_brief, "place") if c.slot == "place:geonames:174448"]
    assert claim.status == "corroborated"
    assert set(claim.values) == {"Albukamal", "Boukamal"}
    assert "Kamal" in sample_brief.place


def test_samples_targets_depots_corroborated(sample_brief: Brief) -> None:
    depots = [c for c in _claims(sample_brief, "target") if "depot" in c.slot]
    assert depots and depots[0].status == "corroborated"


def test_samples_dates_resolved_and_no_date_conflict(sample_brief: Brief) -> None:
    dates = {c.slot: c for c in _claims(sample_brief, "date")}
    assert dates["date:2023-10-17"].status == "corroborated"
    assert "attack" in dates["date:2023-10-17"].label
    strike = dates["date:2023-10-26"]
    assert strike.status == "corroborated" and "local time" in strike.note
    assert "date:2023-10-27" not in dates
    assert not [c for c in sample_brief.claims if c.kind == "date" and c.status == "conflicting"]
    assert sample_brief.day == date(2023, 10, 26)
    assert [e.day.isoformat() for e in sample_brief.timeline if e.granularity == "day"] == [
        "2023-10-07",
        "2023-10-17",
        "2023-10-26",
    ]


def test_samples_quote_matched_across_outlets(sample_brief: Brief) -> None:
    austin = [c for c in _claims(sample_brief, "quote") if "Austin" in c.label]
    assert austin and austin[0].status == "corroborated"


def test_samples_markdown_has_every_section(sample_brief: Brief) -> None:
    text = brief_markdown(sample_brief)
    for heading in ("## Summary", "## Key facts", "## Conflicts and updates", "## Timeline"):
        assert heading in text
    assert "| soldiers injured | 21 vs 24 | conflicting |" in text
    assert text.count("[us-strikes-syria-") >= 10


def test_samples_austin_quote_one_corroborated_claim_citing_both(sample_brief: Brief) -> None:
    austin = [c for c in _claims(sample_brief, "quote") if "mostly unsuccessful attacks" in c.values[0]]
    assert len(austin) == 1
    [claim] = austin
    assert claim.status == "corroborated"
    assert {c.source for c in claim.citations} == {"us-strikes-syria-a", "us-strikes-syria-b"}
    assert any("American personnel" in v for v in claim.values) and any("US personnel" in v for v in claim.values)
    assert "Lloyd Austin" in claim.label
    assert sample_brief.claims[len(sample_brief.claims) - len(_claims(sample_brief, "quote"))] == claim  # listed first


def test_samples_pronoun_is_the_speaker_before_not_a_name_after_it(sample_brief: Brief) -> None:
    [claim] = [c for c in _claims(sample_brief, "quote") if "will not tolerate such attacks" in c.values[0]]
    assert claim.label.startswith("Lloyd Austin")  # 'He added that President Biden directed … “to make clear …”'
