"""Learned second stage of attribution: finds cues the word-list rules miss.

Most cues that annotators mark in news (PolNeAR, Newell et al. 2018) are not classic reporting
verbs: "appeared", "seems", "backing", "criticism", "referring to", "has offered" ... Hand lists of
such words level off because the same word is a cue in one sentence and not in the next. This
module scores *candidate tokens* with a linear model trained on PolNeAR ``train_sample`` (see
``scripts/train_attribution.py`` and ``framing/models/attribution_card.md``).

Why this shape: speed. Candidates are only the word forms the training data showed as cue
words and the forms of the word-class lexicon ``lexicons/cue_classes.tsv`` (Levin verb classes,
PARC and PolNeAR cue types; their class is a feature, so a cue word never seen in training gets
its class's weight), found by the rule stage's scan of the lower-cased text (one dict look-up per
word); features are a few strings per
candidate read from small windows around it, and the score is a sum of weights looked up in a
plain dict (the model ships as JSON: vocabulary + coefficients, no pickle, no scikit-learn at
run time).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Final

__all__ = ["load_model", "candidate_features", "stem", "inflections", "load_classes", "MODEL_RULE"]

MODEL_RULE: Final = "model:attribution_cues"

_WIN: Final = 60  # characters read on each side of a candidate
_PUNCT: Final = ",.;:!?\"“”‘’'()[]—–-"
_PRON: Final = frozenset("he she they i we it you".split())
_AUXW: Final = frozenset(
    "has have had will would could can may might must should did does do is are was were be been being "
    "also not never n't n’t".split()
)
_DETW: Final = frozenset("the a an this these those her his their its our my your such any some no every each".split())
_SUFFIXES: Final = ("ments", "ment", "ings", "ing", "ied", "ies", "ers", "er", "ed", "es", "s", "e")


_STEMS: Final[dict[str, str]] = {}  # word -> stem (a plain dict: an lru_cache call costs more than the stem)


def stem(word: str) -> str:
    """A crude suffix-stripped stem ("appeared", "appears" -> "appear"), so forms share weights."""
    st = _STEMS.get(word)
    if st is None:
        st = _stem(word)
        if len(_STEMS) < 65536:
            _STEMS[word] = st
    return st


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf == "ied" or suf == "ies":
                w += "y"
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":  # "planned" -> "plann" -> "plan"
        w = w[:-1]
    return w


_SIBILANT: Final = ("s", "sh", "ch", "x", "z", "o")


def inflections(lemma: str, pos: str) -> list[str]:
    """Regular inflections of a lemma: verbs -s/-es, -ed, -ing (e-drop, y -> ie, a doubled final
    consonant as an extra form), nouns -s/-es; adjectives are left as they are. Forms that never
    occur in English are harmless (they only ever meet themselves)."""
    w = lemma.lower()
    out = [w]
    if pos == "adj" or not w.isalpha() or len(w) < 2:
        return out
    cons_y = w.endswith("y") and w[-2] not in "aeiou"
    if cons_y:
        out.append(w[:-1] + "ies")
    elif w.endswith(_SIBILANT):
        out.append(w + "es")
    else:
        out.append(w + "s")
    if pos != "verb":
        return out
    if cons_y:
        out.append(w[:-1] + "ied")
        out.append(w + "ing")
    elif w.endswith("e"):
        out.append(w + "d")
        out.append(w[:-1] + "ing")
    else:
        out.append(w + "ed")
        out.append(w + "ing")
        if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
            out.append(w + w[-1] + "ed")
            out.append(w + w[-1] + "ing")
    return out


@lru_cache(maxsize=1)
def load_classes() -> dict[str, tuple[str, ...]]:
    """Surface form -> word classes of ``lexicons/cue_classes.tsv`` (Levin verb classes, PARC and
    PolNeAR cue types), regular inflections and the listed irregular forms included. Class
    membership is a feature of the cue model, so a cue word unseen in training still gets the
    weight of its class ("applauded" from judgment verbs)."""
    from framing.lexicons import load_lexicon

    acc: dict[str, set[str]] = {}
    for r in load_lexicon("cue_classes"):
        forms = inflections(r["lemma"], r["pos"])
        if r["forms"] != "-":
            forms += r["forms"].lower().split()
        for f in forms:
            acc.setdefault(f, set()).add(r["class"])
    return {f: tuple(sorted(c)) for f, c in acc.items()}


class CueModel:
    """The shipped cue model: candidate vocabulary, feature weights, bias and threshold."""

    def __init__(self, data: dict):
        self.version: str = data.get("version", "0")
        self.vocab: frozenset[str] = frozenset(data["vocabulary"])
        self.weights: dict[str, float] = data["weights"]
        self.bias: float = float(data["bias"])
        self.threshold: float = float(data["threshold"])
        # cue words refused by these rules are candidates too (feature rej=<rule>)
        self.soft_rejects: frozenset[str] = frozenset(data.get("soft_rejects") or ())
        # word-class features (lexicons/cue_classes.tsv) when the model was trained with them
        self.classes: dict[str, tuple[str, ...]] = load_classes() if data.get("class_features") else {}
        # logit threshold: compare raw scores, no exp per candidate
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        self.logit_threshold = math.log(t / (1 - t))
        # candidates are whole words of these characters (found by attribution._word_probes)
        odd = sorted(w for w in self.vocab if not w or not all(c.isalnum() or c in "_’'-" for c in w))
        if odd:
            raise ValueError(f"cue model vocabulary words must be letters, digits and _’'- only: {odd[:5]}")

    def with_vocabulary(self, extra: frozenset[str]) -> CueModel:
        """A copy of this model whose candidate vocabulary also holds ``extra`` (same weights)."""
        wide = CueModel({"vocabulary": [], "weights": {}, "bias": 0.0, "threshold": 0.5})
        wide.version, wide.vocab, wide.weights = self.version, self.vocab | extra, self.weights
        wide.bias, wide.threshold, wide.logit_threshold = self.bias, self.threshold, self.logit_threshold
        wide.soft_rejects, wide.classes = self.soft_rejects, self.classes
        return wide

    def score(self, feats: list[str]) -> float:
        """Raw linear score (log-odds) of one candidate: the bias plus the weights of its features, added
        in their order (a feature without a weight adds nothing)."""
        weights = self.weights
        total = 0.0
        for f in feats:
            w = weights.get(f)
            if w is not None:
                total += w
        return self.bias + total


def _read_model_json(name: str, path: str | None) -> dict | None:
    """The parsed JSON of the shipped model file ``name`` (or of ``path``); None when it is absent."""
    try:
        if path is None:
            raw = resources.files("framing.models").joinpath(name).read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                raw = fh.read()
    except (FileNotFoundError, OSError):
        return None
    return json.loads(raw)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> CueModel | None:
    """Load ``framing/models/attribution_cues.json`` (or ``path``); None when it is absent."""
    data = _read_model_json("attribution_cues.json", path)
    return None if data is None else CueModel(data)


_FORMS: Final[dict[str, tuple[str, str, str, str]]] = {}
_TAGGED: Final[dict[str, dict[str, str]]] = {"lex=": {}, "cls=": {}}


def _form_features(w: str) -> tuple[str, str, str, str]:
    """The stem of a candidate form and its features "w=", "st=", "suf=" (built once per form: the
    strings keep their hash, so the weight look-ups of :meth:`CueModel.score` are cheaper too)."""
    got = _FORMS.get(w)
    if got is None:
        st = stem(w)
        got = (st, "w=" + w, "st=" + st, "suf=" + w[-3:])
        if len(_FORMS) < 65536:
            _FORMS[w] = got
    return got


def _tagged(tag: str, value: str) -> str:
    """``tag + value`` for the lexicon's pos ("lex=") and word classes ("cls="), one string each."""
    known = _TAGGED[tag]
    f = known.get(value)
    if f is None:
        f = known[value] = tag + value
    return f


