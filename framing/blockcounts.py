"""An exact, compact counter of block keys, for the corpus-wide repetition pass.

Boilerplate repetition needs, per outlet, the number of articles each normalised
block occurs in. A Python ``dict`` of every distinct key costs about 100 bytes per
key, and nearly every paragraph of a corpus is a distinct key, so that dict grows
with the corpus. :class:`BlockCounts` keeps the same numbers in two sorted numpy
arrays (64-bit key, 32-bit count: 12 bytes per distinct key) plus a small buffer of
new keys that is folded in periodically. The counts are exact: keys are the
64-bit hashes of :func:`framing.extractors.boilerplate.block_key` (16 hex digits),
stored as integers and turned back into the same hex strings on the way out.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["BlockCounts"]

_MIN_BUFFER = 1 << 16  # keys buffered before a fold-in (512 KiB)


def _key_int(key: str | int) -> int:
    return key if isinstance(key, int) else int(key, 16)


class BlockCounts(Mapping[str, int]):
    """Document counts per block key (a read-only mapping ``hex key -> count``).

    Add the distinct keys of one article with :meth:`add_doc`; add another counter
    (e.g. of another partition) with :meth:`update`. Memory: 12 bytes per distinct
    key, plus at most about as much again while new keys are folded in.

    Examples
    --------
    >>> c = BlockCounts()
    >>> c.add_doc(["00000000000000ff", "0000000000000001"])
    >>> c.add_doc(["00000000000000ff"])
    >>> dict(c)
    {'0000000000000001': 1, '00000000000000ff': 2}
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._counts = np.empty(0, dtype=np.uint32)
        self._buf = array("Q")

    # -- adding ---------------------------------------------------------------------------------
    def add_doc(self, keys: Iterable[str | int]) -> None:
        """Count one article: ``keys`` are its *distinct* block keys (hex strings or ints)."""
        if not isinstance(keys, Collection):
            keys = list(keys)
        try:
            # all ints (what the repetition pass gives): one C call; a hex string raises TypeError
            self._buf.extend(array("Q", keys))  # type: ignore[arg-type]
        except (TypeError, OverflowError):
            self._buf.extend(_key_int(k) for k in keys)
        if len(self._buf) >= max(_MIN_BUFFER, len(self._keys) // 4):
            self._fold()

    def update(self, other: Mapping[str, int] | BlockCounts) -> None:
        """Add the counts of ``other`` (another :class:`BlockCounts` or a ``{hex key: count}`` mapping)."""
        if isinstance(other, BlockCounts):
            other._fold()
            keys, counts = other._keys, other._counts
        else:
            keys = np.fromiter((_key_int(k) for k in other), dtype=np.uint64, count=len(other))
            counts = np.fromiter((int(n) for n in other.values()), dtype=np.uint32, count=len(other))
            order = np.argsort(keys, kind="stable")
            keys, counts = keys[order], counts[order]
        self._fold()
        self._merge(keys, counts)

    def _fold(self) -> None:
        if not len(self._buf):
            return
        new = np.frombuffer(self._buf, dtype=np.uint64)
        keys, counts = np.unique(new, return_counts=True)
        self._buf = array("Q")
        self._merge(keys, counts.astype(np.uint32))

    def _merge(self, keys: np.ndarray, counts: np.ndarray) -> None:
        """Add sorted, unique ``keys`` with ``counts`` to the sorted arrays."""
        if not len(keys):
            return
        if not len(self._keys):
            self._keys, self._counts = keys.astype(np.uint64, copy=True), counts.astype(np.uint32, copy=True)
            return
        pos = np.searchsorted(self._keys, keys)
        inside = pos < len(self._keys)
        found = np.zeros(len(keys), dtype=bool)
        found[inside] = self._keys[pos[inside]] == keys[inside]
        self._counts[pos[found]] += counts[found].astype(np.uint32)
        new = ~found
        if new.any():
            self._keys = np.insert(self._keys, pos[new], keys[new])
            self._counts = np.insert(self._counts, pos[new], counts[new].astype(np.uint32))

    # -- reading --------------------------------------------------------------------------------
    def at_least(self, n: int) -> frozenset[str]:
        """The keys counted in at least ``n`` articles (as hex strings)."""
        self._fold()
        return frozenset(f"{int(k):016x}" for k in self._keys[self._counts >= n])

    def __getitem__(self, key: str) -> int:
        self._fold()
        try:
            k = np.uint64(_key_int(key))
        except (TypeError, ValueError, OverflowError):
            raise KeyError(key) from None
        i = int(np.searchsorted(self._keys, k))
        if i < len(self._keys) and self._keys[i] == k:
            return int(self._counts[i])
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        self._fold()
        return (f"{int(k):016x}" for k in self._keys)

    def items(self) -> list[tuple[str, int]]:  # type: ignore[override]  # faster than the Mapping default, same pairs
        self._fold()
        return [(f"{int(k):016x}", int(n)) for k, n in zip(self._keys, self._counts)]

    def __len__(self) -> int:
        self._fold()
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays and the buffer."""
        return int(self._keys.nbytes + self._counts.nbytes + self._buf.itemsize * len(self._buf))

    def __getstate__(self) -> dict[str, Any]:
        self._fold()
        return {"keys": self._keys, "counts": self._counts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._keys, self._counts, self._buf = state["keys"], state["counts"], array("Q")

    def __repr__(self) -> str:
        return f"<BlockCounts: {len(self)} keys, {self.nbytes / 2**20:.1f} MiB>"
