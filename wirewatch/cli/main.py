"""The command line: a thin layer over the library.

Only the cli package prints or chooses exit codes: 0 success, 1 when some inputs
failed (each named on stderr with its reason) or a domain error occurred,
2 on usage errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import Settings
from .common import (
    EscapingFormatter,
    db_option,
    domain_errors,
    input_options,
    input_total,
    day_range_options,
    progress_bar,
    published_option,
    report_failures,
    terminal_safe,
    workers_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wirewatch")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
def main(verbose: int) -> None:
    """wirewatch: news-wire text in, a sourced, dated, geolocated database of conflict events out."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


@main.command()
@click.argument("paths", nargs=-1, required=True)
@published_option
@click.option("--source", metavar="NAME", help="Source/outlet name recorded for these inputs.")
@input_options
@workers_option
@click.option("--dask-scheduler", metavar="tcp://HOST:PORT",
              help="Distribute parsing and extraction over this Dask cluster (needs --db postgresql://...).")
@db_option
@domain_errors
def ingest(paths: tuple[str, ...], published: dt.date | None, source: str | None, fmt: str,
           columns: dict[str, str] | None, workers: int, dask_scheduler: str | None, db: str) -> None:
    """Read files, directories (recursive) or - (stdin); extract, geocode, merge and store events.

    Re-ingesting the same content changes nothing.
    """
    from ..pipeline.batch import ingest as run_ingest
    from ..store import open_store

    from ..store import is_postgres

    if dask_scheduler and not is_postgres(db):
        raise click.UsageError("--dask-scheduler needs --db postgresql://...: SQLite cannot take writes from "
                               "many machines")
    settings = Settings(db=db, workers=workers)
    command = "ingest " + " ".join(paths)
    if dask_scheduler or (is_postgres(db) and workers > 1):
        from ..pipeline.distributed import ingest_dask

        with progress_bar("ingesting articles") as bar:
            result = ingest_dask(paths, store_dsn=db, settings=settings, scheduler=dask_scheduler,
                                 workers=None if dask_scheduler else workers, published=published, source=source,
                                 fmt=fmt, columns=columns, progress=bar, command=command)
        with open_store(db, readonly=True) as store:
            events = store.event_count()
    else:
        total = input_total(paths, fmt=fmt) if sys.stderr.isatty() else None
        with open_store(db) as store, progress_bar("ingesting articles", total=total) as bar:
            before = store.article_count()
            try:
                result = run_ingest(paths, store=store, settings=settings, published=published, source=source,
                                    progress=bar, command=command, fmt=fmt, columns=columns,
                                    phase=bar.phase if bar else None)
            except KeyboardInterrupt:
                stored = store.article_count() - before
                click.echo(f"interrupted: {stored} new article(s) stored in {db}; events are merged when the run "
                           "finishes. Run the same command again to finish: stored articles are skipped.", err=True)
                sys.exit(130)
            events = store.event_count()
    report_failures(result)
    click.echo(f"{result.articles_seen} articles read, {result.articles_new} new; {events} events stored in "
               f"{terminal_safe(db)}; "
               f"{len(result.failures)} inputs failed", err=True)
    sys.exit(1 if result.failures else 0)


@main.command()
@click.argument("path")
@published_option
@input_options
@workers_option
@domain_errors
def extract(path: str, published: dt.date | None, fmt: str, columns: dict[str, str] | None, workers: int) -> None:
    """Run the pipeline without a database and print event records (JSONL)."""
    from ..pipeline.batch import extract as run_extract
    from ..export import jsonl

    with progress_bar("extracting") as bar:
        result = run_extract([path], settings=Settings(workers=workers), published=published, progress=bar,
                             fmt=fmt, columns=columns)
    for ev in result.events:
        click.echo(jsonl.dumps(ev))
    report_failures(result)
    sys.exit(1 if result.failures else 0)


