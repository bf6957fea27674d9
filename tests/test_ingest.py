from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.models import Article, Rejected
from newsfuse.settings import IngestSettings
from newsfuse.sources.files import RawItem, read_inputs
from newsfuse.stages.ingest import parse_item, parse_published

TEXT = "Rescue teams reached the flooded valley on Monday after heavy rain cut the only road."


def _parse(tmp_path: Path, name: str, data: bytes, now: datetime) -> list[Article | Rejected]:
    (tmp_path / name).write_bytes(data)
    results: list[Article | Rejected] = []
    for item in read_inputs([tmp_path / name], max_bytes=IngestSettings().max_bytes):
        results += [item] if isinstance(item, Rejected) else parse_item(item, settings=IngestSettings(), now=now)
    return results


def test_ingest_sample_format_reads_date_and_source(tmp_path: Path, now: datetime) -> None:
    [article] = _parse(tmp_path, "outlet-x.txt", f" date 2023-10-27 {TEXT}".encode(), now)
    assert isinstance(article, Article)
    assert article.published_at == datetime(2023, 10, 27, tzinfo=UTC)
    assert article.source == "outlet-x"
    assert article.text == TEXT


def test_ingest_jsonl_gz_and_malformed_line(tmp_path: Path, now: datetime) -> None:
    lines = [
        json.dumps({"text": TEXT, "date": "2023-10-27T08:00:00Z", "source": "Wire", "title": "Flood"}),
        "{not json",
        json.dumps({"text": TEXT, "published": "Fri, 27 Oct 2023 10:00:00 +0200", "source": "Other"}),
    ]
    results = _parse(tmp_path, "feed.jsonl.gz", gzip.compress("\n".join(lines).encode()), now)
    articles = [r for r in results if isinstance(r, Article)]
    [bad] = [r for r in results if isinstance(r, Rejected)]
    assert [a.source for a in articles] == ["Wire", "Other"]
    assert articles[1].published_at == datetime(2023, 10, 27, 8, 0, tzinfo=UTC)
    assert bad.origin.endswith("feed.jsonl.gz:2") and "malformed JSON" in bad.reason


def test_ingest_csv_needs_text_and_date(tmp_path: Path, now: datetime) -> None:
    data = f'text,date,source\n"{TEXT}",2023-10-27,Paper\n"{TEXT}",,Paper\n"{TEXT}",someday soon,Paper\n'
    results = _parse(tmp_path, "rows.csv", data.encode(), now)
    assert isinstance(results[0], Article)
    assert isinstance(results[1], Rejected) and results[1].reason == "no date field (date or published)"
    assert isinstance(results[2], Rejected) and "unparseable date" in results[2].reason


def test_ingest_html_page_uses_trafilatura(tmp_path: Path, now: datetime) -> None:
    body = " ".join([TEXT] * 8)
    page = (
        "<html><head><title>Valley flood</title><meta property='article:published_time' content='2023-10-27'>"
        f"<meta property='og:site_name' content='Daily Paper'></head><body><article><p>{body}</p>"
        f"<p>{body}</p></article></body></html>"
    )
    [article] = _parse(tmp_path, "page.html", page.encode(), now)
    assert isinstance(article, Article)
    assert article.published_at.date().isoformat() == "2023-10-27"
    assert "Rescue teams" in article.text
    assert article.source == "Daily Paper"


def test_ingest_rss_and_atom_entries(tmp_path: Path, now: datetime) -> None:
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire Service</title>"
        f"<item><title>One</title><link>http://example.org/1</link><description>{TEXT}</description>"
        "<pubDate>Fri, 27 Oct 2023 08:00:00 GMT</pubDate></item>"
        "<item><title>Two</title><description>No date here at all, so this entry is rejected.</description></item>"
        "</channel></rss>"
    )
    results = _parse(tmp_path, "wire.rss", rss.encode(), now)
    assert isinstance(results[0], Article) and results[0].source == "Wire Service"
    assert isinstance(results[1], Rejected) and results[1].reason == "no date"
    atom = (
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Atom Desk</title>"
        f"<entry><title>A</title><updated>2023-10-27T09:00:00Z</updated><summary>{TEXT}</summary></entry></feed>"
    )
    [entry] = _parse(tmp_path, "desk.atom", atom.encode(), now)
    assert isinstance(entry, Article) and entry.source == "Atom Desk"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("nodate.txt", TEXT.encode(), "no date"),
        ("short.txt", b"date 2023-10-27 Too short.", "too short"),
        ("future.txt", f"date 2099-01-01 {TEXT}".encode(), "implausible date"),
        ("baddate.txt", f"date 2023-13-45 {TEXT}".encode(), "unparseable date"),
        ("notes.doc", b"just some words without any format marker at all", "unknown format"),
    ],
)
def test_ingest_bad_item_has_reason(tmp_path: Path, now: datetime, name: str, data: bytes, reason: str) -> None:
    [result] = _parse(tmp_path, name, data, now)
    assert isinstance(result, Rejected)
    assert reason in result.reason
    assert result.origin.endswith(name)


def test_ingest_oversized_and_undecodable(now: datetime) -> None:
    small = IngestSettings(max_bytes=200)
    long_item = RawItem("big.txt", "sample", f"date 2023-10-27 {TEXT * 10}".encode(), "big")
    [big] = parse_item(long_item, settings=small, now=now)
    assert isinstance(big, Rejected) and "oversized" in big.reason
    garbage = RawItem("x.txt", "sample", bytes(range(128, 256)) * 40, "x")
    [bad] = parse_item(garbage, settings=IngestSettings(), now=now)
    assert isinstance(bad, Rejected)


def test_ingest_latin1_text_is_decoded(now: datetime) -> None:
    text = f"date 2023-10-27 Le café de la gare a fermé après la crue, a déclaré le maire de Genève. {TEXT}"
    [article] = parse_item(RawItem("f.txt", "sample", text.encode("latin-1"), "f"), settings=IngestSettings(), now=now)
    assert isinstance(article, Article)
    assert "café" in article.text


def test_ingest_same_content_same_id(now: datetime) -> None:
    item = RawItem("a.txt", "sample", f"date 2023-10-27 {TEXT}".encode(), "a")
    [first] = parse_item(item, settings=IngestSettings(), now=now)
    [again] = parse_item(item, settings=IngestSettings(), now=now)
    assert isinstance(first, Article) and isinstance(again, Article)
    assert first.article_id == again.article_id


def test_parse_published_formats(now: datetime) -> None:
    assert parse_published("2023-10-27", now=now) == datetime(2023, 10, 27, tzinfo=UTC)
    assert parse_published("27 October 2023", now=now) == datetime(2023, 10, 27, tzinfo=UTC)
    assert parse_published(1698364800, now=now) == datetime(2023, 10, 27, tzinfo=UTC)
    assert parse_published("", now=now) == "no date"
    assert str(parse_published("not a date 12", now=now)).startswith("unparseable")
