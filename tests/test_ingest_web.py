"""Ingest of real feeds and pages and of news-API records: faithful text, dates, outlet, language (#21)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.models import Article, Extraction, RawItem, Rejected
from newsfuse.settings import IngestSettings
from newsfuse.sources.files import read_inputs
from newsfuse.stages.extract import fact_rules_apply
from newsfuse.stages.ingest import parse_item
from newsfuse.store import Store

DATA = Path(__file__).parent / "data" / "web"
TEXT = "Rescue teams reached the flooded valley on Monday after heavy rain cut the only road."


def _parse(paths: list[Path], now: datetime) -> list[Article | Rejected]:
    results: list[Article | Rejected] = []
    for item in read_inputs(paths, max_bytes=IngestSettings().max_bytes):
        results += [item] if isinstance(item, Rejected) else parse_item(item, settings=IngestSettings(), now=now)
    return results


def _entry(results: list[Article | Rejected], number: int) -> Article:
    [found] = [r for r in results if isinstance(r, Article) and r.origin.endswith(f"#entry{number}")]
    return found


def test_feed_photo_caption_is_never_the_article(now: datetime) -> None:
    results = _parse([DATA / "nytimes-science.xml"], now)
    entry = _entry(results, 2)  # its media:description is a photo caption beside the teaser
    assert entry.text.startswith("Archaeologists unearthed the remains of a 4,000-year-old")
    assert "coffin of Gua" not in entry.text
    assert entry.content_kind == "teaser" and not fact_rules_apply(entry)


def test_feed_sections_of_one_outlet_share_its_name(now: datetime) -> None:
    results = _parse([DATA / "nytimes-science.xml"], now)
    sources = {r.source for r in results if isinstance(r, Article)}
    assert sources == {"NYT"}
    entry = _entry(results, 3)
    assert entry.published_at == datetime(2020, 1, 1, 1, 17, 15, tzinfo=UTC) and entry.date_source == "feed published"


def test_html_page_keeps_time_language_and_outlet(now: datetime) -> None:
    [page] = _parse([DATA / "kyffhaeuser-nachrichten.de-Regen.html"], now)
    assert isinstance(page, Article)
    assert page.language == "de"  # German text: no English fact rules on it
    assert not fact_rules_apply(page)
    assert page.title == "So viel Regen gab es lange nicht"
    assert page.published_at.date().isoformat() == "2023-10-31" and page.date_source


def test_html_about_and_shop_pages_are_rejected_with_a_reason(tmp_path: Path, now: datetime) -> None:
    body = " ".join([TEXT] * 8)
    about = f"<html><head><link rel='canonical' href='https://www.example.org/about'></head><body><p>{body}</p></body></html>"
    shop = f"<html><head><meta property='og:type' content='product'></head><body><p>{body}</p></body></html>"
    (tmp_path / "about.html").write_text(about)
    (tmp_path / "shop.html").write_text(shop)
    reasons = [r.reason for r in _parse([tmp_path / "about.html", tmp_path / "shop.html"], now)]
    assert reasons == ["not a news article (an about page)", "not a news article (a shop page)"]


def test_html_original_date_wins_over_modified(tmp_path: Path, now: datetime) -> None:
    body = " ".join([TEXT] * 8)
    page = (
        "<html><head><meta property='article:modified_time' content='2019-08-01T10:00:00+00:00'>"
        "<meta property='article:published_time' content='2013-06-10T14:05:00+02:00'></head>"
        f"<body><article><h1>Flood</h1><p>{body}</p></article></body></html>"
    )
    (tmp_path / "page.html").write_text(page)
    [article] = _parse([tmp_path / "page.html"], now)
    assert isinstance(article, Article)
    assert article.published_at == datetime(2013, 6, 10, 12, 5, tzinfo=UTC)
    assert article.date_source == "meta article:published_time"


def test_news_api_shapes_are_read(tmp_path: Path, now: datetime) -> None:
    newsapi = {"status": "ok", "articles": [
        {"source": {"id": None, "name": "Reuters"}, "title": "Flood", "url": "https://www.reuters.com/a",
         "publishedAt": "2023-10-27T08:00:00Z", "content": TEXT},
    ]}  # fmt: skip
    registry = {"articles": {"results": [
        {"source": {"uri": "bbc.co.uk", "title": "BBC"}, "title": "Flood", "url": "https://www.bbc.co.uk/b",
         "dateTimePub": "2023-10-27T09:30:00Z", "body": TEXT, "lang": "eng"},
    ]}}  # fmt: skip
    (tmp_path / "newsapi.json").write_text(json.dumps(newsapi))
    (tmp_path / "registry.json").write_text(json.dumps(registry))
    first, second = _parse([tmp_path / "newsapi.json", tmp_path / "registry.json"], now)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.source, first.published_at.hour) == ("Reuters", 8)
    assert (second.source, second.published_at.hour, second.language) == ("BBC", 9, "en")


def test_record_without_source_takes_the_url_domain_and_empty_text_says_so(tmp_path: Path, now: datetime) -> None:
    rows = [
        {"text": TEXT, "date": "2023-10-27", "url": "https://edition.cnn.com/x"},
        {"text": TEXT + " More.", "date": "2023-10-27", "url": "https://www.reuters.com/y"},
        {"text": TEXT + " Also.", "date": "2023-10-27", "url": "https://www.example-news.org/z"},
        {"text": "", "date": "2023-10-27"},
    ]
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "part.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    cnn, reuters, other, empty = _parse([folder], now)
    assert isinstance(cnn, Article) and isinstance(reuters, Article) and isinstance(other, Article)
    assert other.source == "example-news.org"
    assert (cnn.source, reuters.source) == ("CNN", "Reuters")  # well-known outlets by their domain
    assert isinstance(empty, Rejected) and empty.reason == "empty text field (text)"


def test_store_keeps_content_kind_dateline_and_date_source(tmp_path: Path, now: datetime) -> None:
    results = [r for r in _parse([DATA / "nytimes-science.xml"], now) if isinstance(r, Article)]
    with Store(tmp_path / "s.db") as store:
        store.add_articles(results, [], now=now)
        back = {a.article_id: a for a in store.articles([a.article_id for a in results])}
    assert all(back[a.article_id] == a for a in results)


def test_chinese_text_is_not_rejected_as_one_word(tmp_path: Path, now: datetime) -> None:
    record = {"text": "武汉的声音：有英勇的你，才有英雄的城！医护人员日夜坚守在抗疫一线。", "date": "2020-02-19"}
    (tmp_path / "zh.jsonl").write_text(json.dumps(record, ensure_ascii=False))
    [article] = _parse([tmp_path / "zh.jsonl"], now)
    assert isinstance(article, Article) and article.language == "zh"


def test_extraction_runs_no_english_fact_rules_on_german(now: datetime) -> None:
    from newsfuse.assets import load_gazetteer, load_nlp
    from newsfuse.settings import ExtractSettings
    from newsfuse.stages.extract import extract_facts

    [page] = _parse([DATA / "kyffhaeuser-nachrichten.de-Regen.html"], now)
    assert isinstance(page, Article)
    english = Article(page.article_id + "e", "Wire", "Flood", "Five people were killed on Monday, police said.",
                      page.published_at)  # fmt: skip
    german, control = extract_facts([page, english], nlp=load_nlp(), gazetteer=load_gazetteer(),
                                    settings=ExtractSettings())  # fmt: skip
    assert isinstance(german, Extraction)
    assert german.quantities == () and german.quotes == () and german.times == ()
    assert control.quantities  # the rules do run on English reports


def test_html_page_dated_only_by_a_copyright_year_is_no_article(tmp_path: Path, now: datetime) -> None:
    body = " ".join([TEXT] * 8)
    page = f"<html><body><div><h1>Unser Verein</h1><p>{body}</p></div><footer>© 2016 Hundeverein</footer></body></html>"
    (tmp_path / "verein.html").write_text(page)
    [rejected] = _parse([tmp_path / "verein.html"], now)
    assert isinstance(rejected, Rejected) and "only a year" in rejected.reason


def test_local_midnight_is_a_day_and_an_unzoned_byline_keeps_only_its_day(tmp_path: Path, now: datetime) -> None:
    from newsfuse.stages.ingest import parse_published

    assert parse_published("2018-12-22T00:00:00+01:00", now=now) == datetime(2018, 12, 22, tzinfo=UTC)
    body = " ".join([TEXT] * 8)
    page = f"<html><body><article><h1>Cold</h1><p>Written: 2023-11-07 15:03:30</p><p>{body}</p></article></body></html>"
    (tmp_path / "kbs.html").write_text(page)
    [article] = _parse([tmp_path / "kbs.html"], now)
    assert isinstance(article, Article) and article.date_source == "byline"
    assert article.published_at == datetime(2023, 11, 7, tzinfo=UTC)  # 15:03 in an unstated zone is not 15:03 UTC


def test_store_outlets_table_has_one_row_per_domain(tmp_path: Path, now: datetime) -> None:
    rows = [
        {"text": TEXT, "date": "2023-10-27", "url": "https://www.nytimes.com/world/a", "source": "NYT > World News"},
        {"text": TEXT + " Two.", "date": "2023-10-27", "url": "https://m.nytimes.com/science/b", "source": "NYT"},
        {"text": TEXT + " Three.", "date": "2023-10-27", "source": "Local Wire"},
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    articles = [r for r in _parse([tmp_path / "mixed.jsonl"], now) if isinstance(r, Article)]
    with Store(tmp_path / "o.db") as store:
        store.add_articles(articles[:1], [], now=now)
        store.add_articles(articles[1:], [], now=now)
        outlets = store.outlet_records()
    assert [(o[0], o[1], o[2], o[3]) for o in outlets] == [
        ("local wire", "Local Wire", "", []),
        ("nytimes.com", "NYT > World News", "nytimes.com", ["NYT"]),
    ]


def _page(head: str, body: str) -> RawItem:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return RawItem(origin="page.html", stem="page", fmt="html", data=html.encode())


def test_html_page_text_keeps_the_standfirst_and_drops_the_repeated_headline(now: datetime) -> None:
    lead = "Rescuers worked through the night as the river rose to its highest level in forty years."
    body = "".join(f"<p>{TEXT} Paragraph {n} of the report went on.</p>" for n in range(8))
    head = "<title>Valley flooded | Daily Paper</title><meta property='og:site_name' content='Daily Paper'>"
    head += "<meta property='article:published_time' content='2024-05-06T07:30:00+02:00'>"
    html = f"<article><header><hgroup><h1>Valley flooded</h1><h2>{lead}</h2></hgroup></header>{body}</article>"
    [page] = parse_item(_page(head, html), settings=IngestSettings(), now=now)
    assert isinstance(page, Article)
    assert page.text.startswith(lead) and "Valley flooded" not in page.text
    assert page.published_at == datetime(2024, 5, 6, 5, 30, tzinfo=UTC)


def test_html_page_body_only_in_json_ld_is_read(now: datetime) -> None:
    body = " ".join([TEXT] * 20)
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2024-05-06T07:30:00Z", "articleBody": body})
    head = f"<title>Valley flooded</title><script type='application/ld+json'>{ld}</script>"
    caption = "The valley under water on Monday, seen from the hill above the village. Photo: a reader of the paper."
    shown = "".join(f"<p>{caption} Picture {n} of the series.</p>" for n in range(4))  # the page shows captions only
    [page] = parse_item(
        _page(head, f"<article><h1>Valley flooded</h1>{shown}</article>"), settings=IngestSettings(), now=now
    )
    assert isinstance(page, Article) and page.text == body
