"""Train the learned attribution-cue stage on PolNeAR ``train_sample`` (never on dev).

Usage::

    .venv/bin/python scripts/train_attribution.py [--data ../shared/data/polnear]
        [--out framing/models/attribution_cues.json] [--verifier-out framing/models/attribution_records.json]
        [--oof-eval] [--honest-cv] [--encoder [--encoder-out ...] [--encoder-cache rows.pkl]]

Steps (deterministic: fixed fold assignment, lbfgs solver, sorted vocabularies):

1. Run the rule-based extractor (``extract_attributions(..., model=False)``) on every train article
   and match its cues to the gold cues (the evaluation's greedy overlap matching).
2. Vocabulary of candidate words: lower-cased words that occur inside gold cue spans at least
   ``--min-count`` times with a cue rate of at least ``--min-rate`` (function words excluded), plus
   every single-word form of ``lexicons/cues.tsv``; with ``--classes 1`` (default) also every form
   of the word-class lexicon ``lexicons/cue_classes.tsv``, seen in training or not, whose classes
   are features (``cls=<class>``). After fitting, forms seen at least ``--prune-min`` times that the
   model accepts in fewer than ``--prune-rate`` of their occurrences are dropped (speed).
3. Candidates and features come from :func:`framing.extractors.attribution.model_candidates`
   (the same code that runs at prediction time). A candidate is positive when it overlaps a gold
   cue that no rule-based record matched.
4. Grouped 5-fold cross-validation by article picks the regularisation strength and the decision
   threshold that maximise the end-to-end cue F1 (rule matches + model matches) on held-out folds.
5. Record verifier: with the cue model of each fold fitted on the other four, the full extractor
   runs on the held-out articles; the records nested in another record's content get features
   (:func:`framing.extractors.attribution.verifier_candidates`) and the label "matches a gold
   cue". Grouped 5-fold CV picks C and the threshold for end-to-end cue F1; fitted on all of them
   and written to ``--verifier-out`` (``framing/models/attribution_records.json``).
6. The final cue model is fitted on all of train_sample and written as JSON (vocabulary, weights,
   bias, threshold, CV figures).

``--soft-rejects`` names the rules whose refused cue words ("Asked on Fox News ...", "was declared
the winner", "went on TV to say he ...") are candidates too, with a ``rej=<rule>`` feature; the
other hard negatives ("that said", "is said to be", "her claims") are never candidates.

``--oof-eval`` then reports end-to-end out-of-fold cue / source / content P/R/F1 (the dev
evaluation's scoring) with, per fold, the vocabulary, pruning and cue model of the other four folds
and a verifier fitted on their records; designs are compared with it (``--oof-dump`` pickles the
matched and missed relations for error study).

``--encoder`` also trains the opt-in encoder head (``Options(encoder=True)``; needs the optional
encoder, :mod:`framing.encoder`): a logistic regression on each candidate's MiniLM rows
(:func:`framing.extractors.attribution_encoder.cue_rows`) whose log-odds are mixed with the linear
model's; the head's C, the mixing weight and the mixture's threshold are chosen by the CV of step 4
and the head is written to ``--encoder-out`` (``framing/models/attribution_cues_encoder.json``). The
linear model and the verifier are trained as without it (``--encoder-verifier own`` fits the
verifier on the mixed stage's records instead); ``--oof-eval`` then scores the mixed stage with a
head per fold. ``--encoder-cache`` keeps the candidates' rows in a pickle between runs. The forms
that the linear model's pruning (step 6) drops stay candidates of the mixed stage: they are
written into the head's JSON (``vocabulary``; ``--encoder-vocab pruned`` for none).

``--honest-cv`` only reports a CV in which the vocabulary (steps 2 and the candidate pruning) is
chosen on the training folds alone; the CV of step 4 reuses the vocabulary of all of
train_sample, which flatters settings that keep rare words. The vocabulary settings
(``--min-count 2 --variants 1 --min-cand-rate 0.2``) were chosen with it.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from framing.datasets.polnear import load_polnear  # noqa: E402
from framing.document import Document  # noqa: E402
from framing.evaluate.metrics import greedy_match, overlaps  # noqa: E402
from framing.extractors import attribution as A  # noqa: E402
from framing.extractors.attribution_model import CueModel, load_classes, stem  # noqa: E402
from framing.options import Options  # noqa: E402

# Function words never become candidates: they are parts of multi-word cues ("talking about",
# "has been") whose content word is the candidate, and they are too frequent to score cheaply.
FUNCTION_WORDS = frozenset(
    """a an the this that these those to of in on at by for with from about into over after before during
    under without within through across against among between up out down off than as so and or but nor
    if then not no is are was were be been being has have had having do does did will would could can may
    might must should shall it its it's he she they we i you his her their our my your him them us me who
    whom which what when where why how there here also just even only more most very too much many some any
    all each every both either neither s t don’t didn’t doesn’t isn’t wasn’t won’t can’t don't didn't
    doesn't isn't wasn't won't can't""".split()
)
WORD = re.compile(r"[a-z][a-z’'\-]*")


