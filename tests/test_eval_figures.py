"""The figure evaluations: the gva_dev export, the blind-pair scorer and the audit draw."""

from __future__ import annotations

from datetime import UTC, datetime

from newsfuse.evaluation.audit import draw
from newsfuse.evaluation.gva import export_event
from newsfuse.evaluation.pairs import Mention, Pair, predict
from newsfuse.models import Article, Citation, Claim, Event, Extraction, Figure, Measure
from newsfuse.stages.extract.quantities import tag_quantities
from newsfuse.stages.split import split_sentences

DAY = datetime(2015, 7, 24, tzinfo=UTC)


def test_gva_export_puts_the_latest_figure_of_an_update_first() -> None:
    early, late = DAY.replace(hour=6), DAY.replace(hour=18)
    citations = (Citation("a", "A", 0, "7 hurt", "7", early), Citation("b", "B", 0, "9 wounded", "9", late))
    claim = Claim("c", "e", "count", "count:person|injured", "people injured", "updated", ("7", "9"), citations,
                  measure=Measure("count", "person", "injured"), figures=(Figure(7, "", "7", early),
                                                                          Figure(9, "", "9", late)))  # fmt: skip
    event = Event("e", "x", ("a", "b"), early, late)
    row = export_event(event, [claim], {"a": "origin-a", "b": "origin-b"})
    assert row["article_ids"] == ["origin-a", "origin-b"]
    assert row["claims"][0]["slot"] == "injured" and row["claims"][0]["values"] == [9, 7]


def test_gva_export_leaves_out_figures_of_other_things() -> None:
    citations = (Citation("a", "A", 0, "3 officers hurt", "3", DAY),)
    claim = Claim("c", "e", "count", "count:officer|injured", "officers injured", "single-source", ("3",), citations,
                  measure=Measure("count", "officer", "injured"), figures=(Figure(3, "", "3", DAY),))  # fmt: skip
    assert export_event(Event("e", "x", ("a",), DAY, DAY), [claim], {})["claims"] == []


def _analysed(article_id: str, source: str, text: str) -> tuple[Article, Extraction]:
    sentences = split_sentences(text)
    article = Article(article_id, source, "", text, DAY)
    return article, Extraction(article_id, sentences, quantities=tag_quantities(sentences, ()))


def _pair(
    a_text: str, a_number: str, b_text: str, b_number: str
) -> tuple[Pair, dict[str, Article], dict[str, Extraction]]:
    (a, xa), (b, xb) = _analysed("a", "A", a_text), _analysed("b", "B", b_text)
    pair = Pair("p", "gva", "conflict", Mention("a", 0, a_text, a_text.index(a_number), a_number),
                Mention("b", 0, b_text, b_text.index(b_number), b_number))  # fmt: skip
    return pair, {"a": a, "b": b}, {"a": xa, "b": xb}


def test_pairs_label_a_conflict_an_agreement_and_a_non_fact() -> None:
    assert predict(*_pair("21 soldiers were injured.", "21", "24 soldiers were injured.", "24")) == "conflict"
    assert predict(*_pair("Three people were killed.", "Three", "3 people were killed.", "3")) == "agree"
    assert predict(*_pair("It was in the 300 block.", "300", "3 people were killed.", "3")) == "not-a-fact"
    assert predict(*_pair("Two men were arrested.", "Two", "3 people were killed.", "3")) == "different-thing"


def test_audit_draw_is_fixed_by_its_seed() -> None:
    rows = [{"n": i} for i in range(500)]
    first, again = draw(rows, 20261204), draw(rows, 20261204)
    assert first == again and len(first) == 100 and first != draw(rows, 1)
    assert draw(rows[:5], 20261204) == rows[:5]
