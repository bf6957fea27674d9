from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.evaluation.tls import average, match_published, parse_tilse, score_timeline
from newsfuse.models import Article, Sentence, TimeExpression
from newsfuse.settings import TimelineSettings
from newsfuse.stages.extract.timex import tag_times
from newsfuse.stages.split import split_sentences
from newsfuse.stages.timeline import build_timeline

GOLD = """2010-04-20
An explosion on the Deepwater Horizon rig kills 11 workers .
--------------------------------
2010-07-15
BP caps the leaking well .
--------------------------------
"""


def test_tls_parse_tilse_format() -> None:
    timeline = parse_tilse(GOLD)
    assert list(timeline) == [date(2010, 4, 20), date(2010, 7, 15)]
    assert timeline[date(2010, 7, 15)] == ["BP caps the leaking well ."]


def test_tls_identical_timeline_scores_one() -> None:
    gold = parse_tilse(GOLD)
    scores = average([score_timeline(gold, gold)])
    assert (scores.ar1, scores.ar2, scores.date_f1) == pytest.approx((1.0, 1.0, 1.0))


def test_tls_date_offset_discounts_hits() -> None:
    gold = parse_tilse(GOLD)
    shifted = {date(2010, 4, 21): gold[date(2010, 4, 20)], date(2010, 7, 15): gold[date(2010, 7, 15)]}
    scores = score_timeline(shifted, gold)
    assert scores.dates == (0.5, 0.5)
    assert 0.5 < scores.r1[0] < 1.0  # one day off: hits count half


def test_tls_stopwords_only_change_counts() -> None:
    gold = {date(2010, 1, 1): ["the the the quake"]}
    pred = {date(2010, 1, 1): ["the quake"]}
    assert score_timeline(pred, gold).r1 == (1.0, 1.0)
    assert score_timeline(pred, gold, stopwords=True).r1[1] == pytest.approx(0.5)


def test_tls_published_output_names_match_gold() -> None:
    names = [
        "bpoil_bbc/bbc.txt",
        "haiti_bbc/bbc.txt",
        "MJ_bbc/bbc.co.uk.txt",
        "SyrianCrisis_reuters/tl2.1.txt",
        "SyrianCrisis_bbc/tl1.txt",
    ]
    assert match_published("TL17_bestds_bpoil_bbc.txt", names) == "bpoil_bbc/bbc.txt"
    assert match_published("TL17_bestds_mj_bbc.txt", names) == "MJ_bbc/bbc.co.uk.txt"
    assert match_published("TL17_bestds_syria_tl2.txt", names) == ""


Tagged = tuple[list[Article], dict[str, tuple[Sentence, ...]], dict[str, tuple[TimeExpression, ...]]]


def _tagged(texts: dict[str, tuple[str, datetime]]) -> Tagged:
    """Articles (outlet-<key>) with their sentences and time expressions."""
    articles = [Article(k, f"outlet-{k}", t[:20], t, when) for k, (t, when) in texts.items()]
    sentences = {a.article_id: split_sentences(a.text) for a in articles}
    times = {a.article_id: tag_times(sentences[a.article_id], a.published_at.date()) for a in articles}
    return articles, sentences, times


def test_timeline_picks_mentioned_dates_with_citations() -> None:
    articles, sentences, times = _tagged({
        "a": ("The rig exploded on April 20, killing 11 workers. Oil began to leak into the gulf waters.",
              datetime(2010, 4, 22, tzinfo=UTC)),
        "b": ("BP said the rig exploded on April 20 in the Gulf of Mexico. The spill grew larger every day.",
              datetime(2010, 5, 1, tzinfo=UTC)),
        "c": ("BP capped the well on Thursday after weeks of failed attempts. Engineers watched the pressure.",
              datetime(2010, 7, 16, tzinfo=UTC)),
    })  # fmt: skip
    entries = build_timeline(articles, sentences, times, TimelineSettings(dates=2, pub_weight=0.1))
    assert [e.day for e in entries] == [date(2010, 4, 20), date(2010, 7, 15)]
    assert "exploded" in entries[0].citations[0].text
    assert entries[1].citations[0].article_id == "c"


def test_timeline_counts_one_vote_per_article() -> None:
    may = datetime(2010, 5, 1, tzinfo=UTC)
    articles, sentences, times = _tagged({
        "a": ("The leak began on April 20 at the rig. On April 20 the crew fled. By April 20 night it burned.", may),
        "b": ("Engineers said the first cap failed on April 23 in deep water.", may),
        "c": ("The company admitted the cap failed on April 23 after tests.", may),
    })  # fmt: skip
    one = TimelineSettings(dates=1, pub_weight=0.0)
    assert [e.day for e in build_timeline(articles, sentences, times, one)] == [date(2010, 4, 23)]
    every = TimelineSettings(dates=1, pub_weight=0.0, one_vote_per_article=False)
    assert [e.day for e in build_timeline(articles, sentences, times, every)] == [date(2010, 4, 20)]


def test_timeline_next_day_leads_and_centroid_summary() -> None:
    next_day = datetime(2010, 7, 16, tzinfo=UTC)
    articles, sentences, times = _tagged({
        "a": ("BP capped the leaking well on July 15 after weeks of failed attempts.", next_day),
        "b": ("BP finally capped the leaking well in the gulf after failed attempts.", next_day),
        "c": ("BP capped the leaking well in the gulf, officials said after weeks of attempts.", next_day),
        "d": ("Shrimp prices rose sharply at markets in New Orleans this summer season.", next_day),
    })  # fmt: skip
    settings = TimelineSettings(dates=1, per_date=2, pub_weight=0.0)
    (entry,) = build_timeline(articles, sentences, times, settings)
    assert entry.day == date(2010, 7, 15)  # named by "a"; the leads of the next day's articles join it
    first, second = entry.citations  # the typical account first; near-repeats of it are skipped
    assert "capped" in first.text and first.article_id != "d" and second.article_id == "d"
    alone = TimelineSettings(dates=1, per_date=2, pub_weight=0.0, next_day_leads=False)
    (entry,) = build_timeline(articles, sentences, times, alone)
    assert [c.article_id for c in entry.citations] == ["a"]


def test_cli_timeline_of_query_and_event(sample_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["timeline", "--query", "strikes Syria", "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert "## 2023-10-26" in result.output and "[us-strikes-syria-" in result.output
    event_id = json.loads(runner.invoke(main, ["events", "--db", str(sample_db), "--json"]).output)[0]["event_id"]
    data = json.loads(runner.invoke(main, ["timeline", "--event", event_id, "--db", str(sample_db), "--json"]).output)
    assert {e["day"] for e in data} >= {"2023-10-17", "2023-10-26"}
    both = runner.invoke(main, ["timeline", "--query", "x", "--event", event_id, "--db", str(sample_db)])
    assert both.exit_code == 1 and "exactly one" in both.output
