"""Main-text / boilerplate evaluation on two real HTML benchmarks, with trafilatura as the peer.

Our body text of a page = the page's visible text (:func:`framing.corpus.html.html_to_text`)
minus everything marked as boilerplate: the lines outside trafilatura's main text *and* what
:func:`framing.extractors.boilerplate.find_boilerplate` marks (prompts, related links and promos
left inside the main text).

Metrics (all per page, then averaged over pages unless named ``_micro``):

``body_f1``
    F1 of the multiset of lower-cased ``\\w+`` tokens of the predicted body vs the gold body.
``shingle_f1``
    The Article Extraction Benchmark's own measure: F1 of the *sets* of 4-token shingles
    (same tokens); ``shingle_f1_micro`` sums TP/FP/FN over pages as upstream does.
``share_mae``
    Mean absolute difference between the predicted boilerplate share (boilerplate characters /
    characters of the page's text lines, :attr:`Document.boilerplate_share`) and the gold share
    ``1 - gold body characters / page text characters``, clipped to [0, 1]; characters are counted
    after collapsing whitespace, and the same page text is the denominator for both.
``snippet_accuracy`` (trafilatura set)
    Share of snippets handled right: a ``with`` snippet found in the body, a ``without`` snippet
    absent from it (both sides lower-cased, whitespace collapsed).

Peers (same pages, same run): ``trafilatura.extract`` with its defaults (comments included) and
with ``include_comments=False``; the peer's share is ``1 - its output characters / page text
characters``.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from framing.corpus.html import html_to_text, main_text
from framing.datasets.boilerplate import load_article_extraction_benchmark, load_trafilatura_eval
from framing.document import Document
from framing.errors import ArticleError
from framing.extractors.boilerplate import find_boilerplate

__all__ = [
    "evaluate_article_extraction_benchmark",
    "evaluate_trafilatura_eval",
    "predict_body",
    "token_f1",
    "shingle_counts",
]

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from TP/FP/FN counts (0.0 where a denominator is 0).

    Local on purpose: the signature of ``framing.evaluate.metrics.prf`` has changed more than once
    while the project was being written, and these scores must not change with it.
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def token_f1(pred: str, gold: str) -> float:
    """F1 of the multisets of lower-cased ``\\w+`` tokens (1.0 when both are empty)."""
    p, g = Counter(_tokens(pred)), Counter(_tokens(gold))
    if not p and not g:
        return 1.0
    tp = sum((p & g).values())
    return prf(tp, sum(p.values()) - tp, sum(g.values()) - tp)[2]


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    toks = _tokens(text)
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def shingle_counts(pred: str, gold: str, n: int = 4) -> tuple[int, int, int]:
    """TP, FP, FN of the sets of ``n``-token shingles (the benchmark's upstream measure)."""
    p, g = _shingles(pred, n), _shingles(gold, n)
    tp = len(p & g)
    return tp, len(p) - tp, len(g) - tp


def _chars(text: str) -> int:
    """Characters of the non-blank lines, whitespace collapsed (comparable with block characters)."""
    return sum(len(_SPACE.sub(" ", ln).strip()) for ln in text.splitlines() if ln.strip())


def predict_body(html: str) -> tuple[str, float, int]:
    """Our body text of a page, its boilerplate share and its page-text character count."""
    try:
        text, spans = html_to_text(html)
    except ArticleError:
        return "", 1.0, 0
    doc = Document.from_text("page", text)
    doc.boilerplate = list(spans)
    doc.boilerplate += [(r["start"], r["end"], r["kind"]) for r in find_boilerplate(doc)]
    return doc.body_text(), doc.boilerplate_share, doc.content_chars


def _page_chars(html: str) -> int:
    try:
        return _chars(html_to_text(html)[0])
    except ArticleError:
        return 0


def _share(body_chars: int, page_chars: int) -> float:
    if page_chars <= 0:
        return 1.0
    return min(1.0, max(0.0, 1.0 - body_chars / page_chars))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.lower()).strip()


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def evaluate_article_extraction_benchmark(
    path: str | Path, peers: bool = True, limit: int | None = None
) -> dict[str, Any]:
    """Score our body text (and trafilatura's) against the benchmark's gold article bodies.

    ``limit`` scores only the first pages (for quick checks); ``peers`` adds trafilatura's scores.
    """
    frame = load_article_extraction_benchmark(path)
    if limit is not None:
        frame = frame.head(limit)
    ours: dict[str, list[float]] = {"body_f1": [], "shingle_f1": [], "share_err": []}
    micro = [0, 0, 0]
    peer: dict[str, dict[str, list[float]]] = {"trafilatura": {"f1": [], "err": []},
                                                "trafilatura_nocomments": {"f1": [], "err": []}}
    elapsed = 0.0
    for row in frame.itertuples(index=False):
        html, gold = str(row.html), str(row.gold_body)
        t0 = time.perf_counter()
        body, share, page_chars = predict_body(html)
        elapsed += time.perf_counter() - t0
        gold_share = _share(_chars(gold), page_chars)
        ours["body_f1"].append(token_f1(body, gold))
        tp, fp, fn = shingle_counts(body, gold)
        micro = [micro[0] + tp, micro[1] + fp, micro[2] + fn]
        ours["shingle_f1"].append(prf(tp, fp, fn)[2] if tp + fp + fn else 1.0)
        ours["share_err"].append(abs(share - gold_share))
        if peers:
            for name, comments in (("trafilatura", True), ("trafilatura_nocomments", False)):
                out = main_text(html, include_comments=comments) or ""
                peer[name]["f1"].append(token_f1(out, gold))
                peer[name]["err"].append(abs(_share(_chars(out), page_chars) - gold_share))
    result: dict[str, Any] = {
        "dataset": "article_extraction_benchmark",
        "n_pages": len(frame),
        "body_f1": round(_mean(ours["body_f1"]), 4),
        "shingle_f1": round(_mean(ours["shingle_f1"]), 4),
        "shingle_f1_micro": round(prf(*micro)[2], 4),
        "share_mae": round(_mean(ours["share_err"]), 4),
        "seconds_per_page": round(elapsed / max(1, len(frame)), 4),
    }
    if peers:
        result.update({
            "peer_trafilatura_body_f1": round(_mean(peer["trafilatura"]["f1"]), 4),
            "peer_trafilatura_nocomments_body_f1": round(_mean(peer["trafilatura_nocomments"]["f1"]), 4),
            "peer_trafilatura_share_mae": round(_mean(peer["trafilatura"]["err"]), 4),
            "peer_trafilatura_nocomments_share_mae": round(_mean(peer["trafilatura_nocomments"]["err"]), 4),
        })
    return result


