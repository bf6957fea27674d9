"""The ``newsfuse`` command line (thin: every command calls pipeline or store)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsfuse.errors import EngineError
from newsfuse.settings import Settings, default_workers, load_settings
from newsfuse.version import __version__

if TYPE_CHECKING:
    from newsfuse.models import ListFilter
    from newsfuse.pipeline import IngestReport
    from newsfuse.sources.web import Fetcher
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
    """The database at ``db``: read-only unless ``write`` (which creates it when missing; a run that
    finds another process writing to it says so and waits)."""
    from newsfuse.store import Store

    with _engine_errors():
        return Store(db, read_only=not write, on_wait=lambda message: click.echo(message, err=True))


db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("newsfuse.db"), show_default=True,
    envvar="NEWSFUSE_DB", help="SQLite database file.",
)  # fmt: skip
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")


@click.group()
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file.")
@click.version_option(version=__version__, prog_name="newsfuse")
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """newsfuse: which articles report the same event, what sources agree on,
    where they conflict, and what happened when — each statement cited."""
    with _engine_errors():
        ctx.obj = {"settings": load_settings(config)}


@contextmanager
def _progress() -> Iterator[Callable[[str, int], None]]:
    """Progress bars on stderr (one per stage) when it is a terminal."""
    from tqdm import tqdm

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


def _split_inputs(inputs: tuple[str, ...], *, must_exist: bool = False) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Command-line inputs as (paths, http(s) URLs)."""
    from newsfuse.sources.web import is_url

    urls = tuple(i for i in inputs if is_url(i))
    paths = tuple(Path(i) for i in inputs if not is_url(i))
    missing = [str(p) for p in paths if must_exist and not p.exists()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATHS")
    return paths, urls


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(text: str) -> float:
    """Seconds in "90", "30s", "15m", "2h" or "1d"."""
    value = text.strip().lower()
    unit = _UNITS.get(value[-1:], 0) if value else 0
    try:
        seconds = float(value[:-1] if unit else value) * (unit or 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is no duration (e.g. 90, 30s, 15m, 2h)", param_hint="--every") from None
    if seconds < 0.05:
        raise click.BadParameter("the interval must be at least 0.05 s", param_hint="--every")
    return seconds


def _run_ingest(
    db: Path,
    paths: tuple[Path, ...],
    settings: Settings,
    workers: int,
    dask: str = "",
    parquet: Path | None = None,
    urls: tuple[str, ...] = (),
    fetcher: Fetcher | None = None,
) -> IngestReport:
    from newsfuse import pipeline
    from newsfuse.executor import dask_mapper

    with ExitStack() as stack:
        store = stack.enter_context(_open(db, write=True))
        stack.enter_context(_engine_errors())
        progress = stack.enter_context(_progress())
        mapper = stack.enter_context(dask_mapper(dask, workers=workers)) if dask else None
        report = pipeline.ingest(
            store, paths, settings, now=datetime.now(UTC), workers=workers, progress=progress, mapper=mapper,
            parquet=parquet, urls=urls, fetcher=fetcher,
        )  # fmt: skip
    for item in report.new_rejections:
        click.echo(f"rejected {item.origin}: {item.reason} [{item.code}]", err=True)
    known = len(report.rejected) - len(report.new_rejections)
    unchanged = f", {report.unchanged} URL(s) unchanged" if urls else ""
    click.echo(
        f"{report.added} new article(s) of {report.seen} read, {len(report.rejected)} rejected"
        + (f" ({known} as in an earlier run)" if known else "")
        + f"{unchanged};"
        f" {report.analysed} analysed; {report.events} event(s) in {db}"
    )
    return report


_SOURCE_HELP = "Outlet name for items that name none (else the URL's domain, site or feed name, file name)."


def _with_source(settings: Settings, source: str) -> Settings:
    return replace(settings, ingest=replace(settings.ingest, source=source)) if source else settings


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATHS_OR_URLS...")
@db_option
@click.option("--source", default="", metavar="NAME", help=_SOURCE_HELP)
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True,
              help="Processes for extraction (local pool, or LocalCluster workers with --dask local).")  # fmt: skip
@click.option("--dask", default="", metavar="ADDRESS", help="Run extraction on Dask: 'local' or tcp://scheduler:8786.")
@click.option("--parquet", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="With --dask: workers write results as Parquet parts in DIR (shared by all machines).")  # fmt: skip
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: Path,
    source: str,
    workers: int,
    dask: str,
    parquet: Path | None,
) -> None:
    """Read files and folders (txt, json, jsonl, csv, html, rss/atom) and feed or page URLs into the database.

    URLs are fetched politely (robots.txt, one request per host a second, conditional GET).
    Parquet part files (from an earlier --parquet run) are stored with their analyses, not analysed again.
    Exits 3 when some items were rejected that no earlier run rejected (each is listed with its reason).
    Only one run writes to a database at a time: another waits for it. After an interruption (even
    kill -9), running the same command again finishes the work."""
    if parquet is not None and not dask:
        raise click.UsageError("--parquet needs --dask (local runs write straight to the database)")
    files, urls = _split_inputs(paths)
    report = _run_ingest(db, files, _with_source(_settings(ctx), source), workers, dask, parquet, urls)
    if report.new_rejections:
        ctx.exit(EXIT_SOME_REJECTED)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATHS_OR_URLS...")
