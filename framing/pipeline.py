"""Per-article orchestration: one corpus record in, records for every table out.

Order matters: boilerplate is found first so that attribution, hedging and
actor sentiment read body text only; readability reads the body as well.
Any exception inside one article becomes an error record for that article
(code E201 with the extractor's name), never a crash of the run.

The engines (:mod:`framing.engines`) only decide *where* :func:`analyze_record`
runs; its result depends on nothing but the record, the options and the
outlet's repeated-block set, so every engine gives identical tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from framing.blockcounts import BlockCounts
from framing.document import Document
from framing.options import Options

__all__ = ["TABLE_COLUMNS", "ARTICLE_COLUMNS", "DocResult", "analyze_record", "analyze_records", "outlet_repetition",
           "outlet_block_counts", "repetition_from_counts"]

TABLE_COLUMNS: dict[str, list[str]] = {
    "attributions": ["doc_id", "start", "end", "cue", "cue_lemma", "cue_class", "speaker", "speaker_start",
                     "speaker_end", "canonical_speaker", "quote_start", "quote_end", "content_start",
                     "content_end", "kind", "source_type", "rule"],
    "hedges": ["doc_id", "start", "end", "cue", "category", "rule"],
    "mentions": ["doc_id", "start", "end", "actor", "alias", "sentiment", "sentiment_label"],
    "boilerplate": ["doc_id", "start", "end", "kind", "rule"],
}

ARTICLE_COLUMNS = [
    "doc_id", "outlet", "title", "date", "url", "source",
    "n_chars", "n_blocks", "boilerplate_share", "boilerplate_chars",
    "n_attributions", "n_direct", "n_indirect", "n_mixed", "n_quotes",
    "share_distancing_cues", "share_emphatic_cues", "share_unnamed_sources", "share_named_person_sources",
    "n_hedges", "hedges_per_1k_words", "uncertainty_per_1k_words", "distancing_per_1k_words",
    "n_mentions", "n_actors", "top_actor", "mean_mention_sentiment",
    "n_words", "n_sentences", "avg_sentence_length", "avg_syllables_per_word",
    "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "coleman_liau_index",
]


@dataclass
class DocResult:
    """Everything found in one article, or why it could not be analysed."""

    doc_id: str
    article: dict[str, Any] | None = None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    error: dict[str, Any] | None = None


def outlet_block_counts(records: Iterable[Mapping[str, Any]], options: Options) -> dict[str, BlockCounts]:
    """Per outlet, in how many articles each normalised block (of ``repetition_min_chars`` or more) occurs.

    Articles without an outlet are grouped under ``""``. Each value is a :class:`~framing.blockcounts.BlockCounts`
    (a compact ``{block key: count}`` mapping, 12 bytes per distinct block, so memory stays small on a
    large corpus). Counts from several partitions add up (:meth:`BlockCounts.update`).
    """
    from framing.document import split_blocks
    from framing.extractors.boilerplate import block_key_ints

    min_chars = options.repetition_min_chars
    counts: dict[str, BlockCounts] = {}
    for rec in records:
        text = rec.get("text")
        if not isinstance(text, str) or len(text) > options.max_chars:
            continue
        # integer keys: what BlockCounts stores, without formatting and parsing hex strings
        seen = block_key_ints(text, [(s, e) for s, e in split_blocks(text) if e - s >= min_chars])
        o = rec.get("outlet") or ""
        if o not in counts:
            counts[o] = BlockCounts()
        counts[o].add_doc(seen)
    return counts


def repetition_from_counts(counts: Mapping[str, Mapping[str, int]], options: Options) -> dict[str, frozenset[str]]:
    """The block keys that occur in at least ``repetition_min_docs`` articles of their outlet."""
    n = options.repetition_min_docs
    return {o: (c.at_least(n) if isinstance(c, BlockCounts) else frozenset(k for k, v in c.items() if v >= n))
            for o, c in counts.items()}


def outlet_repetition(records: Iterable[Mapping[str, Any]], options: Options) -> dict[str, frozenset[str]]:
    """For each outlet, the blocks repeated across its articles: boilerplate of kind ``repeated``.

    A cross-article step: it needs the whole corpus (on Dask, a sum of per-partition counts).
    """
    return repetition_from_counts(outlet_block_counts(records, options), options)


def _add(counts: dict[Any, int], key: Any) -> None:
    """Count one more ``key`` in ``counts``."""
    counts[key] = counts.get(key, 0) + 1


def _counts(values: list[Any]) -> dict[Any, int]:
    """``collections.Counter(values)`` as a plain dict: a compiled loop, without ``Counter``'s Python-level set-up."""
    out: dict[Any, int] = {}
    for v in values:
        _add(out, v)
    return out


def _share(num: int, den: int) -> float:
    return float(num) / den if den else float("nan")


