"""Quote claims across outlets (stages/quotes.py) and their order in a brief."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsfuse.models import Article, Event, Extraction, Quote, Sentence, Span
from newsfuse.stages.brief import key_quotes
from newsfuse.stages.extract.quotes import quote_words
from newsfuse.stages.quotes import reconcile_quotes, same_statement

DAY = datetime(2024, 8, 5, tzinfo=UTC)
AUSTIN_A = (
    "These precise self-defense strikes are a response to a series of ongoing and mostly unsuccessful attacks "
    "against American personnel in Iraq and Syria, by Iranian-backed militias, which began on October 17."
)
AUSTIN_B = (
    "precision self-defense strikes are a response to a series of ongoing and mostly unsuccessful attacks against "
    "US personnel in Iraq and Syria by Iranian-backed militia groups that began on October 17."
)


def _quote(text: str, speaker: str = "", role: str = "", named_here: bool = True) -> Quote:
    return Quote(Span(0, 0, len(text), text), speaker, quote_words(text), role, named_here)


def _outlet(article_id: str, source: str, *quotes: Quote) -> tuple[Article, Extraction]:
    text = " ".join(f"“{q.span.text}”" for q in quotes)
    article = Article(article_id, source, "title", text, DAY)
    return article, Extraction(article_id, (Sentence(0, 0, len(text), text),), quotes=quotes)


def _claims(*outlets: tuple[Article, Extraction]) -> list:  # type: ignore[type-arg]
    articles = [a for a, _ in outlets]
    event = Event("e1", "event", tuple(a.article_id for a in articles), DAY, DAY)
    return reconcile_quotes(event, articles, {a.article_id: x for a, x in outlets}, {})


def test_quotes_translation_of_one_statement_matches() -> None:
    assert same_statement(_quote(AUSTIN_A, "Lloyd Austin"), _quote(AUSTIN_B, "Lloyd Austin"))


def test_quotes_shared_function_words_do_not_match() -> None:
    powell = _quote("I do not think the U.S. is currently in a recession", "Jerome Powell")
    assert not same_statement(_quote("That's a recession", "Sahm"), powell)
    assert not same_statement(_quote("That's a recession"), powell)  # not even unattributed


def test_quotes_different_speakers_do_not_merge_unless_word_for_word() -> None:
    a = _quote("We will keep rates where they are until inflation comes down for good", "Jerome Powell")
    b = _quote("We will keep rates where they are until the labour market weakens sharply", "Larry Summers")
    assert not same_statement(a, b)
    [claim] = _claims(_outlet("a", "Outlet A", a), _outlet("b", "Outlet B", _quote(a.span.text, "Larry Summers")))
    assert claim.status == "conflicting"
    assert "Jerome Powell" in claim.note and "Larry Summers" in claim.note
    resolved = _quote(a.span.text, "Larry Summers", named_here=False)  # from a pronoun: may be wrong
    assert len(_claims(_outlet("a", "Outlet A", a), _outlet("b", "Outlet B", resolved))) == 2


def test_quotes_one_corroborated_claim_with_each_wording() -> None:
    [claim] = _claims(
        _outlet("a", "Outlet A", _quote(AUSTIN_A, "Lloyd Austin", "US Secretary of Defense")),
        _outlet("b", "Outlet B", _quote(AUSTIN_B, "Lloyd Austin")),
    )
    assert claim.status == "corroborated"
    assert claim.values == (AUSTIN_A, AUSTIN_B)
    assert {c.source for c in claim.citations} == {"Outlet A", "Outlet B"}
    assert claim.label == "Lloyd Austin, US Secretary of Defense"


def test_quotes_brief_order_corroborated_first_fragments_joined() -> None:
    long = _quote("And clothing and things like that were all gone from the shelves by noon", "Ann Lee")
    claims = _claims(
        _outlet("a", "Outlet A", _quote("And clothing and things like that.", "Ann Lee"), long,
                _quote("We will reopen the store next week after repairs", "Ann Lee")),
        _outlet("b", "Outlet B", _quote("We will reopen the store next week after the repairs", "Ann Lee")),
    )  # fmt: skip
    ordered = key_quotes(claims)
    assert [c.status for c in ordered] == ["corroborated", "single-source"]
    assert ordered[1].values[0].startswith("And clothing and things like that were")
    assert len(ordered[1].citations) == 1  # the fragment's sentence is the same one


def _labelled_folder(tmp_path: Path, text: str) -> Path:
    import json

    from newsfuse.stages.split import split_sentences

    sentences = split_sentences(text)

    def side(index: int, quote: str) -> dict[str, object]:
        sentence = sentences[index].text
        return {"article_id": "art", "sentence_index": index, "before": [], "after": [], "sentence": sentence,
                "quote": quote, "quote_start": sentence.index(quote)}  # fmt: skip

    rows = [
        ({"id": "q0", **side(0, "We will rebuild every house on this street")},
         {"id": "q0", "is_quote": True, "speaker": "Ann Lee", "role": "mayor"}),
        ({"id": "q1", **side(1, "The Long Road Home")}, {"id": "q1", "is_quote": False}),
        ({"id": "q2", **side(2, "Nobody saw the shooter at all that night")},
         {"id": "q2", "is_quote": True, "speaker": "police", "role": ""}),
    ]  # fmt: skip
    pairs = [{"id": "p0", "a": side(0, "We will rebuild every house on this street"),
              "b": side(2, "Nobody saw the shooter at all that night")}]  # fmt: skip
    files = {"quotes.sample": [r for r, _ in rows], "quotes.labels": [lab for _, lab in rows],
             "quote_pairs.sample": pairs, "quote_pairs.labels": [{"id": "p0", "label": "different"}]}  # fmt: skip
    for name, items in files.items():
        (tmp_path / f"{name}.jsonl").write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    return tmp_path


def test_quotes_eval_scores_speakers_detection_and_pairs(tmp_path: Path) -> None:
    from newsfuse.evaluation import quotes as evaluation
    from newsfuse.stages.extract.quotes import tag_quotes
    from newsfuse.stages.split import split_sentences

    text = (
        '"We will rebuild every house on this street," said Mayor Ann Lee. '
        'Her memoir is "The Long Road Home" and sells well. '
        '"Nobody saw the shooter at all that night," a neighbour said.'
    )
    folder = _labelled_folder(tmp_path, text)
    sentences = split_sentences(text)
    extraction = Extraction("art", sentences, quotes=tag_quotes(sentences, [], text))
    scores = evaluation.score_quotes(evaluation.read_quotes(folder), evaluation.newsfuse_finder({"art": extraction}))
    assert (scores.quotes, scores.speaker_correct) == (2, 1)  # "a neighbour" is not "police"
    assert scores.detection[:2] == (100.0, 100.0)  # the title is left out
    paired = evaluation.score_pairs(evaluation.read_quote_pairs(folder), {"art": extraction})
    assert (paired.pairs, paired.gold_same, paired.same[0]) == (1, 0, 0.0)
    assert evaluation.speaker_matches("Jerome Powell", "Powell") and evaluation.speaker_matches("", "")
    assert evaluation.speaker_matches("the Fed chair", "Jerome Powell", "Fed chair")
    assert not evaluation.speaker_matches("police", "")


def test_quotes_same_words_twice_give_distinct_claim_ids() -> None:
    words = "We will keep rates where they are until inflation comes down for good"
    claims = _claims(
        _outlet("a", "Outlet A", _quote(words, "Jerome Powell"), _quote(words, "Jerome Powell")),
        _outlet("b", "Outlet B", _quote(words, "Larry Summers", named_here=False)),
    )
    assert len({c.claim_id for c in claims}) == len(claims) == 2
    assert len(claims[0].citations) == 1  # the repeat in one article cites its sentence once


def test_quotes_organisation_or_both_names_is_not_a_conflict() -> None:
    said = "does not in any manner constitute any finding of liability or any judicial finding of merit"
    claims = _claims(_outlet("a", "Outlet A", _quote(said, "BP")), _outlet("b", "Outlet B", _quote(said, "Scott Dean")))
    assert all(c.status != "conflicting" for c in claims)  # an organisation and its spokesman
    a = _outlet("a", "Outlet A", _quote(said, "Jerome Powell"), _quote(said, "Larry Summers"))
    claims = _claims(a, _outlet("b", "Outlet B", _quote(said, "Larry Summers")))
    assert all(c.status != "conflicting" for c in claims)  # one outlet gives both names
    short = "an act of terror"
    claims = _claims(_outlet("a", "Outlet A", _quote(short, "Barack Obama")),
                     _outlet("b", "Outlet B", _quote(short, "Hillary Clinton")))  # fmt: skip
    assert all(c.status != "conflicting" for c in claims)  # people share short phrases
