"""Draw the blind evaluation samples: cross-outlet fact pairs and direct quotes.

    python -m newsfuse.evaluation.draw --data ../shared/data --out src/newsfuse/evaluation/labels/blind

Nothing here runs newsfuse's extractors, grouping or reconciling: candidates come from the gold
clusters of each data set (a GVA incident, a BASIL triplet, a NeuS cluster, Timeline17 articles of
one topic from different outlets within two days) and from plain patterns (a number; a pair of
quotation marks), with fixed seeds.  The samples are written without labels; labellers who have
never seen newsfuse's output label them from ``labels/blind/RULES.md``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from newsfuse.evaluation.datasets import read_dataset, read_t17
from newsfuse.models import Article
from newsfuse.stages.split import split_sentences

FACT_SEED = 20261201
QUOTE_SEED = 20261202
FACT_QUOTAS = {"gva": 120, "t17": 80, "basil": 60, "neus": 60}  # 320 pairs
QUOTE_QUOTAS = {"gva": 80, "t17": 100, "basil": 80, "neus": 60}  # 320 quotes
QUOTE_SEED_2 = 20261203  # a second quotes sample, drawn after the first had been used to build the rules
QUOTE_QUOTAS_2 = {"gva": 50, "t17": 60, "basil": 50, "neus": 40}  # 200 quotes, none from an article of the first
QUOTE_PAIRS = 90  # cross-outlet quote pairs (same statement or not)
T17_WINDOW = timedelta(days=2)  # Timeline17 articles this close, from different outlets, form a cluster
MAX_SENTENCE_CHARS = 600  # longer "sentences" are page chrome or lists; not shown to labellers

NUMBER = re.compile(
    r"(?<![\w.,])(?:\d[\d,.]*\d|\d)(?:\s?(?:million|billion|percent|%))?(?![\w])"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|a dozen)\b",
    re.IGNORECASE,
)
QUOTE = re.compile(r"(?:[\"“]|``)((?:(?!``|'')[^\"“”]){12,600})(?:[\"”]|'')")  # Timeline17 quotes as `` ''
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "said",
        "says",
        "will",
        "would",
        "could",
        "not",
        "no",
        "after",
        "before",
        "over",
        "about",
        "than",
        "who",
        "which",
        "what",
        "when",
        "where",
    ]
)
KEYWORDS = frozenset(
    [
        "killed",
        "dead",
        "died",
        "injured",
        "wounded",
        "hurt",
        "shot",
        "arrested",
        "deaths",
        "victims",
        "people",
        "percent",
        "rate",
        "billion",
        "million",
        "troops",
        "soldiers",
        "protesters",
        "votes",
        "jobs",
    ]
)


@dataclass(frozen=True, slots=True)
class Doc:
    """An article of a gold cluster, as the samples show it."""

    dataset: str
    cluster: str
    article: Article
    origin: str  # the data set's own id of the article


def read_gva(data: Path) -> list[Doc]:
    """gva_dev articles with their incident (only incidents with two or more outlets)."""
    rows = read_dataset("gva", data)
    outlets: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        outlets[row.event].add(row.article.source)
    return [Doc("gva", x.event, x.article, x.article.origin) for x in rows if len(outlets[x.event]) > 1]


def read_clustered(data: Path) -> dict[str, list[Doc]]:
    """Every data set's articles with their gold cluster."""
    docs = {"gva": read_gva(data)}
    for name in ("basil", "neus"):
        docs[name] = [
            Doc(name, x.event, x.article, x.article.origin)
            for x in read_dataset(name, data)
            if name != "neus" or x.split == "test"
        ]
    t17 = []
    for topic in read_t17(data):
        for a in topic.articles:
            # a day-cluster: the topic and the day; pairs also look one window either side
            t17.append(Doc("t17", f"{topic.topic}/{a.published_at.date().isoformat()}", a, a.origin))
    docs["t17"] = t17
    return docs


def _context(article: Article) -> list[tuple[int, str]]:
    return [(s.index, s.text) for s in split_sentences(article.text) if len(s.text) <= MAX_SENTENCE_CHARS]


