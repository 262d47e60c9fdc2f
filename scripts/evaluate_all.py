"""Evaluate framing and its peers on every dataset present, and regenerate docs/evaluation.md.

Usage: ``python scripts/evaluate_all.py [--data DIR] [--only NAME ...]`` (``make evaluate``).
Writes ``reports/evaluation/<dataset>.json`` (the same payload as ``framing evaluate --json``)
and the table in ``docs/evaluation.md`` between its generated-table markers, with the commit
and the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from framing.evaluate import DATASETS, default_data_root, evaluate  # noqa: E402

BEGIN, END = "<!-- evaluation:begin -->", "<!-- evaluation:end -->"
SUMMARY_BEGIN, SUMMARY_END = "<!-- evaluation-summary:begin -->", "<!-- evaluation-summary:end -->"
# The headline metric(s) of each dataset, for the README summary.
HEADLINES = {
    "seed": ["attribution_p", "attribution_r", "hedge_r", "boilerplate_share"],
    "polnear": ["cue_f1", "source_f1", "content_f1", "content_char_f1", "cue_f1_no_encoder"],
    "newsmtsc": ["macro_f1_rw", "macro_f1_mt", "macro_f1_rw_no_encoder", "macro_f1_mt_no_encoder"],
    "wikiweasel": ["uncertain_f1"],
    "article_extraction_benchmark": ["body_f1", "share_mae"],
    "trafilatura_eval_en": ["snippet_accuracy"],
    "babe": ["macro_f1"],
}


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + ("+uncommitted" if dirty else "")
    except OSError:
        return "unknown"


def table_markdown(frames) -> str:
    lines = ["| dataset | metric | framing | peers |", "|---|---|---|---|"]
    for frame in frames:
        ds = frame.attrs["dataset"]
        n = frame.attrs.get("n")
        ours = frame[frame.system == "framing"]
        peers = frame[frame.system != "framing"]
        for r in ours.itertuples():
            same = peers[peers.metric == r.metric]
            peer_txt = ", ".join(f"{p.system} {p.value:.3f}" for p in same.itertuples()) or "–"
            lines.append(f"| {ds} (n={n}) | {r.metric} | {r.value:.3f} | {peer_txt} |")
        for r in peers[~peers.metric.isin(ours.metric)].itertuples():
            lines.append(f"| {ds} (n={n}) | {r.metric} | – | {r.system} {r.value:.3f} |")
    return "\n".join(lines)


def summary_markdown(frames) -> str:
    """A short table of each dataset's headline metrics, ours beside the best peer."""
    lines = ["| dataset | metric | framing | best peer in the same run |", "|---|---|---|---|"]
    for frame in frames:
        ds = frame.attrs["dataset"]
        for metric in HEADLINES.get(ds, []):
            ours = frame[(frame.system == "framing") & (frame.metric == metric)]
            if ours.empty:
                continue
            peers = frame[(frame.system != "framing") & (frame.metric == metric)]
            if peers.empty and metric.startswith("uncertain_"):  # wikiweasel names its peers' F1 plainly
                peers = frame[(frame.system != "framing") & (frame.metric == metric.removeprefix("uncertain_"))]
            lower_better = metric.endswith("mae")
            best = peers.sort_values("value", ascending=lower_better).head(1)
            peer_txt = f"{best.system.iloc[0]} {best.value.iloc[0]:.3f}" if len(best) else "–"
            lines.append(f"| {ds} | {metric} | {ours.value.iloc[0]:.3f} | {peer_txt} |")
    return "\n".join(lines)


def _replace_block(path: Path, begin: str, end: str, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[: text.index(begin)] + begin + "\n" + body + "\n" + end + text[text.index(end) + len(end):]
        path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=default_data_root())
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--no-docs", action="store_true", help="Do not rewrite docs/evaluation.md.")
    args = ap.parse_args(argv)
    commit = _commit()  # before this run rewrites tracked files
    out_dir = REPO / "reports" / "evaluation"
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = []
    for name in DATASETS:
        if args.only and name not in args.only:
            continue
        path = args.data / name
        if not path.exists():
            print(f"skip {name}: {path} not found", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        frame = evaluate(name, path)
        secs = time.perf_counter() - t0
        frames.append(frame)
        payload = {"dataset": name, "n": frame.attrs.get("n"), "metrics": frame.attrs["metrics"],
                   "seconds": round(secs, 1), "commit": commit}
        (out_dir / f"{name}.json").write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
        print(f"{name}: n={payload['n']} in {secs:.1f}s")
        print(frame.pivot_table(index="metric", columns="system", values="value", aggfunc="first").round(3)
              .to_string())
    if args.no_docs or not frames:
        return 0
    subprocess.run([sys.executable, str(REPO / "scripts" / "update_codebook_scores.py")], cwd=REPO, check=False)
    if args.only:  # a partial run must not replace the full tables with its own rows
        print("--only: reports/evaluation/*.json and the codebook scores updated; run without --only to "
              "regenerate docs/evaluation.md and the README table",
              file=sys.stderr)
        return 0
    doc = REPO / "docs" / "evaluation.md"
    body = (f"{BEGIN}\nGenerated by `python scripts/evaluate_all.py` (`make evaluate`) at commit `{commit}` "
            f"on {time.strftime('%Y-%m-%d')}; data from `../shared/data/` (dev splits).\n\n"
            f"{table_markdown(frames)}\n{END}")
    text = doc.read_text(encoding="utf-8") if doc.is_file() else "# Evaluation\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + body + text[text.index(END) + len(END):]
    else:
        text += "\n" + body + "\n"
    doc.write_text(text, encoding="utf-8")
    print(f"wrote {doc}")
    _replace_block(REPO / "README.md", SUMMARY_BEGIN, SUMMARY_END,
                   f"Generated by `make evaluate` at commit `{commit}`; full table: `docs/evaluation.md`.\n\n"
                   + summary_markdown(frames))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
