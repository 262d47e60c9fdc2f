"""Bytes to text, with clear reasons when an article cannot be read.

Scraped corpora mix encodings. The rule here: a byte-order mark decides; else
UTF-8; else, when the bytes contain no valid UTF-8 multi-byte sequence at all,
the file is taken as Windows-1252 (a superset of Latin-1 for printable text)
and a warning is recorded; a file that is mostly UTF-8 with some invalid bytes
is corrupt and is reported, not guessed. Binary files (NUL bytes, many control
characters) are reported too.
"""

from __future__ import annotations

import codecs
import re

from framing.errors import ArticleError

__all__ = ["decode_bytes", "looks_binary"]

_VALID_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes or more than 5% control characters."""
    head = data[:65536]
    if not head:
        return False
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > 0.05 * len(head)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark (e.g. by some Windows tools), recognised by its NUL bytes.

    Text in a Latin script has a NUL in (nearly) every other byte: the high byte of each code unit.
    The guess is taken only when the decoded text is printable.
    """
    head = data[:65536]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd >= 0.3 and z_even <= 0.02:
        enc = "utf-16-le"
    elif z_even >= 0.3 and z_odd <= 0.02:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(enc)
    except UnicodeDecodeError:
        return None
    sample = text[:20000]
    if "\x00" in text or sum(c.isprintable() or c.isspace() for c in sample) < 0.98 * len(sample):
        return None
    return text, f"decoded as {enc.upper()} (no byte-order mark; recognised from its NUL bytes)"


def decode_bytes(data: bytes, doc_id: str | None = None, source: str | None = None) -> tuple[str, str | None]:
    """Decode article bytes; return ``(text, note)`` where ``note`` names a fallback encoding.

    Raises :class:`ArticleError` (E002 binary, E003 corrupt UTF-8) with the article's id.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), (None if enc == "utf-8-sig" else f"decoded as {enc} (byte-order mark)")
            except UnicodeDecodeError as exc:
                raise ArticleError("E003", f"invalid {enc} text: {exc.reason} at byte {exc.start}",
                                   doc_id, source) from None
    guessed = _utf16_without_bom(data)
    if guessed is not None:
        return guessed
    if looks_binary(data):
        raise ArticleError("E002", "binary data, not text (NUL or control bytes)", doc_id, source)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if _VALID_MULTIBYTE.search(data):
            raise ArticleError(
                "E003",
                f"invalid UTF-8 byte 0x{data[exc.start]:02x} at byte {exc.start} in otherwise UTF-8 text; "
                "re-encode the file as UTF-8",
                doc_id,
                source,
            ) from None
    return data.decode("cp1252", errors="replace"), "not UTF-8: decoded as Windows-1252/Latin-1"