def _side(doc: Doc, sentences: list[tuple[int, str]], position: int, mention: re.Match[str]) -> dict[str, object]:
    index, text = sentences[position]
    return {
        "article_id": doc.article.article_id,
        "origin": doc.origin,
        "source": doc.article.source,
        "title": doc.article.title,
        "published": doc.article.published_at.isoformat(),
        "sentence_index": index,
        "sentence": text,
        "before": sentences[position - 1][1] if position > 0 else "",
        "mention": mention.group(0),
        "mention_start": mention.start(),
    }


def _next_word(text: str, end: int) -> str:
    found = WORD.search(text, end)
    return found.group(0).lower().rstrip("s") if found and found.start() - end < 20 else ""


def _partners(docs: Sequence[Doc], dataset: str) -> Iterator[tuple[Doc, list[Doc]]]:
    """Each article with the articles of other outlets it may be paired with."""
    by_cluster: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_cluster[doc.cluster.split("/")[0] if dataset == "t17" else doc.cluster].append(doc)
    for members in by_cluster.values():
        for doc in members:
            others = [
                o
                for o in members
                if o.article.source != doc.article.source
                and (dataset != "t17" or abs(o.article.published_at - doc.article.published_at) <= T17_WINDOW)
            ]
            if others:
                yield doc, others


def draw_fact_pairs(docs: dict[str, list[Doc]], seed: int = FACT_SEED) -> list[dict[str, object]]:
    """Pairs of number mentions from two outlets' reports of one gold cluster: six in ten share the
    word after the number or a topic keyword (where agreement and conflict are), the rest are random."""
    rng = random.Random(seed)
    pairs: list[dict[str, object]] = []
    for dataset, quota in FACT_QUOTAS.items():
        candidates = list(_partners(docs[dataset], dataset))
        rng.shuffle(candidates)
        used: set[tuple[str, str]] = set()
        taken = 0
        for doc, others in candidates:
            if taken == quota:
                break
            other = rng.choice(others)
            low, high = sorted((doc.article.article_id, other.article.article_id))
            key = (low, high)
            if key in used:
                continue
            a_sentences, b_sentences = _context(doc.article), _context(other.article)
            a_mentions = [(p, m) for p, (_, t) in enumerate(a_sentences) for m in NUMBER.finditer(t)]
            b_mentions = [(p, m) for p, (_, t) in enumerate(b_sentences) for m in NUMBER.finditer(t)]
            if not a_mentions or not b_mentions:
                continue
            a_pos, a_match = rng.choice(a_mentions)
            matched = rng.random() < 0.6
            if matched:
                noun = _next_word(a_sentences[a_pos][1], a_match.end())
                a_keys = {w.lower() for w in WORD.findall(a_sentences[a_pos][1])} & KEYWORDS
                close = [
                    (p, m)
                    for p, m in b_mentions
                    if (noun and _next_word(b_sentences[p][1], m.end()) == noun)
                    or a_keys & {w.lower() for w in WORD.findall(b_sentences[p][1])}
                ]
                b_mentions = close or b_mentions
            b_pos, b_match = rng.choice(b_mentions)
            first, second = sorted(
                [(doc, a_sentences, a_pos, a_match), (other, b_sentences, b_pos, b_match)],
                key=lambda side: (side[0].article.published_at, side[0].article.article_id),
            )
            used.add(key)
            pairs.append(
                {
                    "id": f"{dataset}-{taken:03d}",
                    "dataset": dataset,
                    "cluster": doc.cluster,
                    "drawn": "matched" if matched else "random",
                    "a": _side(first[0], first[1], first[2], first[3]),
                    "b": _side(second[0], second[1], second[2], second[3]),
                }
            )
            taken += 1
    return pairs