def variants(st: str) -> set[str]:
    """Regular English inflections of a stem (forms that never occur are harmless in the regex)."""
    out = {st}
    if len(st) < 3 or not st.isalpha():
        return out
    base = st[:-1] if st.endswith("y") and st[-2:-1] not in "aeiou" else None
    for suf in ("s", "es", "ed", "d", "ing", "er", "ers", "ment", "ments", "e"):
        out.add(st + suf)
    if st.endswith("e"):
        out |= {st[:-1] + "ing", st + "d", st + "s"}
    if base:
        out |= {base + "ies", base + "ied"}
    if len(st) >= 3 and st[-1] not in "aeiouwxy" and st[-2] in "aeiou" and st[-3] not in "aeiou":
        out |= {st + st[-1] + "ed", st + st[-1] + "ing"}
    return {v for v in out if stem(v) == st or v == st}


def rule_run(articles, gold):
    """Rule-based records per article and the set of gold relation indices they match."""
    opts = Options(body_only=False)
    per_doc = {}
    by_doc = {k: g.to_dict("records") for k, g in gold.groupby("doc_id", sort=False)}
    for row in articles.itertuples(index=False):
        doc = Document.from_text(row.doc_id, row.text)
        rej: list = []
        recs = A.extract_attributions(doc, opts, model=False, rejected=rej)
        gl = by_doc.get(row.doc_id, [])
        pairs = greedy_match([(r["start"], r["end"]) for r in recs], [(g["cue_start"], g["cue_end"]) for g in gl])
        per_doc[row.doc_id] = (doc, recs, gl, {j for _, j in pairs}, rej)
    return per_doc


def build_vocab(articles, gold, min_count: int, min_rate: float) -> list[str]:
    texts = dict(zip(articles.doc_id, articles.text))
    in_cue: collections.Counter = collections.Counter()
    for r in gold.itertuples():
        t = texts[r.doc_id]
        for s, e in r.cue_spans:
            in_cue.update(WORD.findall(t[s:e].lower()))
    total: collections.Counter = collections.Counter()
    for t in texts.values():
        total.update(WORD.findall(t.lower()))
    vocab = {
        w
        for w, c in in_cue.items()
        if c >= min_count and c / max(1, total[w]) >= min_rate and w not in FUNCTION_WORDS and len(w) > 2
    }
    cues = A._resources()[0]
    vocab |= {f for f in cues if " " not in f and f.isalpha()}
    return sorted(vocab)


def collect(per_doc, model, items: list | None = None):
    """Feature dicts, labels, article ids and gold ids hit, for every candidate (and, when ``items``
    is given, ``(doc_id, start, end, sent_start, sent_end)`` of each appended to it)."""
    feats, labels, groups, hits = [], [], [], []
    cues = A._resources()[0]
    for doc_id, (doc, recs, gl, matched, rej) in per_doc.items():
        text = doc.text
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for s, e, _ss, _se, _q, f in A.model_candidates(text, low, doc.sentences, doc.blocks, recs, cues, model, rej):
            hit = None
            for j, g in enumerate(gl):
                if j not in matched and any(overlaps((s, e), p) for p in g["cue_spans"]):
                    hit = j
                    break
            feats.append(f)
            labels.append(hit is not None)
            groups.append(doc_id)
            hits.append(None if hit is None else (doc_id, hit))
            if items is not None:
                items.append((doc_id, s, e, _ss, _se))
    return feats, np.array(labels), groups, hits


def end_to_end_f1(prob, hits, thr, rule_tp, rule_pred, n_gold):
    acc = prob >= thr
    tp = len({h for h, a in zip(hits, acc) if a and h is not None})
    fp = int(sum(1 for h, a in zip(hits, acc) if a and h is None))
    p = (rule_tp + tp) / max(1, rule_pred + tp + fp)
    r = (rule_tp + tp) / max(1, n_gold)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def fit(feats, y, c, min_feat: int):
    counts = collections.Counter(x for f in feats for x in f)
    keep = {x for x, n in counts.items() if n >= min_feat}
    vec = DictVectorizer()
    X = vec.fit_transform([{x: 1 for x in f if x in keep} for f in feats])
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=3000)
    clf.fit(X, y)
    return vec, clf


def fold_model(feats, y, tr, vocab, c, thr, min_feat, soft_rejects=(), class_features=False) -> CueModel:
    """A cue model fitted on the candidates ``tr`` (for out-of-fold records)."""
    vec, clf = fit([f for f, t in zip(feats, tr) if t], y[tr], c, min_feat)
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, clf.coef_[0])}
    return CueModel({"vocabulary": vocab, "weights": weights, "bias": float(clf.intercept_[0]), "threshold": thr,
                     "soft_rejects": soft_rejects, "class_features": bool(class_features)})


