"""The fault matrix (tests/faults.py): every malformed input ends as its expected rejection, never a crash."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from faults import FAULTS, GOOD, Fault
from newsfuse.cli import main
from newsfuse.models import Article, Rejected
from newsfuse.pipeline import analyse_pending, ingest, update
from newsfuse.settings import IngestSettings, Settings
from newsfuse.sources.files import read_inputs
from newsfuse.stages.ingest import parse_item
from newsfuse.store import Store

TEXT_LATER = "Rescue teams reached the flooded valley again on Tuesday as the water rose in the town."
ROBUSTNESS_DOC = Path(__file__).parents[1] / "docs" / "robustness.md"


def _write(folder: Path, fault: Fault) -> Path:
    path = Path(os.fsdecode(os.fsencode(folder) + b"/" + fault.name))
    path.write_bytes(fault.make())
    return path


def _outcomes(path: Path, now: datetime) -> list[str]:
    outcomes = []
    for item in read_inputs([path], max_bytes=IngestSettings().max_bytes):
        results = [item] if isinstance(item, Rejected) else parse_item(item, settings=IngestSettings(), now=now)
        outcomes += ["stored" if isinstance(r, Article) else r.code for r in results]
    return outcomes


def test_faults_matrix_has_forty_cases() -> None:
    assert len(FAULTS) >= 40
    assert len({f.case for f in FAULTS}) == len({f.name for f in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.case for f in FAULTS])
def test_faults_matrix_outcome(tmp_path: Path, now: datetime, fault: Fault) -> None:
    assert tuple(_outcomes(_write(tmp_path, fault), now)) == fault.expected


def test_faults_matrix_documented() -> None:
    rows = {
        cells[1].strip(): cells[3].strip()
        for line in ROBUSTNESS_DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("|") and len(cells := line.split("|")) > 4
    }
    for fault in FAULTS:
        assert rows.get(fault.case) == (", ".join(f"`{o}`" for o in fault.expected) or "nothing"), fault.case


def test_faults_folder_ingests_the_good_and_records_each_rejection_once(tmp_path: Path, now: datetime) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    small = [f for f in FAULTS if "bomb" not in f.case and "limit" not in f.case]
    for fault in small:
        _write(folder, fault)
    db = folder / "inside.db"  # the store sits in the folder it reads: its files are never input
    expected_rejections = sum(o != "stored" for f in small for o in f.expected)
    with Store(db) as store:
        report = ingest(store, [folder], Settings(), now=now)
        assert len(report.rejected) == len(report.new_rejections) == expected_rejections
        assert not any("inside.db" in r.origin for r in report.rejected)
        assert store.count_articles() > 0 and store.count_events() > 0
        again = ingest(store, [folder], Settings(), now=now)
        assert len(again.rejected) == expected_rejections and again.new_rejections == []
        assert len(store.rejections()) == expected_rejections
        assert store.ungrouped_ids() == []
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output  # nothing new was rejected
    shutil.copy(folder / "notes.doc", folder / "notes-2.doc")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 3 and "notes-2.doc" in result.output and "[unknown_format]" in result.output


def test_faults_same_id_twice_in_one_update(tmp_path: Path, now: datetime) -> None:
    """Two overlapping exports in one pooled run can send an article to grouping twice."""
    settings = Settings()
    (tmp_path / "seed.jsonl").write_text(GOOD)
    with Store(tmp_path / "twice.db") as store:
        ingest(store, [tmp_path / "seed.jsonl"], settings, now=now)  # events exist: the next run updates them
        late = Article("f" * 16, "Other", "Flood", TEXT_LATER, datetime(2023, 10, 28, tzinfo=UTC))
        store.add_articles([late], [], now=now)
        [analysed] = analyse_pending(store, settings)
        update(store, settings, [analysed, analysed])
        assert store.ungrouped_ids() == []
        assert sum(late.article_id in e.article_ids for e in store.events(limit=100)) == 1
