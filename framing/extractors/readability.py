"""Readability and simple counts of an article's body text.

Formulas are the classic ones that textstat implements (Flesch 1948 reading
ease; Kincaid et al. 1975 grade; Gunning 1952 fog; Coleman & Liau 1975). Two
backends give them:

- ``"fast"`` (default): words and sentences from our own segmentation (which
  keeps "U.S." and "Mr." inside their sentence), syllables from textstat's own
  CMU Pronouncing Dictionary lookup with its Pyphen fallback, memoised per word.
  About 50x faster than calling textstat on the whole text, and it agrees with
  textstat to within a few points (``tests/test_codebook_examples.py`` checks this).
- ``"textstat"``: textstat's functions on the body text, exactly as textstat
  computes them (slow on large corpora).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import filterfalse
from typing import TYPE_CHECKING

from framing.document import Document

if TYPE_CHECKING:
    from framing.options import Options

__all__ = ["readability", "READABILITY_COLUMNS", "syllables"]

READABILITY_COLUMNS = [
    "n_words",
    "n_sentences",
    "avg_sentence_length",
    "avg_syllables_per_word",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "coleman_liau_index",
]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _syllable_tools():
    from textstat.backend.utils._get_cmudict import get_cmudict
    from textstat.backend.utils._get_pyphen import get_pyphen

    return get_cmudict("en_US"), get_pyphen("en_US")


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    """Syllables of one word: CMU dictionary stress marks, else Pyphen hyphenation points + 1."""
    cmu, pyphen = _syllable_tools()
    w = word.lower().replace("’", "'")
    try:
        return sum(1 for p in cmu[w][0] if p[-1].isdigit()) or 1
    except (KeyError, IndexError, TypeError):
        return len(pyphen.positions(w)) + 1


_MEMO_MAX = 200_000
# Per whitespace-separated token: (words, letters, syllables, complex words) of its _WORD words, where a
# complex word (fog index) has 3+ syllables and no hyphen. Words never contain whitespace, so an
# article's counts are the sums over its tokens, and news text repeats most of its tokens: each
# distinct token is analysed once. When the memo grows past _MEMO_MAX tokens it is replaced by an
# empty one (a call already running keeps the dict it started with). The memo holds each token's four
# counts packed into one integer, _PACK_BITS bits per count (complex words in the top bits), so an
# article's four sums are one ``sum`` over its tokens: exact while a count stays below 2**40, i.e. for
# any text of fewer than 2**40 characters.
_PACK_BITS = 40
_PACK_MASK = (1 << _PACK_BITS) - 1
_memo: dict[str, int] = {}


# Punctuation that may wrap a single word in running text ("said," "(Reuters)" "“No"): none of it is a word
# character, so a token that is letters once these are stripped from both ends holds exactly one word.
_WRAPPING = "\"'“”‘’()[]{}.,;:!?…*/"


def _token_counts(token: str) -> tuple[int, int, int, int]:
    """(words, letters, syllables, complex words) of one token."""
    core = token.strip(_WRAPPING)
    if core.isalpha():
        # the usual case, without the regex: ``_WORD.findall(token) == [core]`` (every character of
        # ``core`` is a letter, and the stripped ones are not word characters)
        n = syllables(core)
        return 1, len(core), n, 1 if n >= 3 else 0
    words = _WORD.findall(token)
    syl = [syllables(w) for w in words]
    n_complex = sum(1 for n, w in zip(syl, words) if n >= 3 and "-" not in w)
    return len(words), sum(map(len, words)), sum(syl), n_complex


def _packed(counts: tuple[int, int, int, int]) -> int:
    """The four counts of a token as one integer (see ``_memo``)."""
    words, letters, syl, n_complex = counts
    return words | letters << _PACK_BITS | syl << 2 * _PACK_BITS | n_complex << 3 * _PACK_BITS


def _token_table(tokens: list[str]) -> dict[str, int]:
    """The memo, with every token of ``tokens`` in it (packed counts)."""
    global _memo
    memo = _memo
    new = set(filterfalse(memo.__contains__, tokens))
    if new:
        if len(memo) + len(new) > _MEMO_MAX:
            _memo = memo = {}
            new = set(tokens)
        for tok in new:
            memo[tok] = _packed(_token_counts(tok))
    return memo


def _fast(text: str, n_sentences: int) -> dict[str, float]:
    tokens = text.split()
    try:  # usually every token is in the memo already: one pass over the tokens
        total: int = sum(map(_memo.__getitem__, tokens))
    except KeyError:
        total = sum(map(_token_table(tokens).__getitem__, tokens))
    n_words = total & _PACK_MASK
    n_letters = total >> _PACK_BITS & _PACK_MASK
    n_syl = total >> 2 * _PACK_BITS & _PACK_MASK
    n_complex = total >> 3 * _PACK_BITS
    if n_words == 0 or n_sentences == 0:
        # No body text: no score (NaN), since 0 is itself a valid, very hard Flesch score.
        return {c: float("nan") for c in READABILITY_COLUMNS} | {"n_words": n_words, "n_sentences": n_sentences}
    wps = n_words / n_sentences
    spw = n_syl / n_words
    return {
        "n_words": n_words,
        "n_sentences": n_sentences,
        "avg_sentence_length": wps,
        "avg_syllables_per_word": spw,
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100.0 * n_complex / n_words),
        "coleman_liau_index": 0.0588 * (100.0 * n_letters / n_words) - 0.296 * (100.0 * n_sentences / n_words) - 15.8,
    }


def _textstat(text: str) -> dict[str, float]:
    import textstat

    n_words = textstat.lexicon_count(text)
    n_sent = textstat.sentence_count(text) if text else 0
    if n_words == 0 or n_sent == 0:
        return {c: float("nan") for c in READABILITY_COLUMNS} | {"n_words": n_words, "n_sentences": n_sent}
    return {
        "n_words": n_words,
        "n_sentences": n_sent,
        "avg_sentence_length": n_words / n_sent,
        "avg_syllables_per_word": textstat.syllable_count(text) / n_words,
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
        "gunning_fog": textstat.gunning_fog(text),
        "coleman_liau_index": textstat.coleman_liau_index(text),
    }


def readability(doc: Document, options: Options | None = None, backend: str = "fast") -> dict[str, float]:
    """Readability of the article's body (boilerplate excluded when ``options.body_only``).

    Returns a dict with :data:`READABILITY_COLUMNS`. An empty body gives word and sentence counts
    of 0 and NaN scores (0 would be a valid, very hard Flesch score).
    """
    body_only = True if options is None else options.body_only
    sents = doc.body_sentences() if body_only else doc.sentences
    text = " ".join([doc.text[s:e] for s, e in sents])
    if backend == "textstat":
        return _textstat(text)
    if backend != "fast":
        raise ValueError(f"unknown readability backend {backend!r}; use 'fast' or 'textstat'")
    return _fast(text, len(sents))