def _snippets_right(body: str, with_: list[str], without: list[str]) -> tuple[int, int]:
    b = _norm(body)
    right = sum(1 for s in with_ if _norm(s) in b) + sum(1 for s in without if _norm(s) not in b)
    return right, len(with_) + len(without)


def evaluate_trafilatura_eval(path: str | Path, peers: bool = True, limit: int | None = None) -> dict[str, Any]:
    """Snippet accuracy of our body text (and trafilatura's) on the trafilatura evaluation set."""
    frame = load_trafilatura_eval(path)
    if limit is not None:
        frame = frame.head(limit)
    counts = {"ours": [0, 0], "trafilatura": [0, 0], "trafilatura_nocomments": [0, 0]}
    with_found = [0, 0]
    without_absent = [0, 0]
    elapsed = 0.0
    for row in frame.to_dict("records"):
        with_, without = list(row["with"]), list(row["without"])
        t0 = time.perf_counter()
        body = predict_body(row["html"])[0]
        elapsed += time.perf_counter() - t0
        r, n = _snippets_right(body, with_, without)
        counts["ours"][0] += r
        counts["ours"][1] += n
        b = _norm(body)
        with_found[0] += sum(1 for s in with_ if _norm(s) in b)
        with_found[1] += len(with_)
        without_absent[0] += sum(1 for s in without if _norm(s) not in b)
        without_absent[1] += len(without)
        if peers:
            for name, comments in (("trafilatura", True), ("trafilatura_nocomments", False)):
                out = main_text(row["html"], include_comments=comments) or ""
                r, n = _snippets_right(out, with_, without)
                counts[name][0] += r
                counts[name][1] += n
    acc = {k: (v[0] / v[1] if v[1] else 0.0) for k, v in counts.items()}
    result: dict[str, Any] = {
        "dataset": "trafilatura_eval_en",
        "n_pages": len(frame),
        "n_snippets": counts["ours"][1],
        "snippet_accuracy": round(acc["ours"], 4),
        "with_recall": round(with_found[0] / with_found[1], 4) if with_found[1] else 0.0,
        "without_rejection": round(without_absent[0] / without_absent[1], 4) if without_absent[1] else 0.0,
        "seconds_per_page": round(elapsed / max(1, len(frame)), 4),
    }
    if peers:
        result["peer_trafilatura_snippet_accuracy"] = round(acc["trafilatura"], 4)
        result["peer_trafilatura_nocomments_snippet_accuracy"] = round(acc["trafilatura_nocomments"], 4)
    return result