@db_option
@click.option(
    "--every", default="", metavar="DURATION", help="Time between polls: 90, 30s, 15m, 2h (overrides --interval)."
)
@click.option("--interval", type=click.FloatRange(0.05), default=60.0, show_default=True, help="Seconds between polls.")
@click.option("--polls", type=click.IntRange(0), default=0, help="Stop after this many polls (0: until Ctrl-C).")
@click.option("--source", default="", metavar="NAME", help=_SOURCE_HELP)
@click.option("--timeout", type=click.FloatRange(0.1), default=15.0, show_default=True, help="Seconds a URL may take.")
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True)
@click.pass_context
def watch(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: Path,
    every: str,
    interval: float,
    polls: int,
    source: str,
    timeout: float,
    workers: int,
) -> None:
    """Keep ingesting new or changed files (articles, JSONL, CSV, HTML, RSS/Atom) and feed or page URLs.

    URLs are fetched again each poll with conditional GET; a server that fails is reported and tried
    at the next poll. New articles join open events incrementally; Ctrl-C stops after the current batch."""
    from newsfuse.sources.files import changed_files
    from newsfuse.sources.web import Fetcher

    files, urls = _split_inputs(paths, must_exist=True)
    wait = _duration(every) if every else interval
    settings = _with_source(_settings(ctx), source)
    seen: dict[Path, float] = {}
    with _open(db, write=True) as store:
        own = store.own_files()  # the database may sit in a watched folder: never read it as input
    done = 0
    with ExitStack() as stack:
        fetcher = Fetcher.with_timeout(timeout) if urls else None
        if fetcher is not None:
            stack.callback(fetcher.close)
        try:
            while True:
                changed = changed_files(files, seen, exclude=own)
                if changed or urls:
                    _run_ingest(db, tuple(changed), settings, workers, urls=urls, fetcher=fetcher)
                done += 1
                if polls and done >= polls:
                    break
                time.sleep(wait)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@db_option
def export(directory: Path, db: Path) -> None:
    """Write every table of the database as DIRECTORY/<table>.parquet (for pandas, DuckDB, Spark)."""
    from newsfuse.store.parquet import export_store

    with _open(db) as store, _engine_errors():
        try:
            counts = export_store(store, directory)
        except OSError as exc:
            raise click.ClickException(f"cannot write {directory}: {exc.strerror or exc}") from exc
    click.echo(", ".join(f"{table} {rows}" for table, rows in counts.items()) + f" row(s) in {directory}")