def oof_records(per_doc, fold_of, models, heads=None):
    """Records of the full extractor (rules + fold cue model, no verifier) for each article, with the
    cue model of the fold that did not see the article; returns the features, labels and articles of
    the records the verifier scores, and (count, correct) of those it does not."""
    opts = Options(body_only=False)
    saved = A.load_model, A.load_verifier, A.load_cue_head
    if heads is not None:
        opts.encoder = True  # the mixed stage, with the head of each article's fold (below)
    feats, labels, docs = [], [], []
    kept = [0, 0]  # records the verifier does not score (always kept), and how many are correct
    try:
        A.load_verifier = lambda: None
        for doc_id, (doc, _recs, gl, _m, _rej) in per_doc.items():
            fm = models[fold_of[doc_id]]
            A.load_model = lambda fm=fm: fm
            if heads is not None:
                A.load_cue_head = lambda h=heads[fold_of[doc_id]]: h
            recs = A.extract_attributions(doc, opts)
            pairs = greedy_match([(r["start"], r["end"]) for r in recs], [(g["cue_start"], g["cue_end"]) for g in gl])
            hit = {id(recs[i]) for i, _ in pairs}
            text = doc.text
            low = text.lower()
            if len(low) != len(text):
                low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
            scored = set()
            for r, f in A.verifier_candidates(text, low, recs):
                feats.append(f)
                labels.append(id(r) in hit)
                docs.append(doc_id)
                scored.add(id(r))
            kept[0] += sum(1 for r in recs if id(r) not in scored)
            kept[1] += sum(1 for r in recs if id(r) not in scored and id(r) in hit)
    finally:
        A.load_model, A.load_verifier, A.load_cue_head = saved
    return feats, np.array(labels), docs, kept


def write_model(path, vec, clf, **fields) -> dict[str, float]:
    """Write a fitted binary LR as the shipped JSON (weights rounded, tiny ones dropped, version 1.0,
    plus ``fields``); returns the weights."""
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in sorted(zip(names, clf.coef_[0])) if abs(w) >= 1e-4}
    model = {"version": "1.0", "bias": round(float(clf.intercept_[0]), 5), **fields, "weights": weights}
    Path(path).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return weights


def train_verifier(feats, y, docs, kept, fold_of, n_gold, min_feat, out, fixed_thr=None):
    """Grouped CV picks C and the threshold maximising end-to-end cue F1; fit on all; write JSON."""
    folds = np.array([fold_of[d] for d in docs])
    base_tp, base_pred = int(y.sum()) + kept[1], len(y) + kept[0]
    p0, r0 = base_tp / base_pred, base_tp / n_gold
    print(f"verifier: scores {len(y)} of {base_pred} records; without it cue F1 {2 * p0 * r0 / (p0 + r0):.3f}")
    best = None
    for c in (0.03, 0.1, 0.3, 1.0):
        prob = np.zeros(len(y))
        for k in range(5):
            tr, te = folds != k, folds == k
            vec, clf = fit([f for f, t in zip(feats, tr) if t], y[tr], c, min_feat)
            prob[te] = clf.predict_proba(vec.transform([{x: 1 for x in f} for f, t in zip(feats, te) if t]))[:, 1]
        for thr in ([fixed_thr] if fixed_thr is not None else np.arange(0.05, 0.61, 0.025)):
            keep = prob >= thr
            tp = int((keep & y).sum()) + kept[1]
            pp, rr = tp / max(1, keep.sum() + kept[0]), tp / n_gold
            f1 = 2 * pp * rr / (pp + rr) if pp + rr else 0.0
            if best is None or f1 > best[0] + 1e-12:
                best = (f1, pp, rr, c, round(float(thr), 3))
        print(f"verifier C={c}: best so far cue F1 {best[0]:.3f} (P {best[1]:.3f} R {best[2]:.3f}) "
              f"C={best[3]} thr={best[4]}")
    f1, pp, rr, c, thr = best
    vec, clf = fit(feats, y, c, min_feat)
    weights = write_model(
        out, vec, clf, name="attribution_records",
        trained_on="PolNeAR train_sample (163 articles; first annotator per article); out-of-fold records",
        threshold=thr, C=c,
        cv={"cue_f1": round(f1, 4), "cue_p": round(pp, 4), "cue_r": round(rr, 4), "folds": 5,
            "cue_f1_without": round(2 * p0 * r0 / (p0 + r0), 4)},
    )
    print(f"wrote {out}: {len(weights)} weights, C={c}, threshold={thr}, CV cue F1 {f1:.3f} (P {pp:.3f} R {rr:.3f})")
    return c, thr


def _stub(vocab, args) -> CueModel:
    """A weightless cue model: only its candidates are used."""
    return CueModel(
        {"vocabulary": vocab, "weights": {}, "bias": 0.0, "threshold": 0.5, "soft_rejects": args.soft_rejects,
         "class_features": bool(args.classes)}
    )


def choose_vocab(articles, gold, per_doc, args) -> list[str]:
    """The candidate vocabulary from these articles (see the module docstring, step 2)."""
    vocab = build_vocab(articles, gold, args.min_count, args.min_rate)
    stub = _stub(vocab, args)
    feats, y, _groups, _hits = collect(per_doc, stub)
    # Prune words that are rarely a cue where they occur as candidates (speed: fewer candidates).
    n_c: collections.Counter = collections.Counter()
    n_p: collections.Counter = collections.Counter()
    for f, lab in zip(feats, y):
        if f[-1].startswith("rej="):
            continue  # a cue span the rules refused: a candidate of its own, not a vocabulary word
        n_c[f[0]] += 1
        n_p[f[0]] += int(lab)
    keep = [n_p[f[0]] >= args.min_pos and n_p[f[0]] / max(1, n_c[f[0]]) >= args.min_cand_rate for f in feats]
    vocab = sorted({f[0][2:] for f, k in zip(feats, keep) if k and not f[-1].startswith("rej=")})
    if args.variants:
        # inflections of the kept words share their stem ("refuses" when "refused" was seen)
        stems = {stem(w) for w in vocab}
        vocab = sorted(set(vocab) | {v for st in stems for v in variants(st)} - FUNCTION_WORDS)
    if args.classes:
        # every form of the word-class lexicon is a candidate, seen in training or not
        vocab = sorted(set(vocab) | {f for f in load_classes() if f.isalpha() and f not in FUNCTION_WORDS})
    return vocab


