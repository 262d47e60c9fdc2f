"""Peak memory of ``framing analyze`` as the corpus grows (1k, 10k, 100k articles).

Generates seeded, invented news-like articles (about 600-1000 words, several outlets, each
outlet with a few boilerplate blocks repeated under many of its articles) into a JSON Lines
file, runs ``framing analyze FILE -o OUT --quiet`` on it as a subprocess, and records the
child's peak resident set size (``ru_maxrss`` from ``os.wait4``, plus a psutil poll of the
process tree when psutil is installed) and the wall time. Writes
``reports/benchmarks/memory.md`` and ``memory.json`` with a description of the machine.

Usage::

    python benchmarks/memory.py                      # 1k, 10k, 100k (about 15 minutes)
    python benchmarks/memory.py --sizes 1000 5000    # quicker
    python benchmarks/memory.py --workdir /tmp/mem   # where corpora and outputs go

The target (issue 6): peak RSS at 100k articles within 1.2x of the 1k figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/machine.py

REPO = Path(__file__).resolve().parents[1]

# -- an invented news world ---------------------------------------------------------------------

OUTLETS = ["the-daily-ledger", "the-evening-courier", "metro-buzz", "harbour-gazette", "valley-post"]
FIRST = ["Anna", "Tomas", "Leila", "Marco", "Ines", "Jonas", "Priya", "Samuel", "Mei", "Olga", "Kwame", "Lucia"]
LAST = ["Berger", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski", "Reyes"]
ROLES = ["minister", "spokesperson", "mayor", "chief executive", "senator", "economist", "union leader",
         "police chief", "analyst", "ambassador"]
ORGS = ["the finance ministry", "the city council", "the central bank", "the harbour authority", "the rail union",
        "the health agency", "the opposition party", "the energy regulator", "the university", "the trade bloc"]
TOPICS = ["the budget", "the port expansion", "the rail strike", "water prices", "the new hospital", "the trade talks",
          "the election", "the housing plan", "fuel subsidies", "the bridge repairs", "the fishing quota"]
CUES = ["said", "told reporters", "claimed", "argued", "insisted", "noted", "warned", "added", "alleged", "admitted"]
MODALS = ["may", "might", "could", "is believed to", "appears to", "is expected to"]
HEDGES = ["may", "might", "could", "reportedly", "apparently", "allegedly"]
NOUNS = ["plan", "deal", "report", "vote", "proposal", "budget", "inquiry", "contract", "protest", "agreement",
         "deadline", "figure", "committee", "review", "decision", "market", "district", "service", "project", "law"]
VERBS = ["delayed", "approved", "rejected", "questioned", "revised", "extended", "announced", "blocked",
         "criticised", "welcomed", "funded", "postponed", "examined", "reduced", "expanded"]
ADJS = ["new", "controversial", "long-awaited", "costly", "regional", "temporary", "revised", "disputed",
        "national", "local", "ambitious", "modest"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week", "this morning"]
UNNAMED = ["officials", "a source close to the talks", "people familiar with the matter", "critics", "residents"]


def _boilerplate(outlet: str) -> list[str]:
    name = outlet.replace("-", " ").title()
    return [
        f"Support independent journalism: become a member of {name} today and keep our reporting free for all.",
        f"Sign up for the {name} morning briefing, delivered to your inbox every weekday at 7am.",
        "Share this article: Facebook, X, WhatsApp, Email. Follow us for more local news and updates.",
        f"Read more: the latest coverage of city politics and business from the {name} newsroom.",
    ]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    topic, org = rng.choice(TOPICS), rng.choice(ORGS)
    if kind < 0.25:
        return (f"{_person(rng)}, the {rng.choice(ROLES)} of {org}, {rng.choice(CUES)} {rng.choice(DAYS)} that "
                f"{topic} {rng.choice(MODALS)} be {rng.choice(VERBS)} before the {rng.choice(ADJS)} "
                f"{rng.choice(NOUNS)}.")
    if kind < 0.4:
        return (f"\u201cWe have {rng.choice(VERBS)} the {rng.choice(ADJS)} {rng.choice(NOUNS)} and we will not "
                f"wait for {topic},\u201d {_person(rng)} {rng.choice(CUES)}.")
    if kind < 0.5:
        return (f"According to {rng.choice(UNNAMED)}, {org} {rng.choice(HEDGES)} have {rng.choice(VERBS)} the "
                f"{rng.choice(NOUNS)} over {topic}.")
    words = [rng.choice(ADJS), rng.choice(NOUNS), "of", org, rng.choice(VERBS), "the", rng.choice(ADJS),
             rng.choice(NOUNS), "after", rng.choice(["months", "weeks", "years"]), "of", "debate", "over", topic]
    return " ".join(["The", *words]) + f", {rng.randint(2, 98)} percent of voters said in a survey."


def article(rng: random.Random, outlet: str, i: int) -> dict[str, str]:
    """One invented article of about 600-1000 words with some of its outlet's boilerplate blocks."""
    target = rng.randint(600, 1000)
    paras, words = [], 0
    while words < target:
        p = " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))
        paras.append(p)
        words += len(p.split())
    for block in _boilerplate(outlet):
        if rng.random() < 0.6:
            paras.insert(rng.randint(1, len(paras)), block)
    title = f"{rng.choice(ADJS).capitalize()} {rng.choice(NOUNS)} {rng.choice(VERBS)} over {rng.choice(TOPICS)}"
    date = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"doc_id": f"{outlet}/{i:07d}", "outlet": outlet, "title": title, "date": date,
            "text": title + "\n\n" + "\n\n".join(paras)}