@main.command()
@click.argument("path")
@published_option
@input_options
@domain_errors
def geoparse(path: str, published: dt.date | None, fmt: str, columns: dict[str, str] | None) -> None:
    """Print one JSON line per place mention (offsets into the input text as given)."""
    from ..pipeline.batch import BatchResult
    from ..pipeline.batch import geoparse as run_geoparse

    result = BatchResult()
    for record in run_geoparse([path], settings=Settings(), result=result, published=published, fmt=fmt,
                               columns=columns):
        click.echo(json.dumps(record, ensure_ascii=False))
    report_failures(result)
    sys.exit(1 if result.failures else 0)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="jsonl: one article record per line; table: a short listing.")
@db_option
@domain_errors
def articles(fmt: str, db: str) -> None:
    """List stored articles."""
    from ..store import open_store

    with open_store(db, readonly=True) as store:
        for a in store.articles():
            if fmt == "jsonl":
                click.echo(json.dumps(a.to_record(), ensure_ascii=False))
            else:
                click.echo(terminal_safe(f"{a.id}  {a.published or '----------'}  {a.dateline or '':<20.20}  "
                                         f"{a.headline or ''}"))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "acled", "geojson", "ucdp"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE, whole or not at all (default stdout).")
@click.option("--include-extensions", is_flag=True,
              help="acled: also write our Displacement events; ucdp: also non-violent and displacement events.")
@day_range_options("--date-from", "--date-to")
@click.option("--country", metavar="CC|NAME", help="Country: ISO 3166-1 alpha-2 code or English name.")
@click.option("--admin1", help="First-order division name, any case (spelt as the gazetteer spells it).")
@click.option("--event-type", help="ACLED event type, any case, e.g. 'Battles'.")
@click.option("--sub-event-type", help="ACLED sub-event type, any case, e.g. 'Suicide bomb'.")
@click.option("--actor", help="Actor name in any role (case-insensitive).")
@click.option("--min-fatalities", type=click.IntRange(0), help="At least this many fatalities (ACLED's number).")
@click.option("--q", "q", metavar="WORDS", help="Words that must all occur in the notes or evidence.")
@click.option("--bbox", metavar="W,S,E,N", help="Bounding box in degrees: west,south,east,north.")
@click.option("--reviewed-only", is_flag=True,
              help="Only events an analyst accepted, edited, merged or split (`wirewatch review`).")
@click.option("--include-rejected", is_flag=True,
              help="Also the events an analyst rejected (as the machine coded them).")
@db_option
@domain_errors
def export(fmt: str, output: str | None, include_extensions: bool, date_from: dt.date | None,
           date_to: dt.date | None, country: str | None, admin1: str | None, event_type: str | None,
           sub_event_type: str | None, actor: str | None, min_fatalities: int | None, q: str | None,
           bbox: str | None, reviewed_only: bool, include_rejected: bool, db: str) -> None:
    """Export stored events, optionally filtered (the same filters as the API's /api/events)."""
    from ..errors import QueryError
    from ..export import acled, geojson, jsonl, left_out, ucdp
    from ..filters import matches, parse_filter
    from ..export.outputs import check_output, output_file
    from ..store import open_store

    try:
        flt = parse_filter(date_from=date_from, date_to=date_to, country=country, admin1=admin1,
                           event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                           min_fatalities=min_fatalities, q=q, bbox=bbox)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    if output:
        check_output(output)  # before reading the database
    with open_store(db, readonly=True) as store:
        reviewed = store.reviewed_ids() if reviewed_only else None
        events = [ev for ev in store.events() if matches(flt, ev)]
        rejected = [ev for ev in store.rejected_events() if matches(flt, ev)]
    notes = [f"{len(rejected)} event(s) rejected in review left out (--include-rejected writes them)"] \
        if rejected and not include_rejected else []
    if include_rejected:
        events = sorted(events + rejected, key=lambda ev: ev.id)
    if reviewed is not None:
        unreviewed = sum(1 for ev in events if ev.id not in reviewed)
        events = [ev for ev in events if ev.id in reviewed]
        if unreviewed:
            notes.append(f"{unreviewed} event(s) not reviewed left out (--reviewed-only)")
    notes += left_out(events, fmt=fmt, include_extensions=include_extensions)
    with output_file(output) if output else contextlib.nullcontext(sys.stdout) as out:
        if fmt == "acled":
            n = acled.write(events, out, include_extensions=include_extensions)
        elif fmt == "geojson":
            n = geojson.write(events, out)
        elif fmt == "ucdp":
            n = ucdp.write(events, out, include_all=include_extensions, min_deaths=1)
        else:
            n = jsonl.write(events, out)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if output:
        click.echo(f"{n} events written to {terminal_safe(output)}", err=True)


