"""The real-data report: the comparison layer run on the shared annotated corpora.

One call (``python scripts/real_report.py [DATA_ROOT] [-o OUTDIR]``) builds
``reports/real/report.html`` with its tables and figures from ``../shared/data`` (or
``$FRAMING_DATA``), for whichever of these datasets are present:

* **BASIL** — Fox News, NYT and HuffPost on the same events (known triplets): outlets compared
  story by story (each outlet minus the other two on the same triplet) and overall.
* **PolNeAR** — seven publishers on the 2016 campaign (dev + train sample): outlets compared.
* **Article-Bias-Prediction** — leaning (left / center / right) predicted from framing features,
  TF-IDF and both, with folds that hold out whole outlets beside random folds, and the majority
  baseline.
* **BABE** — the loaded-language measure (lexicon and sentence model) against expert labels,
  beside the published figure.
"""

from __future__ import annotations

import html
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framing._version import __version__
from framing.errors import FramingError

__all__ = ["build_real_report", "default_data_root"]

log = logging.getLogger(__name__)

KEY_FEATURES = ["share_distancing_cues", "share_unnamed_sources", "share_named_person_sources",
                "hedges_per_1k_words", "n_attributions", "boilerplate_share", "mean_mention_sentiment",
                "flesch_reading_ease"]


def default_data_root() -> Path:
    """``$FRAMING_DATA`` or ``../shared/data`` beside the repository."""
    env = os.environ.get("FRAMING_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def _section(title: str, body: list[str]) -> str:
    return f"<h2>{html.escape(title)}</h2>" + "".join(body)


def _table(df: pd.DataFrame, index: bool = False) -> str:
    return df.to_html(escape=True, index=index, float_format=lambda v: f"{v:.3f}", na_rep="–")


def _fig(fig, name: str, out: Path, alt: str) -> str:
    import base64

    from framing.plots import save_figure

    png = save_figure(fig, out / "figures" / name)[0]
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(alt)}'></figure>"


def _evidence(a, feature: str, outlets: Sequence[str], n: int = 1) -> str:
    from framing.compare import feature_evidence
    from framing.report import _evidence_html

    ev = pd.concat([feature_evidence(a, feature, o, n=n) for o in outlets], ignore_index=True)
    return ("<p><strong>Example sentences</strong> (highlighted: what was counted)</p>"
            + _evidence_html([{str(k): v for k, v in r.items()} for r in ev.to_dict("records")])) if len(ev) else ""


def _compare_outlets(a, out: Path, name: str, features: list[str], n_boot: int, n_perm: int) -> tuple[list[str], dict]:
    from framing import compare, plots

    feats = [f for f in features if f in a.articles and a.articles[f].notna().any()]
    s = compare.summarize_outlets(a, feats, n_boot=n_boot)
    s.to_csv(out / "tables" / f"{name}_summary.csv", index=False)
    pw = compare.pairwise_differences(a, feats, n_perm=n_perm, n_boot=n_boot)
    pw.to_csv(out / "tables" / f"{name}_pairwise.csv", index=False)
    outlets = sorted(a.articles.outlet.dropna().unique())
    body = [_fig(plots.plot_outlet_features(s, feats), f"{name}_features", out, f"{name} outlets compared"),
            "<details><summary>Per-outlet table (mean [95% CI])</summary>"
            + _table(compare.paper_table(s), index=True) + "</details>",
            "<details><summary>Pairwise differences (Holm-corrected permutation tests)</summary>"
            + _table(pw[["feature", "outlet_a", "outlet_b", "diff", "cliffs_delta", "hedges_g", "p_adjusted",
                         "significant"]]) + "</details>",
            _evidence(a, "share_distancing_cues", outlets)]
    sig = pw[pw.significant]
    return body, {"summary": s, "pairwise": pw, "n_significant": int(len(sig))}


