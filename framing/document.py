"""Documents and their text units: blocks (lines) and sentences with exact offsets.

Every extractor works on a :class:`Document`. Offsets always index into
``Document.text`` exactly as it was read, so a span ``(start, end)`` can be
shown, highlighted or checked against gold annotation without any re-mapping.

Blocks are the non-blank lines of the text (news pages put one paragraph,
heading or widget per line). Sentences never cross a block boundary. The
splitter is rule-based and deliberately forgiving: it splits sentences that
were glued together by a text-extraction tool ("...all the difference.North
Korea has vowed...") and keeps abbreviations such as "Mr.", "U.S." or
"Sept." inside their sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document", "split_blocks", "split_sentences"]

# Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col maj capt sgt adm st jr sr rev hon pres supt insp
    no nos vol fig approx est inc ltd co corp dept univ assn bros vs etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.k u.n e.u d.c a.m p.m i.e e.g""".split()
)

# Candidate sentence ends: terminal punctuation, optional closing quotes/brackets. :func:`_end_spans` finds its
# matches with ``str.find`` (the regex is their definition: the tests compare the two).
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_TERMINALS = ".!?…"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«([“"
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")


def _trimmed(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with surrounding whitespace removed; spans left empty are dropped."""
    out = []
    for s, e in spans:
        if s < e and not (text[s].isspace() or text[e - 1].isspace()):
            out.append((s, e))  # the common case: nothing to trim
            continue
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# A non-blank line without its surrounding whitespace: from its first to its last non-space character
# (``\s`` is exactly ``str.isspace``; only ``\r`` and ``\n`` end a line). :func:`split_blocks` finds the same
# spans with ``str.split`` and ``str.strip``; the regex is their definition (the tests compare the two).
_BLOCK = re.compile(r"\S(?:[^\r\n]*\S)?")


def split_blocks(text: str) -> list[tuple[int, int]]:
    r"""Return ``(start, end)`` of every non-blank line, trimmed of surrounding whitespace.

    The spans of ``_BLOCK.finditer(text)``, found faster: the text is split at ``\r`` and ``\n`` (not at the
    other line ends of ``str.splitlines``) and each line is trimmed with ``str.strip``, which removes exactly the
    characters ``\s`` matches.
    """
    lines = (text.replace("\r", "\n") if "\r" in text else text).split("\n")
    spans = []
    pos = 0  # where the current line starts
    for line in lines:
        n = len(line)
        if n and not (line[0].isspace() or line[-1].isspace()):
            spans.append((pos, pos + n))  # the usual line: nothing to trim
        elif n:
            body = line.lstrip()
            if body:
                start = pos + n - len(body)
                spans.append((start, start + len(body.rstrip())))
        pos += n + 1
    return spans


def _is_abbreviation(text: str, dot: int, block_start: int) -> bool:
    """True when the full stop at ``dot`` closes an abbreviation or an initial."""
    i = dot
    while i > block_start and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # Single capital initial ("George W. Bush", "J. Smith").
    if len(word) == 1 and text[i].isupper():
        return True
    # Dotted acronyms ("U.S.", "a.m.").
    return _DOTTED.fullmatch(word) is not None


def _end_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``_END.finditer(text, start, end)``, found with ``str.find`` (several times fewer instructions:
    the regex engine tests every character against its character set).

    Each match starts at the next terminal mark and runs over the marks and closing quotes/brackets after it.
    """
    spans: list[tuple[int, int]] = []
    # the next position of each terminal mark at or after ``pos`` (-1: none left before ``end``)
    nxt = [text.find(c, start, end) for c in _TERMINALS]
    pos = start
    while True:
        p = -1
        for q in nxt:
            if q >= 0 and (p < 0 or q < p):
                p = q
        if p < 0:
            return spans
        pos = p + 1
        while pos < end and text[pos] in _TERMINALS:
            pos += 1
        while pos < end and text[pos] in _CLOSERS:
            pos += 1
        spans.append((p, pos))
        for i in range(len(nxt)):
            if 0 <= nxt[i] < pos:
                nxt[i] = text.find(_TERMINALS[i], pos, end)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one block) into sentence spans, trimmed."""
    return _sentence_spans(text, [(start, end)])


def _sentence_spans(text: str, blocks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of every block in ``blocks``, in order: :func:`split_sentences` of each, in one loop."""
    spans: list[tuple[int, int]] = []
    for start, end in blocks:
        cur = start
        for p_start, p_end in _end_spans(text, start, end):
            mark = text[p_start]  # the first punctuation mark
            single = p_end - p_start == 1  # the mark alone, without more marks or closers
            nxt = p_end
            # What follows the punctuation decides whether this is a sentence end.
            if nxt >= end:
                break
            ch = text[nxt]
            glued = False
            nxt_start = p_end  # where the next sentence starts (after any whitespace: saves trimming it)
            if ch.isspace():
                j = nxt
                while j < end and text[j].isspace():
                    j += 1
                if j >= end:
                    break
                nxt_start = j
                follower = text[j]
                if not (follower.isupper() or follower.isdigit() or follower in _OPENERS):
                    continue
            elif ch.isupper() and mark == "." and single:
                # Glued sentences: "difference.North" — a lower-case word of 2+ letters before the dot
                # and an upper-case word after it; excludes "U.S." and domain names like "Example.Com".
                prev = text[max(start, p_start - 2) : p_start]
                if not (len(prev) == 2 and prev.isalpha() and prev.islower()):
                    continue
                if _CAPITALISED.match(text, nxt, end) is None:
                    continue
                glued = True
            elif ch in "“‘\"" and mark in ".!?":
                glued = True
            else:
                continue
            if mark == "." and single and not glued and _is_abbreviation(text, p_start, start):
                continue
            spans.append((cur, p_end))
            cur = nxt_start
        spans.append((cur, end))
    return _trimmed(text, spans)


@dataclass
class Document:
    """One article: its text as read, metadata, and its segmentation.

    ``boilerplate`` holds ``(start, end, kind)`` spans marked as not-journalism;
    extractors report findings on body text only (see :meth:`body_sentences`).

    Examples
    --------
    >>> d = Document.from_text("x", "It makes all the difference.North Korea has vowed to respond.")
    >>> [d.text[s:e] for s, e in d.sentences]
    ['It makes all the difference.', 'North Korea has vowed to respond.']
    """

    doc_id: str
    text: str
    outlet: str | None = None
    title: str | None = None
    blocks: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    boilerplate: list[tuple[int, int, str]] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    # ``text.lower()`` and the text it was computed from (see :meth:`lower_text`); set by ``__init__`` through
    # a factory because compiled (mypyc) classes have no class-attribute defaults to fall back on.
    _lower: str | None = field(default_factory=lambda: None, init=False, repr=False, compare=False)
    _lower_of: str | None = field(default_factory=lambda: None, init=False, repr=False, compare=False)

    @classmethod
    def from_text(cls, doc_id: str, text: str, **kwargs: Any) -> Document:
        """Build a document and segment it into blocks and sentences."""
        doc = cls(doc_id=str(doc_id), text=text, **kwargs)
        doc.blocks = split_blocks(text)
        doc.sentences = _sentence_spans(text, doc.blocks)
        return doc

    def lower_text(self) -> str:
        """``self.text.lower()``, computed once: boilerplate, attribution and hedging all scan the lower-cased text.

        Recomputed if ``text`` has been replaced since.
        """
        low = self._lower
        if low is None or self._lower_of is not self.text:
            low = self._lower = self.text.lower()
            self._lower_of = self.text
        return low

    # -- navigation -----------------------------------------------------------------
    def block_of(self, pos: int) -> int:
        """Index of the block that contains character ``pos`` (or precedes it)."""
        return max(0, bisect_right([b[0] for b in self.blocks], pos) - 1)

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence that contains character ``pos`` (or precedes it)."""
        return max(0, bisect_right([s[0] for s in self.sentences], pos) - 1)

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when more than half of ``[start, end)`` lies in boilerplate spans."""
        if end <= start or not self.boilerplate:
            return False
        covered = sum(max(0, min(end, e) - max(start, s)) for s, e, _ in self.boilerplate)
        return covered * 2 > (end - start)

    def body_sentences(self) -> list[tuple[int, int]]:
        """Sentences that are not boilerplate: what attribution, hedging and sentiment read."""
        if not self.boilerplate:
            return list(self.sentences)
        return [s for s in self.sentences if not self.is_boilerplate(*s)]

    def body_blocks(self) -> list[tuple[int, int]]:
        """Blocks that are mostly body text."""
        if not self.boilerplate:
            return list(self.blocks)
        return [b for b in self.blocks if not self.is_boilerplate(*b)]

    @property
    def boilerplate_chars(self) -> int:
        """Number of non-whitespace-trimmed characters covered by boilerplate (overlaps merged)."""
        spans = sorted((s, e) for s, e, _ in self.boilerplate)
        total, cur_s, cur_e = 0, -1, -1
        for s, e in spans:
            if s > cur_e:
                total += max(0, cur_e - cur_s)
                cur_s, cur_e = s, e
            else:
                cur_e = max(cur_e, e)
        total += max(0, cur_e - cur_s)
        return total

    @property
    def content_chars(self) -> int:
        """Characters inside blocks (the denominator of the boilerplate share)."""
        return sum(e - s for s, e in self.blocks)

    @property
    def boilerplate_share(self) -> float:
        """Share of block characters that are boilerplate, in [0, 1]."""
        total = self.content_chars
        return 0.0 if total == 0 else min(1.0, self.boilerplate_chars / total)

    def body_text(self) -> str:
        """The body blocks/sentences joined by newlines (for readability and word counts)."""
        parts = []
        for bs, be in self.blocks:
            sents = [s for s in self.sentences if bs <= s[0] < be and not self.is_boilerplate(*s)]
            if sents:
                parts.append(" ".join(self.text[s:e] for s, e in sents))
        return "\n".join(parts)