def article_features(doc: Document, tables: Mapping[str, list[dict[str, Any]]], read: Mapping[str, float],
                     rec: Mapping[str, Any]) -> dict[str, Any]:
    """The per-article row of :attr:`Analysis.articles`."""
    attrs, hedges, mentions = tables["attributions"], tables["hedges"], tables["mentions"]
    n_attr = len(attrs)
    n_words = int(read.get("n_words", 0))
    per_1k = (1000.0 / n_words) if n_words else float("nan")
    # how many attributions of each kind, cue class and source type, and with a quote: one pass over them
    kinds: dict[Any, int] = {}
    cue_classes: dict[Any, int] = {}
    source_types: dict[Any, int] = {}
    n_quotes = 0
    for a in attrs:
        _add(kinds, a["kind"])
        _add(cue_classes, a["cue_class"])
        _add(source_types, a["source_type"])
        if a.get("quote_start") is not None:
            n_quotes += 1
    categories = _counts([h["category"] for h in hedges])
    uncertainty = categories.get("uncertainty", 0)
    distancing = sum(n for c, n in categories.items() if str(c).startswith("distancing"))
    actor_counts = _counts([m["actor"] for m in mentions])
    sentiments = [m["sentiment"] for m in mentions if m.get("sentiment") is not None]
    row: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "outlet": rec.get("outlet"),
        "title": rec.get("title"),
        "date": rec.get("date"),
        "url": rec.get("url"),
        "source": rec.get("source"),
        "n_chars": len(doc.text),
        "n_blocks": len(doc.blocks),
        "boilerplate_share": doc.boilerplate_share,
        "boilerplate_chars": doc.boilerplate_chars,
        "n_attributions": n_attr,
        "n_direct": kinds.get("direct", 0),
        "n_indirect": kinds.get("indirect", 0),
        "n_mixed": kinds.get("mixed", 0),
        "n_quotes": n_quotes,
        "share_distancing_cues": _share(cue_classes.get("distancing", 0), n_attr),
        "share_emphatic_cues": _share(cue_classes.get("emphatic", 0), n_attr),
        "share_unnamed_sources": _share(source_types.get("unnamed", 0), n_attr),
        "share_named_person_sources": _share(source_types.get("named_person", 0), n_attr),
        "n_hedges": len(hedges),
        "hedges_per_1k_words": len(hedges) * per_1k if n_words else 0.0,
        "uncertainty_per_1k_words": uncertainty * per_1k if n_words else 0.0,
        "distancing_per_1k_words": distancing * per_1k if n_words else 0.0,
        "n_mentions": len(mentions),
        "n_actors": len(actor_counts),
        "top_actor": max(sorted(actor_counts), key=actor_counts.__getitem__) if actor_counts else None,
        "mean_mention_sentiment": (sum(sentiments) / len(sentiments)) if sentiments else float("nan"),
    }
    row.update(read)
    return row