FIGURE_SEED = 20261203
FIGURE_QUOTAS = {"gva": 120, "t17": 40, "basil": 20, "neus": 20}  # 200 more pairs, aimed at figures
# words a reported figure is about, by what they measure (pairs share a group)
FIGURE_GROUPS = {
    "dead": "killed dead died deaths fatally fatalities lives bodies",
    "hurt": "injured wounded hurt injuries hospitalized",
    "shot": "shot shooting shootings gunshot",
    "held": "arrested arrests charged detained suspects",
    "people": "people persons victims children adults men women students soldiers troops protesters civilians",
    "money": "billion million dollars pounds euros",
    "share": "percent %",
    "votes": "votes seats delegates",
    "jobs": "jobs workers employees",
}
FIGURE_WORDS = {w: group for group, words in FIGURE_GROUPS.items() for w in words.split()}
# a number (not a year, time of day or age) with a figure word at most three words after it
FIGURE = re.compile(
    r"(?<![\w.,:$-])(?!(?:19|20)\d\d\b)(?:\d[\d,.]*\d|\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|dozens?|hundreds?|thousands?)(?![\w:]|-year)(?:\s+[A-Za-z][\w'’-]*){0,3}?\s+(?P<word>[A-Za-z%]+)\b",
    re.IGNORECASE,
)


def _figures(text: str) -> list[tuple[re.Match[str], str]]:
    """Figure-looking numbers of a sentence with the group of their figure word."""
    found = []
    for match in FIGURE.finditer(text):
        group = FIGURE_WORDS.get(match.group("word").lower())
        if group:
            found.append((match, group))
    return found


def draw_figure_pairs(
    docs: dict[str, list[Doc]], exclude: set[tuple[str, str]], seed: int = FIGURE_SEED
) -> list[dict[str, object]]:
    """Pairs of figures from two outlets' reports of one gold cluster whose figure words measure the
    same kind of thing (deaths, injuries, arrests, money, ...): where agreement, conflict and update are."""
    rng = random.Random(seed)
    pairs: list[dict[str, object]] = []
    for dataset, quota in FIGURE_QUOTAS.items():
        candidates = list(_partners(docs[dataset], dataset))
        rng.shuffle(candidates)
        used = set(exclude)
        taken = 0
        for doc, others in candidates:
            if taken == quota:
                break
            a_sentences = _context(doc.article)
            a_figures = [(p, m, g) for p, (_, t) in enumerate(a_sentences) for m, g in _figures(t)]
            if not a_figures:
                continue
            a_pos, a_match, group = rng.choice(a_figures)
            options = []
            for other in others:
                b_sentences = _context(other.article)
                options += [
                    (other, b_sentences, p, m)
                    for p, (_, t) in enumerate(b_sentences)
                    for m, g in _figures(t)
                    if g == group
                ]
            if not options:
                continue
            other, b_sentences, b_pos, b_match = rng.choice(options)
            low, high = sorted((doc.article.article_id, other.article.article_id))
            if (low, high) in used:
                continue
            used.add((low, high))
            first, second = sorted(
                [(doc, a_sentences, a_pos, a_match), (other, b_sentences, b_pos, b_match)],
                key=lambda side: (side[0].article.published_at, side[0].article.article_id),
            )
            pairs.append(
                {
                    "id": f"{dataset}-f{taken:03d}",
                    "dataset": dataset,
                    "cluster": doc.cluster,
                    "drawn": f"figure:{group}",
                    "a": _figure_side(first),
                    "b": _figure_side(second),
                }
            )
            taken += 1
    return pairs


def _figure_side(side: tuple[Doc, list[tuple[int, str]], int, re.Match[str]]) -> dict[str, object]:
    doc, sentences, position, match = side
    number = re.match(r"\S+", match.group(0))
    assert number is not None  # FIGURE starts with a number
    row = _side(doc, sentences, position, match)
    row["mention"], row["mention_start"] = number.group(0), match.start()
    return row


def _quote_item(doc: Doc, sentences: list[tuple[int, str]], position: int, match: re.Match[str]) -> dict[str, object]:
    index, text = sentences[position]
    return {
        "article_id": doc.article.article_id,
        "origin": doc.origin,
        "dataset": doc.dataset,
        "cluster": doc.cluster,
        "source": doc.article.source,
        "title": doc.article.title,
        "published": doc.article.published_at.isoformat(),
        "sentence_index": index,
        "before": [t for _, t in sentences[max(0, position - 3) : position]],
        "sentence": text,
        "after": [t for _, t in sentences[position + 1 : position + 3]],
        "quote": match.group(1),
        "quote_start": match.start(1),
    }


