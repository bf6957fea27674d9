"""The fault matrix: malformed inputs, each with the outcome it must have (docs/robustness.md lists them).

Each case is a file; its expected outcome is one entry per item read from it, in order: a rejection
code (``newsfuse.models.RejectCode``) or ``"stored"``.  Where the format allows it a good record comes
after the bad one, so the case also shows that the rest of the file goes on."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass

TEXT = "Rescue teams reached the flooded valley on Monday after heavy rain cut the only road."
MAX_BYTES = 5_000_000  # IngestSettings().max_bytes
GOOD = json.dumps({"text": TEXT, "date": "2023-10-27", "source": "Wire"})


@dataclass(frozen=True)
class Fault:
    """One malformed input: its file name, how to make its bytes, and the outcome of each item in it."""

    case: str
    name: bytes
    make: Callable[[], bytes]
    expected: tuple[str, ...]


def _jsonl(*lines: str) -> Callable[[], bytes]:
    return lambda: "\n".join(lines).encode()


def _record(**fields: object) -> str:
    return json.dumps({"text": TEXT, "date": "2023-10-27", "source": "Wire", **fields})


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _feed(items: str) -> Callable[[], bytes]:
    return lambda: (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Desk</title>{items}</channel></rss>".encode()
    )


def _item(date: str = "<pubDate>Fri, 27 Oct 2023 08:00:00 GMT</pubDate>") -> str:
    return f"<item><title>Flood</title><link>https://example.org/a</link>{date}<description>{TEXT}</description></item>"


def _bomb(prefix: bytes, filler: bytes, size: int, suffix: bytes = b"") -> Callable[[], bytes]:
    """A gzip file that inflates to more than ``size`` bytes (compressed in pieces, never held whole)."""

    def make() -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = filler * (1 << 20 // len(filler))
        parts = [compressor.compress(prefix)]
        parts += [compressor.compress(chunk) for _ in range(size // len(chunk) + 1)]
        return b"".join([*parts, compressor.compress(suffix), compressor.flush()])

    return make


FAULTS: tuple[Fault, ...] = (
    # text encodings and names
    Fault("lone surrogate in text", b"surrogate-text.jsonl", _jsonl(_record(text=TEXT + " \ud800 end.")), ("stored",)),
    Fault("lone surrogate in title", b"surrogate-title.jsonl", _jsonl(_record(title="Flood \udfff")), ("stored",)),
    Fault("lone surrogate in source", b"surrogate-source.jsonl", _jsonl(_record(source="Wire\ud83d")), ("stored",)),
    Fault(
        "lone surrogate in date",
        b"surrogate-date.jsonl",
        _jsonl(_record(date="\ud800\udc00x"), GOOD),
        ("bad_date", "stored"),
    ),
    Fault("file name not UTF-8", b"caf\xe9-desk.txt", lambda: f"date 2023-10-27 {TEXT}".encode(), ("stored",)),
    Fault(
        "NUL escape in text", b"nul-escape.jsonl", _jsonl(_record(text=TEXT + "\u0000 more words here.")), ("stored",)
    ),
    Fault("UTF-16 text with BOM", b"utf16.txt", lambda: f"date 2023-10-27 {TEXT}".encode("utf-16"), ("stored",)),
    Fault(
        "Latin-1 text", b"latin1.txt", lambda: f"date 2023-10-27 Le café a fermé. {TEXT}".encode("latin-1"), ("stored",)
    ),
    Fault("UTF-8 BOM on JSONL", b"bom.jsonl", lambda: b"\xef\xbb\xbf" + GOOD.encode(), ("stored",)),
    Fault(
        "CSV not UTF-8",
        b"latin1.csv",
        lambda: f"text,date\n{TEXT} caf\xe9,2023-10-27\n".encode("latin-1"),
        ("bad_encoding",),
    ),
    Fault(
        "undecodable text bytes",
        b"garbage.txt",
        lambda: b"date 2023-10-27 " + bytes(range(128, 256)) * 40,
        ("bad_encoding",),
    ),
    # structure
    Fault("JSONL nested 1,000 levels", b"deep.jsonl", _jsonl(_deep(1000), GOOD), ("too_deep", "stored")),
    Fault(
        "JSON array nested 100,000 levels", b"deep.json", lambda: ("[" + _deep(100_000) + "]").encode(), ("too_deep",)
    ),
    Fault(
        "text a list nested 900 levels",
        b"deep-text.jsonl",
        _jsonl(_record(text=json.loads(_deep(900))), GOOD),
        ("too_short", "stored"),
    ),
    Fault("malformed JSONL line", b"malformed.jsonl", _jsonl("{not json", GOOD), ("malformed_json", "stored")),
    Fault("JSONL line is a number", b"number.jsonl", _jsonl("5", GOOD), ("not_a_record", "stored")),
    Fault("JSON file is a string", b"string.json", lambda: b'"just a string"', ("not_a_record",)),
    Fault(
        "JSON array element not an object", b"mixed.json", lambda: f"[7, {GOOD}]".encode(), ("not_a_record", "stored")
    ),
    Fault(
        "JSON array element malformed",
        b"broken.json",
        lambda: f"[{GOOD}, {{oops}}]".encode(),
        ("stored", "malformed_json"),
    ),
    Fault(
        "JSON array missing comma", b"nocomma.json", lambda: f"[{GOOD} {GOOD}]".encode(), ("stored", "malformed_json")
    ),
    Fault(
        "JSON array truncated",
        b"truncated.json",
        lambda: f"[{GOOD}, {GOOD[:40]}".encode(),
        ("stored", "malformed_json"),
    ),
    Fault("empty JSON array", b"empty-array.json", lambda: b"  [ ]  ", ()),
    Fault("same record twice", b"twice.jsonl", _jsonl(GOOD, GOOD), ("stored", "stored")),
    # fields
    Fault("no text field", b"notext.jsonl", _jsonl(json.dumps({"date": "2023-10-27"}), GOOD), ("no_text", "stored")),
    Fault("text is a number", b"numtext.jsonl", _jsonl(_record(text=42), GOOD), ("no_text", "stored")),
    Fault("text only blanks", b"blank-text.jsonl", _jsonl(_record(text="   \n  "), GOOD), ("empty_text", "stored")),
    Fault("text as a list of strings", b"list-text.jsonl", _jsonl(_record(text=[TEXT, TEXT])), ("stored",)),
    Fault("no date field", b"nodate.jsonl", _jsonl(json.dumps({"text": TEXT}), GOOD), ("no_date", "stored")),
    Fault("date is true", b"booldate.jsonl", _jsonl(_record(date=True), GOOD), ("bad_date", "stored")),
    Fault("date far out of range", b"hugedate.jsonl", _jsonl(_record(date=1e20), GOOD), ("bad_date", "stored")),
    Fault("date in the future", b"future.txt", lambda: f"date 2099-01-01 {TEXT}".encode(), ("bad_date",)),
    Fault("date impossible", b"baddate.txt", lambda: f"date 2023-13-45 {TEXT}".encode(), ("bad_date",)),
    Fault("text file without date", b"nodate.txt", lambda: TEXT.encode(), ("no_date",)),
    Fault("too short", b"short.txt", lambda: b"date 2023-10-27 Too short.", ("too_short",)),
    # files
    Fault("empty file", b"empty.txt", lambda: b"", ("empty_file",)),
    Fault("blank file", b"blank.txt", lambda: b"   \n\n", ("empty_file",)),
    Fault("binary file", b"image.png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary",)),
    Fault(
        "unknown format", b"notes.doc", lambda: b"just some words without any format marker at all", ("unknown_format",)
    ),
    Fault("SQLite database as input", b"other.db", lambda: b"SQLite format 3\x00" + b"\x00" * 100, ("binary",)),
    Fault("truncated gzip", b"truncated.jsonl.gz", lambda: gzip.compress(GOOD.encode() * 50)[:-30], ("unreadable",)),
    Fault(
        "corrupt gzip", b"corrupt.jsonl.gz", lambda: gzip.compress(GOOD.encode())[:12] + b"\xff" * 40, ("unreadable",)
    ),
    Fault("not gzip", b"plain.jsonl.gz", lambda: GOOD.encode(), ("unreadable",)),
    # sizes
    Fault(
        "JSONL line over the limit",
        b"long.jsonl",
        _jsonl(_record(text="word " * (MAX_BYTES // 5)), GOOD),
        ("oversized", "stored"),
    ),
    Fault(
        "gzip bomb: one long JSONL line",
        b"bomb.jsonl.gz",
        _bomb(b'{"text": "', b"a", 8 * MAX_BYTES, b'"}\n' + GOOD.encode()),
        ("oversized", "stored"),
    ),
    Fault("gzip bomb: JSON array", b"bomb.json.gz", _bomb(b'[{"text": "', b"a", 8 * MAX_BYTES, b'"}]'), ("oversized",)),
    Fault(
        "gzip bomb: feed",
        b"bomb.xml.gz",
        _bomb(b"<?xml version='1.0'?><rss><channel><title>", b"a", 8 * MAX_BYTES),
        ("oversized",),
    ),
    Fault(
        "JSON object over the limit",
        b"big.json",
        lambda: _record(text="word " * (MAX_BYTES // 5)).encode(),
        ("oversized",),
    ),
    Fault(
        "JSON array element over the limit",
        b"big-element.json",
        lambda: f"[{_record(text='word ' * (MAX_BYTES // 5))}, {GOOD}]".encode(),
        ("oversized", "stored"),
    ),
    Fault(
        "text file over the limit",
        b"big.txt",
        lambda: f"date 2023-10-27 {TEXT * (MAX_BYTES // len(TEXT) + 1)}".encode(),
        ("oversized",),
    ),
    # CSV
    Fault(
        "CSV field of 200 KB",
        b"long-field.csv",
        lambda: f'text,date\n"{"word " * 40_000}",2023-10-27\n"{TEXT}",2023-10-28\n'.encode(),
        ("stored", "stored"),
    ),
    Fault(
        "CSV field over the limit",
        b"huge-field.csv",
        lambda: f'text,date\n"{"word " * (MAX_BYTES // 5 + 1)}",2023-10-27\n"{TEXT}",2023-10-28\n'.encode(),
        ("oversized", "stored"),
    ),
    Fault(
        "CSV row with extra fields",
        b"extra.csv",
        lambda: f"text,date\n{TEXT},2023-10-27,surplus\n{TEXT},2023-10-28\n".encode(),
        ("malformed_csv", "stored"),
    ),
    Fault(
        "CSV row without date",
        b"nodate.csv",
        lambda: f'text,date,source\n"{TEXT}",,Paper\n"{TEXT}",2023-10-28,Paper\n'.encode(),
        ("no_date", "stored"),
    ),
    # pages and feeds
    Fault("HTML without article text", b"empty.html", lambda: b"<html><body></body></html>", ("no_html_text",)),
    Fault("feed that is not XML", b"broken.rss", lambda: b"<rss><channel><item>&bogus; <<<", ("empty_text",)),
    Fault("feed cut short", b"cut.xml", lambda: b"<?xml version='1.0'?><rss><chan", ("not_a_feed",)),
    Fault("feed without entries", b"empty.rss", _feed(""), ("empty_feed",)),
    Fault("feed entry without date", b"nodate.rss", _feed(_item(date="") + _item()), ("no_date", "stored")),
    Fault(
        "feed with an external entity",
        b"entity.xml",
        lambda: (
            b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss><channel><title>&x;</title></channel></rss>"
        ),
        ("empty_feed",),
    ),
)
