"""Read files and folders into raw input items, one per article-sized record.

Container formats are split here so memory stays bounded: JSONL is read line
by line, CSV row by row and JSON arrays element by element, each read stopping
at the size limit (of the decompressed bytes, for ``.gz`` files).  Whatever
cannot be read becomes a ``Rejected`` with the path, a code and the reason, and
the walk goes on: no input makes the reader raise.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import os
import re
import zlib
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from newsfuse.models import RawItem, RejectCode, Rejected

_SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "sample",
    ".json": "jsonfile",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".html": "html",
    ".htm": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_FEED_FACTOR = 4  # a feed holds many articles, so it may be this many times the per-item limit
_SNIFF = 8192
_CHUNK = 1 << 16  # characters read at a time from a JSON array
_SPACE = re.compile(r"[ \t\r\n]*")


def display_name(path: Path | str) -> str:
    """``path`` as valid text: bytes of a file name that are not UTF-8 shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(paths: Iterable[Path], exclude: Collection[Path] = ()) -> Iterator[Path | Rejected]:
    """Files of ``paths`` (folders recursively, hidden entries left out), except those in ``exclude``
    (resolved paths, e.g. the store's own database files)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and not (exclude and child.resolve() in exclude):
                    yield child
        elif path.is_file():
            if not (exclude and path.resolve() in exclude):
                yield path
        else:
            yield Rejected(display_name(path), "no such file or folder", "no_such_path")


def parquet_parts(paths: Iterable[Path]) -> list[Path]:
    """The Parquet part files among ``paths`` and in their folders (``read_inputs`` leaves them out)."""
    return [p for p in _walk(paths) if isinstance(p, Path) and p.suffix == ".parquet"]


def changed_files(paths: Iterable[Path], seen: dict[Path, float], *, exclude: Collection[Path] = ()) -> list[Path]:
    """Files under ``paths`` (except ``exclude``, as in ``read_inputs``) that are new or modified since
    ``seen`` (updated in place)."""
    changed = []
    for entry in _walk(paths, exclude):
        if isinstance(entry, Rejected):
            continue
        try:
            stamp = entry.stat().st_mtime
        except OSError:
            continue
        if seen.get(entry) != stamp:
            seen[entry] = stamp
            changed.append(entry)
    return changed


def _kind(path: Path, head: bytes) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"date"):
        return "sample"
    return "unknown"


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def _text_lines(raw: IO[bytes], max_bytes: int, flagged: list[RejectCode]) -> Iterator[str]:
    """Lines of ``raw`` decoded as UTF-8 one by one, each read at most ``max_bytes`` at a time.  A longer
    line, or one that is not UTF-8, is skipped (``flagged`` gets its code) and stands as an empty line,
    so that no line is ever held whole and one bad line spoils no other."""
    encoding = "utf-8-sig"  # a byte order mark may open the first line
    while line := raw.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := raw.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            flagged.append("oversized")
            text = "\n"
        else:
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                flagged.append("bad_encoding")
                text = "\n"
        encoding = "utf-8"
        yield text


_FLAG_REASONS: dict[RejectCode, str] = {
    "oversized": "oversized row (a line over the size limit)",
    "bad_encoding": "row is not UTF-8",
}


def _rows(path: Path, origin: str, stem: str, delimiter: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    """Rows of a CSV/TSV file as JSON items; a bad or oversized row is rejected alone."""
    csv.field_size_limit(max(max_bytes, csv.field_size_limit()))  # fields up to the per-item limit
    flagged: list[RejectCode] = []
    with _open(path) as raw:
        reader = csv.reader(_text_lines(raw, max_bytes, flagged), delimiter=delimiter)
        header: list[str] | None = None
        number = 1
        while True:
            seen = len(flagged)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield Rejected(f"{origin}:{number}", f"malformed CSV row: {exc}", "malformed_csv")
                continue
            if header is None:
                if len(flagged) > seen:
                    yield Rejected(origin, f"bad header: {_FLAG_REASONS[flagged[-1]]}", flagged[-1])
                    return
                header = row
                continue
            if not row and len(flagged) == seen:
                continue  # a blank line
            number += 1
            where = f"{origin}:{number}"
            if len(flagged) > seen:
                yield Rejected(where, _FLAG_REASONS[flagged[-1]], flagged[-1])
            elif len(row) > len(header):
                yield Rejected(where, "row has more fields than the header", "malformed_csv")
            elif len(data := json.dumps(dict(zip(header, row, strict=False))).encode()) > max_bytes:
                yield Rejected(where, f"oversized row ({len(data)} bytes > {max_bytes})", "oversized")
            else:
                yield RawItem(where, "json", data, stem)


def _lines(path: Path, origin: str, stem: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    """Lines of a JSONL file, each read at most ``max_bytes`` (plus one) at a time."""
    with _open(path) as raw:
        number = 0
        while line := raw.readline(max_bytes + 1):
            number += 1
            where = f"{origin}:{number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while (rest := raw.readline(_CHUNK)) and not rest.endswith(b"\n"):
                    pass
                yield Rejected(where, f"oversized line (more than {max_bytes} bytes)", "oversized")
            elif line.strip():
                yield RawItem(where, "json", line, stem)


class _Array:
    """Reads the elements of a JSON array from a text stream, holding one element at a time."""

    def __init__(self, text: IO[str]) -> None:
        self.text, self.buffer, self.pos, self.eof = text, "", 0, False

    def more(self) -> bool:
        """Read on (doubling what is held, so a long element costs a few reads); False at the end."""
        chunk = self.text.read(max(_CHUNK, len(self.buffer) - self.pos))
        if not chunk:
            self.eof = True
            return False
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            match = _SPACE.match(self.buffer, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""


def _elements(text: IO[str], origin: str, stem: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    array, decoder = _Array(text), json.JSONDecoder()
    array.peek()
    array.pos += 1  # the "[" the caller saw
    if array.peek() == "]":
        return
    for index in itertools.count():
        where = f"{origin}[{index}]"
        array.peek()
        while True:
            try:
                _, end = decoder.raw_decode(array.buffer, array.pos)
            except json.JSONDecodeError as exc:
                if len(array.buffer) - array.pos > max_bytes:
                    yield Rejected(where, f"oversized record (more than {max_bytes} bytes); rest not read", "oversized")
                    return
                if array.more():
                    continue
                yield Rejected(where, f"malformed JSON: {exc.msg}; rest of the array not read", "malformed_json")
                return
            except RecursionError:
                yield Rejected(where, "JSON nested too deeply; rest of the array not read", "too_deep")
                return
            if end < len(array.buffer) or array.eof or not array.more():
                break  # else a number at the end of what was read may go on: decode again
        data = array.buffer[array.pos : end].encode()
        array.pos = end
        if len(data) > max_bytes:
            yield Rejected(where, f"oversized record ({len(data)} bytes > {max_bytes})", "oversized")
        else:
            yield RawItem(where, "json", data, stem)
        after = array.peek()
        if after == "]":
            return
        if after != ",":
            yield Rejected(f"{origin}[{index + 1}]", "malformed JSON array (expected , or ])", "malformed_json")
            return
        array.pos += 1


def _json_file(path: Path, origin: str, stem: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    """A ``.json`` file: an array is streamed element by element, anything else read as one record."""
    with _open(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")
        if text.read(_SNIFF).lstrip(" \t\r\n").startswith("["):
            text.seek(0)
            yield from _elements(text, origin, stem, max_bytes)
            return
    yield from _whole(path, origin, stem, "json", max_bytes)


def _whole(path: Path, origin: str, stem: str, kind: str, limit: int) -> Iterator[RawItem | Rejected]:
    with _open(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        yield Rejected(origin, f"oversized file (more than {limit} bytes)", "oversized")
    else:
        yield RawItem(origin, kind, data, stem)  # type: ignore[arg-type]


def _read_file(entry: Path, origin: str, stem: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    with _open(entry) as handle:
        head = handle.read(_SNIFF)
    kind = _kind(entry, head)
    if not head.strip():
        yield Rejected(origin, "empty file", "empty_file")
    elif _looks_binary(head):
        yield Rejected(origin, "binary file (contains NUL bytes)", "binary")
    elif kind == "unknown":
        reason = "unknown format (use .txt, .json, .jsonl, .csv, .html or .xml/.rss/.atom)"
        yield Rejected(origin, reason, "unknown_format")
    elif kind == "jsonl":
        yield from _lines(entry, origin, stem, max_bytes)
    elif kind in ("csv", "tsv"):
        yield from _rows(entry, origin, stem, "," if kind == "csv" else "\t", max_bytes)
    elif kind == "jsonfile":
        yield from _json_file(entry, origin, stem, max_bytes)
    else:
        yield from _whole(entry, origin, stem, kind, max_bytes * (_FEED_FACTOR if kind == "feed" else 1))


def read_inputs(
    paths: Iterable[Path], *, max_bytes: int, exclude: Collection[Path] = ()
) -> Iterator[RawItem | Rejected]:
    """Yield raw items from files and folders (except the resolved paths in ``exclude``); each
    unreadable one as ``Rejected``.  Never raises: an unexpected error ends that file with a
    rejection (code ``internal_error``) and the next file is read."""
    for entry in _walk(paths, exclude):
        if isinstance(entry, Rejected):
            yield entry
            continue
        if entry.suffix == ".parquet":
            continue  # analysed parts: see parquet_parts
        origin, stem = display_name(entry), display_name(entry.name).split(".")[0]
        try:
            yield from _read_file(entry, origin, stem, max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            yield Rejected(origin, f"cannot read file: {exc}", "unreadable")
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            yield Rejected(origin, f"unexpected error reading file: {type(exc).__name__}: {exc}", "internal_error")
