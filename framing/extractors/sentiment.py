"""Sentiment toward an actor: how the sentence around a mention treats that actor.

Target-dependent sentiment differs from sentence sentiment: in "Kyiv thanked Seoul while
Moscow threatened it" the two capitals get opposite polarities. The model is a small linear
model over features of the target's sentence with the target itself masked (so a name cannot
carry sentiment by itself):

* words to the left and to the right of the target, those within 2 and 4 tokens of it, all
  words of the sentence and their 5-letter stems;
* the words of the target's clause (cut at punctuation and words such as "but", "while", "who")
  and the VADER valences summed in it;
* word bigrams on each side, and the bigram joining each side to the (masked) target;
* VADER lexicon valences (Hutto & Gilbert 2014; MIT licence, copied into the model file)
  summed per side, raw and weighted by 1/sqrt(1 + distance to the target) (words fewer than
  64 tokens away), with VADER's
  negation rule (a negator among the 3 previous tokens scales the valence by -0.74), and
  counts of positive/negative/negated words per side;
* whether the target opens or closes the sentence, is a pronoun, stands inside a quote, or has
  a speech verb ("said", "told", ...) right before or after it.

It is NB-LR (Wang & Manning 2012) fitted on the NewsMTSC train split by
``scripts/train_sentiment.py``, calibrated and folded into one linear layer, and shipped as plain
JSON (``framing/models/sentiment.json``, card ``sentiment_card.md``), loaded with numpy: no
pickle, no training at run time, no download.

``sentiment`` is P(positive) - P(negative), in [-1, 1]; ``sentiment_label`` is the most
probable class (-1, 0, 1) after the per-class offsets tuned for macro-F1 at training time.

Speed: scoring is vectorised per document. Every word of the mention sentences is looked
up once; the contribution of "all words left of the target" (or near it, or in its clause) is a
difference of cumulative sums of one per-token matrix, so each extra mention in a sentence
costs a few array reads. Bigrams are looked up
with ``numpy.searchsorted`` on integer pair codes. :func:`instance_features` is the slow,
readable definition of the same features, used for training and to test the fast path.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, repeat
from typing import Any, Literal, overload

import numpy as np

from framing.document import Document, split_blocks, split_sentences
from framing.errors import FramingError
from framing.models import read_model_json
from framing.options import Options

__all__ = ["score_mentions", "score_mentions_batch", "sentiment_toward", "instance_features", "load_model", "tokenize",
           "context_span"]

MODEL_FILE = "sentiment.json"
NEAR = 4  # tokens on each side that count as "near" the target
NEXT = 2  # tokens on each side that count as "next to" the target
STEM = 5  # a word's "stem" is its first STEM characters (words starting with a letter only)
NEG_WINDOW = 3  # VADER: a negator among the previous 3 tokens flips a valence
NEG_SCALAR = -0.74  # VADER's N_SCALAR
LEX_WINDOW = 64  # distance-weighted valences count words fewer than this many tokens away
QUOTES = "\"“”«»"
_QUOTE_RE = re.compile("[" + re.escape(QUOTES) + "]")
PRONOUNS = frozenset("he she they him her his hers them their it its i me my we us our you your".split())
# VADER's negation words (vaderSentiment NEGATE list), apostrophes normalised to "'".
NEGATORS = frozenset(
    """aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't doesn't
    dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't
    neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt wasnt werent oughtn't
    shan't shouldn't wasn't weren't without wont wouldnt won't wouldn't rarely seldom despite no""".split()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\w\s]")
# The same tokens with possessive quantifiers (no backtracking: a token never starts with a gap
# character and nothing follows it in the pattern, so the matches are the same, about 10% faster).
_GAP_TOKEN = re.compile(r"([\s_]*+)([^\W\d_]++(?:['’][^\W\d_]++)*+|\d++(?:[.,]\d++)*+|[^\w\s])")
# Marks stripped from the ends of a space-separated piece by ``_tokenize_spans``: each is a token of
# its own (``[^\w\s]``: neither a word character nor whitespace; tests/test_sentiment_tokens.py checks).
_PIECE_ENDS = "\"'()[]{}.,;:!?“”‘’«»—–-…*/%$&#@+=<>|~^"
# Tokens that end a clause: the target's clause is the run of tokens around it without one.
CLAUSE_BREAKS = frozenset(",;:()[]—–-" + QUOTES) | frozenset(
    "but while although though whereas because however yet after before when as if since so and or who which "
    "that whose".split()
)
# Speech verbs: a target right before or after one is likely the speaker, not the topic.
SAY_VERBS = frozenset(
    "said says say told tweeted wrote added argued claimed stated explained noted insisted warned acknowledged "
    "according testified announced asked replied responded suggested".split()
)
SAY_WINDOW = 3
NUMERIC = (
    "#lex_l_pos", "#lex_l_neg", "#lex_r_pos", "#lex_r_neg",
    "#lex_l_wpos", "#lex_l_wneg", "#lex_r_wpos", "#lex_r_wneg",
    "#tstart", "#tend", "#pron", "#inq",
    "#lex_c_pos", "#lex_c_neg", "#say_before", "#say_after",
)
POL = ("P", "N", "Pneg", "Nneg")
# Rows of ``rows`` in ``SentimentModel.score_spans``: 0 zero (cG's first row is zero), 1 K, 2 J,
# 3 B0, 4 B1, 5 clause start, 6 clause end, 7-11 max(B0, K - _LEFT_OFFSETS), 12-15
# min(B1, J + _RIGHT_OFFSETS), 16 max(B1 - 1, J).
_NEG_STEPS: np.ndarray = np.arange(1, NEG_WINDOW + 1, dtype=np.int64)
_LEFT_OFFSETS: np.ndarray = np.array([NEAR, NEXT, 1, SAY_WINDOW, LEX_WINDOW], dtype=np.int64)
_RIGHT_OFFSETS: np.ndarray = np.array([NEAR, NEXT, SAY_WINDOW, LEX_WINDOW], dtype=np.int64)
# Summed terms ((P - Q) + R) - S: rows and first columns of P, Q, R and S (row 0 is zero).
_TERMS = (
    ((1, 0), (3, 0), (4, 3), (2, 3)),  # left side minus sentence start, plus right side (L:, R:, W:, S:, valences)
    ((1, 6), (7, 6), (0, 0), (0, 0)),  # LN:
    ((12, 9), (2, 9), (0, 0), (0, 0)),  # RN:
    ((1, 12), (8, 12), (0, 0), (0, 0)),  # N2: left
    ((13, 12), (2, 12), (0, 0), (0, 0)),  # N2: right
    ((1, 15), (5, 15), (6, 15), (2, 15)),  # C: and clause valences
    ((9, 18), (3, 18), (0, 0), (0, 0)),  # bigrams left of the target
    ((16, 18), (2, 18), (0, 0), (0, 0)),  # bigrams right of the target
)
_TERM_ROWS: np.ndarray = np.array([[t[part][0] for t in _TERMS] for part in range(4)], dtype=np.int64)
_TERM_COLS: np.ndarray = np.array([[[t[part][1] + c for c in range(3)] for t in _TERMS] for part in range(4)],
                                  dtype=np.int64)
_SAY_ROWS: np.ndarray = np.array([1, 10, 14, 2], dtype=np.int64)  # K, max(B0, K - 3), min(B1, J + 3), J
_LEX_ROWS: np.ndarray = np.array([11, 2, 1, 15], dtype=np.int64)  # low bounds left, right; high bounds
FAMILIES = ("L", "R", "W", "LN", "RN", "BT", "TB", "C", "N2")  # word families: "<family>:<word>"


# ----------------------------------------------------------------------------- features
def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Lower-cased tokens of ``text[start:end]`` with their start and end offsets (int arrays).

    Apostrophes are normalised to ``'``. Tokens never contain ``_`` (bigram names rely on it).
    Every character is either in a token or in a gap of whitespace and ``_``, so one
    ``findall`` of (gap, token) pairs gives the offsets by adding up lengths, which is
    several times faster than creating a match object per token.
    """
    end = len(text) if end is None else end
    pairs = _GAP_TOKEN.findall(text, start, end)
    if not pairs:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    gaps, raw = zip(*pairs)
    glen = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
    tlen = np.fromiter(map(len, raw), dtype=np.int64, count=len(raw))
    ends = start + (glen + tlen).cumsum()
    starts = ends - tlen
    if "\x00" in raw:  # a NUL token: lower-case token by token (the one-pass split would cut it in two)
        return [t.lower().replace("’", "'") for t in raw], starts, ends
    toks = "\x00".join(raw).lower().replace("’", "'").split("\x00")
    return toks, starts, ends