def _filter_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--since/--until/--outlet/--language (and --offset) for the list commands."""
    day = click.DateTime(formats=["%Y-%m-%d"])
    for option in reversed([
        click.option("--since", type=day, default=None, help="From this day (YYYY-MM-DD)."),
        click.option("--until", type=day, default=None, help="Up to and including this day (YYYY-MM-DD)."),
        click.option("--outlet", default="", help="Only with an article from this outlet."),
        click.option("--language", default="", help="Only with an article in this language (e.g. en)."),
        click.option("--offset", type=click.IntRange(0), default=0, show_default=True, help="Skip this many."),
    ]):  # fmt: skip
        function = option(function)
    return function


def _list_filter(since: datetime | None, until: datetime | None, **fields: Any) -> ListFilter:
    from newsfuse.models import ListFilter

    return ListFilter(since=since.date() if since else None, until=until.date() if until else None, **fields)


def _shown(what: str, offset: int, count: int, total: int) -> str:
    """``events 1–50 of 564`` (and how to see more), for the end of a list."""
    if not count:
        return f"no {what} of {total} from --offset {offset}" if total else ""
    more = f"; --offset {offset + count} for more" if offset + count < total else ""
    return f"{what} {offset + 1}–{offset + count} of {total}{more}"


@main.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@_filter_options
@click.option("--place", default="", help="Only events whose place contains this.")
@click.option("--status", type=click.Choice(["conflicting", "updated", "contested"]), default=None,
              help="Only events with a claim of this status (contested: conflicting or updated).")  # fmt: skip
def events(
    db: Path, as_json: bool, limit: int, since: datetime | None, until: datetime | None, outlet: str, language: str,
    offset: int, place: str, status: str | None,
) -> None:  # fmt: skip
    """List events, newest first, filtered by date, outlet, language, place or claim status."""
    from newsfuse import queries, render

    where = _list_filter(since, until, outlet=outlet, language=language, place=place, status=status or "")
    with _open(db) as store, _engine_errors():
        page = queries.event_page(store, where, limit, offset=offset)
    if as_json:
        click.echo(render.dumps([s.event for s in page.items]), nl=False)
        return
    click.echo(render.events_markdown(list(page.items)))
    if page.total:
        click.echo(_shown("events", page.offset, len(page.items), page.total))


@main.command()
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True,
              help="Processes that reconcile the events' claims (a local pool).")  # fmt: skip
@click.pass_context
def regroup(ctx: click.Context, db: Path, workers: int) -> None:
    """Regroup every stored article into events and stories from scratch (batch)."""
    from newsfuse import pipeline
    from newsfuse.executor import pool_mapper

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
    from newsfuse import render

    with _open(db) as store, _engine_errors():
        found = store.stories(limit)
    click.echo(render.dumps(found) if as_json else render.stories_markdown(found), nl=not as_json)


def _note_moved(kind: str, wanted: str, found_id: str) -> None:
    """Tell the reader (on stderr) that an older id they gave now leads to another event or story."""
    from newsfuse import queries

    if queries.moved(wanted, found_id):
        click.echo(f"note: {kind} {wanted} has moved to {found_id} (a regroup merged or split it)", err=True)


@main.command()
@click.argument("story_id", metavar="STORY")
@db_option
@json_option
def story(story_id: str, db: Path, as_json: bool) -> None:
    """Show STORY (an id or unique prefix): its events in time order."""
    from newsfuse import render

    with _open(db) as store, _engine_errors():
        found = store.story(story_id)
        events = [store.event(e) for e in found.event_ids]
    _note_moved("story", story_id, found.story_id)
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
    from newsfuse import queries, render

    settings = replace(_settings(ctx).timeline, dates=dates, per_date=per_date)
    with _open(db) as store, _engine_errors():
        entries = queries.timeline(store, settings, query=query, event_id=event_id, story_id=story_id)
        if event_id:
            _note_moved("event", event_id, store.event(event_id).event_id)
        if story_id:
            _note_moved("story", story_id, store.story(story_id).story_id)
    title = query or f"event {event_id}" if not story_id else f"story {story_id}"
    click.echo(render.dumps(list(entries)) if as_json else render.timeline_markdown(title, entries), nl=not as_json)


@main.command()
@click.argument("event")
@db_option
@json_option
def brief(event: str, db: Path, as_json: bool) -> None:
    """Show the brief of EVENT (an id or a unique prefix of one)."""
    from newsfuse import queries, render

    with _open(db) as store, _engine_errors():
        result = queries.brief(store, event)
    _note_moved("event", event, result.event.event_id)
    click.echo(render.dumps(result) if as_json else render.brief_markdown(result), nl=not as_json)


@main.command()
@click.argument("query")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_filter_options
def search(
    query: str, db: Path, as_json: bool, limit: int, since: datetime | None, until: datetime | None, outlet: str,
    language: str, offset: int,
) -> None:  # fmt: skip
    """Full-text search over article titles and text: words, "exact phrases", prefix* words, OR, NOT."""
    from newsfuse import queries, render

    where = _list_filter(since, until, outlet=outlet, language=language)
    with _open(db) as store, _engine_errors():
        page = queries.search_page(store, query, where, limit, offset=offset)
    if as_json:
        click.echo(render.dumps(list(page.hits)), nl=False)
        return
    click.echo(render.hits_markdown(list(page.hits)))
    if page.total:
        click.echo(_shown("hits", page.offset, len(page.hits), page.total))


def _bundled_examples(target: Path) -> Path:
    folder = target / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    from importlib import resources

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
    import shutil
    import tempfile

    from newsfuse import queries, render

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

    from newsfuse.web.app import LOCAL_HOSTS, create_app

    with _engine_errors():
        hosts = (*LOCAL_HOSTS, host) if host not in LOCAL_HOSTS else LOCAL_HOSTS
        app = create_app(db, _settings(ctx), allow_ingest=allow_ingest, hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group(name="eval")
def eval_group() -> None:
    """Measure quality on the public evaluation data (shared/data)."""


DATASETS = ("ecbplus", "basil", "neus", "meantime", "gva", "t17")
SPREAD_DATASETS = ("ecbplus", "t17")  # sets whose gold topic is one story: report how ours split it
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
    """Event and story grouping: B-cubed P/R/F1, ARI, AMI, next to a TF-IDF single-pass baseline.

    Stories are scored against gold topics (ECB+, Timeline17) and against gva incidents with their
    follow-ups; for ECB+ and Timeline17 it also lists how many stories each topic is split into."""
    from newsfuse import render
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
            group, story_f1 = evaluation.tune_stories(*topical[0], group, (0.2, 0.24, 0.28, 0.32, 0.36))
            click.echo(f"story threshold on dev topics: {group.story_threshold} (B3 F1 {story_f1:.3f})", err=True)
        for name, lab, _ in dev:
            baseline[name], base_f1 = evaluation.tune_baseline(lab, (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5))
            click.echo(f"baseline threshold for {name} on dev: {baseline[name]} (B3 F1 {base_f1:.3f})", err=True)
    results = []
    for name, (labeled, analyses) in loaded.items():
        results += evaluation.evaluate(
            name, labeled, analyses, group, baseline[name], with_incremental=not no_incremental
        )
    spread = [row for name, (labeled, analyses) in loaded.items() if name in SPREAD_DATASETS
              for row in evaluation.topic_spread(name, labeled, analyses, group)]  # fmt: skip
    if as_json:
        click.echo(render.dumps({"results": results, "topics": spread}), nl=False)
    else:
        click.echo(evaluation.format_results(results) + ("\n" + evaluation.format_spread(spread) if spread else ""))


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


@eval_group.command(name="ingest")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--no-peers", is_flag=True, help="Only newsfuse (skip trafilatura, htmldate, newspaper4k).")
@json_option
@click.pass_context
def eval_ingest(ctx: click.Context, data: Path, no_peers: bool, as_json: bool) -> None:
    """Ingest of real pages and feeds (web_inputs): text, date, time, language, title, outlet and
    article/non-article accuracy, next to trafilatura, htmldate and newspaper4k on the same pages."""
    from newsfuse import render
    from newsfuse.evaluation.ingest import evaluate, format_results

    root = data / "web_inputs"
    if not (root / "score_web.py").is_file():
        raise click.UsageError(f"{root} has no score_web.py (is --data the shared/data folder?)")
    results = evaluate(root, _settings(ctx), with_peers=not no_peers)
    click.echo(render.dumps(results) if as_json else format_results(results), nl=not as_json)


@eval_group.command(name="gva")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=default_workers(), show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each system's events (the scorer's input) and metrics here.")  # fmt: skip
@click.option("--no-peer", is_flag=True, help="Skip the regex peer with the gold grouping.")
@click.pass_context
def eval_gva(ctx: click.Context, data: Path, workers: int, out: Path | None, no_peer: bool) -> None:
    """Killed/injured, event date and place on gva_dev (US shooting news, Gun Violence Archive gold),
    scored by the dataset's gva_score.py, next to a regex peer with the gold grouping."""
    from newsfuse import render
    from newsfuse.evaluation import gva

    with _engine_errors():
        runs = gva.evaluate(data, _settings(ctx), workers=workers, peer=not no_peer)
    click.echo(gva.format_runs(runs))
    click.echo("\n" + gva.load_scorer(data).report(runs[0].metrics))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for run in runs:
            stem = run.name.split()[0]
            gva.write_events(out / f"{stem}.events.jsonl", run.events)
            (out / f"{stem}.metrics.json").write_text(render.dumps(run.metrics), encoding="utf-8")


