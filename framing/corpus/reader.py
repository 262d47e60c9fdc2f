"""Read a corpus from disk or memory into one row per article.

Formats: a folder (recursively) or single file of ``.txt`` (first line is the
title), ``.html``/``.htm`` (visible page text; lines outside the main text kept
and marked as boilerplate), ``.jsonl``/``.ndjson``, ``.csv``/``.tsv`` and
``.parquet``; a pandas DataFrame; or a list of strings.

A bad article never stops the run: it becomes an error record (``doc_id``,
``source``, ``code``, ``reason``) and the other articles go on.
:func:`iter_corpus` streams records and errors; :func:`read_corpus` collects
them into a DataFrame with the errors in ``df.attrs["errors"]``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing.corpus.decode import decode_bytes
from framing.errors import ArticleError, FramingError, FramingWarning

__all__ = ["read_corpus", "iter_corpus", "iter_file", "corpus_files", "IdRegistry", "ColumnMap", "CORPUS_COLUMNS",
           "ERROR_COLUMNS"]

CORPUS_COLUMNS = ["doc_id", "outlet", "title", "text", "date", "url", "source"]
ERROR_COLUMNS = ["doc_id", "source", "code", "severity", "reason"]

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
ALL_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES | {".gz"}

MAX_FILE_BYTES = 200 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an undecodable byte under errors="surrogateescape"
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass
class ColumnMap:
    """Which input columns hold the corpus fields (for JSON Lines, CSV, Parquet, DataFrames)."""

    doc_id: str = "doc_id"
    outlet: str = "outlet"
    title: str = "title"
    text: str = "text"
    date: str = "date"
    url: str = "url"

    def rename(self) -> dict[str, str]:
        return {v: k for k, v in vars(self).items()}


@dataclass
class ErrorRecord:
    """One article (or file) that could not be read or analysed."""

    doc_id: str | None
    source: str | None
    code: str
    reason: str
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "source": self.source, "code": self.code,
                "severity": self.severity, "reason": self.reason}

    @classmethod
    def from_exception(cls, exc: ArticleError, severity: str = "error") -> ErrorRecord:
        reason = str(exc).split("] ", 1)[-1]
        return cls(exc.doc_id, exc.source, exc.code, reason, severity)


@dataclass
class IdRegistry:
    """Keeps ``doc_id`` unique: a repeated id becomes ``<id>#2``, ``<id>#3``… with a warning record.

    The local reader and the Dask engine (which replays the ids of all partitions in order)
    share it, so both name duplicates identically.
    """

    seen: dict[str, int] = field(default_factory=dict)
    dedupe: bool = True

    def assign(self, doc_id: str, source: str | None) -> tuple[str, ErrorRecord | None]:
        if not self.dedupe:
            return doc_id, None
        n = self.seen.get(doc_id, 0) + 1
        self.seen[doc_id] = n
        if n == 1:
            return doc_id, None
        new_id = f"{doc_id}#{n}"
        while new_id in self.seen:
            n += 1
            new_id = f"{doc_id}#{n}"
        self.seen[new_id] = 1
        return new_id, ErrorRecord(new_id, source, "W001", f"duplicate doc_id {doc_id!r}: renamed to {new_id!r}",
                                   "warning")


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value).strip()
    return s or None


def _has_surrogate(s: str) -> bool:
    """Whether ``s`` holds a surrogate code point (what ``_SURROGATE`` finds): the only ones UTF-8 cannot encode,
    so a strict encode, which runs several times faster than the regex, fails exactly then."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _finish(rec: dict[str, Any], state: IdRegistry) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Validate one record, de-duplicate its id, and yield it (plus a warning if renamed)."""
    doc_id, source = rec["doc_id"], rec.get("source")
    text = rec.get("text")
    if not isinstance(text, str):
        yield ErrorRecord(doc_id, source, "E004", "no text field (missing or not a string)")
        return
    if not text.strip():
        yield ErrorRecord(doc_id, source, "E005", "empty text (nothing but whitespace)")
        return
    if "\x00" in text:
        yield ErrorRecord(doc_id, source, "E002", "text contains NUL characters (binary data?)")
        return
    if _has_surrogate(text):
        yield ErrorRecord(doc_id, source, "W004", "text contains unpaired UTF-16 surrogates (e.g. a lone \\ud800 "
                          "escape in JSON): each replaced by U+FFFD", "warning")
        rec["text"] = _SURROGATE.sub("\ufffd", text)
    for key in ("doc_id", "outlet", "title", "date", "url", "source"):
        if isinstance(rec.get(key), str) and _has_surrogate(rec[key]):
            rec[key] = _SURROGATE.sub("\ufffd", rec[key])
    doc_id = rec["doc_id"]
    new_id, warning = state.assign(doc_id, source)
    if warning is not None:
        yield warning
        rec["doc_id"] = new_id
    for col in CORPUS_COLUMNS:
        rec.setdefault(col, None)
    yield rec