def _tokenize_spans(text: str, spans: Sequence[tuple[int, int]]
                    ) -> tuple[list[str], np.ndarray, np.ndarray, list[tuple[int, int]]]:
    r""":func:`tokenize` of every span, concatenated, with each span's ``(first, end)`` token range.

    Exactly what calling :func:`tokenize` span by span and concatenating gives, faster: no token
    holds whitespace, so each piece of a span between two spaces (``str.split(" ")``) is tokenized
    on its own, and most pieces need no regex: letters only (``str.isalpha``: every such character
    is in ``[^\W\d_]``) are one token; letters wrapped in ``_PIECE_ENDS`` marks, or marks only, are
    one token per mark plus the letters (a mark is neither a word character nor whitespace, and an
    apostrophe joins two letter runs only). Any other piece goes through the regex within its span.
    One lower-casing pass and one offset array for the whole document.
    """
    bounds: list[tuple[int, int]] = []
    if "\x00" in text:  # the separator of the one-pass lower-casing: tokenize span by span
        toks_all: list[str] = []
        parts_s: list[np.ndarray] = []
        parts_e: list[np.ndarray] = []
        for sp in spans:
            toks, st, en = tokenize(text, *sp)
            bounds.append((len(toks_all), len(toks_all) + len(toks)))
            toks_all.extend(toks)
            parts_s.append(st)
            parts_e.append(en)
        empty: np.ndarray = np.zeros(0, dtype=np.int64)
        return (toks_all, np.concatenate(parts_s) if parts_s else empty,
                np.concatenate(parts_e) if parts_e else empty, bounds)
    raw: list[str] = []
    first_at: list[int] = []  # each token's offset
    for s, e in spans:
        first = len(raw)
        p = s
        for piece in text[s:e].split(" "):
            n = len(piece)
            if piece.isalpha():  # a word: the common case
                raw.append(piece)
                first_at.append(p)
            elif n:
                core = piece.strip(_PIECE_ENDS)
                if core.isalpha() or not core:
                    # Marks (one token each) around a word, or only marks.
                    a = n - len(piece.lstrip(_PIECE_ENDS)) if core else n
                    for i in range(a):
                        raw.append(piece[i])
                        first_at.append(p + i)
                    if core:
                        raw.append(core)
                        first_at.append(p + a)
                    for i in range(a + len(core), n):
                        raw.append(piece[i])
                        first_at.append(p + i)
                else:  # digits, "U.S.", "it's", other whitespace, "_": the regex, within the piece
                    q = p
                    for gap, tok in _GAP_TOKEN.findall(text, p, p + n):
                        q += len(gap)
                        raw.append(tok)
                        first_at.append(q)
                        q += len(tok)
            p += n + 1
        bounds.append((first, len(raw)))
    if not raw:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), bounds
    starts = np.array(first_at, dtype=np.int64)
    ends = starts + np.fromiter(map(len, raw), dtype=np.int64, count=len(raw))
    toks = "\x00".join(raw).lower().replace("’", "'").split("\x00")
    return toks, starts, ends, bounds


