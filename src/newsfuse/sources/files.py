"""Read files and folders into raw input items, one per article-sized record.

Container formats are split here so memory stays bounded: JSONL is read line
by line and CSV row by row.  Whatever cannot be read becomes a ``Rejected``
with the path and the reason, and the walk goes on.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from newsfuse.models import RawItem, Rejected

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
_CONTAINER_LIMIT = 4 * 1024**3
_SNIFF = 8192


def _walk(paths: Iterable[Path]) -> Iterator[Path | Rejected]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child
        elif path.is_file():
            yield path
        else:
            yield Rejected(str(path), "no such file or folder")


def parquet_parts(paths: Iterable[Path]) -> list[Path]:
    """The Parquet part files among ``paths`` and in their folders (``read_inputs`` leaves them out)."""
    return [p for p in _walk(paths) if isinstance(p, Path) and p.suffix == ".parquet"]


def changed_files(paths: Iterable[Path], seen: dict[Path, float]) -> list[Path]:
    """Files under ``paths`` that are new or modified since ``seen`` (updated in place)."""
    changed = []
    for entry in _walk(paths):
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


def _rows(path: Path, origin: str, stem: str, delimiter: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    with _open(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        try:
            reader = csv.DictReader(text, delimiter=delimiter)
            for number, row in enumerate(reader, start=2):
                where = f"{origin}:{number}"
                if None in row:
                    yield Rejected(where, "row has more fields than the header")
                    continue
                data = json.dumps(row).encode()
                if len(data) > max_bytes:
                    yield Rejected(where, f"oversized row ({len(data)} bytes > {max_bytes})")
                    continue
                yield RawItem(where, "json", data, stem)
        except UnicodeDecodeError as exc:
            yield Rejected(origin, f"cannot decode CSV as UTF-8 ({exc.reason} at byte {exc.start})")
        except csv.Error as exc:
            yield Rejected(origin, f"malformed CSV: {exc}")


def _lines(path: Path, origin: str, stem: str, max_bytes: int) -> Iterator[RawItem | Rejected]:
    with _open(path) as raw:
        for number, line in enumerate(raw, start=1):
            if not line.strip():
                continue
            where = f"{origin}:{number}"
            if len(line) > max_bytes:
                yield Rejected(where, f"oversized line ({len(line)} bytes > {max_bytes})")
            else:
                yield RawItem(where, "json", line, stem)


def read_inputs(paths: Iterable[Path], *, max_bytes: int) -> Iterator[RawItem | Rejected]:
    """Yield raw items from files and folders; each unreadable one as ``Rejected``."""
    for entry in _walk(paths):
        if isinstance(entry, Rejected):
            yield entry
            continue
        if entry.suffix == ".parquet":
            continue  # analysed parts: see parquet_parts
        origin, stem = str(entry), entry.name.split(".")[0]
        try:
            with _open(entry) as handle:
                head = handle.read(_SNIFF)
            kind = _kind(entry, head)
            if not head.strip():
                yield Rejected(origin, "empty file")
            elif _looks_binary(head):
                yield Rejected(origin, "binary file (contains NUL bytes)")
            elif kind == "unknown":
                yield Rejected(origin, "unknown format (use .txt, .json, .jsonl, .csv, .html or .xml/.rss/.atom)")
            elif kind == "jsonl":
                yield from _lines(entry, origin, stem, max_bytes)
            elif kind in ("csv", "tsv"):
                yield from _rows(entry, origin, stem, "," if kind == "csv" else "\t", max_bytes)
            else:
                limit = _CONTAINER_LIMIT if kind in ("jsonfile", "feed") else max_bytes
                with _open(entry) as handle:
                    data = handle.read(limit + 1)
                if len(data) > limit:
                    yield Rejected(origin, f"oversized file (more than {limit} bytes)")
                else:
                    yield RawItem(origin, "json" if kind == "jsonfile" else kind, data, stem)  # type: ignore[arg-type]
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield Rejected(origin, f"cannot read file: {exc}")
