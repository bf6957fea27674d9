"""Property-based fuzz of every reader: no input makes reading raise, and what came before stays as it was."""

from __future__ import annotations

import gzip
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faults import GOOD, TEXT
from newsfuse.models import Article, Rejected
from newsfuse.settings import IngestSettings
from newsfuse.sources.files import read_inputs
from newsfuse.stages.ingest import parse_item

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LIMIT = 4000  # a small size limit, so that the fuzz reaches the oversize paths too
# each reader's file suffix, and a good record that comes before the fuzzed bytes
PREFIXES = {
    ".jsonl": GOOD + "\n",
    ".json": f"[{GOOD},",
    ".csv": f'text,date,source\n"{TEXT}",2023-10-27,Wire\n',
    ".tsv": f"text\tdate\tsource\n{TEXT}\t2023-10-27\tWire\n",
    ".txt": "",
    ".html": "",
    ".rss": "",
}
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(["text", "date", "source", "title", "url", "x"]), inner, max_size=5)
    ),
    max_leaves=20,
)
_junk = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    _json.map(lambda v: json.dumps(v).encode()),
    st.lists(_json.map(json.dumps), max_size=8).map(lambda lines: "\n".join(lines).encode()),
    st.sampled_from(
        [b"[" * 5000, b"{" * 3000, b'"\\ud800"', b"\x00" * 10, b"a" * (LIMIT * 2), b"<rss><item>", b'"', b"\r"]
    ),
)


def _results(path: Path) -> list[Article | Rejected]:
    ingest = IngestSettings(max_bytes=LIMIT)
    results: list[Article | Rejected] = []
    for item in read_inputs([path], max_bytes=LIMIT):
        results += [item] if isinstance(item, Rejected) else parse_item(item, settings=ingest, now=NOW)
    return results


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from(sorted(PREFIXES)), compressed=st.booleans(), junk=_junk)
def test_fuzz_readers_never_raise_and_keep_earlier_rows(suffix: str, compressed: bool, junk: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="newsfuse-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}{'.gz' if compressed else ''}"
        prefix = PREFIXES[suffix].encode()
        path.write_bytes(gzip.compress(prefix) if compressed else prefix)
        before = _results(path) if prefix else []
        data = prefix + junk
        path.write_bytes(gzip.compress(data) if compressed else data)
        after = _results(path)  # must not raise
    assert all(isinstance(r, Article) or r.code != "internal_error" for r in after), after
    if after and isinstance(after[0], Rejected) and after[0].code == "binary":
        return  # NUL bytes near the start: the file as a whole is taken for binary, by design
    stored = [r for r in before if isinstance(r, Article)]
    assert after[: len(stored)] == stored
