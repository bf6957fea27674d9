"""The ``newsfuse`` command line (thin: every command calls pipeline or store)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from newsfuse import pipeline, queries, render
from newsfuse.errors import EngineError
from newsfuse.executor import dask_mapper, default_workers, pool_mapper
from newsfuse.settings import Settings, load_settings
from newsfuse.store import Store

EXIT_SOME_REJECTED = 3


@contextmanager
def _engine_errors() -> Iterator[None]:
    try:
        yield
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]  # type: ignore[no-any-return]


def _open(db: Path, *, write: bool = False) -> Store:
    """The database at ``db``: read-only unless ``write`` (which creates it when missing)."""
    with _engine_errors():
        return Store(db, read_only=not write)


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("newsfuse.db"), show_default=True,
    envvar="NEWSFUSE_DB", help="SQLite database file.",
)  # fmt: skip
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")


@click.group()
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file.")
@click.version_option(package_name="newsfuse")
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """newsfuse: which articles report the same event, what sources agree on,
    where they conflict, and what happened when — each statement cited."""
    with _engine_errors():
        ctx.obj = {"settings": load_settings(config)}


@contextmanager
def _progress() -> Iterator[Callable[[str, int], None]]:
    """Progress bars on stderr (one per stage) when it is a terminal."""
    bars: dict[str, tqdm[None]] = {}
    quiet = not sys.stderr.isatty()

    def report(stage: str, n: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(desc=stage, unit=" articles", disable=quiet, leave=False, position=len(bars))
        bars[stage].update(n)

    try:
        yield report
    finally:
        for bar in bars.values():
            bar.close()


def _run_ingest(
    db: Path, paths: tuple[Path, ...], settings: Settings, workers: int, dask: str = "", parquet: Path | None = None
) -> pipeline.IngestReport:
    with ExitStack() as stack:
        store = stack.enter_context(_open(db, write=True))
        stack.enter_context(_engine_errors())
        progress = stack.enter_context(_progress())
        mapper = stack.enter_context(dask_mapper(dask, workers=workers)) if dask else None
        report = pipeline.ingest(
            store, paths, settings, now=datetime.now(UTC), workers=workers, progress=progress, mapper=mapper,
            parquet=parquet,
        )  # fmt: skip
    for item in report.rejected:
        click.echo(f"rejected {item.origin}: {item.reason}", err=True)
    click.echo(
        f"{report.added} new article(s) of {report.seen} read, {len(report.rejected)} rejected;"
        f" {report.analysed} analysed; {report.events} event(s) in {db}"
    )
    return report


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True,
              help="Processes for extraction (local pool, or LocalCluster workers with --dask local).")  # fmt: skip
@click.option("--dask", default="", metavar="ADDRESS", help="Run extraction on Dask: 'local' or tcp://scheduler:8786.")
@click.option("--parquet", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="With --dask: workers write results as Parquet parts in DIR (shared by all machines).")  # fmt: skip
@click.pass_context
def ingest(
    ctx: click.Context, paths: tuple[Path, ...], db: Path, workers: int, dask: str, parquet: Path | None
) -> None:
    """Read files and folders (txt, json, jsonl, csv, html, rss/atom) into the database.

    Parquet part files (from an earlier --parquet run) are stored with their analyses, not analysed again.
    Exits 3 when some items were rejected (each is listed with its reason)."""
    if parquet is not None and not dask:
        raise click.UsageError("--parquet needs --dask (local runs write straight to the database)")
    report = _run_ingest(db, paths, _settings(ctx), workers, dask, parquet)
    if report.rejected:
        ctx.exit(EXIT_SOME_REJECTED)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--interval", type=click.FloatRange(0.05), default=60.0, show_default=True, help="Seconds between polls.")
@click.option("--polls", type=click.IntRange(0), default=0, help="Stop after this many polls (0: until Ctrl-C).")
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True)
@click.pass_context
def watch(ctx: click.Context, paths: tuple[Path, ...], db: Path, interval: float, polls: int, workers: int) -> None:
    """Keep ingesting new or changed files (articles, JSONL, CSV, HTML, RSS/Atom) from folders or files.

    New articles join open events incrementally; Ctrl-C stops after the current batch."""
    from newsfuse.sources.files import changed_files

    seen: dict[Path, float] = {}
    done = 0
    try:
        while True:
            changed = changed_files(paths, seen)
            if changed:
                _run_ingest(db, tuple(changed), _settings(ctx), workers)
            done += 1
            if polls and done >= polls:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export(directory: Path, db: Path) -> None:
    """Write every table of the database as DIRECTORY/<table>.parquet (for pandas, DuckDB, Spark)."""
    from newsfuse.store.parquet import export_store

    with _open(db) as store, _engine_errors():
        counts = export_store(store, directory)
    click.echo(", ".join(f"{table} {rows}" for table, rows in counts.items()) + f" row(s) in {directory}")


@main.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
def events(db: Path, as_json: bool, limit: int) -> None:
    """List events, newest first."""
    with _open(db) as store, _engine_errors():
        found = queries.event_summaries(store, limit)
    click.echo(render.dumps([s.event for s in found]) if as_json else render.events_markdown(found), nl=not as_json)


@main.command()
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True,
              help="Processes that reconcile the events' claims (a local pool).")  # fmt: skip
@click.pass_context
def regroup(ctx: click.Context, db: Path, workers: int) -> None:
    """Regroup every stored article into events and stories from scratch (batch)."""
    with ExitStack() as stack:
        store = stack.enter_context(_open(db, write=True))
        stack.enter_context(_engine_errors())
        progress = stack.enter_context(_progress())
        mapper = stack.enter_context(pool_mapper(workers)) if workers > 1 else None
        events = pipeline.rebuild(store, _settings(ctx), progress=progress, mapper=mapper)
        stories = store.stories(limit=10**9)
    click.echo(f"{len(events)} event(s) in {len(stories)} story(ies) in {db}")


@main.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
def stories(db: Path, as_json: bool, limit: int) -> None:
    """List stories (events of one developing situation), newest first."""
    with _open(db) as store, _engine_errors():
        found = store.stories(limit)
    click.echo(render.dumps(found) if as_json else render.stories_markdown(found), nl=not as_json)


@main.command()
@click.argument("story_id", metavar="STORY")
@db_option
@json_option
def story(story_id: str, db: Path, as_json: bool) -> None:
    """Show STORY (an id or unique prefix): its events in time order."""
    with _open(db) as store, _engine_errors():
        found = store.story(story_id)
        events = [store.event(e) for e in found.event_ids]
    if as_json:
        click.echo(render.dumps({"story": found, "events": events}), nl=False)
    else:
        click.echo(render.story_markdown(found, events))


@main.command(name="timeline")
@click.option("--query", default="", help="Full-text query selecting the articles.")
@click.option("--event", "event_id", default="", help="An event id (or prefix).")
@click.option("--story", "story_id", default="", help="A story id (or prefix).")
@click.option("--dates", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many dates.")
@click.option("--per-date", type=click.IntRange(1, 20), default=1, show_default=True, help="Sentences per date.")
@db_option
@json_option
@click.pass_context
def timeline_command(
    ctx: click.Context, query: str, event_id: str, story_id: str, dates: int, per_date: int, db: Path, as_json: bool
) -> None:
    """A dated timeline, each sentence cited: of a --query over the corpus, an --event or a --story."""
    settings = replace(_settings(ctx).timeline, dates=dates, per_date=per_date)
    with _open(db) as store, _engine_errors():
        entries = queries.timeline(store, settings, query=query, event_id=event_id, story_id=story_id)
    title = query or f"event {event_id}" if not story_id else f"story {story_id}"
    click.echo(render.dumps(list(entries)) if as_json else render.timeline_markdown(title, entries), nl=not as_json)


@main.command()
@click.argument("event")
@db_option
@json_option
def brief(event: str, db: Path, as_json: bool) -> None:
    """Show the brief of EVENT (an id or a unique prefix of one)."""
    with _open(db) as store, _engine_errors():
        result = queries.brief(store, event)
    click.echo(render.dumps(result) if as_json else render.brief_markdown(result), nl=not as_json)


@main.command()
@click.argument("query")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def search(query: str, db: Path, as_json: bool, limit: int) -> None:
    """Full-text search over article titles and text."""
    with _open(db) as store, _engine_errors():
        hits = store.search(query, limit)
    click.echo(render.dumps(hits) if as_json else render.hits_markdown(hits), nl=not as_json)


def _bundled_examples(target: Path) -> Path:
    folder = target / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    for entry in resources.files("newsfuse").joinpath("examples").iterdir():
        if entry.name.endswith(".txt"):
            (folder / entry.name).write_bytes(entry.read_bytes())
    return folder


@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the demo database (must not exist; default: a temporary folder).")  # fmt: skip
@click.pass_context
def demo(ctx: click.Context, db: Path | None) -> None:
    """Ingest the two bundled sample articles into a fresh database and print the brief."""
    workdir = Path(tempfile.mkdtemp(prefix="newsfuse-demo-"))
    if db is None:
        db = workdir / "demo.db"
    elif db.exists():
        raise click.ClickException(f"{db} exists; the demo needs a fresh database")
    try:
        _run_ingest(db, (_bundled_examples(workdir),), _settings(ctx), 1)
        with _open(db) as store, _engine_errors():
            for event in store.events(10):
                click.echo("")
                click.echo(render.brief_markdown(queries.brief(store, event.event_id)))
    finally:
        shutil.rmtree(workdir / "examples", ignore_errors=True)
    click.echo(f"demo database: {db}")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/ingest (uploads, size-limited).")
@click.pass_context
def serve(ctx: click.Context, db: Path, host: str, port: int, allow_ingest: bool) -> None:
    """Serve the web UI and the JSON API (/api/..., OpenAPI at /docs); read-only unless --allow-ingest."""
    import uvicorn

    from newsfuse.web.app import create_app

    with _engine_errors():
        app = create_app(db, _settings(ctx), allow_ingest=allow_ingest)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group(name="eval")
def eval_group() -> None:
    """Measure quality on the public evaluation data (shared/data)."""


DATASETS = ("ecbplus", "basil", "neus", "meantime")
DEFAULT_DATA = Path("../shared/data")


@eval_group.command(name="grouping")
@click.option("--dataset", "datasets", type=click.Choice([*DATASETS, "all"]), multiple=True, default=["all"],
              show_default=True, help="Which labelled set(s).")  # fmt: skip
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--tune", is_flag=True, help="Choose grouping settings on the dev splits (ECB+ 1-35, NeuS val) first.")
@click.option("--no-incremental", is_flag=True, help="Skip the one-article-at-a-time run.")
@json_option
@click.pass_context
def eval_grouping(
    ctx: click.Context, datasets: tuple[str, ...], data: Path, tune: bool, no_incremental: bool, as_json: bool
) -> None:
    """Event grouping: B-cubed P/R/F1, ARI, AMI, next to a TF-IDF single-pass baseline."""
    from newsfuse.evaluation import grouping as evaluation
    from newsfuse.evaluation.datasets import read_dataset
    from newsfuse.work import analyse

    names = DATASETS if "all" in datasets else tuple(dict.fromkeys(datasets))
    settings = _settings(ctx)
    loaded = {}
    with _engine_errors(), _progress() as progress:
        for name in names:
            labeled = read_dataset(name, data)
            analyses = []
            for start in range(0, len(labeled), 200):
                analyses += analyse([x.article for x in labeled[start : start + 200]], settings)
                progress(f"analysed {name}", len(labeled[start : start + 200]))
            loaded[name] = (labeled, analyses)
    group = settings.group
    baseline = {name: 0.25 for name in names}
    if tune:
        dev = [(n, lab, an) for n, (lab, an) in loaded.items() if any(x.split == "dev" for x in lab)]
        if not dev:
            raise click.ClickException("--tune needs a dataset with a dev split (ecbplus or neus)")
        group, score = evaluation.tune_many(
            [(lab, an) for _, lab, an in dev], group,
            {"threshold": (0.15, 0.2, 0.25, 0.3), "name_weight": (0.3, 0.5), "embedding_weight": (0.0, 0.2)},
        )  # fmt: skip
        click.echo(f"tuned on dev: {group} (mean dev B3 F1 {score:.3f})", err=True)
        topical = [(lab, an) for _, lab, an in dev if any(x.topic != x.event for x in lab)]
        if topical:
            group, story_f1 = evaluation.tune_stories(*topical[0], group, (0.1, 0.15, 0.2, 0.25, 0.3))
            click.echo(f"story threshold on dev topics: {group.story_threshold} (B3 F1 {story_f1:.3f})", err=True)
        for name, lab, _ in dev:
            baseline[name], base_f1 = evaluation.tune_baseline(lab, (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5))
            click.echo(f"baseline threshold for {name} on dev: {baseline[name]} (B3 F1 {base_f1:.3f})", err=True)
    results = []
    for name, (labeled, analyses) in loaded.items():
        results += evaluation.evaluate(
            name, labeled, analyses, group, baseline[name], with_incremental=not no_incremental
        )
    click.echo(render.dumps(results) if as_json else evaluation.format_results(results), nl=not as_json)


@eval_group.command(name="tls")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--loto", is_flag=True, help="Also run leave-one-topic-out tuning of the builder (slow).")
def eval_tls(data: Path, loto: bool) -> None:
    """Timeline17: alignment ROUGE (align+ m:1) AR-1/AR-2 and Date-F1, plus the published SDF-TLS outputs."""
    from newsfuse.evaluation import tls, tls_run
    from newsfuse.evaluation.datasets import read_sdf_outputs, read_t17
    from newsfuse.settings import TimelineSettings

    with _engine_errors():
        topics = read_t17(data)
    tagged = tls_run.tag_topics(topics)
    results = tls_run.run_t17(tagged, TimelineSettings())
    click.echo(tls.format_tasks(results))
    rows = [("newsfuse (defaults)", results)]
    if loto:
        held_out, chosen = tls_run.leave_one_topic_out(tagged, TimelineSettings(), tls_run.LOTO_GRID)
        for topic, best in chosen.items():
            click.echo(f"{topic}: chosen on the other topics: {tls_run.describe(best)}", err=True)
        rows.append(("newsfuse (leave-one-topic-out)", held_out))
    gold = {name: tls.parse_tilse(text) for t in topics for name, text in t.timelines}
    for variant in ("TL17_bestds", "TL17_bestsumm"):
        rows.append(
            (f"SDF-TLS {variant} (published output)", tls.score_published(read_sdf_outputs(data, variant), gold))
        )
    click.echo(tls.format_averages(rows))


@eval_group.command(name="timex")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--part", type=click.Choice(["platinum", "tbaq"]), multiple=True, default=["tbaq", "platinum"],
              show_default=True, help="platinum = TempEval-3 test; tbaq = TimeBank+AQUAINT (dev).")  # fmt: skip
def eval_timex(data: Path, part: tuple[str, ...]) -> None:
    """Time expressions on TempEval-3: strict/relaxed span P/R/F1 and value P/R/F1 (percent)."""
    from newsfuse.evaluation.datasets import read_tempeval
    from newsfuse.evaluation.timex import score_timex

    lines = ["| part | system / gold | strict P | R | F1 | relaxed P | R | F1 | value P | R | F1 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name in part:
        with _engine_errors():
            scores = score_timex(read_tempeval(data, name))
        figures = " | ".join(f"{x:.1f}" for x in (*scores.strict, *scores.relaxed, *scores.value))
        lines.append(f"| {name} | {scores.system} / {scores.gold} | {figures} |")
    click.echo("\n".join(lines))


def _figures(*triples: tuple[float, float, float]) -> str:
    return " | ".join(f"{x:.1f}" for triple in triples for x in triple)


@eval_group.command(name="quantities")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--errors", is_flag=True, help="Also list every miss and false find.")
def eval_quantities(data: Path, errors: bool) -> None:
    """Counts and sums of money: the hand-labelled check set (P/R/F1) and MEANTIME's VALUE tags."""
    from newsfuse.evaluation.datasets import read_meantime_values
    from newsfuse.evaluation.quantities import read_check_set, score_check_set, score_meantime

    check = score_check_set(read_check_set())
    lines = [
        "| set | system / gold | P | R | F1 | value-only P | R | F1 | qualifier accuracy |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| check set (BASIL + T17, counts) | {check.system} / {check.gold} | {_figures(check.mentions, check.values)}"
        f" | {check.qualifier_accuracy:.1f} |",
    ]
    with _engine_errors():
        documents = read_meantime_values(data)
    counts, money = score_meantime(documents), score_meantime(documents, money=True)
    for name, scores in (("MEANTIME QUANTITY (counts)", counts), ("MEANTIME MONEY (sums of money)", money)):
        lines.append(f"| {name} | {scores.system} / {scores.gold} | {_figures(scores.mentions)} | | | | |")
    click.echo("\n".join(lines))
    if errors:
        click.echo("\n".join(["", *check.errors]))