# -- one reader per format ----------------------------------------------------------------

def _read_bytes(path: Path, doc_id: str) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleError("E006", f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
                           doc_id, str(path))
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ArticleError("E007", f"not a valid gzip file: {exc}", doc_id, str(path)) from None
    return data


def _inner_suffix(path: Path) -> str:
    return Path(path.stem).suffix.lower() if path.suffix.lower() == ".gz" else path.suffix.lower()


def _text_file(path: Path, doc_id: str, outlet: str | None) -> Iterator[dict[str, Any] | ErrorRecord]:
    text, note = decode_bytes(_read_bytes(path, doc_id), doc_id, str(path))
    if note:
        yield ErrorRecord(doc_id, str(path), "W002", note, "warning")
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    m = _DATE_IN_NAME.search(path.name)
    yield {"doc_id": doc_id, "outlet": outlet, "title": first_line, "text": text,
           "date": m.group(1) if m else None, "url": None, "source": str(path)}


def _html_file(path: Path, doc_id: str, outlet: str | None) -> Iterator[dict[str, Any] | ErrorRecord]:
    from framing.corpus.html import html_metadata, html_to_text

    raw, note = decode_bytes(_read_bytes(path, doc_id), doc_id, str(path))
    if note:
        yield ErrorRecord(doc_id, str(path), "W002", note, "warning")
    try:
        text, spans = html_to_text(raw)
        meta = html_metadata(raw)
    except ArticleError as exc:
        exc.doc_id, exc.source = doc_id, str(path)
        raise
    yield {"doc_id": doc_id, "outlet": outlet or meta.get("outlet"), "title": meta.get("title"),
           "text": text, "date": meta.get("date"), "url": meta.get("url"), "source": str(path),
           "markup_boilerplate": [list(s) for s in spans]}


def _records_from_rows(rows: Iterable[tuple[int, Any]], path: Path, cols: ColumnMap,
                       outlet: str | None) -> Iterator[dict[str, Any] | ErrorRecord]:
    stem = path.name
    for lineno, row in rows:
        fallback_id = f"{stem}:{lineno}"
        if isinstance(row, ErrorRecord):
            yield row
            continue
        if not isinstance(row, dict):
            yield ErrorRecord(fallback_id, str(path), "E010", f"record is a {type(row).__name__}, not an object")
            continue
        doc_id = _clean(row.get(cols.doc_id)) or fallback_id
        rec: dict[str, Any] = {"doc_id": doc_id, "source": f"{path}:{lineno}"}
        for key in ("outlet", "title", "date", "url"):
            rec[key] = _clean(row.get(getattr(cols, key)))
        rec["outlet"] = rec["outlet"] or outlet
        text = row.get(cols.text)
        rec["text"] = text if isinstance(text, str) else None
        if cols.text not in row:
            yield ErrorRecord(doc_id, rec["source"], "E004", f"record has no {cols.text!r} field")
            continue
        yield rec


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """Stream the records of a JSON Lines file, one line at a time (memory does not grow with the file).

    Lines are split at ``\n`` only (a JSON string may hold U+2028 and other line separators) and
    decoded one by one, so a line with invalid UTF-8 is one bad record, not a lost file. UTF-16/32
    files (with a byte-order mark) are decoded whole.
    """
    import gzip

    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4)
            boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
            if head.startswith(boms):
                text, _ = decode_bytes(_read_bytes(path, path.name), path.name, str(path))
                lines: Iterable[str | bytes] = text.split("\n")
            else:
                fh.seek(0)
                lines = fh
            for lineno, raw in enumerate(lines, start=1):
                row = _jsonl_line(raw, lineno, path)
                if row is not None:
                    yield from row
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a broken gzip stream: what was read is kept
        yield 0, ErrorRecord(path.name, str(path), "E007", f"not a valid gzip stream: {exc}")