def _run(stage: str, fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # one article's failure must not stop the corpus
        raise _StageError(stage, exc) from exc


class _StageError(Exception):
    def __init__(self, stage: str, exc: Exception):
        self.stage, self.exc = stage, exc
        super().__init__(f"{stage}: {type(exc).__name__}: {exc}")


def _clip(records: list[dict[str, Any]], n: int, doc_id: str, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` for ``records``: exactly its columns (None where a record lacks one), with ``doc_id``
    attached, and (defensively) without any record whose span is not valid for the text."""
    cols = TABLE_COLUMNS[table]
    usual = _RECORD_KEYS[table]
    out = []
    for r in records:
        s, e = r.get("start"), r.get("end")
        if s is None or e is None or not (0 <= s < e <= n):
            continue
        if tuple(r) == usual:  # what the extractors give: the columns after doc_id, in order
            out.append({"doc_id": doc_id, **r})
            continue
        row = dict(zip(cols, map(r.get, cols)))
        if "doc_id" not in r:  # a record's own doc_id wins, as it always has
            row["doc_id"] = doc_id
        out.append(row)
    return out


# The keys of an extractor's record for each table: its columns without the leading doc_id.
_RECORD_KEYS = {name: tuple(cols[1:]) for name, cols in TABLE_COLUMNS.items()}
assert all(cols[0] == "doc_id" for cols in TABLE_COLUMNS.values())


def analyze_record(rec: Mapping[str, Any], options: Options,
                   repeated: frozenset[str] = frozenset()) -> DocResult:
    """Analyse one corpus record (a dict with at least ``doc_id`` and ``text``)."""
    return analyze_records([rec], options, [repeated])[0]


class _Work:
    """One record on its way through the stages of :func:`analyze_records`."""

    __slots__ = ("i", "rec", "doc_id", "text", "doc", "bp", "attrs", "hedges", "mentions", "read")
    doc: Document
    bp: list[dict[str, Any]]
    attrs: list[dict[str, Any]]
    hedges: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    read: dict[str, Any]

    def __init__(self, i: int, rec: Mapping[str, Any], doc_id: str, text: str):
        self.i, self.rec, self.doc_id, self.text = i, rec, doc_id, text


def analyze_records(recs: Sequence[Mapping[str, Any]], options: Options,
                    repeated: Sequence[frozenset[str]] | None = None) -> list[DocResult]:
    """Analyse a batch of records; the same results as :func:`analyze_record` on each, in order.

    The batch goes through the pipeline stage by stage (every article's segmentation, then
    every article's boilerplate, and so on), which keeps each extractor's code and tables in
    the CPU caches: about 10% faster than article by article. An article whose stage fails
    gets its error record and skips the later stages, as in :func:`analyze_record`.
    ``repeated`` holds each record's outlet repetition set (default: none).
    """
    from framing.extractors import actors as actors_mod
    from framing.extractors import attribution, boilerplate, hedging, readability, sentiment

    reps = list(repeated) if repeated is not None else [frozenset()] * len(recs)
    out: list[DocResult | None] = [None] * len(recs)
    live: list[_Work] = []
    for i, rec in enumerate(recs):
        doc_id = str(rec["doc_id"])
        text = rec.get("text")
        source = rec.get("source")
        if not isinstance(text, str) or not text.strip():
            out[i] = DocResult(doc_id, error={"doc_id": doc_id, "source": source, "code": "E005",
                                              "severity": "error", "reason": "empty text"})
        elif len(text) > options.max_chars:
            out[i] = DocResult(doc_id, error={"doc_id": doc_id, "source": source, "code": "E202",
                                              "severity": "error",
                                              "reason": f"article has {len(text):,} characters, over max_chars="
                                                        f"{options.max_chars:,}; raise Options.max_chars to "
                                                        "analyse it"})
        else:
            live.append(_Work(i, rec, doc_id, text))

    def segment(w: _Work) -> None:
        w.doc = _run("segmentation", Document.from_text, w.doc_id, w.text)
        w.doc.outlet, w.doc.title = w.rec.get("outlet"), w.rec.get("title")

    def find_boilerplate(w: _Work) -> None:
        bp = _run("boilerplate", boilerplate.find_boilerplate, w.doc, options, reps[w.i])
        markup = w.rec.get("markup_boilerplate")
        if markup is not None and len(markup):
            # lines outside an HTML page's main text; a pattern record for the same span says more
            found = {(r["start"], r["end"]) for r in bp}
            bp = [{"start": int(s), "end": int(e), "kind": str(k), "rule": "html:outside-main-text"}
                  for s, e, k in markup if (int(s), int(e)) not in found] + bp
            bp.sort(key=lambda r: (r["start"], r["end"]))
        w.bp = _clip(bp, len(w.text), w.doc_id, "boilerplate")
        w.doc.boilerplate = [(r["start"], r["end"], r["kind"]) for r in w.bp]

    def attributions(w: _Work) -> None:
        w.attrs = _clip(_run("attribution", attribution.extract_attributions, w.doc, options), len(w.text), w.doc_id,
                        "attributions")

    def hedges(w: _Work) -> None:
        w.hedges = _clip(_run("hedging", hedging.extract_hedges, w.doc, options), len(w.text), w.doc_id, "hedges")

    def mentions(w: _Work) -> None:
        w.mentions = _run("actors", actors_mod.find_mentions, w.doc, options)

    def mention_sentiment(w: _Work) -> None:
        w.mentions = _clip(_run("sentiment", sentiment.score_mentions, w.doc, w.mentions, options), len(w.text),
                           w.doc_id, "mentions")

    def read(w: _Work) -> None:
        w.read = _run("readability", readability.readability, w.doc, options)

    def mention_sentiment_together(ws: list[_Work]) -> bool:
        """Score the mentions of all of ``ws`` in one batch (faster, same scores); False when that raised."""
        try:
            sentiment.score_mentions_batch([(w.doc, w.mentions) for w in ws], options)
        except Exception:  # nothing was changed: the article-by-article step finds which article fails, and why
            return False
        for w in ws:
            w.mentions = _clip(w.mentions, len(w.text), w.doc_id, "mentions")
        return True

    for step in (segment, find_boilerplate, attributions, hedges, mentions, mention_sentiment, read):
        if step is mention_sentiment and mention_sentiment_together(live):
            continue
        kept = []
        for w in live:
            try:
                step(w)
            except _StageError as err:
                out[w.i] = DocResult(w.doc_id, error={
                    "doc_id": w.doc_id, "source": w.rec.get("source"), "code": "E201", "severity": "error",
                    "reason": f"internal error in {err.stage}: {type(err.exc).__name__}: {err.exc}"})
                continue
            kept.append(w)
        live = kept
    for w in live:
        tables = {"attributions": w.attrs, "hedges": w.hedges, "mentions": w.mentions, "boilerplate": w.bp}
        out[w.i] = DocResult(w.doc_id, article=article_features(w.doc, tables, w.read, w.rec), tables=tables)
    return out  # type: ignore[return-value]  # every slot is filled above