def draw_quotes(
    docs: dict[str, list[Doc]],
    seed: int = QUOTE_SEED,
    quotas: dict[str, int] = QUOTE_QUOTAS,
    exclude: frozenset[str] = frozenset(),
    prefix: str = "q",
) -> list[dict[str, object]]:
    """One quoted span (text between a pair of quotation marks) from each of a random set of articles."""
    rng = random.Random(seed)
    quotes: list[dict[str, object]] = []
    for dataset, quota in quotas.items():
        pool = [doc for doc in docs[dataset] if doc.article.article_id not in exclude]
        rng.shuffle(pool)
        taken = 0
        for doc in pool:
            if taken == quota:
                break
            sentences = _context(doc.article)
            spans = [(p, m) for p, (_, t) in enumerate(sentences) for m in QUOTE.finditer(t)]
            if not spans:
                continue
            position, match = rng.choice(spans)
            quotes.append({"id": f"{dataset}-{prefix}{taken:03d}", **_quote_item(doc, sentences, position, match)})
            taken += 1
    return quotes


def _content(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text) if w.lower() not in STOP and len(w) > 2}


def draw_quote_pairs(docs: dict[str, list[Doc]], seed: int = QUOTE_SEED + 1) -> list[dict[str, object]]:
    """Pairs of quoted spans from two outlets of one cluster: two in three are the cluster's most
    word-overlapping pair (where the same statement is), the rest a random pair."""
    rng = random.Random(seed)
    clusters: list[list[tuple[Doc, list[tuple[int, str]], int, re.Match[str]]]] = []
    for dataset in ("basil", "gva", "t17", "neus"):
        grouped: dict[str, list[tuple[Doc, list[tuple[int, str]], int, re.Match[str]]]] = defaultdict(list)
        for doc in docs[dataset]:
            sentences = _context(doc.article)
            for p, (_, t) in enumerate(sentences):
                for m in QUOTE.finditer(t):
                    key = (
                        doc.cluster.split("/")[0]
                        + "/"
                        + doc.article.published_at.strftime("%Y-%W") * (dataset == "t17")
                    )
                    grouped[key].append((doc, sentences, p, m))
        clusters += [g for g in grouped.values() if len({x[0].article.source for x in g}) > 1]
    rng.shuffle(clusters)
    pairs: list[dict[str, object]] = []
    for members in clusters:
        if len(pairs) == QUOTE_PAIRS:
            break
        cross = [
            (x, y)
            for i, x in enumerate(members)
            for y in members[i + 1 :]
            if x[0].article.source != y[0].article.source
        ]
        if len(cross) > 2000:
            cross = rng.sample(cross, 2000)
        if rng.random() < 2 / 3:
            x, y = max(cross, key=lambda p: len(_content(p[0][3].group(1)) & _content(p[1][3].group(1))))
            drawn = "overlap"
        else:
            x, y = rng.choice(cross)
            drawn = "random"
        pairs.append(
            {
                "id": f"qp-{len(pairs):03d}",
                "drawn": drawn,
                "a": _quote_item(x[0], x[1], x[2], x[3]),
                "b": _quote_item(y[0], y[1], y[2], y[3]),
            }
        )
    return pairs


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "labels" / "blind")
    args = parser.parse_args(argv)
    docs = read_clustered(args.data)
    first = draw_fact_pairs(docs)
    _write(args.out / "fact_pairs.sample.jsonl", first)
    drawn = {tuple(sorted((str(p["a"]["article_id"]), str(p["b"]["article_id"])))) for p in first}  # type: ignore[index]
    _write(args.out / "figure_pairs.sample.jsonl", draw_figure_pairs(docs, drawn))  # type: ignore[arg-type]
    quotes = draw_quotes(docs)
    _write(args.out / "quotes.sample.jsonl", quotes)
    used = frozenset(str(quote["article_id"]) for quote in quotes)
    _write(args.out / "quotes2.sample.jsonl", draw_quotes(docs, QUOTE_SEED_2, QUOTE_QUOTAS_2, used, "r"))
    _write(args.out / "quote_pairs.sample.jsonl", draw_quote_pairs(docs))


if __name__ == "__main__":
    main()