def honest_cv(articles, gold, per_doc, args, rule_tp, rule_pred, n_gold, cs=(0.1, 0.3, 1.0)) -> None:
    """Grouped 5-fold CV with the vocabulary chosen on the training folds only (the main CV reuses
    the vocabulary of all of train_sample, which flatters settings that keep rare words)."""
    docs = sorted(per_doc)
    fold_of = {d: i % 5 for i, d in enumerate(docs)}
    probs: dict = {c: [] for c in cs}
    hits_all: list = []
    for k in range(5):
        tr = {d: v for d, v in per_doc.items() if fold_of[d] != k}
        te = {d: v for d, v in per_doc.items() if fold_of[d] == k}
        vocab = choose_vocab(articles[articles.doc_id.isin(tr)], gold[gold.doc_id.isin(tr)], tr, args)
        stub = _stub(vocab, args)
        f_tr, y_tr, _, _ = collect(tr, stub)
        f_te, _y_te, _, h_te = collect(te, stub)
        hits_all += h_te
        for c in cs:
            vec, clf = fit(f_tr, y_tr, c, args.min_feat)
            probs[c].append(clf.predict_proba(vec.transform([{x: 1 for x in f} for f in f_te]))[:, 1])
    for c in cs:
        prob = np.concatenate(probs[c])
        best = max(
            (end_to_end_f1(prob, hits_all, thr, rule_tp, rule_pred, n_gold), round(float(thr), 3))
            for thr in np.arange(0.2, 0.81, 0.025)
        )
        (f1, p, r), thr = best
        print(f"honest CV C={c}: cue F1 {f1:.3f} (P {p:.3f} R {r:.3f}) thr={thr}")


def prune_vocab(vocab, feats, vec, clf, thr, prune_min, prune_rate=0.0, verbose=False) -> list[str]:
    """Speed: drop forms seen at least ``prune_min`` times as candidates that the model never accepts
    there, or accepts in fewer than ``prune_rate`` of their candidate occurrences."""
    prob_in = clf.predict_proba(vec.transform([{x: 1 for x in f} for f in feats]))[:, 1]
    n_acc: collections.Counter = collections.Counter()
    n_form: collections.Counter = collections.Counter()
    for f, pr in zip(feats, prob_in):
        if f[-1].startswith("rej="):
            continue
        n_form[f[0]] += 1
        n_acc[f[0]] += int(pr >= thr)
    never = {k[2:] for k, n in n_form.items() if n >= prune_min and (n_acc[k] == 0 or n_acc[k] < prune_rate * n)}
    if verbose:
        print(f"dropped {len(never)} forms the model never accepts ({sum(n_form['w=' + w] for w in never)} candidates)")
    return [w for w in vocab if w not in never]


def oof_eval(articles, gold, per_doc, args, c, thr, verifiers, dump=None, head_cfg=None) -> dict:
    """End-to-end out-of-fold scores on train_sample (cue, source, content; the evaluation's
    overlap scoring): for each fold the vocabulary is chosen and the cue model fitted on the
    other four folds (pruned as the shipped model), then the full extractor runs on the held-out
    articles with ``verifiers[fold]`` (a verifier fitted on the records of the other folds)."""
    import pickle

    from framing.evaluate.polnear import score_relations

    docs = sorted(per_doc)
    fold_of = {d: i % 5 for i, d in enumerate(docs)}
    opts = Options(body_only=False, attribution_univocal=True)
    saved = A.load_model, A.load_verifier, A.load_cue_head
    if head_cfg is not None:
        opts.encoder = True  # the mixed stage, with the head of each fold (below)
    preds: dict = {}
    try:
        for k in range(5):
            A.load_verifier = lambda vk=verifiers[k]: vk
            tr = {d: v for d, v in per_doc.items() if fold_of[d] != k}
            vocab = choose_vocab(articles[articles.doc_id.isin(tr)], gold[gold.doc_id.isin(tr)], tr, args)
            items: list = []
            feats, y, _, _ = collect(tr, _stub(vocab, args), items)
            vec, clf = fit(feats, y, c, args.min_feat)
            full = vocab
            vocab = prune_vocab(vocab, feats, vec, clf, thr, args.prune_min, args.prune_rate)
            if head_cfg is not None:  # the encoder head of this fold, on the same candidates
                from framing.extractors.attribution_encoder import CueHead

                hc, a, hthr, cache, beta, taggers, propose = head_cfg
                w, b = fit_head(encoder_rows(tr, items, cache), y, hc) if a else (None, 0.0)
                extra = sorted(set(full) - set(vocab)) if args.encoder_vocab == "full" else None
                hk = CueHead(head_dict(w, b, a, hthr, hc, vocabulary=extra, tagger_weight=beta, propose=propose),
                             tagger=taggers[k] if taggers else None, cache=cache)
                A.load_cue_head = lambda h=hk: h
            names = vec.get_feature_names_out()
            weights = {str(n): float(w) for n, w in zip(names, clf.coef_[0])}
            fm = CueModel({"vocabulary": vocab, "weights": weights, "bias": float(clf.intercept_[0]),
                           "threshold": thr, "soft_rejects": args.soft_rejects,
                           "class_features": bool(args.classes)})
            A.load_model = lambda fm=fm: fm
            for d, (doc, *_rest) in per_doc.items():
                if fold_of[d] == k:
                    preds[d] = A.extract_attributions(doc, opts)
    finally:
        A.load_model, A.load_verifier, A.load_cue_head = saved
    metrics, details = score_relations(preds, gold)
    if dump:
        with open(dump, "wb") as fh:
            pickle.dump(details, fh)
    print("OOF end-to-end (honest vocab): " + ", ".join(
        f"{r} F1 {metrics[r + '_f1']:.3f} (P {metrics[r + '_p']:.3f} R {metrics[r + '_r']:.3f})"
        for r in ("cue", "source", "content")))
    return metrics