def build_real_report(data_root: str | Path | None = None, outdir: str | Path = "reports/real", *,
                      n_boot: int = 2000, n_perm: int = 2000, n_jobs: int = 1,
                      exclude_features: Sequence[str] = (), limit: int | None = None) -> Path:
    """Build the real-data report; returns the path of ``report.html``.

    Parameters
    ----------
    data_root : str or Path, optional
        Folder holding ``basil/``, ``polnear/``, ``article_bias_prediction/``, ``babe/`` (default
        :func:`default_data_root`). Missing datasets are skipped with a note in the report.
    exclude_features : list of str
        Features to leave out of every comparison and classifier.
    limit : int, optional
        Use at most this many articles (sentences for BABE) per dataset, for a quick check; the
        figures are then not the report's figures.
    """
    import framing
    from framing import compare, plots

    root = Path(data_root) if data_root else default_data_root()
    if not root.is_dir():
        raise FramingError("E301", f"shared data folder not found: {root} (set FRAMING_DATA)")
    out = Path(outdir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    features = [f for f in KEY_FEATURES if f not in set(exclude_features)]
    clf_features = [f for f in compare.classify.FRAMING_FEATURES if f not in set(exclude_features)]
    sections: list[str] = []
    headline: dict[str, Any] = {}
    t_start = time.time()

    # -- BASIL ---------------------------------------------------------------------------------
    if (root / "basil").exists():
        from framing.datasets.basil import load_basil

        arts, spans = load_basil(root / "basil")
        if limit:
            arts = arts[arts.story.isin(arts.story.drop_duplicates().head(max(2, limit // 3)))]
        a = framing.analyze(arts, n_jobs=n_jobs)
        body, res = _compare_outlets(a, out, "basil", features, n_boot, n_perm)
        stories = arts[["doc_id", "story"]]
        dev = compare.story_differences(a, stories, features, n_boot=n_boot)
        paired = compare.stories.paired_outlet_differences(a, stories, features, n_perm=n_perm)
        dev.to_csv(out / "tables" / "basil_story_deviations.csv", index=False)
        paired.to_csv(out / "tables" / "basil_paired.csv", index=False)
        lex = spans[spans.bias == "lex"].groupby("doc_id").size()
        arts_lex = arts.assign(n_lex_spans=arts.doc_id.map(lex).fillna(0)).groupby("outlet").n_lex_spans.mean()
        body = [f"<p>{len(a)} articles, {arts.story.nunique()} triplets (the same event in each outlet); "
                f"{int((a.errors.severity == 'error').sum())} not analysed.</p>",
                "<h3>Story by story: each outlet minus the other two on the same triplet</h3>",
                _fig(plots.plot_story_deviations(dev, features, title="BASIL triplets: each outlet minus the other two "
                                                                   "on the same event (95% CI over triplets)"),
                     "basil_story_deviations", out, "BASIL within-story"),
                "<details><summary>Paired differences by triplet (sign-flip permutation, Holm)</summary>"
                + _table(paired) + "</details>",
                "<h3>Overall</h3>", *body,
                "<p>Annotated lexical-bias spans per article (BASIL gold, for reference): "
                + html.escape(", ".join(f"{o} {v:.2f}" for o, v in arts_lex.items())) + "</p>"]
        sections.append(_section("BASIL: the same stories in Fox News, NYT and HuffPost", body))
        headline["basil"] = {"articles": len(a), "triplets": int(arts.story.nunique()),
                             "story_deviation": dev.round(3).to_dict("records"),
                             "n_significant_pairwise": res["n_significant"]}
    else:
        sections.append(_section("BASIL", ["<p>not found; skipped.</p>"]))

    # -- PolNeAR -------------------------------------------------------------------------------
    if (root / "polnear").exists():
        from framing.datasets.polnear import load_polnear

        frames = []
        for split in ("dev", "train_sample"):
            try:
                frames.append(load_polnear(root / "polnear", split)[0])
            except FramingError as exc:
                log.warning("PolNeAR %s: %s", split, exc)
        arts = pd.concat(frames, ignore_index=True).drop_duplicates("doc_id")
        if limit:
            arts = arts.groupby("outlet").head(max(2, limit // 7))
        arts["date"] = pd.to_datetime(arts["date"], errors="coerce").dt.strftime("%Y-%m-%d")
        a = framing.analyze(arts[["doc_id", "outlet", "title", "text", "date"]], n_jobs=n_jobs)
        body, res = _compare_outlets(a, out, "polnear", features, n_boot, n_perm)
        sh = compare.source_type_shares(a, n_boot=n_boot)
        sh.to_csv(out / "tables" / "polnear_source_types.csv", index=False)
        cv = compare.cross_validate(a, "outlet", group_by="story", features=clf_features, n_splits=5,
                                    importance=False)
        cv.summary.to_csv(out / "tables" / "polnear_publisher_cv.csv", index=False)
        body = [f"<p>{len(a)} articles from {a.articles.outlet.nunique()} publishers, all on the 2016 campaign.</p>",
                *body, _fig(plots.plot_source_types(sh), "polnear_source_types", out, "PolNeAR source types"),
                _evidence(a, "share_unnamed_sources", sorted(a.articles.outlet.unique())),
                "<h3>Predicting the publisher (folds grouped by matched story)</h3>", _table(cv.table(), index=True)]
        sections.append(_section("PolNeAR: seven publishers on one campaign", body))
        headline["polnear"] = {"articles": len(a), "publishers": int(a.articles.outlet.nunique()),
                               "publisher_cv": cv.summary.round(3).to_dict("records"),
                               "n_significant_pairwise": res["n_significant"]}

    # -- Article-Bias-Prediction ---------------------------------------------------------------------
    if (root / "article_bias_prediction").exists():
        from framing.datasets.article_bias_prediction import load_article_bias_prediction

        arts = load_article_bias_prediction(root / "article_bias_prediction")
        if limit:
            arts = arts.sample(frac=1.0, random_state=0).groupby("leaning").head(max(10, limit // 3))
        a = framing.analyze(arts[["doc_id", "outlet", "title", "text", "date", "url"]], n_jobs=n_jobs)
        lean = a.articles.doc_id.map(dict(zip(arts.doc_id, arts.leaning)))
        rows, tables = [], []
        for how, group_by in (("outlet held out", "outlet"), ("random split", "random")):
            cv = compare.cross_validate(a, lean.tolist(), group_by=group_by, features=clf_features, n_splits=5,
                                        importance=False)
            s = cv.summary.assign(split=how)
            rows.append(s)
            tables.append(f"<h3>{html.escape(how)}</h3>" + _table(cv.table(), index=True))
        res = pd.concat(rows, ignore_index=True)
        res.to_csv(out / "tables" / "abp_leaning_cv.csv", index=False)
        wide = res.pivot(index="model", columns="split", values="f1_mean")
        body = [f"<p>{len(a)} articles from {a.articles.outlet.nunique()} outlets; labels are the outlet's AllSides "
                "rating. Held-out-outlet folds test whether the classifier learned leaning or just the outlet "
                "(Baly et al. 2020).</p>", "<p>Macro-F1 (mean over 5 folds):</p>", _table(wide, index=True), *tables]
        sections.append(_section("Article-Bias-Prediction: leaning, with outlets held out", body))
        headline["abp"] = {"articles": len(a), "macro_f1": wide.round(3).to_dict()}

    # -- BABE --------------------------------------------------------------------------------------
    if (root / "babe").exists():
        from framing.datasets.babe import load_babe
        from framing.loaded_language import evaluate_babe

        sents = load_babe(root / "babe")
        if limit:
            sents = sents.sample(n=min(len(sents), max(200, limit)), random_state=0)
        ev = evaluate_babe(sents)
        ev.to_csv(out / "tables" / "babe_loaded_language.csv", index=False)
        body = [f"<p>{len(sents)} expert-labelled sentences; 5 folds grouped by article.</p>", _table(ev)]
        sections.append(_section("BABE: a loaded-language measure against expert labels", body))
        headline["babe"] = ev.round(3).to_dict("records")

    from framing.report import _CSS

    meta = {"data": str(root), "toolkit": f"framing {__version__}", "n_boot": n_boot, "n_perm": n_perm,
            "limit": limit or "none (all articles)",
            "excluded features": list(exclude_features) or "none",
            "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "seconds": round(time.time() - t_start, 1)}
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>framing: real-data report</title>"
            f"<style>{_CSS}</style></head><body><h1>Outlet comparison on real annotated corpora</h1>"
            "<table class='meta'>" + "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                                             for k, v in meta.items()) + "</table>" + "".join(sections)
            + "</body></html>")
    (out / "headline.json").write_text(json.dumps({**headline, "meta": meta}, indent=1, default=str), encoding="utf-8")
    p = out / "report.html"
    p.write_text(page, encoding="utf-8")
    return p
