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
# The same words in a text without letters or digits outside ASCII (nearly every English article):
# there ``[^\W\d_]`` is exactly ``[A-Za-z]``, which the regex engine tests much faster than a Unicode
# category. The possessive quantifiers change nothing (no part of the pattern ever needs to give back
# what an earlier part took) and save the engine its backtracking bookkeeping.
_WORD_ASCII = re.compile(r"[A-Za-z]++(?:['’-][A-Za-z]++)*+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


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


def _words(text: str) -> list[str]:
    """``_WORD.findall(text)``, through the ASCII pattern when the text allows it."""
    if text.isascii() or not any(ch.isalnum() for ch in _NON_ASCII.findall(text)):
        return _WORD_ASCII.findall(text)
    return _WORD.findall(text)


_MEMO_MAX = 200_000
# Per word: its syllables, and 1 when it is a "complex" word of the fog index (3+ syllables, no hyphen).
# Two plain dicts, so that a whole article is summed with ``map`` in C. When they grow past _MEMO_MAX
# words they are replaced by empty ones (a call already running keeps the pair it started with).
_memo: tuple[dict[str, int], dict[str, int]] = ({}, {})


def _word_tables(words: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The memo pair, with every word of ``words`` in it."""
    global _memo
    syl, cpx = _memo
    new = set(filterfalse(syl.__contains__, words))
    if new:
        if len(syl) + len(new) > _MEMO_MAX:
            _memo = syl, cpx = {}, {}
            new = set(words)
        for w in new:
            n = syllables(w)
            syl[w] = n
            cpx[w] = 1 if n >= 3 and "-" not in w else 0
    return syl, cpx


def _fast(text: str, n_sentences: int) -> dict[str, float]:
    words = _words(text)
    n_words = len(words)
    if n_words == 0 or n_sentences == 0:
        # No body text: no score (NaN), since 0 is itself a valid, very hard Flesch score.
        return {c: float("nan") for c in READABILITY_COLUMNS} | {"n_words": n_words, "n_sentences": n_sentences}
    # Each distinct word is looked up once (news text repeats most of its words).
    syl, cpx = _word_tables(words)
    n_syl = sum(map(syl.__getitem__, words))
    n_complex = sum(map(cpx.__getitem__, words))
    n_letters = len("".join(words))
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