# -- encoder head (--encoder) ---------------------------------------------------------------------
# A logistic regression on the MiniLM rows of each candidate (framing.extractors.attribution_encoder:
# mean of the candidate's word-piece vectors, mean of its sentence's), standardised; its log-odds are
# mixed with the linear cue model's, and the mixing weight, the head's C and the threshold of the
# mixture are chosen by the same grouped CV as the linear model's (end-to-end cue F1).

HEAD_CS = (0.003, 0.01, 0.03)
MIX_WEIGHTS = (0.3, 0.4, 0.5, 0.6)
TAGGER_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
HEAD_TOLERANCE = 0.001  # candidate-level CV cue F1 the frozen-vector head must add to be kept with a tagger


def encoder_rows(per_doc, items, cache) -> np.ndarray:
    """Encoder rows of ``items`` (from :func:`collect`), in their order."""
    from framing.extractors.attribution_encoder import cue_rows

    by_doc: dict = {}
    for i, (d, s, e, ss, se) in enumerate(items):
        by_doc.setdefault(d, []).append((i, (s, e, ss, se)))
    out = np.zeros((len(items), 768), dtype=np.float32)
    for d, rows in by_doc.items():
        out[[i for i, _ in rows]] = cue_rows(per_doc[d][0].text, [it for _, it in rows], cache)
    return out


def fit_head(X, y, c):
    """``(coef, intercept)`` of a standardised LR on the encoder rows, the standardisation folded in."""
    from sklearn.preprocessing import StandardScaler

    # MiniLM has a few (nearly) constant dimensions (sd 0 to 2e-9): standardised they are blown-up
    # float noise, folded back they got weights up to 7e30. They get no weight.
    live = X.std(axis=0) > 1e-3
    sc = StandardScaler().fit(X[:, live])
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=3000).fit(sc.transform(X[:, live]), y)
    w = np.zeros(X.shape[1])
    w[live] = clf.coef_[0] / sc.scale_
    return w, float(clf.intercept_[0] - np.dot(w[live], sc.mean_))


def head_dict(coef, intercept, weight, thr, c, cv=None, vocabulary=None, tagger_weight=0.0, propose=None) -> dict:
    """The head's JSON; ``vocabulary``: extra candidate forms (those the linear model's pruning dropped).
    With ``weight`` 0 the mixture is the linear model and the cue tagger only: no rows, no weights."""
    rows = {"rows": "mean of the candidate's word-piece vectors, mean of its sentence's (768)",
            "C": c} if weight else {}
    version = "2.0" if tagger_weight else "1.0"  # 2.0: the cue tagger's weight and proposals
    return {"version": version, "name": "attribution_cues_encoder", "encoder": "all-MiniLM-L6-v2@1110a243", **rows,
            "trained_on": "PolNeAR train_sample (163 articles; first annotator per article)",
            "mix_weight": weight, "threshold": thr, **({"cv": cv} if cv else {}),
            **({"tagger_weight": tagger_weight, "tagger": "cue_tagger.npz"} if tagger_weight else {}),
            **({"propose_threshold": propose} if propose is not None else {}),
            **({"vocabulary": vocabulary} if vocabulary else {}),
            **({"intercept": round(float(intercept), 6), "coef": [round(float(x), 6) for x in coef]} if weight else {})}