def _valences(toks: Sequence[str], lexicon: dict[str, float]) -> list[float]:
    """VADER valence / 4 of every token, negated when a negator precedes it closely."""
    out = []
    for i, w in enumerate(toks):
        v = lexicon.get(w, 0.0)
        if v:
            for p in toks[max(0, i - NEG_WINDOW) : i]:
                if p in NEGATORS or p.endswith("n't"):
                    v *= NEG_SCALAR
                    break
        out.append(v)
    return out


def _split(starts: Sequence[int] | np.ndarray, ends: Sequence[int] | np.ndarray, t_start: int,
           t_end: int) -> tuple[int, int]:
    """``(k, j)``: tokens ``[0, k)`` end before the target, tokens ``[j, n)`` start after it."""
    k = bisect_right(list(ends), t_start)
    j = bisect_right(list(starts), t_end - 1)
    j = max(j, k)
    return k, j


def instance_features(text: str, sent: tuple[int, int], t_start: int, t_end: int,
                      lexicon: dict[str, float]) -> dict[str, float]:
    """Feature counts of one (sentence, target) pair: the reference definition.

    ``sent`` is the context span (a sentence of ``text``) and ``t_start, t_end`` the target.
    Tokens that overlap the target are left out (the target is masked).
    """
    toks, starts, ends = tokenize(text, *sent)
    vals = _valences(toks, lexicon)
    k, j = _split(starts, ends, t_start, t_end)
    n = len(toks)
    f: dict[str, float] = {}

    def add(name: str, x: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + x

    for i in range(k):
        add("L:" + toks[i])
        add("W:" + toks[i])
        if i >= k - NEAR:
            add("LN:" + toks[i])
    for i in range(j, n):
        add("R:" + toks[i])
        add("W:" + toks[i])
        if i < j + NEAR:
            add("RN:" + toks[i])
    for i in range(k - 1):
        add("B:" + toks[i] + "_" + toks[i + 1])
    for i in range(j, n - 1):
        add("B:" + toks[i] + "_" + toks[i + 1])
    for i in chain(range(max(0, k - NEXT), k), range(j, min(n, j + NEXT))):
        add("N2:" + toks[i])
    for i in chain(range(k), range(j, n)):
        stem = _stem(toks[i])
        if stem:
            add("S:" + stem)
    if k > 0:
        add("BT:" + toks[k - 1])  # bigram "<word> <TARGET>"
    if j < n:
        add("TB:" + toks[j])  # bigram "<TARGET> <word>"
    for side, rng in (("l", range(k)), ("r", range(j, n))):
        pos = neg = wpos = wneg = 0.0
        for i in rng:
            v = vals[i]
            if not v:
                continue
            d = (k - 1 - i) if side == "l" else (i - j)
            w = 1.0 / np.sqrt(1.0 + d) if d < LEX_WINDOW else 0.0
            negated = v * lexicon.get(toks[i], 0.0) < 0
            add(("L" if side == "l" else "R") + "pol:" + ("P" if v > 0 else "N") + ("neg" if negated else ""))
            if v > 0:
                pos += v
                wpos += v * w
            else:
                neg -= v
                wneg -= v * w
        add(f"#lex_{side}_pos", pos)
        add(f"#lex_{side}_neg", neg)
        add(f"#lex_{side}_wpos", wpos)
        add(f"#lex_{side}_wneg", wneg)
    a, b = _clause(toks, k, j)
    cpos = cneg = 0.0
    for i in chain(range(a, k), range(j, b)):
        add("C:" + toks[i])
        cpos += max(vals[i], 0.0)
        cneg += max(-vals[i], 0.0)
    add("#lex_c_pos", cpos)
    add("#lex_c_neg", cneg)
    add("#say_before", float(any(w in SAY_VERBS for w in toks[max(0, k - SAY_WINDOW) : k])))
    add("#say_after", float(any(w in SAY_VERBS for w in toks[j : j + SAY_WINDOW])))
    add("#tstart", float(k <= 1))
    add("#tend", float(n - j <= 1))
    add("#pron", float(text[t_start:t_end].strip().lower() in PRONOUNS))
    add("#inq", float(_in_quote(text, sent[0], t_start)))
    return {k_: v for k_, v in f.items() if v}


def _stem(word: str) -> str | None:
    """The first ``STEM`` characters of a word that starts with a letter, else None."""
    return word[:STEM] if word[:1].isalpha() else None


def _clause(toks: Sequence[str], k: int, j: int) -> tuple[int, int]:
    """``(a, b)``: the target's clause is tokens ``[a, k)`` and ``[j, b)`` (no clause break inside)."""
    a = k
    while a > 0 and toks[a - 1] not in CLAUSE_BREAKS:
        a -= 1
    b = j
    while b < len(toks) and toks[b] not in CLAUSE_BREAKS:
        b += 1
    return a, b


def _in_quote(text: str, sent_start: int, t_start: int) -> bool:
    """True when an odd number of quote marks precede the target in its sentence."""
    seg = text[sent_start:t_start]
    return sum(seg.count(q) for q in QUOTES) % 2 == 1


def _quote_positions(text: str, start: int, end: int) -> list[int]:
    """Sorted offsets of the quote marks in ``text[start:end]``.

    What ``_QUOTE_RE.finditer`` finds, with one ``str.find`` per mark found (a fast memory
    scan) instead of a regex test at every character.
    """
    out: list[int] = []
    for q in QUOTES:
        i = text.find(q, start, end)
        while i >= 0:
            out.append(i)
            i = text.find(q, i + 1, end)
    out.sort()
    return out


def context_span(doc: Document, start: int, end: int, _starts: list[int] | None = None) -> tuple[int, int]:
    """The sentence of ``doc`` that contains ``[start, end)`` (widened when it crosses one)."""
    sents = doc.sentences
    if not sents:
        return (start, end)
    starts = _starts if _starts is not None else [s for s, _ in sents]
    i = max(0, bisect_right(starts, start) - 1)
    s, e = sents[i]
    if start < s or start >= e:  # between sentences (whitespace) or before the first one
        return (min(s, start), max(e, end))
    while e < end and i + 1 < len(sents):
        i += 1
        e = sents[i][1]
    return (s, max(e, end))


# ----------------------------------------------------------------------------- model
class SentimentModel:
    """The shipped linear model, laid out per feature family for vectorised scoring."""

    def __init__(self, data: dict):
        self.version = data.get("version", "unknown")
        self.classes = np.array(data["classes"], dtype=int)
        self.intercept = np.array(data["intercept"], dtype=float)
        self.offsets = np.array(data.get("offsets", [0.0, 0.0, 0.0]), dtype=float)
        self._class_pos: int = list(data["classes"]).index(1)  # columns of P(positive), P(negative)
        self._class_neg: int = list(data["classes"]).index(-1)
        self.lexicon: dict[str, float] = {k: float(v) for k, v in data["lexicon"].items()}
        coef = data["coef"]  # feature name -> [w_neg, w_neu, w_pos]
        words: dict[str, int] = {}

        def wid(w: str) -> int:
            if w not in words:
                words[w] = len(words)
            return words[w]

        for name in coef:
            fam, _, rest = name.partition(":")
            if fam in FAMILIES:
                wid(rest)
            elif fam == "B":
                a, _, b = rest.partition("_")
                wid(a)
                wid(b)
        for w in self.lexicon:
            wid(w)
        for w in chain(NEGATORS, CLAUSE_BREAKS, SAY_VERBS):
            wid(w)
        self.words = words
        V = len(words) + 1  # last row: unknown word (all zeros)
        self.unk = V - 1
        fams = {f: np.zeros((V, 3)) for f in FAMILIES}
        pair_codes, pair_rows = [], []
        self.numeric = {n: np.zeros(3) for n in NUMERIC}
        self.pol = {side + "pol:" + p: np.zeros(3) for side in "LR" for p in POL}
        self.stems: dict[str, np.ndarray] = {}
        for name, weights in coef.items():
            wrow = np.asarray(weights, dtype=float)
            fam, _, rest = name.partition(":")
            if fam in fams:
                fams[fam][words[rest]] = wrow
            elif fam == "B":
                a, b = _split_bigram(rest, words)
                if a is None or b is None:
                    continue
                pair_codes.append(words[a] * V + words[b])
                pair_rows.append(wrow)
            elif name in self.numeric:
                self.numeric[name] = wrow
            elif name in self.pol:
                self.pol[name] = wrow
            elif fam == "S":
                self.stems[rest] = wrow
        # Stems count on both sides, like W: words; known words carry their stem's weights.
        stem_w = np.zeros((V, 3))
        for w, i in words.items():
            row = self.stems.get(_stem(w) or "")
            if row is not None:
                stem_w[i] = row
        fams["W"] = fams["W"] + stem_w
        fams["LW"] = fams["L"] + fams["W"]  # words left of the target count as L: and W:
        fams["RW"] = fams["R"] + fams["W"]
        self.fam = fams
        order = np.argsort(pair_codes) if pair_codes else np.zeros(0, dtype=int)
        self.pair_codes = np.asarray(pair_codes, dtype=np.int64)[order]
        # Words that start / end some known bigram: only pairs of such words are looked up.
        self._pair_first: np.ndarray = np.zeros(V, dtype=bool)
        self._pair_first[self.pair_codes // V] = True
        self._pair_second: np.ndarray = np.zeros(V, dtype=bool)
        self._pair_second[self.pair_codes % V] = True
        self.pair_coef = np.vstack([np.asarray(pair_rows)[order], np.zeros((1, 3))]) if pair_rows else np.zeros((1, 3))
        self.V = V
        val = np.zeros(V)
        for w, v in self.lexicon.items():
            val[words[w]] = v
        self.val = val
        is_neg: np.ndarray = np.zeros(V, dtype=bool)
        for w, i in words.items():
            is_neg[i] = w in NEGATORS or w.endswith("n't")
        self.is_neg = is_neg
        self.is_break: np.ndarray = np.zeros(V, dtype=bool)
        self.is_break[[words[w] for w in CLAUSE_BREAKS]] = True
        self.is_say: np.ndarray = np.zeros(V, dtype=bool)
        self.is_say[[words[w] for w in SAY_VERBS]] = True
        self._pol_w = {side: np.vstack([self.pol[side + "pol:" + p] for p in POL]) for side in "LR"}
        nw = np.vstack([self.numeric[n] for n in NUMERIC])
        # Per-token column blocks, each summed over a run of tokens at scoring time: 0:3 left side
        # (L:, W:, S:, left valences), 3:6 right side, 6:9 LN:, 9:12 RN:, 12:15 N2:, 15:18 C: and
        # clause valences, 18:21 in-side bigrams (filled per text), 21 speech verb. ``_tok_lex``
        # puts a token's polarity one-hot and valences into the blocks they count in.
        self._tok_table = np.hstack([fams["LW"], fams["RW"], fams["LN"], fams["RN"], fams["N2"], fams["C"],
                                     np.zeros((V, 3)), self.is_say[:, None].astype(float)])
        lex_w = np.zeros((6, self._tok_table.shape[1]))
        lex_w[0:4, 0:3], lex_w[0:4, 3:6] = self._pol_w["L"], self._pol_w["R"]
        lex_w[4, 0:3], lex_w[4, 3:6], lex_w[4, 15:18] = nw[0], nw[2], nw[12]
        lex_w[5, 0:3], lex_w[5, 3:6], lex_w[5, 15:18] = nw[1], nw[3], nw[13]
        self._tok_lex = lex_w
        self._bt_table = np.hstack([fams["BT"], fams["TB"]])
        self._stem_index = {st: i for i, st in enumerate(self.stems)}
        rows = np.vstack([np.asarray(list(self.stems.values())).reshape(-1, 3), np.zeros((1, 3))])
        self._stem_rows = np.hstack([rows, rows])  # a stem counts on the left and on the right side
        self._num_w = np.vstack([self.numeric[n] for n in NUMERIC])

    # -- scoring ---------------------------------------------------------------------
    def score_spans(self, text: str, items: Sequence[tuple[tuple[int, int], int, int]]) -> np.ndarray:
        """Log-odds (n, 3) for ``(sentence_span, t_start, t_end)`` items over one ``text``.

        All items are scored together: the tokens of every context sentence are looked up
        once, and each feature family becomes a cumulative sum that every item reads at its
        own split points, so the cost grows with the number of tokens, not with the number
        of items times tokens. :meth:`score_batch` does the same for several texts at once.
        """
        return self.score_batch([(text, items)])[0]

    def score_batch(self, docs: Sequence[tuple[str, Sequence[tuple[tuple[int, int], int, int]]]]) -> list[np.ndarray]:
        """:meth:`score_spans` of each ``(text, items)`` in ``docs``: exactly the same log-odds, computed together.

        Most array operations run once over the tokens and items of all texts (numpy's cost per
        call is paid per batch, not per text). What could round differently if arrays grew
        across texts stays per text: the two matrix products and the cumulative sum, whose
        row ``r`` of text ``d`` sits at ``r + d`` in ``cG`` (each text has its own zero row).
        Token positions are shifted by ``base`` (the lengths of the texts before, plus one) so
        that they increase across texts; token and item indices are global.
        """
        out: list[np.ndarray] = [np.zeros((0, 3))] * len(docs)
        live = [d for d, (_, items) in enumerate(docs) if len(items)]
        if not live:
            return out
        words, unk = self.words, self.unk
        toks_all: list[str] = []
        parts_s: list[np.ndarray] = []
        parts_e: list[np.ndarray] = []
        sent_bounds: list[tuple[int, int]] = []  # every context sentence's token range, global
        n_toks: list[int] = []  # tokens of each live text
        base_of_tok: list[int] = []  # each live text's position shift, and
        item_which: list[int] = []  # per item: its sentence (global), its text (0.. over live texts),
        item_text: list[int] = []
        item_t0: list[int] = []  # the target span, shifted
        item_t1: list[int] = []
        slow: list[int] = []  # live texts whose context spans overlap (K and J searched per item)
        base = 0
        for k_doc, d in enumerate(live):
            text, items = docs[d]
            sents = sorted({it[0] for it in items})
            first_sent = len(sent_bounds)
            sent_no = {sent: first_sent + n for n, sent in enumerate(sents)}
            toks, st, en, bounds_d = _tokenize_spans(text, sents)
            off = len(toks_all)
            toks_all.extend(toks)
            parts_s.append(st)
            parts_e.append(en)
            sent_bounds.extend([(b0 + off, b1 + off) for b0, b1 in bounds_d])
            n_toks.append(len(toks))
            base_of_tok.append(base)
            for it in items:
                item_which.append(sent_no[it[0]])
                item_text.append(k_doc)
                item_t0.append(it[1] + base)
                item_t1.append(it[2] + base)
            if not all(a[1] <= b[0] for a, b in zip(sents, sents[1:])):
                slow.append(k_doc)
            base += len(text) + 1
        D = len(live)
        m = len(item_which)
        N = len(toks_all)
        cnt_toks = np.asarray(n_toks, dtype=np.int64)
        tok_end = cnt_toks.cumsum()  # each live text's tokens are [tok_end - cnt_toks, tok_end)
        tok_start = tok_end - cnt_toks
        st_arr = np.concatenate(parts_s) + np.asarray(base_of_tok, dtype=np.int64).repeat(cnt_toks)
        en_arr = np.concatenate(parts_e) + np.asarray(base_of_tok, dtype=np.int64).repeat(cnt_toks)
        idarr = np.fromiter(map(words.get, toks_all, repeat(unk)), dtype=np.int64, count=N)
        # Negators: known words by table; unknown words by their "n't" ending.
        isneg = self.is_neg[idarr]
        unknown = (idarr == unk).nonzero()[0]
        if len(unknown):
            unknown_words = [toks_all[i] for i in unknown]
            isneg[unknown] = [w.endswith("n't") for w in unknown_words]
            # Their stems (as ``_stem``), as rows of ``_stem_rows`` (last row: no stem).
            sget, nostem = self._stem_index.get, len(self._stem_index)
            unknown_stems = [sget(w[:STEM], nostem) if w[:1].isalpha() else nostem for w in unknown_words]
        bounds = np.asarray(sent_bounds, dtype=np.int64).reshape(-1, 2)
        which = np.asarray(item_which, dtype=np.int64)
        tx = np.asarray(item_text, dtype=np.int64)  # each item's text
        B0, B1 = bounds[which, 0], bounds[which, 1]
        T0 = np.asarray(item_t0, dtype=np.int64)
        T1 = np.asarray(item_t1, dtype=np.int64)
        # Sentences in order and disjoint: one binary search for all items, clipped to the sentence.
        # (``np.minimum(np.maximum(...))`` is ``np.clip`` without its Python-level wrapper; here and below,
        # array methods such as ``a.searchsorted(v)`` are ``np.searchsorted(a, v)`` without its wrapper.)
        K = np.minimum(np.maximum(en_arr.searchsorted(T0, side="right"), B0), B1)
        J = np.maximum(np.minimum(np.maximum(st_arr.searchsorted(T1 - 1, side="right"), B0), B1), K)
        if slow:  # overlapping context spans in some text: search within each sentence for its items
            for i in (tx == np.asarray(slow, dtype=np.int64)[:, None]).any(axis=0).nonzero()[0]:
                b0, b1 = int(B0[i]), int(B1[i])
                K[i] = b0 + en_arr[b0:b1].searchsorted(T0[i], side="right")
                J[i] = max(int(K[i]), b0 + int(st_arr[b0:b1].searchsorted(T1[i] - 1, side="right")))

        # VADER valences, negated after a negator among the previous NEG_WINDOW tokens.
        val = self.val[idarr]
        negated: np.ndarray = np.zeros(N, dtype=bool)
        q = isneg.nonzero()[0]
        if len(q):
            q_end = bounds[bounds[:, 1].searchsorted(q, side="right"), 1]  # end of q's sentence
            t = q[:, None] + _NEG_STEPS  # the NEG_WINDOW tokens after each negator, in its sentence
            negated[t[t < q_end[:, None]]] = True
            val = np.where(negated & (val != 0), val * NEG_SCALAR, val)
        P = val.nonzero()[0]
        vpos, vneg = np.maximum(val, 0), np.maximum(-val, 0)
        # Every feature that is a sum over a run of tokens is one column block of a per-token
        # matrix G (layout in ``__init__``); one cumulative sum per text serves all blocks and all items.
        G: np.ndarray = self._tok_table.take(idarr, axis=0)
        if len(P):
            E = np.zeros((N, 6))  # polarity one-hot (P, N, Pneg, Nneg), positive and negative valence
            E[P, (np.where(val > 0, 0, 1) + np.where(negated, 2, 0))[P]] = 1.0
            E[:, 4], E[:, 5] = vpos, vneg
            # per text, and only for a text with a valence word (as one text alone would be scored)
            has_val = P.searchsorted(tok_end) > P.searchsorted(tok_start)
            for k_doc in range(D):
                a, b = int(tok_start[k_doc]), int(tok_end[k_doc])
                if a < b and has_val[k_doc]:
                    G[a:b] += E[a:b] @ self._tok_lex
        if len(unknown):  # words the model does not know may still have a known stem (both sides)
            G[unknown, 0:6] += self._stem_rows[unknown_stems]
        # Bigrams (i, i+1) inside one side: integer pair codes found by binary search.
        if N > 1 and len(self.pair_codes):
            # Only pairs of words that occur in some known bigram (never the unknown word) are searched,
            # and never a pair across two texts.
            pairable = self._pair_first[idarr[:-1]] & self._pair_second[idarr[1:]]
            last = tok_end[:-1] - 1  # the last token of every text but the last one
            pairable[last[(last >= 0) & (last < N - 1)]] = False
            cand = pairable.nonzero()[0]
            if len(cand):
                codes = idarr[cand] * self.V + idarr[cand + 1]
                pos = np.minimum(self.pair_codes.searchsorted(codes), len(self.pair_codes) - 1)
                hit = self.pair_codes[pos] == codes
                G[cand[hit], 18:21] = self.pair_coef[pos[hit]]  # the other rows of that block are zero already
        # The target's clause: from just after the last break before it to the first break after it
        # (clipped to the sentence, so breaks in other texts never count).
        brk = self.is_break[idarr].nonzero()[0]
        if len(brk):
            before = brk.searchsorted(K) - 1
            clause_start = np.maximum(np.where(before >= 0, brk[np.maximum(before, 0)] + 1, 0), B0)
            after = brk.searchsorted(J)
            clause_end = np.minimum(np.where(after < len(brk), brk[np.minimum(after, len(brk) - 1)], N), B1)
        else:
            clause_start, clause_end = B0, B1
        # cG: for each text, a zero row then the running sums of its rows of G (token row r of text d at r + d + 1).
        cG: np.ndarray = np.empty((N + D, G.shape[1]))
        cG[tok_start + np.arange(D)] = 0.0
        for k_doc in range(D):
            a, b = int(tok_start[k_doc]), int(tok_end[k_doc])
            if a < b:
                G[a:b].cumsum(axis=0, out=cG[a + k_doc + 1:b + k_doc + 1])
        # Every item reads a few rows of cG: ``rows`` lists them as token boundaries, one (m,) row vector per
        # bound (row 0: its text's start, whose cG row is zero); ``rows + tx`` are their rows in cG.
        left = np.maximum(B0, K - _LEFT_OFFSETS[:, None])
        right = np.minimum(B1, J + _RIGHT_OFFSETS[:, None])
        rows = np.concatenate((tok_start[tx], K, J, B0, B1, clause_start, clause_end, left.ravel(),
                               right.ravel(), np.maximum(B1 - 1, J))).reshape(17, m)
        crows = rows + tx
        # The run sums of each item are terms ((P - Q) + R) - S over column blocks (see ``_TERM_ROWS``),
        # added up term after term in a fixed order, as one gather and four array operations.
        X = cG[crows[_TERM_ROWS][..., None], _TERM_COLS[:, :, None, :]]
        z: np.ndarray = np.add.accumulate(((X[0] - X[1]) + X[2]) - X[3], axis=0)[-1]
        # Boundary bigrams "<word> TARGET" and "TARGET <word>" (unk's row is zero).
        ids: np.ndarray = np.concatenate((idarr, [unk]))  # ``np.append(idarr, unk)``
        z += self._bt_table[ids[np.where(K > B0, K - 1, N)], 0:3]
        z += self._bt_table[ids[np.where(J < B1, J, N)], 3:6]
        num = np.zeros((m, len(NUMERIC)))
        if len(P):
            # (item, valence word) pairs within LEX_WINDOW tokens on each side: O(items x window),
            # never items x sentence length, so a huge one-line article stays cheap. Both sides in
            # one pass: "owners" 0..m-1 are the items' left sides, m..2m-1 their right sides.
            pp, pn = vpos[P], vneg[P]
            lohi = P.searchsorted(rows[_LEX_ROWS])  # (4, m)
            lo, hi = lohi[0:2].ravel(), lohi[2:4].ravel()
            cnt = np.maximum(hi - lo, 0)
            upto = cnt.cumsum()
            total = int(upto[-1])
            if total:
                owner: np.ndarray = np.arange(2 * m).repeat(cnt)
                first: np.ndarray = (lo - (upto - cnt)).repeat(cnt)
                pidx = np.arange(total) + first
                # Distance to the target: K - 1 - token on the left, token - J on the right.
                dist: np.ndarray = np.abs(np.concatenate((K - 1, J))[owner] - P[pidx])
                w = 1.0 / np.sqrt(1.0 + dist)
                wp = np.bincount(owner, weights=w * pp[pidx], minlength=2 * m)
                wn = np.bincount(owner, weights=w * pn[pidx], minlength=2 * m)
                num[:, 4], num[:, 5], num[:, 6], num[:, 7] = wp[:m], wn[:m], wp[m:], wn[m:]
        say = cG[crows[_SAY_ROWS], 21]
        num[:, 14] = say[0] - say[1] > 0
        num[:, 15] = say[2] - say[3] > 0
        num[:, 8] = K - B0 <= 1
        num[:, 9] = B1 - J <= 1
        pron: list[bool] = []
        inq: list[int] = []
        for d in live:
            text, items = docs[d]
            pron.extend([text[t0:t1].strip().lower() in PRONOUNS for _, t0, t1 in items])
            # Quote parity from the positions of quote marks in each sentence (no re-scan per item).
            qpos = _quote_positions(text, min(s for (s, _), _, _ in items), max(e for (_, e), _, _ in items))
            inq.extend([(bisect_left(qpos, min(t0, e)) - bisect_left(qpos, s)) % 2 for (s, e), t0, _ in items])
        num[:, 10] = pron
        num[:, 11] = inq
        # The numeric features' product per text (as one text alone would have it), then the intercept.
        a = 0
        for d in live:
            b = a + len(docs[d][1])
            zd = z[a:b]
            zd += num[a:b] @ self._num_w
            out[d] = zd + self.intercept
            a = b
        return out

    def predict(self, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, labels)`` from log-odds: P(pos) - P(neg), and the offset argmax class."""
        if len(logits) == 0:
            return np.zeros(0), np.zeros(0, dtype=int)
        # (``np.maximum.reduce`` and ``np.add.reduce`` are ``.max`` and ``.sum`` without their Python-level wrappers)
        z = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
        p = np.exp(z)
        p /= np.add.reduce(p, axis=1, keepdims=True)
        score = p[:, self._class_pos] - p[:, self._class_neg]
        labels = self.classes[(logits + self.offsets).argmax(axis=1)]
        return np.minimum(np.maximum(score, -1.0), 1.0), labels  # np.clip without its Python wrapper


def _split_bigram(rest: str, words: dict[str, int]) -> tuple[str | None, str | None]:
    """Split ``"a_b"`` into its two tokens (tokens never contain "_", see ``_TOKEN``)."""
    a, sep, b = rest.partition("_")
    if not sep or a not in words or b not in words:
        return None, None
    return a, b


@lru_cache(maxsize=1)
def load_model() -> SentimentModel:
    """The shipped sentiment model (read once per process)."""
    return SentimentModel(read_model_json(MODEL_FILE, "E130", "sentiment model file"))


# ----------------------------------------------------------------------------- public API
def score_mentions(doc: Document, mentions: list[dict], options: Options | None = None) -> list[dict]:
    """Add ``sentiment`` (float in [-1, 1]) and ``sentiment_label`` (-1/0/1) to each mention.

    The context of a mention is its sentence in ``doc``. Mentions are scored in one
    vectorised batch per document. Returns the same list (records updated in place).
    """
    if not mentions:
        return mentions
    return score_mentions_batch([(doc, mentions)], options)[0]


def score_mentions_batch(batch: Sequence[tuple[Document, list[dict]]], options: Options | None = None
                         ) -> list[list[dict]]:
    """:func:`score_mentions` of each ``(doc, mentions)`` in ``batch``, scored together, in one batch.

    The same scores as one document at a time. Nothing is updated until every document is
    scored, so when this raises, no record has changed (the pipeline then scores one document
    at a time to find the one at fault).
    """
    if not any(mentions for _, mentions in batch):
        return [mentions for _, mentions in batch]
    model = load_model()
    items_of: list[list[tuple[tuple[int, int], int, int]]] = []
    for doc, mentions in batch:
        starts = [s for s, _ in doc.sentences]
        items_of.append([(context_span(doc, m["start"], m["end"], starts), m["start"], m["end"]) for m in mentions])
    logits = model.score_batch([(doc.text, items) for (doc, _), items in zip(batch, items_of)])
    # One prediction for the whole batch: row by row, so the same as document by document.
    if options is not None and options.encoder:
        scores, labels = _encoder_predict(np.concatenate(logits), [doc.text for doc, _ in batch], items_of)
    else:
        scores, labels = model.predict(np.concatenate(logits))
    score_list: list[float] = scores.tolist()
    label_list: list[int] = labels.tolist()
    i = 0
    for _, mentions in batch:
        for m in mentions:
            m["sentiment"] = score_list[i]
            m["sentiment_label"] = label_list[i]
            i += 1
    return [mentions for _, mentions in batch]


def _encoder_predict(logits: np.ndarray, texts: Sequence[str],
                     items_of: Sequence[Sequence[tuple[tuple[int, int], int, int]]]) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, labels)`` of the linear logits mixed with the optional encoder head (same items, in order)."""
    from framing.extractors.sentiment_encoder import encoder_features, load_head

    head = load_head()
    rows = [encoder_features(text, items) for text, items in zip(texts, items_of) if len(items)]
    return head.predict(head.mix(logits, np.concatenate(rows) if rows else np.zeros((0, 768))))


def _text_context(text: str, start: int, end: int) -> tuple[int, int]:
    """Sentence of a bare text containing ``[start, end)``, split as :class:`Document` does."""
    sents = [s for b in split_blocks(text) for s in split_sentences(text, *b)]
    doc = Document(doc_id="", text=text, sentences=sents)
    return context_span(doc, start, end)


@overload
def sentiment_toward(texts: Sequence[str], spans: Sequence[tuple[int, int]],
                     return_scores: Literal[False] = False, model: str = "linear") -> list[int]: ...


@overload
def sentiment_toward(texts: Sequence[str], spans: Sequence[tuple[int, int]],
                     return_scores: Literal[True], model: str = "linear") -> tuple[list[int], list[float]]: ...


@overload
def sentiment_toward(texts: Sequence[str], spans: Sequence[tuple[int, int]],
                     return_scores: bool = False, model: str = "linear"
                     ) -> list[int] | tuple[list[int], list[float]]: ...


def sentiment_toward(texts: Sequence[str], spans: Sequence[tuple[int, int]],
                     return_scores: bool = False, model: str = "linear"
                     ) -> list[int] | tuple[list[int], list[float]]:
    """Sentiment toward one target span per text: labels -1/0/1 (and scores when asked).

    Uses the same model and the same context (the target's sentence) as
    :func:`score_mentions`. Spans are clipped to their text.

    Parameters
    ----------
    model : str
        ``"linear"`` (default): the fast linear model, as ``analyze`` uses by default.
        ``"encoder"``: the linear model mixed with the optional encoder's head, as
        ``analyze`` uses with ``Options(encoder=True)`` (needs the ``encoder`` extra, ``E150``
        otherwise). ``"auto"``: the encoder when it is installed, else the linear model.

    Returns
    -------
    list of int, or (list of int, list of float) when ``return_scores`` is true.
    """
    if len(texts) != len(spans):
        raise FramingError("E131", f"got {len(texts)} texts but {len(spans)} spans")
    from framing.encoder import wanted

    use_encoder = wanted(model)
    lin = load_model()
    clipped: list[tuple[str, list[tuple[tuple[int, int], int, int]]]] = []
    loose: Sequence[Any] = spans  # numpy or pandas integers are welcome too (a typed tuple would refuse them)
    for raw, span in zip(texts, loose):
        text = str(raw)
        s = max(0, min(int(span[0]), len(text)))
        e = max(s, min(int(span[1]), len(text)))
        clipped.append((text, [(_text_context(text, s, e), s, e)]))
    if not clipped:
        return ([], []) if return_scores else []
    logits = np.concatenate(lin.score_batch(clipped))  # the same log-odds as text by text
    if use_encoder:
        sc, lab = _encoder_predict(logits, [t for t, _ in clipped], [items for _, items in clipped])
    else:
        sc, lab = lin.predict(logits)
    labels: list[int] = [int(v) for v in lab]
    scores: list[float] = [float(v) for v in sc]
    return (labels, scores) if return_scores else labels
