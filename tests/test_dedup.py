from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

import numpy as np
from datasketch import MinHash

from newsfuse.settings import DedupSettings
from newsfuse.stages.dedup import find_duplicates, minhash_signature, minhash_values, shingle_hashes, word_hashes

SETTINGS = DedupSettings()
DAY = datetime(2023, 10, 27, tzinfo=UTC)


def _sample(name: str) -> str:
    text = resources.files("newsfuse").joinpath("examples", name).read_text(encoding="utf-8")
    return text.split("\n\n", 1)[-1]


def test_shingles_are_word_grams_of_lowercased_text() -> None:
    assert len(shingle_hashes("a b c d e f g", 5)) == 3
    assert np.array_equal(shingle_hashes("A, b c d e!", 5), shingle_hashes("a b c d e", 5))
    repeated = shingle_hashes("a b c d e b c d e", 4)
    assert len(repeated) == 6 and len(set(repeated.tolist())) == 5  # "b c d e" twice: one hash twice
    assert len(shingle_hashes("", 5)) == len(shingle_hashes("two words", 5)) == 1
    assert not np.array_equal(shingle_hashes("a b c d e", 5), shingle_hashes("e d c b a", 5))


def test_words_are_unicode_word_runs() -> None:
    assert len(word_hashes("Héllo, wörld! the_cat “yes” 12")) == 5
    assert np.array_equal(word_hashes("Zürich zürich"), word_hashes("zürich ZÜRICH"))
    assert len(set(word_hashes("ab ba abc a b c").tolist())) == 6
    assert len(word_hashes(" ,;  ")) == 0
    ascii_text = "Hello, World_x\t12ab  (AP) -- x"
    assert np.array_equal(word_hashes(ascii_text), word_hashes(ascii_text + " —"))  # byte table = regex path


def test_numpy_minhash_is_datasketchs() -> None:
    hashes = shingle_hashes(_sample("us-strikes-syria-a.txt"), 5)
    reference = MinHash(num_perm=64, seed=1, scheme="affine32", hashfunc=int)
    reference.update_batch(hashes.tolist())
    assert np.array_equal(minhash_values(hashes, 64), reference.hashvalues)
    assert np.array_equal(minhash_values(np.concatenate([hashes, hashes[:9]]), 64), reference.hashvalues)


def test_lightly_edited_copy_is_a_duplicate_of_the_earliest() -> None:
    original = _sample("us-strikes-syria-a.txt")
    edited = original.replace("Pentagon", "US Defense Department", 1) + " Reporting by a wire desk."
    other = _sample("us-strikes-syria-b.txt")
    items = [
        (aid, when, np.asarray(minhash_signature(text, SETTINGS), dtype=np.uint32))
        for aid, when, text in [
            ("copy", DAY + timedelta(hours=3), edited),
            ("first", DAY, original),
            ("other", DAY + timedelta(hours=1), other),
            ("late-copy", DAY + timedelta(days=SETTINGS.window_days + 1), original),
        ]
    ]
    found = {(d.article_id, d.original_id) for d in find_duplicates(items, SETTINGS)}
    assert found == {("copy", "first")}  # the other outlet's report is not a copy; the late one is out of window