def choose_head(feats, y, X, folds, hits, c, rule_tp, rule_pred, n_gold, min_feat, T=None):
    """Grouped CV over the head's C, the mixing weight, the cue tagger's weight (``T``: the out-of-fold
    tagger scores of the candidates, or None) and the threshold of the mixture."""
    z_lin = np.zeros(len(y))
    for k in range(5):
        tr, te = folds != k, folds == k
        vec, clf = fit([f for f, t in zip(feats, tr) if t], y[tr], c, min_feat)
        z_lin[te] = clf.decision_function(vec.transform([{x: 1 for x in f} for f, t in zip(feats, te) if t]))
    betas = (0.0,) if T is None else TAGGER_WEIGHTS
    thresholds = np.arange(0.2, 0.61, 0.025) if T is None else np.arange(0.05, 0.951, 0.025)
    best = None
    for hc in HEAD_CS:
        z_head = np.zeros(len(y))
        for k in range(5):
            tr, te = folds != k, folds == k
            w, b = fit_head(X[tr], y[tr], hc)
            z_head[te] = X[te].astype(np.float64) @ w + b
        for a in MIX_WEIGHTS:
            for beta in betas:
                z = a * z_head + (1 - a) * z_lin + (beta * T if beta else 0.0)
                for thr in thresholds:
                    lt = float(np.log(thr / (1 - thr)))
                    f1, p, r = end_to_end_f1(z, hits, lt, rule_tp, rule_pred, n_gold)
                    if best is None or f1 > best[0] + 1e-12:
                        best = (f1, p, r, hc, a, round(float(thr), 3), beta)
        print(f"head C={hc}: best so far cue F1 {best[0]:.4f} (P {best[1]:.3f} R {best[2]:.3f}) "
              f"C={best[3]} mix={best[4]} thr={best[5]} tagger weight={best[6]}")
    if T is not None:
        # the tagger without the head on frozen vectors: one forward pass fewer per sentence at run
        # time, so it is chosen unless the head adds more than HEAD_TOLERANCE
        free = None
        for beta in betas:
            for thr in thresholds:
                lt = float(np.log(thr / (1 - thr)))
                f1, p, r = end_to_end_f1(z_lin + beta * T, hits, lt, rule_tp, rule_pred, n_gold)
                if free is None or f1 > free[0] + 1e-12:
                    free = (f1, p, r, None, 0.0, round(float(thr), 3), beta)
        print(f"without the head: cue F1 {free[0]:.4f} (P {free[1]:.3f} R {free[2]:.3f}) thr={free[5]} "
              f"tagger weight={free[6]}")
        if free[0] >= best[0] - HEAD_TOLERANCE:
            best = free
    return best


def tagger_scores(per_doc, items, folds, taggers) -> np.ndarray:
    """Out-of-fold cue-tagger scores of ``items``: each candidate scored by the tagger of its fold."""
    out = np.zeros(len(items))
    by_doc: dict = {}
    for i, (d, s, e, ss, se) in enumerate(items):
        by_doc.setdefault(d, []).append((i, (s, e, ss, se)))
    for d, rows in by_doc.items():
        k = int(folds[rows[0][0]])
        out[[i for i, _ in rows]] = taggers[k].scores(per_doc[d][0].text, [it for _, it in rows])
    return out