def write_corpus(path: Path, n: int, seed: int = 6) -> Path:
    """Write ``n`` articles as JSON Lines (seeded: the same file every time)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(article(rng, OUTLETS[i % len(OUTLETS)], i), ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


# -- measuring ------------------------------------------------------------------------------------

def _poll_tree(pid: int, peak: list[int], stop: threading.Event) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        proc = psutil.Process(pid)
        while not stop.is_set():
            try:
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            except psutil.Error:
                break
            peak[0] = max(peak[0], rss)
            time.sleep(0.05)
    except psutil.Error:
        return


def measure_maxrss(corpus: Path, outdir: Path, extra: list[str]) -> dict[str, float]:
    """Like :func:`measure`, and the kernel's exact peak RSS of the child (``os.wait4`` rusage)."""
    shutil.rmtree(outdir, ignore_errors=True)
    cmd = [sys.executable, "-m", "framing.cli", "analyze", str(corpus), "-o", str(outdir), "--quiet", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, stop = [0], threading.Event()
    poller = threading.Thread(target=_poll_tree, args=(proc.pid, peak, stop), daemon=True)
    poller.start()
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    stop.set()
    poller.join()
    if proc.returncode != 0:
        raise RuntimeError(f"framing analyze failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    return {"wall_s": round(wall, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "peak_rss_tree_mib": round(peak[0] / 2**20, 1)}


def machine() -> dict[str, object]:
    """CPU model, cores, RAM, OS, Python and library versions."""
    from machine import describe_machine

    import framing

    m = describe_machine(("framing-toolkit", "pandas", "pyarrow", "numpy", "trafilatura", "textstat",
                          "vaderSentiment"))
    m["versions"] = {**m.pop("packages"), "framing": framing.__version__}
    return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/framing-memory-benchmark"))
    ap.add_argument("--report-dir", type=Path, default=REPO / "reports" / "benchmarks")
    ap.add_argument("--chunk-size", type=int, default=1000)
    ap.add_argument("--keep", action="store_true", help="Keep the generated corpora and outputs.")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        corpus = write_corpus(args.workdir / f"corpus-{n}.jsonl", n)
        size_mb = corpus.stat().st_size / 1e6
        res = measure_maxrss(corpus, args.workdir / f"out-{n}", ["--chunk-size", str(args.chunk_size)])
        res.update({"articles": n, "corpus_mb": round(size_mb, 1),
                    "articles_per_s": round(n / res["wall_s"], 1)})
        rows.append(res)
        print(json.dumps(res), flush=True)
        if not args.keep:
            corpus.unlink(missing_ok=True)
            shutil.rmtree(args.workdir / f"out-{n}", ignore_errors=True)
    base = rows[0]["peak_rss_mib"]
    for r in rows:
        r["ratio_to_smallest"] = round(r["peak_rss_mib"] / base, 3)
    payload = {"benchmark": "peak RSS of `framing analyze FILE -o OUT` (one process, -j 1)",
               "chunk_size": args.chunk_size, "machine": machine(), "runs": rows,
               "target": "peak RSS at the largest size within 1.2x of the smallest",
               "target_met": bool(rows[-1]["ratio_to_smallest"] <= 1.2)}
    args.report_dir.mkdir(parents=True, exist_ok=True)
    (args.report_dir / "memory.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    m = payload["machine"]
    lines = [
        "# Memory benchmark: `framing analyze` on a growing corpus", "",
        "Generated by `python benchmarks/memory.py` (invented, seeded news-like articles of about 600-1000 "
        "words in 5 outlets with repeated boilerplate blocks, one JSON Lines file; "
        f"`framing analyze FILE -o OUT --quiet --chunk-size {args.chunk_size}`, one process).", "",
        "Peak RSS is the kernel's maximum resident set size of the `framing` process (`ru_maxrss` from "
        "`os.wait4`); the tree column is a 50 ms psutil poll of the process and its children.", "",
        "| articles | corpus (MB) | peak RSS (MiB) | peak RSS, tree poll (MiB) | x smallest | wall (s) | articles/s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['articles']:,} | {r['corpus_mb']} | {r['peak_rss_mib']} | {r['peak_rss_tree_mib']} | "
                     f"{r['ratio_to_smallest']} | {r['wall_s']} | {r['articles_per_s']} |")
    lines += ["", f"Target (peak RSS at the largest size within 1.2x of the smallest): "
              f"**{'met' if payload['target_met'] else 'NOT met'}**.", "",
              "## Machine", "",
              f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gib']} GiB", f"- OS: {m['os']}",
              f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m['versions'].items()), ""]
    (args.report_dir / "memory.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.report_dir / 'memory.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
