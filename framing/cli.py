"""Command line: ``framing analyze | show | evaluate | report``. Thin: parses options, calls the API."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import click

from framing._version import __version__
from framing.errors import FramingError

_OPTION_HELP = "JSON file of Options fields (e.g. {\"body_only\": false}); flags given here override it."


def _options(config: str | None, **overrides):
    from framing.options import Options

    data = {}
    if config:
        try:
            data = json.loads(Path(config).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise click.BadParameter(f"cannot read options file {config}: {exc}") from exc
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Options.from_dict(data).validate()
    except FramingError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="framing")
def main() -> None:
    """Measure media bias and framing in news text: attribution, hedging, actor sentiment,
    boilerplate share and readability, every finding tied to character offsets."""
    warnings.filterwarnings("ignore", category=DeprecationWarning)


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("-o", "--outdir", required=True, type=click.Path(), help="Folder for the Parquet tables and run.json.")
@click.option("-j", "--jobs", default=1, show_default=True, help="Processes to use (-1: all cores).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (engine dask); default: a LocalCluster.")
@click.option("--chunk-size", default=1000, show_default=True, help="Articles per output chunk (resume unit).")
@click.option("--text-col", default="text", show_default=True, help="Text column of JSONL/CSV/Parquet input.")
@click.option("--id-col", default="doc_id", show_default=True)
@click.option("--outlet-col", default="outlet", show_default=True)
@click.option("--title-col", default="title", show_default=True)
@click.option("--outlet", default=None, help="Outlet name for every article.")
@click.option("--actors", default=None, type=click.Path(exists=True), help="TSV of extra actor aliases.")
@click.option("--include-boilerplate", is_flag=True, help="Report findings inside boilerplate too.")
@click.option("--encoder", is_flag=True,
              help="Also use the optional contextual encoder (more accurate sentiment and cues, ~1 s/article).")
@click.option("--config", default=None, type=click.Path(exists=True), help=_OPTION_HELP)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--max-errors", "max_errors", default=100, show_default=True,
              help="Articles that could not be analysed to list on stderr (all are in errors.parquet).")
def analyze(path, outdir, jobs, engine, scheduler, chunk_size, text_col, id_col, outlet_col, title_col, outlet,
            actors, include_boilerplate, encoder, config, quiet, max_errors):
    """Analyse the corpus at PATH (folder or file) and write tables to OUTDIR.

    Re-running the same command after an interruption resumes where it stopped.
    Exit code 1 only when no article could be analysed.
    """
    from framing.api import analyze_to_folder
    from framing.corpus.reader import ColumnMap

    opts = _options(config, actors=actors, body_only=False if include_boilerplate else None,
                    encoder=True if encoder else None)
    cols = ColumnMap(doc_id=id_col, outlet=outlet_col, title=title_col, text=text_col)
    try:
        if engine == "dask":
            from framing.engines.dask import analyze_dask_to_folder

            counts = analyze_dask_to_folder(path, outdir, options=opts, columns=cols, outlet=outlet,
                                            scheduler=scheduler)
        else:
            counts = analyze_to_folder(path, outdir, options=opts, n_jobs=jobs, chunk_size=chunk_size,
                                       columns=cols, outlet=outlet, progress=not quiet)
    except FramingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    from framing.api import folder_summary

    s, errors = folder_summary(outdir)  # reads no texts: cheap on a large corpus
    click.echo(f"analysed {s['articles']} article(s) from {s['outlets']} outlet(s) -> {outdir}")
    click.echo(f"  attributions {s['attributions']}, hedges {s['hedges']}, actor mentions {s['mentions']}, "
               f"mean boilerplate share {s['mean_boilerplate_share']:.3f}")
    errs = errors[errors.severity == "error"]
    if len(errs):
        click.echo(f"  {len(errs)} article(s) could not be analysed (see {Path(outdir) / 'errors.parquet'}):",
                   err=True)
        for r in errs.head(max_errors).itertuples():
            click.echo(f"    {r.doc_id} [{r.code}] {r.reason} ({r.source})", err=True)
        if len(errs) > max_errors:
            click.echo(f"    ... and {len(errs) - max_errors} more", err=True)
    if counts.get("articles", s["articles"]) == 0:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(exists=True))
@click.option("-o", "--output", default=None, type=click.Path(), help="Write a self-contained HTML page here.")
@click.option("--doc-id", default=None, help="Which article, when FILE holds several (or is an analysis folder).")
def show(file, output, doc_id):
    """Show one article with its findings highlighted (terminal, or HTML with -o)."""
    from framing.view import show_file

    try:
        result = show_file(file, output=output, doc_id=doc_id)
    except (FramingError, KeyError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if output:
        click.echo(f"wrote {output}")
    else:
        click.echo(result)


@main.command()
@click.argument("file", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Where to write the worksheet: .html, or .pdf (printed with a local Chromium).")
@click.option("--doc-id", default=None, help="Which article, when FILE holds several (or is an analysis folder).")
@click.option("--exercise", type=click.Choice(["who-speaks", "said-or-claimed", "news-share"]), default="who-speaks",
              show_default=True)
@click.option("--answers", is_flag=True, help="Add the reveal (highlights and numbers) on a new printed page.")
def worksheet(file, output, doc_id, exercise, answers):
    """Write a printable student worksheet for one article (for a class without Jupyter)."""
    from framing.view.files import worksheet_file

    try:
        path = worksheet_file(file, output, doc_id=doc_id, exercise=exercise, answers=answers)
    except FramingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("dataset")
@click.argument("path", required=False, type=click.Path())
@click.option("--json", "json_out", default=None, type=click.Path(), help="Write {dataset, n, metrics} here.")
def evaluate(dataset, path, json_out):
    """Score framing (and peers) on DATASET laid out as in shared/data/DATASET at PATH."""
    from framing.evaluate import evaluate as run

    try:
        frame = run(dataset, path)
    except FramingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    table = frame.pivot_table(index="metric", columns="system", values="value", aggfunc="first")
    cols = ["framing"] + [c for c in table.columns if c != "framing"]
    click.echo(f"{dataset}  (n={frame.attrs.get('n')})")
    click.echo(table[[c for c in cols if c in table.columns]].round(3).to_string())
    if json_out:
        payload = {"dataset": dataset, "n": frame.attrs.get("n"), "metrics": frame.attrs["metrics"]}
        Path(json_out).write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")


@main.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("-o", "--outdir", default=None, type=click.Path(),
              help="Report folder (default: reports/<corpus name>).")
def report(path, outdir):
    """Analyse a corpus and write tables, figures and an HTML report (executes the notebooks)."""
    from framing.report import build_report

    try:
        out = build_report(path, outdir)
    except FramingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"report written to {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