class MemoTagger:
    """A cue tagger whose scores are kept per (sentence, candidate offsets): the OOF runs re-read them."""

    def __init__(self, tagger, memo: dict):
        self.tagger, self.memo = tagger, memo

    def scores(self, text, items):
        keys = [(text[ss:se], s - ss, e - ss) for s, e, ss, se in items]
        todo = [i for i, k in enumerate(keys) if k not in self.memo]
        if todo:
            got = self.tagger.scores(text, [items[i] for i in todo])
            for i, v in zip(todo, got):
                self.memo[keys[i]] = float(v)
        return np.array([self.memo[k] for k in keys])

    def words_above(self, text, sentences, threshold):
        key = ("words", text, tuple(sentences), threshold)
        if key not in self.memo:
            self.memo[key] = self.tagger.words_above(text, sentences, threshold)
        return self.memo[key]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "polnear"))
    ap.add_argument("--out", default=str(ROOT / "framing" / "models" / "attribution_cues.json"))
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--min-rate", type=float, default=0.05)
    ap.add_argument("--min-pos", type=int, default=1)
    ap.add_argument("--min-cand-rate", type=float, default=0.2)
    ap.add_argument("--variants", type=int, default=1, help="add inflections of kept words (1) or not (0)")
    ap.add_argument("--min-feat", type=int, default=2)
    ap.add_argument("--stage1-threshold", type=float, default=None,
                    help="cue-model threshold when the verifier follows (default: the CV choice without verifier)")
    ap.add_argument("--verifier-threshold", type=float, default=None,
                    help="fix the verifier's threshold (default: the CV choice); for comparing rule changes "
                         "without the threshold's discrete jumps")
    ap.add_argument("--verifier-out", default=str(ROOT / "framing" / "models" / "attribution_records.json"))
    ap.add_argument("--prune-min", type=int, default=3,
                    help="drop candidate forms seen at least this often that the fitted model never accepts")
    ap.add_argument("--prune-rate", type=float, default=0.05,
                    help="also drop forms seen at least --prune-min times that the fitted model accepts in "
                         "fewer than this share of their candidate occurrences")
    ap.add_argument("--soft-rejects", default="cap,det_rel,passive,to,verb_that,when",
                    help="comma-separated rules whose refused cue words are candidates with a rej=<rule> "
                         "feature (the others stay hard negatives); empty for none")
    ap.add_argument("--classes", type=int, default=1,
                    help="word-class features and candidates from lexicons/cue_classes.tsv (1) or not (0)")
    ap.add_argument("--honest-cv", action="store_true", help="only report CV with per-fold vocabularies")
    ap.add_argument("--oof-eval", action="store_true",
                    help="after training, report end-to-end out-of-fold cue/source/content scores")
    ap.add_argument("--oof-dump", default=None, help="pickle the out-of-fold error details here")
    ap.add_argument("--encoder", action="store_true",
                    help="also train the opt-in encoder head (needs framing.encoder): written to --encoder-out; "
                         "the verifier and --oof-eval then use the mixed cue stage")
    ap.add_argument("--encoder-out", default=str(ROOT / "framing" / "models" / "attribution_cues_encoder.json"))
    ap.add_argument("--encoder-cache", default=None,
                    help="pickle file caching the candidates' encoder rows between runs (training only)")
    ap.add_argument("--tagger-folds", default=None,
                    help="with --encoder: folder of the per-fold cue taggers (scripts/train_cue_tagger.py "
                         "--folds 0,1,2,3,4); their out-of-fold scores join the mixture with a CV-chosen weight")
    ap.add_argument("--tagger-propose", default=None,
                    help="with --tagger-folds: comma-separated tagger logits to try as the threshold from which "
                         "a word outside the candidate forms becomes a candidate (chosen by end-to-end OOF cue F1)")
    ap.add_argument("--encoder-verifier", choices=("own", "base"), default="base",
                    help="with --encoder: fit the verifier on the mixed stage's records (own) or the linear "
                         "stage's (base)")
    ap.add_argument("--encoder-vocab", choices=("full", "pruned"), default="full",
                    help="with --encoder: the mixed stage's candidates are the linear model's vocabulary before "
                         "its pruning for speed (full: the pruned forms go into the head's JSON) or after it")
    args = ap.parse_args(argv)
    args.soft_rejects = sorted(r for r in args.soft_rejects.split(",") if r)

    articles, gold = load_polnear(args.data, "train_sample")
    per_doc = rule_run(articles, gold)
    rule_tp = sum(len(v[3]) for v in per_doc.values())
    rule_pred = sum(len(v[1]) for v in per_doc.values())
    n_gold = len(gold)
    if args.honest_cv:
        honest_cv(articles, gold, per_doc, args, rule_tp, rule_pred, n_gold)
        return 0
    vocab = choose_vocab(articles, gold, per_doc, args)
    stub = _stub(vocab, args)
    items: list = []
    feats, y, groups, hits = collect(per_doc, stub, items)
    print(f"vocabulary {len(vocab)}, candidates {len(y)}, positive {int(y.sum())}")
    print(
        f"rules alone: tp {rule_tp} pred {rule_pred} gold {n_gold}; vocab {len(vocab)}; "
        f"candidates {len(y)}, positive {int(y.sum())}"
    )

    docs = sorted(per_doc)  # every article gets a fold, also one without candidates (oof_records reads them all)
    fold_of = {d: i % 5 for i, d in enumerate(docs)}
    folds = np.array([fold_of[g] for g in groups])
    best = None
    for c in (0.1, 0.3, 1.0, 3.0):
        prob = np.zeros(len(y))
        for k in range(5):
            tr, te = folds != k, folds == k
            vec, clf = fit([f for f, t in zip(feats, tr) if t], y[tr], c, args.min_feat)
            prob[te] = clf.predict_proba(vec.transform([{x: 1 for x in f} for f, t in zip(feats, te) if t]))[:, 1]
        for thr in np.arange(0.2, 0.81, 0.025):
            f1, p, r = end_to_end_f1(prob, hits, thr, rule_tp, rule_pred, n_gold)
            if best is None or f1 > best[0] + 1e-12:
                best = (f1, p, r, c, round(float(thr), 3))
        print(f"C={c}: best so far cue F1 {best[0]:.3f} (P {best[1]:.3f} R {best[2]:.3f}) C={best[3]} thr={best[4]}")
    f1, p, r, c, thr = best
    if args.stage1_threshold is not None:
        thr = args.stage1_threshold
    head_cfg = heads = head_json = None
    if args.encoder:
        head_cfg, heads, head_json = train_head(args, per_doc, items, feats, y, folds, hits, c, rule_tp, rule_pred,
                                                n_gold)
    # Record verifier: trained on the records the extractor makes with out-of-fold cue models.
    models = {k: fold_model(feats, y, folds != k, vocab, c, thr, args.min_feat, args.soft_rejects, args.classes)
              for k in range(5)}
    v_feats, v_y, v_docs, v_kept = oof_records(
        per_doc, fold_of, models, heads if args.encoder_verifier == "own" else None)
    v_c, v_thr = train_verifier(v_feats, v_y, v_docs, v_kept, fold_of, n_gold, args.min_feat, args.verifier_out,
                                  args.verifier_threshold)
    vec, clf = fit(feats, y, c, args.min_feat)
    full = vocab
    vocab = prune_vocab(vocab, feats, vec, clf, thr, args.prune_min, args.prune_rate, verbose=True)
    if head_json is not None and args.encoder_vocab == "full":  # the pruned forms stay candidates of the mixed stage
        head_json["vocabulary"] = sorted(set(full) - set(vocab))
        print(f"{len(head_json['vocabulary'])} extra candidate forms for the mixed stage")
    weights = write_model(
        args.out, vec, clf, name="attribution_cues",
        trained_on="PolNeAR train_sample (163 articles; first annotator per article)",
        threshold=thr, C=c,
        cv={"cue_f1": round(f1, 4), "cue_p": round(p, 4), "cue_r": round(r, 4), "folds": 5},
        rules_alone={"tp": rule_tp, "pred": rule_pred, "gold": n_gold},
        soft_rejects=args.soft_rejects,
        vocabulary=vocab,
        **({"class_features": True} if args.classes else {}),
    )
    print(
        f"wrote {args.out}: {len(vocab)} words, {len(weights)} weights, C={c}, threshold={thr}, "
        f"CV cue F1 {f1:.3f} (P {p:.3f} R {r:.3f})"
    )
    propose = bool(args.tagger_propose and head_cfg is not None and head_cfg.tagger_weight)
    if args.oof_eval or propose:
        verifiers = {}
        for k in range(5):  # the verifier of each fold is fitted on the records of the other four
            tr = np.array([fold_of[d] != k for d in v_docs])
            verifiers[k] = fold_model(v_feats, v_y, tr, [], v_c, v_thr, args.min_feat)
        oof = oof_eval(articles, gold, per_doc, args, c, thr, verifiers, args.oof_dump, head_cfg) \
            if args.oof_eval else None
    if propose:
        # the tagger's own candidates (words outside every candidate form): the threshold that gives
        # the best end-to-end out-of-fold cue F1 (same folds, verifiers and heads as --oof-eval, whose
        # run is the one without proposals)
        tried = []
        for value in [None] + [float(x) for x in args.tagger_propose.split(",")]:
            m = oof if value is None and oof is not None else \
                oof_eval(articles, gold, per_doc, args, c, thr, verifiers, None, head_cfg._replace(propose=value))
            print(f"  propose threshold {value}: OOF cue F1 {m['cue_f1']:.4f}")
            tried.append((m["cue_f1"], value))
        best_f1, best_value = max(tried, key=lambda t: (t[0], t[1] is None))
        if best_value is not None:
            head_json["propose_threshold"] = best_value
        head_json["cv_propose"] = {str(v): round(f, 4) for f, v in tried}
        print(f"propose threshold {best_value} (OOF cue F1 {best_f1:.4f})")
    if head_json is not None:
        Path(args.encoder_out).write_text(json.dumps(head_json) + "\n", encoding="utf-8")
        print(f"wrote {args.encoder_out}")
    if head_cfg is not None and args.encoder_cache:
        import pickle

        with open(args.encoder_cache, "wb") as fh:
            pickle.dump(head_cfg.cache, fh)
    return 0