def _jsonl_line(raw: str | bytes, lineno: int, path: Path) -> list[tuple[int, Any]] | None:
    out: list[tuple[int, Any]] = []
    line_id, source = f"{path.name}:{lineno}", f"{path}:{lineno}"
    if isinstance(raw, bytes):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            return None
        try:
            line, note = decode_bytes(raw.rstrip(b"\r\n"), line_id, source)
        except ArticleError as exc:
            return [(lineno, ErrorRecord.from_exception(exc))]
        if note:
            out.append((lineno, ErrorRecord(line_id, source, "W002", note, "warning")))
    else:
        line = raw.rstrip("\r")
    if not line.strip():
        return out or None
    try:
        out.append((lineno, json.loads(line)))
    except json.JSONDecodeError as exc:
        out.append((lineno, ErrorRecord(line_id, source, "E011",
                                        f"malformed JSON on line {lineno}: {exc.msg} at column {exc.colno}")))
    except RecursionError:
        out.append((lineno, ErrorRecord(line_id, source, "E011", f"JSON on line {lineno} is nested too deeply")))
    return out


def _csv_encoding(head: bytes, path: Path) -> tuple[str, str, str | None]:
    """``(encoding, errors, note)`` for a CSV file from its first bytes (same rules as :func:`decode_bytes`)."""
    from framing.corpus.decode import _VALID_MULTIBYTE, _utf16_without_bom, looks_binary

    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return enc, "strict", (None if enc == "utf-8-sig" else f"decoded as {enc} (byte-order mark)")
    guessed = _utf16_without_bom(head[: len(head) - len(head) % 2])
    if guessed is not None:
        enc = "utf-16-le" if "LE" in guessed[1] else "utf-16-be"
        return enc, "strict", guessed[1]
    if looks_binary(head):
        raise ArticleError("E002", "binary data, not text (NUL or control bytes)", path.name, str(path))
    try:
        head.decode("utf-8")
        return "utf-8", "surrogateescape", None
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 or _VALID_MULTIBYTE.search(head):  # cut mid-character, or UTF-8 with bad bytes
            return "utf-8", "surrogateescape", None
    return "cp1252", "replace", "not UTF-8: decoded as Windows-1252/Latin-1"


def _csv_rows(path: Path, cols: ColumnMap) -> Iterator[tuple[int, Any]]:
    """Stream the rows of a CSV/TSV file (memory does not grow with the file).

    A row with invalid UTF-8 bytes is one E003 record; the other rows are read.
    """
    import gzip

    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as raw:
            head = raw.read(65536)
            enc, errors, note = _csv_encoding(head, path)
            if note:
                yield 0, ErrorRecord(path.name, str(path), "W002", note, "warning")
            raw.seek(0)
            fh = io.TextIOWrapper(raw, encoding=enc, errors=errors, newline="")
            yield from _csv_reader_rows(fh, head, enc, path, cols)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield 0, ErrorRecord(path.name, str(path), "E007", f"not a valid gzip stream: {exc}")
    except UnicodeDecodeError as exc:
        yield 0, ErrorRecord(path.name, str(path), "E003", f"invalid {enc} text: {exc.reason}; the rows after "
                                                           "it could not be read")