@main.command()
@db_option
@domain_errors
def summary(db: str) -> None:
    """A short summary of the database: articles, events by type and country, top fatality claims."""
    from ..store import open_store

    with open_store(db, readonly=True) as store:
        n_articles = store.article_count()
        events = list(store.events())
        unmerged = store.events_stale()
    click.echo(f"{n_articles} articles, {len(events)} events")
    if unmerged:
        click.echo("some stored articles are not merged into events yet (an interrupted ingest?): run the same"
                   " `wirewatch ingest` again to finish", err=True)
    by_type = Counter(f"{e.event_type} / {e.sub_event_type}" for e in events)
    click.echo("\nEvents by type:")
    for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {v:4d}  {terminal_safe(k)}")
    by_country = Counter((e.location.country if e.location and e.location.country else "unknown") for e in events)
    click.echo("\nEvents by country:")
    for k, v in sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {v:4d}  {terminal_safe(k)}")
    click.echo("\nTop fatality claims:")
    claims = [(c, e) for e in events for c in e.claims if c.quantity == "killed" and c.low is not None]
    claims.sort(key=lambda ce: (-(ce[0].low or 0), ce[1].id))
    for c, e in claims[:8]:
        where = e.location.location if e.location else "?"
        q = f"{c.qualifier} " if c.qualifier and c.qualifier not in ("exact",) else ""
        click.echo(terminal_safe(f"  {q}{c.low} killed — {e.sub_event_type}, {where}, {e.event_date} "
                                 f"(source: {c.source})"))


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Poll interval, e.g. 90s, 10m, 2h.")
@click.option("--iterations", type=click.IntRange(1), help="Stop after N polls of every feed (default: run until Ctrl-C).")
@click.option("--max-backoff", default="6h", show_default=True, help="Longest wait after repeated failures of a feed.")
@db_option
@domain_errors
def watch(feeds: tuple[str, ...], every: str, iterations: int | None, max_backoff: str, db: str) -> None:
    """Poll RSS/Atom feeds (URLs or files) and ingest only new items; state survives restarts."""
    from ..store import open_store
    from ..ingest.watch import parse_interval
    from ..ingest.watch import watch as run_watch

    try:
        interval, backoff = parse_interval(every), parse_interval(max_backoff)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None

    failing: dict[str, str] = {}  # feed -> why its latest poll failed

    def show(res: Any) -> None:
        line = f"{res.feed}: {res.status}, {res.items} item(s), {res.new} new"
        click.echo(terminal_safe(line + (f" ({res.error})" if res.error else "")), err=True)
        if res.error:
            failing[res.feed] = res.error
        else:
            failing.pop(res.feed, None)
        if res.batch is not None:
            report_failures(res.batch)

    with open_store(db) as store:
        try:
            run_watch(feeds, store=store, settings=Settings(db=db), every=interval, iterations=iterations,
                      on_result=show, max_backoff=backoff)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
    for feed, why in failing.items():
        click.echo(f"failed: {feed}: {why}", err=True)
    if failing:
        sys.exit(1)


@main.group()
def gazetteer() -> None:
    """Manage the offline gazetteer (GeoNames, CC BY 4.0)."""