@eval_group.command(name="facts")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--errors", is_flag=True, help="Also list every pair newsfuse gets wrong.")
def eval_facts(data: Path, errors: bool) -> None:
    """Agreement and conflict detection on the hand-labelled BASIL fact pairs: P/R/F1 per label."""
    from newsfuse.assets import load_gazetteer, load_nlp
    from newsfuse.evaluation.datasets import read_dataset
    from newsfuse.evaluation.facts import LABELS, read_pairs, score_pairs
    from newsfuse.stages.extract import extract_facts

    pairs = read_pairs()
    with _engine_errors():
        articles = {x.article.article_id: x.article for x in read_dataset("basil", data)}
    needed = [articles[i] for i in sorted({p.a.article_id for p in pairs} | {p.b.article_id for p in pairs})]
    extractions = extract_facts(needed, nlp=load_nlp(), gazetteer=load_gazetteer(), settings=Settings().extract)
    scores = score_pairs(pairs, articles, {x.article_id: x for x in extractions})
    lines = ["| label | gold pairs | P | R | F1 |", "|---|---|---|---|---|"]
    for label in LABELS:
        gold = sum(n for (g, _), n in scores.confusion.items() if g == label)
        lines.append(f"| {label} | {gold} | {_figures(scores.per_label[label])} |")
    lines.append(f"\n{len(pairs)} pairs, accuracy {scores.accuracy:.1f}%")
    click.echo("\n".join(lines))
    if errors:
        click.echo("\n".join(["", *scores.errors]))