@eval_group.command(name="pairs")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@json_option
def eval_pairs(data: Path, as_json: bool) -> None:
    """The blind cross-outlet fact pairs (gva_dev, Timeline17, BASIL, NeuS): P/R/F1 per label."""
    from newsfuse import render
    from newsfuse.assets import load_gazetteer, load_nlp
    from newsfuse.evaluation import pairs as evaluation
    from newsfuse.evaluation.draw import read_clustered
    from newsfuse.stages.extract import extract_facts

    sets = {name: evaluation.read_pairs(name) for name in evaluation.SETS}
    with _engine_errors():
        articles = {d.article.article_id: d.article for docs in read_clustered(data).values() for d in docs}
    needed = sorted({m.article_id for ps in sets.values() for p in ps for m in (p.a, p.b)})
    extractions = extract_facts(
        [articles[i] for i in needed], nlp=load_nlp(), gazetteer=load_gazetteer(), settings=Settings().extract
    )
    by_id = {x.article_id: x for x in extractions}
    scores = {name: evaluation.score(ps, articles, by_id) for name, ps in sets.items() if ps}
    if as_json:
        click.echo(render.dumps({name: evaluation.to_dict(s) for name, s in scores.items()}))
        return
    click.echo("\n\n".join(evaluation.format_scores(name, s) for name, s in scores.items()))


@eval_group.command(name="quotes")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, envvar="NEWSFUSE_DATA", help="The shared/data folder.")  # fmt: skip
@click.option("--peer/--no-peer", default=True, show_default=True,
              help="Also run textacy's direct_quotations on spaCy's parse (needs textacy).")  # fmt: skip
@click.option("--errors", is_flag=True, help="Also list every miss.")
@click.option("--sample", type=click.Choice(["quotes", "quotes2"]), default="quotes", show_default=True,
              help="Which labelled quote sample: the first, or the second drawn on 2026-12-02.")  # fmt: skip
def eval_quotes(data: Path, peer: bool, errors: bool, sample: str) -> None:
    """Quote speakers, quote detection and cross-outlet same-statement pairs on the blind labelled sets."""
    from newsfuse.assets import load_gazetteer, load_nlp, load_parser
    from newsfuse.evaluation import quotes
    from newsfuse.evaluation.draw import read_clustered
    from newsfuse.stages.extract import extract_facts

    spans, pairs = quotes.read_quotes(name=sample), quotes.read_quote_pairs()
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
