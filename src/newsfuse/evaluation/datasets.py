"""Readers for the public evaluation sets in ``shared/data`` (read straight from their archives).

Each reader yields ``LabeledArticle``: an ``Article`` plus its gold event and
topic and the split it belongs to (``dev`` for choosing settings, ``test``
for reporting).  Sets without publish dates get one fixed date, so time
never separates their documents and text alone decides.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import tarfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from newsfuse.errors import InvalidInput
from newsfuse.ids import article_id
from newsfuse.models import Article

Split = Literal["dev", "test"]
UNDATED = datetime(2000, 1, 1, tzinfo=UTC)
# Cybulska & Vossen (2015): topics 1-35 train/dev, 36-45 test.
ECB_TEST_TOPICS = range(36, 46)


@dataclass(frozen=True, slots=True)
class LabeledArticle:
    """An evaluation article with its gold labels."""

    article: Article
    event: str
    topic: str
    split: Split


_DETOKENIZE = [
    (re.compile(r" ([.,:;?!%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r"`` ?| ?''"), '"'),
]


def detokenize(text: str) -> str:
    """Undo PTB-style token spacing (`` ( `` , ``n't``, quotes) for display and matching."""
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return text.replace("-LRB-", "(").replace("-RRB-", ")")


def _labeled(doc: str, source: str, title: str, text: str, published: datetime, event: str, topic: str,
             split: Split) -> LabeledArticle:  # fmt: skip
    article = Article(article_id(source, published, doc + text), source, title, text, published, origin=doc)
    return LabeledArticle(article, event, topic, split)


def _tokens_text(root: ET.Element) -> str:
    sentences: dict[int, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        sentences[int(token.get("sentence", "0"))].append(token.text or "")
    return "\n".join(detokenize(" ".join(words)) for _, words in sorted(sentences.items()))


def read_ecbplus(data: Path) -> Iterator[LabeledArticle]:
    """ECB+: 982 documents, 43 topics, each with two sub-topics (ecb / ecbplus)."""
    archive = data / "ecbplus" / "ECB+_LREC2014.tar.gz"
    with tarfile.open(archive) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            match = re.search(r"/ECB\+/(\d+)/(\d+)_(\d+)(ecbplus|ecb)\.xml$", member.name)
            handle = tar.extractfile(member) if match else None
            if match is None or handle is None:
                continue
            topic = int(match.group(1))
            text = _tokens_text(ET.parse(handle).getroot())
            lines = [line for line in text.split("\n") if not line.startswith("http")]
            text = "\n".join(lines)
            doc = f"{topic}_{match.group(3)}{match.group(4)}"
            split: Split = "test" if topic in ECB_TEST_TOPICS else "dev"
            yield _labeled(doc, doc, lines[0][:200], text, UNDATED, f"{topic}{match.group(4)}", str(topic), split)


def read_basil(data: Path) -> Iterator[LabeledArticle]:
    """BASIL: 100 events, each reported by Fox, NYT and HuffPost (300 articles, real dates)."""
    with tarfile.open(data / "basil" / "basil.tar.gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            handle = tar.extractfile(member) if re.search(r"articles/\d{4}/[^/]+\.json$", member.name) else None
            if handle is None:
                continue
            record = json.load(handle)
            paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in record["body-paragraphs"]]
            published = datetime.fromisoformat(record["date"]).replace(tzinfo=UTC)
            event = record["triplet-uuid"]
            yield _labeled(member.name, record["source"], record["title"], "\n".join(paragraphs), published, event,
                           event, "test")  # fmt: skip


_NEUS_PART = re.compile(r"TITLE=>\s*(?P<title>.*?)\s*ARTICLE=>\s*(?P<text>.*)", re.DOTALL)


def read_neus(data: Path) -> Iterator[LabeledArticle]:
    """NeuS (AllSides): clusters of left/center/right reports, headline and lead; val = dev, test = test."""
    with tarfile.open(data / "neus_allsides" / "neus_allsides.tar.gz") as tar:
        for split_name, split in (("val", "dev"), ("test", "test")):
            member = tar.extractfile(f"naacl2022_lrc_roundup_random_order_probe/{split_name}.source")
            if member is None:
                raise InvalidInput(f"NeuS archive has no {split_name}.source")
            for line_number, line in enumerate(member.read().decode("utf-8").splitlines()):
                event = f"{split_name}-{line_number}"
                for side, part in enumerate(line.split("[SEP]")):
                    match = _NEUS_PART.search(part)
                    if match is None or not match.group("text").strip():
                        continue
                    doc = f"{event}-{side}"
                    yield _labeled(doc, f"outlet{side}", match.group("title"), match.group("text").strip(), UNDATED,
                                   event, event, split)  # type: ignore[arg-type]  # fmt: skip


def _meantime_documents(data: Path) -> Iterator[tuple[str, str, ET.Element, datetime]]:
    """(corpus, name, XML root, creation time) of each MEANTIME document (intra-document release)."""
    with tarfile.open(data / "meantime_en" / "meantime_newsreader_english_oct15.tar.gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            match = re.search(r"intra-doc_annotation/corpus_(\w+)/([^/]+)\.xml$", member.name)
            handle = tar.extractfile(member) if match else None
            if match is None or handle is None:
                continue
            root = ET.parse(handle).getroot()
            created = next(
                (t.get("value", "") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), ""
            )
            published = datetime.fromisoformat(created[:10]).replace(tzinfo=UTC) if created[:4].isdigit() else UNDATED
            yield match.group(1), match.group(2), root, published


def read_meantime(data: Path) -> Iterator[LabeledArticle]:
    """MEANTIME: 120 Wikinews articles in 4 corpora (airbus, apple, gm, stock), with creation dates."""
    for corpus, name, root, published in _meantime_documents(data):
        text = _tokens_text(root)
        yield _labeled(name, "wikinews", text.split("\n")[0], text, published, name, corpus, "test")


@dataclass(frozen=True, slots=True)
class GoldValue:
    """A MEANTIME VALUE tag: character span in its sentence and its type (QUANTITY, MONEY, PERCENT)."""

    sentence: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class ValueDocument:
    """A MEANTIME document as sentences of space-joined tokens, with its VALUE tags."""

    name: str
    created: date
    sentences: tuple[str, ...]
    values: tuple[GoldValue, ...]


def read_meantime_values(data: Path) -> list[ValueDocument]:
    """MEANTIME's 120 documents with their numeric VALUE annotations (intra-document release)."""
    documents = []
    for _, name, root, published in _meantime_documents(data):
        words: dict[int, list[str]] = defaultdict(list)
        where: dict[str, tuple[int, int, int]] = {}  # token id -> (sentence, start, end)
        for token in root.iter("token"):
            number, text = int(token.get("sentence", "0")), token.text or ""
            start = sum(len(w) + 1 for w in words[number])
            where[token.get("t_id", "")] = (number, start, start + len(text))
            words[number].append(text)
        order = {number: index for index, number in enumerate(sorted(words))}
        values = []
        for value in root.iter("VALUE"):
            spans = [where[a.get("t_id", "")] for a in value.iter("token_anchor") if a.get("t_id") in where]
            if spans:
                values.append(GoldValue(order[spans[0][0]], spans[0][1], spans[-1][2], value.get("type", "")))
        sentences = tuple(" ".join(words[n]) for n in sorted(words))
        documents.append(ValueDocument(name, published.date(), sentences, tuple(values)))
    return documents


def read_gva(data: Path) -> Iterator[LabeledArticle]:
    """gva_dev: US shooting news, the event is the Gun Violence Archive incident (``origin`` is the
    article's own id, the one ``gva_score.py`` matches; ``url`` is kept)."""
    with (data / "gva_dev" / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            published = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
            article = Article(
                article_id(row["source"], published, row["text"]), row["source"], row.get("title") or "",
                row["text"], published, url=row.get("url") or "", origin=row["id"],
            )  # fmt: skip
            incident = str(row["incident_id"])
            yield LabeledArticle(article, incident, incident, "dev")


def read_t17_stories(data: Path) -> Iterator[LabeledArticle]:
    """Timeline17 for story linking: the topic (egypt, libya, ...) is the story; there is no event gold
    (each article is its own event), so only the topic level is scored."""
    for topic in read_t17(data):
        for article in topic.articles:
            yield LabeledArticle(article, article.article_id, topic.topic, "test")


READERS = {
    "ecbplus": read_ecbplus, "basil": read_basil, "neus": read_neus, "meantime": read_meantime, "gva": read_gva,
    "t17": read_t17_stories,
}  # fmt: skip


def read_dataset(name: str, data: Path) -> list[LabeledArticle]:
    """Every labelled article of dataset ``name`` under ``data`` (``shared/data``)."""
    if name not in READERS:
        raise InvalidInput(f"unknown dataset {name!r} (choose from {', '.join(READERS)})")
    try:
        return list(READERS[name](data))
    except (OSError, tarfile.TarError, ET.ParseError, json.JSONDecodeError, KeyError) as exc:
        raise InvalidInput(f"cannot read {name} under {data}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class TlsTopic:
    """One Timeline17 topic: its articles (all source folders merged) and gold timelines."""

    topic: str
    articles: tuple[Article, ...]
    timelines: tuple[tuple[str, str], ...]  # (name, tilse-format text)


def read_tilse_file(path: Path) -> str:
    """A tilse-format timeline file (UTF-8, falling back to cp1252 as some gold files are)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_t17(data: Path) -> list[TlsTopic]:
    """Timeline17 grouped into the 9 news-tls topics (mapping from ``t17/stats.json``)."""
    root = data / "t17"
    try:
        stats = json.loads((root / "stats.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read Timeline17 under {root}: {exc}") from exc
    topics: dict[str, tuple[list[Article], list[tuple[str, str]]]] = {}
    for entry in stats:
        folder, topic = entry["folder"], entry["newstls_topic"]
        articles, timelines = topics.setdefault(topic, ([], []))
        with gzip.open(root / folder / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record["text"].strip()
                if not text:
                    continue
                published = datetime.fromisoformat(record["date"]).replace(tzinfo=UTC)
                title = text.split("\n", 1)[0][:200]
                articles.append(Article(article_id(folder, published, record["id"]), folder, title, text, published,
                                        origin=record["id"]))  # fmt: skip
        for name in entry["timelines"]:
            timelines.append((f"{folder}/{name}", read_tilse_file(root / folder / "timelines" / name)))
    return [TlsTopic(t, tuple(a), tuple(tl)) for t, (a, tl) in sorted(topics.items())]


def read_sdf_outputs(data: Path, variant: str = "TL17_bestds") -> dict[str, str]:
    """Published SDF-TLS system timelines for T17, keyed by file name."""
    folder = data / "sdf_tls_outputs" / "system_output" / variant
    return {p.name: read_tilse_file(p) for p in sorted(folder.glob("*.txt"))}


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """A TIMEX3 annotation: character span in the document text, type and normalized value."""

    start: int
    end: int
    text: str
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class TimexDocument:
    """A TimeML document: plain text, creation date and gold time expressions."""

    doc_id: str
    created: datetime
    text: str
    timexes: tuple[GoldTimex, ...]


_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_timeml(doc_id: str, raw: str) -> TimexDocument:
    """Plain text and TIMEX3 spans of a TimeML document (tags inside <TEXT> removed)."""
    dct = re.search(r'<DCT>\s*<TIMEX3[^>]*value="(\d{4}-\d{2}-\d{2})', raw)
    created = datetime.fromisoformat(dct.group(1)).replace(tzinfo=UTC) if dct else UNDATED
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")] if "<TEXT>" in raw else raw
    text: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    found: list[GoldTimex] = []
    position = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[position : tag.start()])
        text.append(chunk)
        length += len(chunk)
        position = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if not tag.group(1):
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            span = "".join(text)[start:length]
            found.append(GoldTimex(start, length, span, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    text.append(html.unescape(body[position:]))
    return TimexDocument(doc_id, created, "".join(text), tuple(found))


def read_tempeval(data: Path, part: str) -> list[TimexDocument]:
    """TempEval-3 documents: ``platinum`` (the test set) or ``tbaq`` (TimeBank + AQUAINT, for development)."""
    prefixes = {"platinum": "TempEval3/Evaluation/te3-platinum/", "tbaq": "TempEval3/Training/TBAQ-cleaned/"}
    if part not in prefixes:
        raise InvalidInput(f"unknown TempEval-3 part {part!r} (platinum or tbaq)")
    documents = []
    with tarfile.open(data / "tempeval3" / "tempeval3_gold.tar.gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            handle = tar.extractfile(member) if member.name.startswith(prefixes[part]) else None
            if handle is None or not member.name.endswith(".tml"):
                continue
            documents.append(parse_timeml(Path(member.name).stem, handle.read().decode("utf-8")))
    return documents


def dated_articles(data: Path) -> list[Article]:
    """Every dated real article under ``data`` (Timeline17, BASIL, ECB+, NeuS, MEANTIME), oldest first:
    the pool the speed benchmarks draw from."""
    articles = [a for topic in read_t17(data) for a in topic.articles]
    for name in ("basil", "ecbplus", "neus", "meantime"):
        articles += [x.article for x in read_dataset(name, data)]
    return sorted(articles, key=lambda a: (a.published_at, a.article_id))
