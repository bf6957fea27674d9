"""Ingest quality on ``shared/data/web_inputs``: real pages and feeds with outside gold.

newsfuse's own reader (``read_inputs`` + ``parse_item``) stores the pages and feeds in a real
store; the data set's scorer (``score_web.py``) reads that store.  The same pages go through
trafilatura, htmldate and newspaper4k (when installed) and are scored by the same scorer, so the
figures stand side by side.  The gold files are never read as input (pages and feeds by glob).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfuse.evaluation.copies import basil_copies
from newsfuse.models import Article, Rejected
from newsfuse.settings import Settings

PAGE_GLOB = "pages/*.html"
FEED_GLOBS = ("feeds/*.xml", "feeds/*.rss", "feeds/*.atom", "feeds/*.rdf")
DATE_ONLY = frozenset({"htmldate"})  # peers that find only a date: their other figures are not shown
# the figures printed, in order: (part, scorer key, label)
ROWS = (
    ("pages", "text_pass", "text: all 'with' in, no 'without'"),
    ("pages", "text_snippet_precision_recall_f1", "text snippets P / R / F1"),
    ("pages", "date_exact_day", "date: exact day (strict)"),
    ("pages", "date_exact_day_lenient", "date: exact day (lenient)"),
    ("pages", "time_within_60s", "time: within 60 s"),
    ("pages", "language", "language"),
    ("pages", "title_exact", "title: exact"),
    ("pages", "title_contains", "title: gold contained"),
    ("pages", "outlet_name", "outlet name"),
    ("pages", "outlet_domain", "outlet domain"),
    ("pages", "is_article_accuracy", "article / non-article accuracy"),
    ("pages", "non_articles_rejected", "non-articles rejected"),
)


def input_files(root: Path) -> list[Path]:
    """The pages and feeds of web_inputs, never its gold files."""
    found = sorted(root.glob(PAGE_GLOB))
    for pattern in FEED_GLOBS:
        found += sorted(root.glob(pattern))
    return found


def ingest_to_store(files: list[Path], db: Path, settings: Settings) -> tuple[int, list[Rejected]]:
    """Read ``files`` the way ``newsfuse ingest`` does and store the articles (no analysis: the
    scorer reads only the articles table); return (stored, rejected)."""
    from newsfuse.sources.files import read_inputs
    from newsfuse.stages.ingest import parse_item
    from newsfuse.store import Store

    now = datetime.now(UTC)
    articles: list[Article] = []
    rejected: list[Rejected] = []
    for item in read_inputs(files, max_bytes=settings.ingest.max_bytes):
        results = [item] if isinstance(item, Rejected) else parse_item(item, settings=settings.ingest, now=now)
        for result in results:
            (rejected if isinstance(result, Rejected) else articles).append(result)  # type: ignore[arg-type]
    with Store(db) as store:
        added = store.add_articles(articles, rejected, now=now)
    return added, rejected


def _trafilatura(html: str) -> dict[str, Any] | None:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    doc: dict[str, Any] = found.as_dict() if found is not None and not isinstance(found, dict) else found or {}
    if not doc.get("text"):
        return None
    return {
        "text": doc["text"],
        "title": doc.get("title"),
        "published_at": doc.get("date"),
        "language": doc.get("language"),
        "source": doc.get("sitename") or doc.get("hostname"),
        "url": doc.get("url"),
    }


def _htmldate(html: str) -> dict[str, Any] | None:
    from htmldate import find_date

    found = find_date(html, original_date=True, extensive_search=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
    return {"published_at": found} if found else None


def _newspaper(html: str) -> dict[str, Any] | None:
    from newspaper import Article as Paper

    paper = Paper("https://example.invalid/", fetch_images=False)
    paper.download(input_html=html)
    paper.parse()
    if not paper.text:
        return None
    published = paper.publish_date.isoformat() if paper.publish_date else None
    return {
        "text": paper.text,
        "title": paper.title,
        "published_at": published,
        "language": paper.meta_lang,
        "source": paper.meta_site_name or paper.source_url,
        "url": paper.canonical_link or paper.url,
    }


def peers() -> dict[str, Callable[[str], dict[str, Any] | None]]:
    """The other extractors measured on the same pages (newspaper4k only where it is installed)."""
    found: dict[str, Callable[[str], dict[str, Any] | None]] = {
        "trafilatura": _trafilatura,
        "htmldate": _htmldate,
    }
    try:
        import newspaper  # noqa: F401
    except ImportError:
        return found
    found["newspaper4k"] = _newspaper
    return found


def _peer_rows(pages: list[Path], extract: Callable[[str], dict[str, Any] | None]) -> Iterator[dict[str, Any]]:
    for page in pages:
        html = page.read_bytes().decode("utf-8", errors="replace")
        try:
            row = extract(html)
        except Exception:  # noqa: BLE001 - a peer failing on a page is a miss, as a rejection is
            row = None
        if row is not None:
            yield {"file": page.name, **row}


def score(scorer: Path, *, db: Path | None = None, pred: Path | None = None, pages_only: bool = False) -> Any:
    """Run the data set's own scorer and return its figures (``--json``)."""
    command = [sys.executable, str(scorer), "--json"]
    command += ["--db", str(db)] if db is not None else ["--pred", str(pred)]
    if pages_only:
        command.append("--pages-only")
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - our own scorer
    return json.loads(done.stdout)


def evaluate(root: Path, settings: Settings, *, with_peers: bool = True) -> dict[str, Any]:
    """Figures for newsfuse and (pages only) each peer: ``{"newsfuse": {...}, "trafilatura": {...}}``."""
    scorer = root / "score_web.py"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsfuse-eval-ingest-") as scratch:
        db = Path(scratch) / "web.db"
        ingest_to_store(input_files(root), db, settings)
        results["newsfuse"] = score(scorer, db=db)
        copies = basil_copies(root.parent, settings.dedup)
        if copies is not None:
            results["newsfuse"]["copies"] = copies
        if with_peers:
            pages = sorted(root.glob(PAGE_GLOB))
            for name, extract in peers().items():
                pred = Path(scratch) / f"{name}.jsonl"
                with pred.open("w", encoding="utf-8") as out:
                    for row in _peer_rows(pages, extract):
                        out.write(json.dumps(row, default=str) + "\n")
                results[name] = score(scorer, pred=pred, pages_only=True)
    return results


def _cell(value: Any) -> str:
    if isinstance(value, list) and len(value) == 3:
        return " / ".join(f"{v:.3f}" for v in value)
    if isinstance(value, list) and len(value) == 2 and value[1]:
        return f"{100.0 * value[0] / value[1]:.1f}% ({value[0]}/{value[1]})"
    return "–" if value is None else str(value)


def format_results(results: dict[str, Any]) -> str:
    """Markdown tables: pages side by side with the peers, then newsfuse's feed figures."""
    names = list(results)
    lines = ["| pages | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for part, key, label in ROWS:
        cells = [
            "–" if n in DATE_ONLY and not key.startswith(("date", "time")) else _cell(results[n][part].get(key))
            for n in names
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    feeds = results["newsfuse"].get("feeds", {})
    lines += ["", "| feeds | newsfuse |", "|---|---|"]
    lines += [f"| {key} | {_cell(value)} |" for key, value in feeds.items()]
    copies = results["newsfuse"].get("copies", {})
    if copies:
        lines += ["", "| copies (BASIL: 300 independent reports; copies made of them) | newsfuse |", "|---|---|"]
        lines += [f"| {key} | {_cell(value)} |" for key, value in copies.items()]
    return "\n".join(lines)