def _csv_reader_rows(fh: io.TextIOWrapper, head: bytes, enc: str, path: Path,
                     cols: ColumnMap) -> Iterator[tuple[int, Any]]:
    delimiter = "\t" if _inner_suffix(path) == ".tsv" else None
    if delimiter is None:
        sample = head.decode(enc, errors="replace")
        sample = sample[: sample.rfind("\n") + 1] or sample
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(MAX_FILE_BYTES)
    tap = _LineTap(fh)
    reader = csv.reader(tap, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if cols.text not in header:
        raise ArticleError("E012", f"CSV has no {cols.text!r} column (columns: {', '.join(header)}); "
                           f"map it with text_col=...", path.name, str(path))
    offset = 0  # lines before the current reader's first line (after an unterminated quote, a second reader)
    recoveries = 0

    def at(line: int) -> tuple[str, str]:  # (doc_id, source) of a record about the row on ``line``
        return f"{path.name}:{line}", f"{path}:{line}"

    while True:
        first = offset + reader.line_num + 1  # the line this row starts on
        tap.lines.clear()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield offset + reader.line_num, ErrorRecord(*at(offset + reader.line_num), "E013",
                                                        f"malformed CSV row: {exc}")
            continue
        problem = _quoting_problem(tap.lines, delimiter) if any('"' in t for t in tap.lines) else None
        if problem is not None and len(tap.lines) > 1:
            # A quoted field ran over several lines without closing properly (a quote never closed, or a
            # quote mark inside it not doubled): the later lines, other articles most likely, became part
            # of this one field. Report the row and read the lines after its first line again as rows, so
            # the articles it swallowed are not lost.
            last = offset + reader.line_num
            retry = recoveries < _MAX_CSV_RECOVERIES
            later = f"line {last} is" if last == first + 1 else f"lines {first + 1}-{last} are"
            k = header.index(cols.doc_id) if cols.doc_id in header else -1
            named = f" (doc_id {row[k].strip()!r})" if 0 <= k < len(row) and row[k].strip() else ""
            yield first, ErrorRecord(*at(first), "E013",
                                     f"malformed CSV row{named}: the quoted field opened on line {first} {problem}, "
                                     f"so lines {first}-{last} were read as one field; the row is skipped and "
                                     + (f"{later} read again" if retry else
                                        f"{later} not read (too many unclosed quotes in this file)"))
            if not retry:
                break
            recoveries += 1
            rest = tap.lines[1:]
            offset = first
            tap = _LineTap(itertools.chain(rest, tap.remaining()))
            reader = csv.reader(tap, delimiter=delimiter)
            continue
        if not any(cell.strip() for cell in row):
            continue
        line = offset + reader.line_num  # the row's last line: its place in the file
        where = at(line)
        if problem is not None:  # within one line: the text is all there, but say so
            yield line, ErrorRecord(*where, "W005", f"the quoted field on line {line} {problem}; the row was read "
                                                   "leniently", "warning")
        if any(_ESCAPED_BYTE.search(cell) for cell in row):
            yield line, ErrorRecord(*where, "E003", "invalid UTF-8 bytes in this row; re-encode the file as UTF-8")
            continue
        if len(row) != len(header):
            note = "fewer" if len(row) < len(header) else "more"
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            yield line, ErrorRecord(*where, "W003", f"CSV row has {note} fields than the header", "warning")
        yield line, dict(zip(header, row))


def _quoting_problem(lines: list[str], delimiter: str) -> str | None:
    """What is wrong with the quoting of a row read from ``lines``, read strictly (None: one well-formed row)."""
    try:
        rows = list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "is never closed" if "end of data" in str(exc) else "holds a quote mark that is not doubled"
    return None if len(rows) == 1 else "is not closed where its line ends"


# Each recovery from an unclosed quote re-reads the rest of the file: bounded, so a file of such rows stays linear.
_MAX_CSV_RECOVERIES = 20


class _LineTap:
    """The lines a ``csv.reader`` takes from ``lines``, since the last ``lines.clear()``, and whether it hit the end.

    The reader only asks for a line past the end of the file while it is inside a quoted field, so
    ``at_eof`` after a row means that row's quote was never closed (Python's ``csv`` module,
    non-strict, silently ends the field there).
    """

    def __init__(self, lines: Iterable[str]):
        self._it = iter(lines)
        self.lines: list[str] = []
        self.at_eof = False

    def __iter__(self) -> _LineTap:
        return self

    def remaining(self) -> Iterator[str]:
        """The lines not taken yet."""
        return self._it

    def __next__(self) -> str:
        try:
            line = next(self._it)
        except StopIteration:
            self.at_eof = True
            raise
        self.lines.append(line)
        return line


def _parquet_rows(path: Path, cols: ColumnMap) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise ArticleError("E014", f"cannot read Parquet file: {exc}", path.name, str(path)) from None
    if cols.text not in pf.schema_arrow.names:
        raise ArticleError("E012", f"Parquet file has no {cols.text!r} column (columns: "
                           f"{', '.join(pf.schema_arrow.names)})", path.name, str(path))
    i = 0
    for batch in pf.iter_batches(batch_size=2048):
        for row in batch.to_pylist():
            i += 1
            yield i, row


def _file_records(path: Path, root: Path, cols: ColumnMap, outlet: str | None,
                  outlet_from_folder: bool) -> Iterator[dict[str, Any] | ErrorRecord]:
    suffix = _inner_suffix(path)
    rel = path.relative_to(root) if path != root else Path(path.name)
    doc_id = str(rel.with_suffix("") if path.suffix != ".gz" else rel.with_suffix("").with_suffix(""))
    doc_id = doc_id.replace("\\", "/")
    folder_outlet = rel.parts[0] if (outlet_from_folder and len(rel.parts) > 1) else None
    file_outlet = outlet or folder_outlet
    try:
        if suffix in TEXT_SUFFIXES:
            yield from _text_file(path, doc_id, file_outlet)
        elif suffix in HTML_SUFFIXES:
            yield from _html_file(path, doc_id, file_outlet)
        elif suffix in JSONL_SUFFIXES:
            yield from _records_from_rows(_jsonl_rows(path), path, cols, file_outlet)
        elif suffix in CSV_SUFFIXES:
            yield from _records_from_rows(_csv_rows(path, cols), path, cols, file_outlet)
        elif suffix in PARQUET_SUFFIXES:
            yield from _records_from_rows(_parquet_rows(path, cols), path, cols, file_outlet)
    except ArticleError as exc:
        if exc.doc_id is None:
            exc.doc_id = doc_id
        if exc.source is None:
            exc.source = str(path)
        yield ErrorRecord.from_exception(exc)
    except (OSError, ValueError) as exc:
        yield ErrorRecord(doc_id, str(path), "E001", f"cannot read file: {exc}")


def corpus_files(root: Path) -> list[Path]:
    """The corpus files under ``root``, in the stable order every engine uses."""
    return _walk(root)


def iter_file(path: Path, root: Path, *, columns: ColumnMap | None = None, outlet: str | None = None,
              outlet_from_folder: bool = True) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Validated records and errors of one corpus file, ids *not* de-duplicated (see :class:`IdRegistry`)."""
    state = IdRegistry(dedupe=False)
    for item in _file_records(path, root, columns or ColumnMap(), outlet, outlet_from_folder):
        if isinstance(item, ErrorRecord):
            yield item
        else:
            yield from _finish(item, state)


def _walk(root: Path) -> list[Path]:
    files = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(root).parts):
            continue
        if p.name.lower() in {"readme.md", "readme.txt", "license", "licence"}:
            continue
        if p.suffix.lower() in ALL_SUFFIXES and (p.suffix.lower() != ".gz" or _inner_suffix(p) in ALL_SUFFIXES):
            files.append(p)
    return files


def iter_corpus(
    source: str | Path | pd.DataFrame | Iterable[str],
    *,
    columns: ColumnMap | None = None,
    outlet: str | None = None,
    outlet_from_folder: bool = True,
) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Stream articles (dicts with :data:`CORPUS_COLUMNS`) and :class:`ErrorRecord` s, in a stable order."""
    cols = columns or ColumnMap()
    state = IdRegistry()

    def emit(items: Iterable[dict[str, Any] | ErrorRecord]) -> Iterator[dict[str, Any] | ErrorRecord]:
        for item in items:
            if isinstance(item, ErrorRecord):
                yield item
            else:
                yield from _finish(item, state)

    if isinstance(source, pd.DataFrame):
        missing = [c for c in (cols.text,) if c not in source.columns]
        if missing:
            raise FramingError("E012", f"DataFrame has no {cols.text!r} column (columns: {list(source.columns)})")
        rows = ((i + 1, r) for i, r in enumerate(source.to_dict("records")))
        yield from emit(_records_from_rows(rows, Path("dataframe"), cols, outlet))
        return
    if isinstance(source, (str, Path)) and not (isinstance(source, str) and "\n" in source):
        path = Path(source)
        if not path.exists():
            raise FramingError("E000", f"no such file or folder: {path}")
        if path.is_dir():
            files = _walk(path)
            if not files:
                raise FramingError("E009", f"folder {path} holds no .txt, .html, .jsonl, .csv or .parquet files")
            for f in files:
                yield from emit(_file_records(f, path, cols, outlet, outlet_from_folder))
        else:
            yield from emit(_file_records(path, path.parent, cols, outlet, False))
        return
    if isinstance(source, str):
        source = [source]
    for i, text in enumerate(source):
        doc_id = f"doc{i + 1}"
        if not isinstance(text, str):
            yield ErrorRecord(doc_id, None, "E004", f"item {i} is a {type(text).__name__}, not a string")
            continue
        yield from emit([{"doc_id": doc_id, "outlet": outlet, "title": None, "text": text,
                          "date": None, "url": None, "source": None}])


def read_corpus(
    source: str | Path | pd.DataFrame | Iterable[str],
    *,
    text_col: str = "text",
    id_col: str = "doc_id",
    outlet_col: str = "outlet",
    title_col: str = "title",
    date_col: str = "date",
    url_col: str = "url",
    outlet: str | None = None,
    outlet_from_folder: bool = True,
) -> pd.DataFrame:
    """Read a corpus into a DataFrame with one row per article.

    Parameters
    ----------
    source : path, DataFrame or list of str
        A folder (read recursively), a single file, a DataFrame, or texts.
    text_col, id_col, outlet_col, title_col, date_col, url_col : str
        Column names in JSON Lines, CSV, Parquet or DataFrame input.
    outlet : str, optional
        Outlet for every article (overrides folder names).
    outlet_from_folder : bool
        For files in a folder, take the outlet from the first sub-folder name.

    Returns
    -------
    DataFrame
        Columns ``doc_id, outlet, title, text, date, url, source`` (plus ``markup_boilerplate``
        for HTML pages). Articles that could not be read are listed in ``df.attrs["errors"]``
        (a DataFrame with ``doc_id, source, code, severity, reason``) and a warning says how many.

    Examples
    --------
    >>> df = read_corpus(["Officials said the talks failed.", "   "])
    >>> list(df.doc_id), list(df.attrs["errors"].code)
    (['doc1'], ['E005'])
    """
    cols = ColumnMap(doc_id=id_col, outlet=outlet_col, title=title_col, text=text_col, date=date_col, url=url_col)
    records, errors = [], []
    for item in iter_corpus(source, columns=cols, outlet=outlet, outlet_from_folder=outlet_from_folder):
        if isinstance(item, ErrorRecord):
            errors.append(item.as_dict())
        else:
            records.append(item)
    df = pd.DataFrame(records)
    for col in CORPUS_COLUMNS:
        if col not in df.columns:
            df[col] = pd.Series(dtype=object)
    extra = [c for c in df.columns if c not in CORPUS_COLUMNS]
    df = df[CORPUS_COLUMNS + extra]
    err = pd.DataFrame(errors, columns=ERROR_COLUMNS)
    df.attrs["errors"] = err
    n_bad = int((err.severity == "error").sum()) if len(err) else 0
    if n_bad:
        warnings.warn(f"{n_bad} article(s) could not be read; see df.attrs['errors']", FramingWarning, stacklevel=2)
    return df
