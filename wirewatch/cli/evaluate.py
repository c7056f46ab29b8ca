"""``wirewatch eval``: score what ingest -> export/articles produce against public gold data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import domain_errors, progress_bar, workers_option


def _eval_data(ctx: click.Context, param: click.Parameter, value: str | None) -> Path:
    from ..eval.runner import default_data_dir

    return Path(value) if value else default_data_dir()


eval_data_option = click.option(
    "--data", callback=_eval_data, metavar="DIR",
    help="The evaluation folder (default: $WIREWATCH_EVAL_DATA, else ../shared/eval).")


@click.group("eval")
def eval_group() -> None:
    """Score what ingest -> export/articles produce against public gold data (dev splits only).

    Each subcommand ingests its inputs into a fresh database with the defaults a user gets and scores
    the exported records: the figures are those of ../shared/eval/score/run for the same data.
    """


@eval_group.command("acled")
@click.argument("csv_paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@eval_data_option
@workers_option
@domain_errors
def eval_acled(csv_paths: tuple[str, ...], data: Path, workers: int) -> None:
    """ACLED notes: event type, sub-type, fatalities, place within 25 km, actor1.

    With no CSV: the dev notes of the three ACLED sets in the evaluation folder. With CSVs: every row
    of your own ACLED-format files.
    """
    from ..eval.acled import evaluate, gold_rows

    gold = gold_rows([Path(p) for p in csv_paths], data_dir=data)
    with progress_bar(f"ingesting {len(gold)} notes") as bar:
        res = evaluate(gold, split="all" if csv_paths else "dev", workers=workers, progress=bar)
    click.echo(json.dumps(res))


@eval_group.command("ecb")
@eval_data_option
@workers_option
@domain_errors
def eval_ecb(data: Path, workers: int) -> None:
    """ECB+ dev topics: are reports of one real-world event one story, and look-alikes apart?"""
    from ..eval.ecb import dev_docs, evaluate

    click.echo(json.dumps(evaluate(dev_docs(data), workers=workers)))


@eval_group.command("offtopic")
@eval_data_option
@click.option("--feed", default="technologyNews", show_default=True,
              help="Reuters 2016 feed whose stories carry (next to) no conflict events.")
@workers_option
@domain_errors
def eval_offtopic(data: Path, feed: str, workers: int) -> None:
    """Events made per story of a feed with no conflict news (an upper bound on false events)."""
    from ..eval.offtopic import evaluate

    click.echo(json.dumps(evaluate(data, feed=feed, workers=workers)))


@eval_group.command("news")
@eval_data_option
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Annotation file (default: tests/data/news_dev.jsonl of this checkout).")
@workers_option
@domain_errors
def eval_news(data: Path, gold: str | None, workers: int) -> None:
    """Hand-annotated real news (Reuters, Guardian): precision, recall, type, date, place, fatalities, actor1."""
    from ..eval.news import dev_articles, evaluate

    articles = dev_articles(data, gold_path=Path(gold) if gold else None)
    with progress_bar(f"ingesting {len(articles)} articles") as bar:
        res = evaluate(articles, workers=workers, progress=bar)
    click.echo(json.dumps(res))


@eval_group.command("geo")
@eval_data_option
@click.option("--limit", type=click.IntRange(1), help="Score only the first N documents of each corpus.")
@domain_errors
def eval_geo(data: Path, limit: int | None) -> None:
    """Geoparsing gold corpora (GeoWebNews, LGL, GeoVirus), scored from what `geoparse` prints."""
    from ..eval.geo import dev_corpora, evaluate_geoparsing

    for path in dev_corpora(data):
        if not path.exists():
            raise click.UsageError(f"{path} not found: pass --data with the evaluation folder")
        click.echo(json.dumps(evaluate_geoparsing(path, limit=limit)))