class HeadConfig(NamedTuple):
    """What :func:`oof_eval` needs to rebuild the mixed stage of a fold."""

    c: float | None  # the head's C (None: no head on frozen vectors)
    weight: float  # the head's mixing weight
    threshold: float  # of the mixture
    cache: dict  # encoder rows and tagger scores kept between runs (--encoder-cache)
    tagger_weight: float
    taggers: dict | None  # fold -> the tagger trained without that fold
    propose: float | None  # tagger logit from which a word outside the candidate forms is a candidate


def train_head(args, per_doc, items, feats, y, folds, hits, c, rule_tp, rule_pred, n_gold):
    """The encoder head (see :func:`choose_head`); returns the configuration for :func:`oof_eval`,
    the heads fitted per fold (for the verifier's records) and the JSON of ``--encoder-out``, which
    :func:`main` completes and writes."""
    import pickle

    from framing.extractors import attribution_encoder as AE

    cache: dict = {}
    if args.encoder_cache and Path(args.encoder_cache).is_file():
        with open(args.encoder_cache, "rb") as fh:
            cache = pickle.load(fh)
    X = encoder_rows(per_doc, items, cache)
    taggers: dict | None = None
    T = None
    if args.tagger_folds:  # one tagger per fold, trained on the other four (scripts/train_cue_tagger.py)
        import hashlib

        memo = cache.setdefault("tagger", {})  # scores per tagger file (by its digest), kept with the rows
        taggers = {}
        for k in range(5):
            path = Path(args.tagger_folds) / f"cue_tagger_fold{k}.npz"
            tagger = AE.CueTagger(path)
            tagger.keep = 10**6  # every sentence's logits stay (the OOF runs read each article again)
            taggers[k] = MemoTagger(tagger, memo.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), {}))
        T = tagger_scores(per_doc, items, folds, taggers)
    f1, p, r, hc, a, hthr, beta = choose_head(feats, y, X, folds, hits, c, rule_tp, rule_pred, n_gold,
                                              args.min_feat, T)
    heads = {}
    for k in range(5):
        w, b = fit_head(X[folds != k], y[folds != k], hc) if a else (None, 0.0)
        heads[k] = AE.CueHead(head_dict(w, b, a, hthr, hc, tagger_weight=beta),
                              tagger=taggers[k] if taggers else None, cache=cache)
    w, b = fit_head(X, y, hc) if a else (None, 0.0)
    cv = {"cue_f1": round(f1, 4), "cue_p": round(p, 4), "cue_r": round(r, 4), "folds": 5}
    print(f"encoder head: C={hc}, mix weight {a}, tagger weight {beta}, threshold {hthr}, "
          f"CV cue F1 {f1:.3f} (P {p:.3f} R {r:.3f})")
    cfg = HeadConfig(hc, a, hthr, cache, beta, taggers, None)
    return cfg, heads, head_dict(w, b, a, hthr, hc, cv, tagger_weight=beta)


if __name__ == "__main__":
    raise SystemExit(main())