def candidate_features(
    text: str,
    low: str,
    s: int,
    e: int,
    ss: int,
    se: int,
    in_quote: bool,
    sent_has_quote: bool,
    lex_pos: str | None,
    rule_in_sentence: bool,
    in_rule_content: bool,
    rule_left: bool,
    classes: tuple[str, ...] = (),
) -> list[str]:
    """Feature strings of the candidate token ``text[s:e]`` in the sentence ``[ss, se)``.

    ``lex_pos`` is the cue lexicon's ``pos`` for the form (None when not listed); the other flags
    describe quotation marks and the rule-based attributions of the same sentence; ``classes`` are
    the form's word classes (:func:`load_classes`).
    """
    w = low[s:e]
    left = low[max(ss, s - 40) : s]
    right = low[e : min(se, e + 40)]
    lw = left.rsplit(None, 2)  # the last two words (and the rest): only they are read
    rw = right.split(None, 2)
    st, f_w, f_st, f_suf = _form_features(w)
    if lw:
        p1 = lw[-1]
        p2 = lw[-2] if len(lw) > 1 else "<s>"
        lstrip_left = left.rstrip()
        lc = lstrip_left[-1]
        if lc.isalnum():
            lc = "w"
    else:
        p1 = p2 = lc = "<s>"
    if rw:
        n1 = rw[0]
        n2 = rw[1] if len(rw) > 1 else "</s>"
        rc = right.lstrip()[0]
        if rc.isalnum():
            rc = "w"
    else:
        n1 = n2 = rc = "</s>"
    f = [
        f_w,
        f_st,
        "p1=" + p1,
        "n1=" + n1,
        "p2=" + p2,
        "n2=" + n2,
        f"p1w={p1}|{st}",
        f"wn1={st}|{n1}",
        "lc=" + lc,
        "rc=" + rc,
        _tagged("lex=", lex_pos or "-"),
        f_suf,
    ]
    if not lw:
        f.append("sent_start")
    if not rw:
        f.append("sent_end")
    if text[s].isupper():
        f.append("cap")
    if lw:
        k = s - len(left) + len(lstrip_left) - len(p1)
        if text[k : k + len(p1)].lstrip(_PUNCT)[:1].isupper():
            f.append("p1cap")
        q1 = p1.strip(_PUNCT)
        if q1 in _PRON:
            f.append("p1pron")
        elif q1 in _AUXW or q1.endswith(("n't", "n’t")):
            f.append("p1aux")
        elif q1 in _DETW or q1.endswith(("’s", "'s")):
            f.append("p1det")
    for c in classes:
        f.append(_tagged("cls=", c))
    if in_quote:
        f.append("inq")
    if sent_has_quote:
        f.append("sentq")
    if rule_in_sentence:
        f.append("rule_sent")
    if in_rule_content:
        f.append("in_content")
    if rule_left:
        f.append("rule_left")
    if n1 == "that":
        f.append("that_next")
    if text.find(":", e, se) != -1:
        f.append("colon_after")
    return f


