"""Actor mentions: which countries, leaders and international bodies a text talks about.

Who is mentioned, and how often, is a basic framing measure (whose story is told). An
alias table, ``framing/lexicons/actors.tsv`` (columns ``actor, alias, type, source``),
maps surface forms to actors: country names and short forms, demonyms ("Russian",
"Russians"), capitals and seats of government used as metonyms ("Moscow", "the Kremlin",
"Downing Street"), and office holders whose mapping to a country is stable ("Putin").

Matching rules, chosen for precision in news text:

* case-sensitive and whole-word, so "US" matches but "us" does not, "UN" but not "un",
  "Turkey" but not "turkey";
* the longest alias wins at a position ("North Korea", not "Korea"; "South Korean" ->
  South Korea), because all aliases are compiled into one prefix-trie regex that tries the
  longer continuation first;
* rows of type ``exclude`` name longer phrases that contain an alias but are not the actor
  ("Washington Post", "Latin America"); they absorb the match and report nothing;
* an all-capital alias ("US", "WHO") next to another all-capital word that is not an alias
  is skipped, so shouted headlines and buttons ("JOIN US") are not counted.

Ambiguous names are left out of the default table rather than guessed: bare "Georgia" and
"Georgian" (the US state is far more frequent in English news than the country; Tbilisi is
in), bare "Korea"/"Korean" (North or South), "Chad" and first names such as "May" (only
"Theresa May" is listed). Users add or override entries with their own TSV
(``Options.actors``).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from framing.document import Document
from framing.lexicons import load_lexicon
from framing.options import Options

__all__ = ["find_mentions", "alias_table", "ACTOR_TYPES"]

ACTOR_TYPES = frozenset({"country", "leader", "organisation", "bloc", "person", "exclude"})

# An all-capital word (2+ letters) right before / after a match.
_CAPS_BEFORE = re.compile(r"([A-Z][A-Z'’]+)[ \t]*[-–:,]?[ \t]*$")
_CAPS_AFTER = re.compile(r"^[ \t]*[-–:,]?[ \t]*([A-Z][A-Z'’]+)(?![a-z])")


class AliasTable(NamedTuple):
    """A compiled alias table: one regex and the actor and type of every alias."""

    pattern: re.Pattern
    actor: dict[str, str]
    kind: dict[str, str]


def _trie_regex(words: list[str]) -> str:
    """A regex alternation equivalent to ``words`` that prefers the longest match.

    Python's ``re`` tries alternatives left to right, so a flat alternation of hundreds of
    aliases is slow and needs careful ordering. A character trie shares prefixes and makes
    the optional continuation greedy (longer first); backtracking still falls back to the
    shorter alias when the longer one does not complete.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        alts = [re.escape(k) + build(node[k]) for k in keys]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            if len(alts) == 1 and len(body) > 1:
                body = "(?:" + body + ")"
            body += "?"
        return body

    return build(trie)


@lru_cache(maxsize=16)
def _compile(extra: str | None, _mtime: float) -> AliasTable:
    rows = load_lexicon("actors", extra=extra)
    actor: dict[str, str] = {}
    kind: dict[str, str] = {}
    for r in rows:  # later rows (the user's file) override earlier ones
        alias = r.get("alias", "")
        if not alias:
            continue
        actor[alias] = r.get("actor", "")
        kind[alias] = (r.get("type") or "").strip().lower()
    body = _trie_regex(list(actor))
    # No look-behind in front: a pattern that starts with a literal alternation lets ``re``
    # skip quickly to positions whose character can start an alias; the word boundary on
    # the left is checked in Python on the (few) matches instead.
    pattern = re.compile(body + r"(?!\w)")
    return AliasTable(pattern, actor, kind)


def alias_table(options: Options | None = None) -> AliasTable:
    """The compiled alias table for ``options`` (cached per built-in + user file identity)."""
    extra = None if options is None or options.actors is None else str(Path(options.actors))
    mtime = 0.0
    if extra is not None:
        try:
            mtime = os.stat(extra).st_mtime
        except OSError:
            mtime = -1.0
    return _compile(extra, mtime)


def _shouted(text: str, start: int, end: int, table: AliasTable) -> bool:
    """True when an all-capital match sits next to another all-capital word."""
    for m in (_CAPS_BEFORE.search(text, max(0, start - 24), start), _CAPS_AFTER.match(text[end : end + 24])):
        if m and len(m.group(1)) >= 2 and m.group(1).rstrip("'’") not in table.actor:
            return True
    return False


def _body_sentences(doc: Document) -> list[tuple[int, int]]:
    """``doc.body_sentences()`` in one sweep: sentences at most half covered by boilerplate.

    Boilerplate spans are merged first, so overlapping spans are not counted twice.
    """
    merged: list[list[int]] = []
    for s, e, _ in sorted(doc.boilerplate):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    j, n = 0, len(merged)
    for s, e in doc.sentences:
        while j < n and merged[j][1] <= s:
            j += 1
        covered, k = 0, j
        while k < n and merged[k][0] < e:
            covered += min(e, merged[k][1]) - max(s, merged[k][0])
            k += 1
        if covered * 2 <= e - s:
            out.append((s, e))
    return out


def find_mentions(doc: Document, options: Options | None = None) -> list[dict]:
    """Actor mentions in ``doc``: records ``start, end, actor, alias``.

    With ``options.body_only`` (the default) only mentions in body sentences (not
    boilerplate) are reported. ``alias`` is the table entry that matched (equal to the
    matched text, since matching is case-sensitive).
    """
    options = options or Options()
    table = alias_table(options)
    text = doc.text
    if not text:
        return []
    if options.body_only and doc.boilerplate:
        sents = _body_sentences(doc)
    else:
        sents = doc.sentences
    if not sents:
        return []
    starts = [s for s, _ in sents]
    out: list[dict] = []
    actor_of, kind_of = table.actor, table.kind
    # One pass over the text, keeping matches inside the wanted sentences.
    for m in table.pattern.finditer(text, sents[0][0], sents[-1][1]):
        alias = m.group(0)
        kind = kind_of.get(alias)
        if kind is None or kind == "exclude":
            continue
        s, e = m.span()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
            continue
        i = bisect_right(starts, s) - 1
        if i < 0 or e > sents[i][1]:
            continue
        if alias.isupper() and _shouted(text, s, e, table):
            continue
        out.append({"start": s, "end": e, "actor": actor_of[alias], "alias": alias})
    return out
