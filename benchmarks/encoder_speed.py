"""Cost of the optional encoder: ``framing.analyze`` with ``Options(encoder=True)`` vs the default.

Runs both configurations on the same PolNeAR articles (the benchmark corpus, about 750 words
each), one process, after a warm-up article (the encoder's weights are read and checked once per
process, about 0.3 s, not counted), and writes ``reports/benchmarks/encoder.md`` and
``encoder.json``. CPU time per article, best of ``--rounds``.

Usage::

    python benchmarks/encoder_speed.py [--articles 40] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    import pandas as pd
    from machine import describe_machine  # benchmarks/machine.py
    from run_benchmark import polnear_articles

    import framing
    from framing.encoder import available

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", type=Path, default=REPO / "reports" / "benchmarks")
    args = ap.parse_args(argv)
    if not available():
        raise SystemExit("the optional encoder is not installed (make install)")
    arts = pd.DataFrame(polnear_articles()[: args.articles])
    framing.analyze(arts.head(1), options=framing.Options(encoder=True))  # warm-up: weights, heads, caches
    rows = {}
    for name, opts in (("default", framing.Options()), ("encoder", framing.Options(encoder=True))):
        best = None
        for _ in range(args.rounds):
            t0 = time.process_time()
            a = framing.analyze(arts, options=opts)
            cpu = time.process_time() - t0
            best = cpu if best is None else min(best, cpu)
        rows[name] = {"ms_per_article": round(1000 * best / len(arts), 1),
                      "articles_per_s": round(len(arts) / best, 2), "mentions": int(len(a.mentions)),
                      "attributions": int(len(a.attributions))}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    payload = {"articles": len(arts), "rounds": args.rounds, "commit": commit, "version": framing.__version__,
               "machine": describe_machine(["numpy", "tokenizers", "safetensors"]), "results": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "encoder.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = ["# Cost of the optional encoder", "",
             f"`python benchmarks/encoder_speed.py --articles {len(arts)} --rounds {args.rounds}`: "
             f"{len(arts)} PolNeAR articles, one process, CPU time, best of {args.rounds} rounds, "
             f"commit `{commit}`.", "",
             "| configuration | ms per article | articles/s | attributions | mentions |", "|---|---:|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['ms_per_article']} | {r['articles_per_s']} | {r['attributions']} | "
                     f"{r['mentions']} |")
    (args.out / "encoder.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