@gazetteer.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@domain_errors
def gazetteer_import(path: str) -> None:
    """Extend the gazetteer from a GeoNames dump (allCountries.zip, XX.zip or XX.txt)."""
    from ..geo.dumps import import_dump

    n = import_dump(Path(path), cache_dir=Settings().cache_dir)
    click.echo(f"{n} places imported from {terminal_safe(path)}", err=True)


@main.command()
def stages() -> None:
    """List the registered pipeline stages and the default order."""
    from ..pipeline.registry import REGISTRY, check_order

    check_order(Settings().stages)
    for name, st in sorted(REGISTRY.items()):
        click.echo(f"{name:14} requires={','.join(st.requires) or '-':12} provides={','.join(st.provides):10} {st.doc}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback unless you say so).")
@click.option("--port", default=8000, show_default=True, help="Port.")
@click.option("--tile-url", metavar="URL", help="An online tile layer for the map (default: offline country outlines).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes: uvicorn's workers, sharing one listening socket (one per core serves the most"
                   " requests).")
@click.option("--page-cache", default=2048, show_default=True, type=click.IntRange(0, 1_000_000),
              help="Pages of event lists each worker keeps until the database changes (0: none).")
@click.option("--columns/--sql-only", default=True, show_default=True,
              help="Filter event lists and counts on an in-memory copy of the filtered columns (per worker about"
                   " 100 bytes an event up to 1,000,000 events, and the list items up to 64 M characters) or in"
                   " SQLite alone.")
@click.option("--review-token", envvar="WIREWATCH_REVIEW_TOKEN", metavar="TOKEN",
              help="Turn on reviewing from the dashboard and POST /api/events/ID/review for requests sending"
                   " 'Authorization: Bearer TOKEN' (env WIREWATCH_REVIEW_TOKEN); off by default.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A Host name the server answers to; repeatable (default: --host and localhost; others get 400).")
@db_option
@domain_errors
def serve(host: str, port: int, tile_url: str | None, workers: int, page_cache: int, columns: bool,
          review_token: str | None, allowed_hosts: tuple[str, ...], db: str) -> None:
    """Web dashboard at / and read-only JSON API at /api/ (OpenAPI at /api/openapi.json)."""
    from ..web.app import serve as run_serve

    run_serve(db, host=host, port=port, tile_url=tile_url, workers=workers, page_cache_size=page_cache,
              columns=columns, review_token=review_token or None, allowed_hosts=frozenset(allowed_hosts) or None)


@main.command()
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Output file (default wirewatch-report.html; Markdown goes to standard output).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="Self-contained HTML (inline SVG map and chart) or Markdown.")
@day_range_options("--since", "--until")
@click.option("--country", metavar="NAME|CC", help="Only events in this country (name or ISO code).")
@click.option("--title", help="Report title.")
@db_option
@domain_errors
def report(output: str | None, fmt: str, since: dt.date | None, until: dt.date | None, country: str | None,
           title: str | None, db: str) -> None:
    """Write a situation report: headline numbers, map, events per day, serious events, disputed figures."""
    from ..errors import QueryError
    from ..filters import country_code
    from ..export.outputs import check_output, output_file
    from ..report.build import build_report
    from ..store import open_store

    try:
        country = country_code(country) if country else None
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint="--country") from None
    if output is None and fmt == "html":
        output = "wirewatch-report.html"
    if output:
        check_output(output)  # before reading the database
    with open_store(db, readonly=True) as store:
        events = list(store.events())
    text = build_report(events, title=title, since=since, until=until, country=country, fmt=fmt)
    if not output:  # Markdown without -o: standard output
        click.echo(text, nl=not text.endswith("\n"))
        return
    with output_file(output) as out:
        out.write(text)
    click.echo(f"report written to {terminal_safe(output)}", err=True)


from .evaluate import eval_group
from .review import review

main.add_command(eval_group)
main.add_command(review)

if __name__ == "__main__":  # pragma: no cover
    main()
