"""Attribution cues with the optional encoder: the linear cue model mixed with MiniLM-based scores.

The learned cue stage (:mod:`framing.extractors.attribution_model`) reads a few words around a
candidate; the same word is a cue in one sentence and not in the next ("the poll [showed]" /
"the show"), and many cue words are in no list. With ``Options(encoder=True)`` two scores from
all-MiniLM-L6-v2 (:mod:`framing.encoder`) can join the linear model's log-odds, with weights
chosen out of fold on PolNeAR train_sample (``framing/models/attribution_cues_encoder.json``,
``scripts/train_attribution.py --encoder``; see ``framing/models/attribution_card.md``):

- a head on the frozen vectors of each candidate (:func:`cue_rows`: the mean over the candidate's
  word pieces and the mean over its sentence), the first version's design;
- the :class:`CueTagger`, MiniLM fine-tuned to mark cue word pieces (low-rank adapters,
  ``framing/models/cue_tagger.npz``): its score of each candidate, and words it scores highly
  that no candidate form covers, which become candidates (:meth:`CueHead.proposed`).

The head also lists candidate forms that the linear model's pruning for speed dropped (the mixture
accepts some of them); they, and the tagger's words, are candidates only with the option on.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import MutableMapping, Sequence
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path

import numpy as np

from framing.encoder import CACHE_SIZE, MAX_TOKENS, span_rows
from framing.errors import FramingError
from framing.extractors.attribution_model import CueModel
from framing.models import read_model_json

__all__ = ["CueHead", "CueTagger", "load_cue_head", "load_cue_tagger", "cue_rows", "HEAD_FILE", "TAGGER_FILE"]

HEAD_FILE = "attribution_cues_encoder.json"
TAGGER_FILE = "cue_tagger.npz"
_WORD_AT = re.compile(r"[^\W_]+")
# the adapted maps of each layer, in the order of the tagger file's "maps", as safetensors names them
_TAGGER_MAPS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                "intermediate.dense", "output.dense")

Item = tuple[int, int, int, int]  # (start, end, sentence start, sentence end)


def cue_rows(text: str, items: Sequence[Item], cache: MutableMapping | None = None) -> np.ndarray:
    """Encoder rows (768 floats: mean of the candidate's word-piece vectors, mean of its sentence's)
    for ``items`` of one text. Each sentence is encoded once, on its own; a candidate beyond the
    128 word pieces of a long sentence gets a window of the sentence centred on it. ``cache`` (keyed
    by the sentence text and the candidate's offsets in it) lets training re-use rows."""
    from framing.encoder import load_encoder

    out = np.zeros((len(items), 768), dtype=np.float32)
    by_sent: dict[tuple[int, int], list[int]] = {}
    for i, (_s, _e, ss, se) in enumerate(items):
        by_sent.setdefault((ss, se), []).append(i)
    todo_of: dict[tuple[int, int], list[int]] = {}
    for (ss, se), rows in by_sent.items():
        sent = text[ss:se]
        for i in rows:
            key = (sent, items[i][0] - ss, items[i][1] - ss)
            got = cache.get(key) if cache is not None else None
            if got is None:
                todo_of.setdefault((ss, se), []).append(i)
            else:
                out[i] = got
    if not todo_of:
        return out
    enc = load_encoder()
    enc.prime([text[ss:se] for ss, se in todo_of])  # one batched forward pass for the article's sentences
    for (ss, se), todo in todo_of.items():
        sent = text[ss:se]
        spans = [(items[i][0] - ss, items[i][1] - ss) for i in todo]
        out[todo] = enc.span_features(sent, spans, whole=enc.encode(sent))
        if cache is not None:
            for i, (s, e) in zip(todo, spans):
                cache[(sent, s, e)] = out[i].copy()
    return out


class CueHead:
    """The shipped head: linear weights on the encoder rows (standardisation folded in), the weight
    of the head in the mixed log-odds, the decision threshold of the mixture and the extra candidate
    forms (``vocabulary``: words of the linear model's training vocabulary that its pruning for speed
    dropped because the linear model alone rarely accepts them; the mixture does), the weight of the
    cue tagger's score (``tagger_weight``; 0 or absent: no tagger; :class:`CueTagger`) and the tagger
    logit from which a word outside the candidate forms becomes a candidate (``propose_threshold``)."""

    def __init__(self, data: dict, tagger: CueTagger | None = None, cache: MutableMapping | None = None):
        self.data = data
        self.tagger_weight = float(data.get("tagger_weight") or 0.0)
        # tagger logit from which a word outside the candidate forms becomes a candidate (None: never)
        self.propose: float | None = None if data.get("propose_threshold") is None else float(data["propose_threshold"])
        self._tagger = tagger  # default: the shipped tagger, read when first needed
        self.cache = cache  # rows kept between calls (training only; see cue_rows)
        extra = data.get("vocabulary") or ()
        if not all(isinstance(w, str) and w and all(c.isalnum() or c in "_’'-" for c in w) for w in extra):
            raise FramingError("E155", f"encoder head {HEAD_FILE} has a vocabulary word that is not letters, "
                                       "digits and _’'- only")
        self.extra: frozenset[str] = frozenset(extra)
        self._extended: tuple[CueModel, CueModel] | None = None
        self.weight = float(data["mix_weight"])  # weight of the head; 1 - weight for the linear model
        # weight 0: no head on frozen vectors (the linear model and the cue tagger decide; no rows read)
        self.coef = np.asarray(data["coef"] if self.weight else [0.0] * 768, dtype=np.float64)
        self.intercept = float(data["intercept"]) if self.weight else 0.0
        self.threshold = float(data["threshold"])
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        self.logit_threshold = math.log(t / (1 - t))
        if self.coef.shape != (768,):
            raise FramingError("E154", f"encoder head {HEAD_FILE} has weights of shape {self.coef.shape}")

    def candidates_of(self, model: CueModel) -> CueModel:
        """``model`` with the head's extra candidate forms added to its vocabulary (same weights;
        built once per model), or ``model`` itself when the head has none."""
        if not self.extra or self.extra <= model.vocab:
            return model
        if self._extended is None or self._extended[0] is not model:
            self._extended = (model, model.with_vocabulary(self.extra))
        return self._extended[1]

    def mix(self, linear: Sequence[float] | np.ndarray, rows: np.ndarray | None,
            tagged: Sequence[float] | np.ndarray | None = None) -> np.ndarray:
        """Mixed log-odds from the linear cue model's log-odds, the encoder rows (``None`` when the
        head's weight is 0) and (when the head has a tagger weight) the cue tagger's scores of the
        same candidates."""
        z = (1.0 - self.weight) * np.asarray(linear, dtype=np.float64)
        if self.weight:
            if rows is None:
                raise ValueError("the encoder head needs the candidates' rows")
            z = z + self.weight * (rows.astype(np.float64) @ self.coef + self.intercept)
        if self.tagger_weight and tagged is not None:
            z = z + self.tagger_weight * np.asarray(tagged, dtype=np.float64)
        return z

    @property
    def tagger(self) -> CueTagger | None:
        """The cue tagger the head mixes in (``None`` when its weight is 0)."""
        if not self.tagger_weight:
            return None
        if self._tagger is None:
            self._tagger = load_cue_tagger()
        return self._tagger

    def proposed(self, text: str, sentences: Sequence[tuple[int, int]],
                 spans: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
        """``spans`` (the candidate words of the scan) plus the words of ``sentences`` the tagger
        scores at least :attr:`propose` that overlap none of them (cue words outside every list)."""
        tagger = self.tagger
        if tagger is None or self.propose is None:
            return spans
        have = sorted((s, e) for s, e, _ in spans)
        starts = [s for s, _ in have]
        add: list[tuple[int, int, str | None]] = []
        for s, e in tagger.words_above(text, sentences, self.propose):
            k = bisect_right(starts, s) - 1
            if (k >= 0 and have[k][1] > s) or (k + 1 < len(have) and have[k + 1][0] < e):
                continue
            add.append((s, e, None))
        return sorted(spans + add) if add else spans

    def log_odds(self, text: str, items: Sequence[Item], linear: Sequence[float] | np.ndarray) -> np.ndarray:
        """Mixed log-odds of the candidates ``items`` of ``text`` (see :meth:`mix`)."""
        tagger = self.tagger
        tagged = tagger.scores(text, items) if tagger is not None else None
        rows = cue_rows(text, items, self.cache) if self.weight else None
        return self.mix(linear, rows, tagged)


class CueTagger:
    """all-MiniLM-L6-v2 fine-tuned to mark attribution cues: a logit per word piece ("inside a cue").

    The fine-tuning is stored as low-rank adapters (``framing/models/cue_tagger.npz``, float16,
    trained by ``scripts/train_cue_tagger.py`` on PolNeAR train_sample; Hu et al. 2022, LoRA):
    each adapted weight becomes ``W + scale * B @ A`` when the file is read, and the forward pass
    is :mod:`framing.encoder`'s. A candidate's score is the largest logit of its word pieces.
    """

    def __init__(self, path: str | Path | None = None):
        from framing.encoder import MiniLMEncoder

        src = Path(path) if path is not None else Path(str(resources.files("framing.models") / TAGGER_FILE))
        try:
            with np.load(src, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
            scale = float(meta["scale"])
            self.w = arrays.pop("head.w").astype(np.float32)
            self.b = np.float32(arrays.pop("head.b")[0])
            names = dict(zip(meta["maps"], _TAGGER_MAPS))
            deltas: dict[str, np.ndarray] = {}
            for key in sorted(k for k in arrays if k.endswith(".A")):
                layer, m, _ = key.split(".")
                a = arrays[key].astype(np.float32)
                b = arrays[f"{layer}.{m}.B"].astype(np.float32)
                deltas[f"encoder.layer.{int(layer)}.{names[m]}.weight"] = scale * (b @ a)
        except FramingError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FramingError("E157", f"cue tagger {src} cannot be read: {exc}") from None
        if self.w.shape != (384,) or not deltas:
            raise FramingError("E157", f"cue tagger {src} has a head of shape {self.w.shape} and "
                                       f"{len(deltas)} adapted weights")
        self.meta = meta
        self.encoder = MiniLMEncoder(deltas=deltas)
        self._kept: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # piece logits of recent sentences
        self.keep = CACHE_SIZE  # how many (training keeps them all: a few kB each)

    def piece_logits(self, text: str, focus: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(logits (n,), offsets (n, 2))`` of the word pieces of ``text`` (windowed as
        :meth:`framing.encoder.MiniLMEncoder.encode`)."""
        h, offs = self.encoder.encode(text, focus)
        return h @ self.w + self.b, offs

    def _sentences(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`piece_logits` of each text from its start; those not kept from the last call are
        encoded together in padded batches."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._kept]
        if todo:
            if len(self._kept) + len(todo) > self.keep:  # forget the earlier texts, not these
                self._kept.clear()
                todo = list(dict.fromkeys(texts))
            self.encoder.prime(todo)
            for t in todo:
                self._kept[t] = self.piece_logits(t)
        return [self._kept[t] for t in texts]

    def scores(self, text: str, items: Sequence[Item]) -> np.ndarray:
        """The score of each candidate ``(start, end, sentence start, sentence end)`` of ``text``:
        the largest logit of the word pieces it overlaps, its sentence encoded on its own (-20 when
        no piece overlaps it)."""
        out = np.full(len(items), -20.0)
        if not items:
            return out
        by_sent: dict[tuple[int, int], list[int]] = {}
        for i, (_s, _e, ss, se) in enumerate(items):
            by_sent.setdefault((ss, se), []).append(i)
        for ((ss, se), rows), whole in zip(by_sent.items(), self._sentences([text[a:b] for a, b in by_sent])):
            window = partial(self.piece_logits, text[ss:se])  # the sentence around a span it cut off
            for i in rows:
                span = (items[i][0] - ss, items[i][1] - ss)
                logits, inside = span_rows(span, whole, window)
                if inside.any():
                    out[i] = float(logits[inside].max())
        return out

    def words_above(self, text: str, sentences: Sequence[tuple[int, int]], threshold: float) -> list[tuple[int, int]]:
        """Words (runs of letters and digits) of ``sentences`` of ``text`` whose largest word-piece
        logit reaches ``threshold``, as ``(start, end)`` in ``text``; a long sentence is read window
        by window."""
        out: list[tuple[int, int]] = []
        sents = [(ss, se) for ss, se in sentences if se > ss and not text[ss:se].isspace()]
        for (ss, se), (logits, offs) in zip(sents, self._sentences([text[a:b] for a, b in sents])):
            sent = text[ss:se]
            hits = [(int(a), int(b)) for (a, b), v in zip(offs, logits) if v >= threshold and b > a]
            end = int(offs[-2][1]) if len(offs) > 2 else 0
            while len(offs) >= MAX_TOKENS and end < len(sent.rstrip()):  # the rest of a long sentence
                logits, offs = self.piece_logits(sent, (end, end + 1))
                hits += [(int(a), int(b)) for (a, b), v in zip(offs, logits) if v >= threshold and b > a and a >= end]
                new_end = int(offs[-2][1])
                if new_end <= end:
                    break
                end = new_end
            for a, _b in hits:
                while a > 0 and sent[a - 1].isalnum():  # a piece inside a word ("aide" "##s"): the whole word
                    a -= 1
                m = _WORD_AT.match(sent, a)
                if m is not None:
                    out.append((ss + m.start(), ss + m.end()))
        return sorted(set(out))


@lru_cache(maxsize=1)
def load_cue_tagger() -> CueTagger:
    """The shipped cue tagger (read once per process; needs the ``encoder`` extra)."""
    return CueTagger()


@lru_cache(maxsize=1)
def load_cue_head() -> CueHead:
    """The shipped encoder head of the cue stage (read once per process)."""
    return CueHead(read_model_json(HEAD_FILE, "E154", "encoder head"))
