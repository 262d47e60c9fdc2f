"""Scale out on a Dask cluster: partitions of a corpus analysed on workers, results identical to local.

A partition is one corpus file (a Parquet or JSON Lines shard) or a group of
``files_per_partition`` text/HTML files. Two passes, like the local engine:

1. each worker counts, per outlet, in how many articles each normalised block
   occurs and lists its article ids; the client sums the counts over all
   partitions (so boilerplate repetition is computed across partitions), and
   replays the ids in order to name duplicates exactly as the local reader does;
2. each worker analyses its partition with the outlet repetition sets and the
   final ids, and writes (or returns) one Parquet part per table.

Use a LocalCluster (default) or any scheduler by address (``scheduler=
"tcp://host:8786"``), e.g. one started by dask-jobqueue on an HPC cluster or by
the Dask Kubernetes operator; workers must see the corpus and output paths
(a shared POSIX file system mounted at the same path everywhere; object-store URLs are not
supported yet).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from framing.analysis import TABLES, Analysis, atomic_write_parquet, atomic_write_text, table_frame
from framing.corpus.reader import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    ColumnMap,
    ErrorRecord,
    IdRegistry,
    _inner_suffix,
    corpus_files,
    iter_file,
)
from framing.errors import FramingError
from framing.options import Options
from framing.pipeline import DocResult, analyze_records

__all__ = ["analyze_dask", "analyze_dask_to_folder", "partitions"]


def _require_dask():
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FramingError("E207", "the Dask engine needs the optional extra: pip install 'framing-toolkit[dask]'") \
            from exc


def partitions(source: str | Path, files_per_partition: int = 256) -> tuple[Path, bool, list[list[str]]]:
    """``(root, outlet_from_folder, [[file, ...], ...])``: how a corpus on disk splits into partitions."""
    path = Path(source)
    if not path.exists():
        raise FramingError("E000", f"no such file or folder: {path}")
    if path.is_file():
        return path.parent, False, [[str(path)]]
    files = corpus_files(path)
    if not files:
        raise FramingError("E009", f"folder {path} holds no corpus files")
    parts: list[list[str]] = []
    group: list[str] = []
    for f in files:
        if _inner_suffix(f) in TEXT_SUFFIXES | HTML_SUFFIXES:
            group.append(str(f))
            if len(group) >= files_per_partition:
                parts.append(group)
                group = []
        else:
            if group:
                parts.append(group)
                group = []
            parts.append([str(f)])
    if group:
        parts.append(group)
    return path, True, parts


def _records(files: list[str], root: str, from_folder: bool, cols: ColumnMap, outlet: str | None):
    for f in files:
        yield from iter_file(Path(f), Path(root), columns=cols, outlet=outlet, outlet_from_folder=from_folder)


def _count_partition(files, root, from_folder, cols, outlet, options: Options) -> dict[str, Any]:
    """Pass 1 on a worker: per-outlet block document frequencies and the raw ids in order."""
    from framing.pipeline import outlet_block_counts

    recs = [r for r in _records(files, root, from_folder, cols, outlet) if not isinstance(r, ErrorRecord)]
    return {"counts": outlet_block_counts(recs, options),
            "ids": [(r["doc_id"], r.get("source")) for r in recs]}


def _analyze_partition(files, root, from_folder, cols, outlet, options: Options,
                       repetition: dict[str, frozenset[str]], final_ids: list[str],
                       out_dir: str | None, index: int) -> dict[str, Any]:
    """Pass 2 on a worker: analyse one partition; write its parts or return its tables."""
    results: list[DocResult] = []
    errors: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        reps = [repetition.get(r.get("outlet") or "", frozenset()) for r in batch]
        results.extend(analyze_records(batch, options, reps))
        batch.clear()

    k = 0
    for item in _records(files, root, from_folder, cols, outlet):
        if isinstance(item, ErrorRecord):
            errors.append(item.as_dict())
            continue
        item["doc_id"] = final_ids[k]
        k += 1
        texts[item["doc_id"]] = item["text"]
        batch.append(item)
        if len(batch) >= 64:  # stage by stage over a batch: see framing.pipeline.analyze_records
            flush()
    flush()
    a = Analysis.from_results(results, errors, texts)
    if out_dir is None:
        return {t: getattr(a, t) for t in TABLES}
    for t in TABLES:
        atomic_write_parquet(getattr(a, t), Path(out_dir) / "parts" / t / f"part-{index:06d}.parquet")
    return {"articles": len(a.articles)}


def _client(scheduler: str | None, n_workers: int):
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def _run(source, options: Options, columns: ColumnMap | None, outlet: str | None, scheduler: str | None,
         n_workers: int, out_dir: str | None, files_per_partition: int):
    _require_dask()
    from framing.pipeline import repetition_from_counts

    cols = columns or ColumnMap()
    root, from_folder, parts = partitions(source, files_per_partition)
    client, cluster = _client(scheduler, n_workers)
    try:
        futs = [client.submit(_count_partition, p, str(root), from_folder, cols, outlet, options, pure=False)
                for p in parts]
        counted = client.gather(futs)
        from framing.blockcounts import BlockCounts

        merged: dict[str, BlockCounts] = {}  # compact: 12 bytes per distinct block on the client
        for c in counted:
            for o, kc in c["counts"].items():
                merged.setdefault(o, BlockCounts()).update(kc)
        repetition = repetition_from_counts(merged, options)
        registry = IdRegistry()
        final_ids: list[list[str]] = []
        warnings: list[dict[str, Any]] = []
        for c in counted:
            ids = []
            for doc_id, src in c["ids"]:
                new_id, w = registry.assign(doc_id, src)
                ids.append(new_id)
                if w is not None:
                    warnings.append(w.as_dict())
            final_ids.append(ids)
        # Scatter the dict as one object: scattering a dict itself would use its keys (the outlet
        # names, "" for articles without one) as task keys.
        rep_f = client.scatter([repetition], broadcast=True)[0]
        futs = [client.submit(_analyze_partition, p, str(root), from_folder, cols, outlet, options, rep_f,
                              final_ids[i], out_dir, i, pure=False) for i, p in enumerate(parts)]
        results = client.gather(futs)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    n_records = sum(len(c["ids"]) for c in counted)
    return parts, results, warnings, n_records


def _provenance(options: Options, source, n_records: int, n_workers: int, scheduler: str | None) -> dict[str, Any]:
    from framing.api import provenance

    prov = provenance(options, source=source, fingerprint="not computed by the dask engine",
                      n_records=n_records, engine="dask", n_jobs=n_workers)
    prov["scheduler"] = scheduler or "LocalCluster"
    return prov


def analyze_dask(source: str | Path, *, options: Options | None = None, columns: ColumnMap | None = None,
                 outlet: str | None = None, scheduler: str | None = None, n_workers: int = 2,
                 files_per_partition: int = 256) -> Analysis:
    """Analyse a corpus on disk on a Dask cluster and return the :class:`Analysis` (tables gathered here)."""
    opts = (options or Options()).validate()
    if not isinstance(source, (str, Path)):
        raise FramingError("E208", "the Dask engine reads a corpus on disk (a folder or a file), not in-memory data")
    parts, results, warnings, n = _run(source, opts, columns, outlet, scheduler, n_workers, None,
                                       files_per_partition)
    tables = {}
    for t in TABLES:
        frames = [r[t] for r in results if len(r[t])]
        rows = pd.concat(frames, ignore_index=True).to_dict("records") if frames else []
        if t == "errors":
            rows = warnings + rows  # duplicate-id warnings are found on the client
        tables[t] = table_frame(t, rows)
    return Analysis(tables, _provenance(opts, source, n, n_workers, scheduler))


def analyze_dask_to_folder(source: str | Path, outdir: str | Path, *, options: Options | None = None,
                           columns: ColumnMap | None = None, outlet: str | None = None,
                           scheduler: str | None = None, n_workers: int = 2,
                           files_per_partition: int = 256) -> dict[str, Any]:
    """Analyse on Dask, writing partitioned Parquet (``parts/<table>/part-*.parquet``) and merged tables."""
    from framing.api import _merge_parts

    opts = (options or Options()).validate()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    parts, results, warnings, n = _run(source, opts, columns, outlet, scheduler, n_workers, str(out),
                                       files_per_partition)
    if warnings:
        # duplicate-id warnings are found on the client: add them to the first errors part
        first = out / "parts" / "errors" / "part-000000.parquet"
        rows = warnings + pd.read_parquet(first).to_dict("records")
        atomic_write_parquet(table_frame("errors", rows), first)
    _merge_parts(out / "parts", out, len(parts))
    atomic_write_text(out / "run.json", json.dumps(_provenance(opts, source, n, n_workers, scheduler), indent=2,
                                                   sort_keys=True, default=str))
    return {"articles": sum(r["articles"] for r in results), "partitions": len(parts)}