# -- record verifier -------------------------------------------------------------------------------
# A second linear model scores every finished record (rule-based or model-found) and drops the
# unlikely ones. Its main signal is nesting: PolNeAR is univocal (each token is in at most one
# attribution), so a report inside another report's content ("Figueroa said [law enforcement
# located her and told her to leave]") is usually not annotated, while a coordinated report
# ("Figueroa said ..., though she acknowledged ...") is. Trained out-of-fold on train_sample by
# scripts/train_attribution.py; weights in framing/models/attribution_records.json.

_NEST_GLUE: Final = re.compile(r"\b(?:that|whether|if|how|why|what|who|which)\b")
_NEST_COORD: Final = re.compile(r"(?:[,;]\s*(?:and|but|though|although|while|yet|as)\b|[.;!?]\s|\band\b|\bbut\b)")


def _bucket(n: int, edges=(0, 2, 5, 10, 20, 40)) -> str:
    for k in edges:
        if n <= k:
            return str(k)
    return "more"


def record_features(text: str, low: str, rec: dict, outer: dict, has_inner: bool, near: bool) -> list[str]:
    """Feature strings of a finished attribution record (see the comment above).

    ``outer`` is the record whose content contains this record's cue,
    ``has_inner`` whether this record's content contains another record's cue, ``near`` whether
    another record's cue starts within 40 characters.
    """
    s, e = rec["start"], rec["end"]
    rule = rec["rule"]
    lem = rec["cue_lemma"]
    left = low[max(0, s - 30) : s].split()
    right = low[e : e + 30].split()
    p1 = left[-1] if left else "<s>"
    n1 = right[0] if right else "</s>"
    cs = rec["content_start"]
    f = [
        "rule=" + rule,
        "lem=" + lem,
        "rl=" + rule + "|" + lem,
        "src=" + rec["source_type"] if rec["speaker_start"] is not None else "nosrc",
        "kind=" + rec["kind"] if cs is not None else "nocontent",
        "p1=" + p1,
        "n1=" + n1,
        "p1l=" + p1 + "|" + lem,
        "nw=" + str(min(3, len(rec["cue"].split()))),
    ]
    if rec["speaker_start"] is not None:
        sp = low[rec["speaker_start"] : rec["speaker_end"]]
        f.append("srclen=" + _bucket(len(sp.split()), (1, 2, 4, 8)))
        if sp in _PRON:
            f.append("srcpron")
    if cs is not None:
        f.append("clen=" + _bucket(len(low[cs : rec["content_end"]].split()), (3, 8, 15, 30, 60)))
    if text[s].isupper():
        f.append("cap")
    if has_inner:
        f.append("outer")
    if near:
        f.append("near")
    where = "before" if outer["start"] < s else "after"
    between = low[outer["end"] : s] if where == "before" else low[e : outer["start"]]
    f += [
        "nest=" + where,
        "nest_rule=" + where + "|" + rule,
        "nest_lem=" + where + "|" + lem,
        "nest_olem=" + where + "|" + outer["cue_lemma"],
        "nest_dist=" + where + "|" + _bucket(len(between.split())),
    ]
    if _NEST_GLUE.search(between):
        f.append("nest_glue")
    if _NEST_COORD.search(between):
        f.append("nest_coord")
    if rec["speaker_start"] is not None and outer["speaker_start"] is not None:
        if rec["canonical_speaker"] is not None and rec["canonical_speaker"] == outer["canonical_speaker"]:
            f.append("nest_same_src")
    return f


@lru_cache(maxsize=2)
def load_verifier(path: str | None = None) -> CueModel | None:
    """Load ``framing/models/attribution_records.json`` (or ``path``); None when it is absent."""
    data = _read_model_json("attribution_records.json", path)
    if data is None:
        return None
    data.setdefault("vocabulary", [])
    return CueModel(data)