@eval_group.command(name="quotes")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--peer/--no-peer", default=True, show_default=True,
              help="Also run textacy's direct_quotations on spaCy's parse (needs textacy).")  # fmt: skip
@click.option("--errors", is_flag=True, help="Also list every miss.")
def eval_quotes(data: Path, peer: bool, errors: bool) -> None:
    """Quote speakers, quote detection and cross-outlet same-statement pairs on the blind labelled sets."""
    from newsfuse.assets import load_gazetteer, load_nlp, load_parser
    from newsfuse.evaluation import quotes
    from newsfuse.evaluation.draw import read_clustered
    from newsfuse.stages.extract import extract_facts

    spans, pairs = quotes.read_quotes(), quotes.read_quote_pairs()
    with _engine_errors():
        articles = {d.article.article_id: d.article for docs in read_clustered(data).values() for d in docs}
    needed = quotes.needed_articles(spans, pairs, articles)
    extractions = extract_facts(needed, nlp=load_nlp(), gazetteer=load_gazetteer(), settings=Settings().extract)
    by_id = {x.article_id: x for x in extractions}
    systems = [("newsfuse", quotes.score_quotes(spans, quotes.newsfuse_finder(by_id)))]
    refused: list[str] = []
    if peer:
        found = quotes.peer_finder(load_parser(), refused)
        systems.append(("textacy direct_quotations", quotes.score_quotes(spans, found)))
    paired = quotes.score_pairs(pairs, by_id)
    lines = ["| system | speaker accuracy | detection P | R | F1 |", "|---|---|---|---|---|"]
    for name, scores in systems:
        lines.append(f"| {name} | {scores.speaker_accuracy:.1f} ({scores.speaker_correct}/{scores.quotes})"
                     f" | {_figures(scores.detection)} |")  # fmt: skip
    lines += [
        f"\n{systems[0][1].spans} labelled spans, {systems[0][1].quotes} of them quotes"
        + (f"; textacy refused {len(refused)} contexts (an odd number of quotation marks)" if peer else ""),
        f"\nSame-statement pairs ({paired.pairs}, {paired.gold_same} same): P | R | F1 = {_figures(paired.same)}",
    ]
    click.echo("\n".join(lines))
    if errors:
        click.echo("\n".join(["", *(e for _, s in systems[:1] for e in s.errors), *paired.errors]))


def run() -> Any:
    return main(prog_name="newsfuse")


if __name__ == "__main__":
    run()
