from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from newsfuse.models import Article, Claim, Event, Extraction, Place, Quantity, Sentence, Span, TimeExpression
from newsfuse.stages.reconcile import reconcile_claims
from newsfuse.stages.split import split_sentences

DAY = datetime(2023, 10, 27, tzinfo=UTC)


def _article(article_id: str, source: str, text: str, published_at: datetime = DAY) -> Article:
    return Article(article_id, source, text[:40], text, published_at)


def _counted(
    article: Article, value: int, counted: str = "soldier", predicate: str = "injured", qualifier: str = ""
) -> Extraction:
    sentence = Sentence(0, 0, len(article.text), article.text)
    quantity = Quantity(Span(0, 0, 2, str(value)), value, counted, predicate, qualifier)  # type: ignore[arg-type]
    return Extraction(article.article_id, (sentence,), quantities=(quantity,))


def _event(*articles: Article) -> Event:
    return Event(
        "e1", "event", tuple(a.article_id for a in articles), articles[0].published_at, articles[-1].published_at
    )


def test_reconcile_same_value_two_outlets_corroborated() -> None:
    a, b = _article("a", "Outlet A", "21 soldiers injured."), _article("b", "Outlet B", "21 troops were hurt.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 21), "b": _counted(b, 21)}, {})
    assert claim.status == "corroborated"
    assert {c.source for c in claim.citations} == {"Outlet A", "Outlet B"}


def test_reconcile_different_values_same_time_conflict() -> None:
    a, b = _article("a", "Outlet A", "21 injured."), _article("b", "Outlet B", "24 injured.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 21), "b": _counted(b, 24)}, {})
    assert claim.status == "conflicting"
    assert claim.values == ("21", "24")


def test_reconcile_later_higher_casualty_figure_is_update() -> None:
    a = _article("a", "Outlet A", "5 killed.", DAY)
    b = _article("b", "Outlet B", "9 killed.", DAY.replace(hour=18))
    extractions = {"a": _counted(a, 5, "person", "killed"), "b": _counted(b, 9, "person", "killed")}
    [claim] = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert claim.status == "updated"
    assert claim.values == ("5", "9")


def test_reconcile_later_lower_figure_is_conflict() -> None:
    a = _article("a", "Outlet A", "9 killed.", DAY)
    b = _article("b", "Outlet B", "5 killed.", DAY.replace(hour=18))
    extractions = {"a": _counted(a, 9, "person", "killed"), "b": _counted(b, 5, "person", "killed")}
    [claim] = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert claim.status == "conflicting"


def test_reconcile_at_least_is_compatible() -> None:
    a, b = _article("a", "Outlet A", "at least 19 attacks"), _article("b", "Outlet B", "23 attacks")
    extractions = {"a": _counted(a, 19, "attack", "", "at least"), "b": _counted(b, 23, "attack", "")}
    [claim] = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert claim.status == "corroborated"


def test_reconcile_near_duplicate_is_not_independent() -> None:
    a, b = _article("a", "Outlet A", "21 injured."), _article("b", "Outlet B", "21 injured.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 21), "b": _counted(b, 21)}, {"b": "a"})
    assert claim.status == "single-source"


def test_reconcile_local_time_next_day_is_not_a_second_date() -> None:
    a, b = (
        _article("a", "Outlet A", "strikes on Thursday"),
        _article("b", "Outlet B", "strikes at dawn on Friday, Syrian time"),
    )
    thursday = TimeExpression(Span(0, 11, 19, "Thursday"), date(2023, 10, 26), "day", False, "strike")
    friday = TimeExpression(Span(0, 20, 29, "on Friday"), date(2023, 10, 27), "day", True, "strike")
    sentences = {x.article_id: (Sentence(0, 0, len(x.text), x.text),) for x in (a, b)}
    extractions = {
        "a": Extraction("a", sentences["a"], times=(thursday,)),
        "b": Extraction("b", sentences["b"], times=(friday,)),
    }
    [claim] = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert claim.slot == "date:2023-10-26" and claim.status == "corroborated"
    assert "2023-10-27 local time" in claim.note


def test_reconcile_bare_counts_of_different_things_are_not_a_conflict() -> None:
    a = _article("a", "Outlet A", "Republicans are on track to hold at least 240 seats in the House next year.")
    b = _article("b", "Outlet B", "Democrats picked up just six seats in this election, Pelosi's critics noted.")
    c = _article("c", "Outlet C", "House Democrats picked up only six seats in the election, her critics said.")
    extractions = {"a": _counted(a, 240, "seat", ""), "b": _counted(b, 6, "seat", ""), "c": _counted(c, 6, "seat", "")}
    claims = reconcile_claims(_event(a, b, c), [a, b, c], extractions, {})
    assert sorted((c.status, c.values) for c in claims) == [("corroborated", ("6",)), ("single-source", ("240",))]


def test_reconcile_rounded_large_figures_agree_small_ones_do_not() -> None:
    a, b = _article("a", "Outlet A", "1,400 Israelis were killed."), _article("b", "Outlet B", "1,432 were killed.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 1400), "b": _counted(b, 1432)}, {})
    assert claim.status == "corroborated"
    a, b = _article("a", "Outlet A", "20 injured."), _article("b", "Outlet B", "24 injured.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 20), "b": _counted(b, 24)}, {})
    assert claim.status == "conflicting"


def _quantity(article: Article, value: int, counted: str, predicate: str, qualifier: str = "") -> Extraction:
    return _counted(article, value, counted, predicate, qualifier)


def test_reconcile_same_outlet_figures_are_never_a_conflict() -> None:
    a = _article("a", "Outlet A", "21 injured.")
    b = _article("b", "Outlet A", "24 injured.")
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 21), "b": _counted(b, 24)}, {})
    assert claim.status == "single-source" and claim.revision == "several figures"


def test_reconcile_rising_toll_with_at_least_is_an_update() -> None:
    a = _article("a", "Outlet A", "at least 12 killed.", DAY.replace(hour=8))
    b = _article("b", "Outlet B", "14 killed.", DAY.replace(hour=12))
    extractions = {"a": _quantity(a, 12, "person", "killed", "at least"), "b": _quantity(b, 14, "person", "killed")}
    [claim] = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert claim.status == "updated"
    assert [f.number for f in claim.figures] == [12, 14]
    assert "→" in claim.note


def test_reconcile_round_figure_does_not_cover_a_far_one() -> None:
    a, b = _article("a", "Outlet A", "$100 billion"), _article("b", "Outlet B", "$130 billion")
    money = {
        x.article_id: Extraction(x.article_id, (Sentence(0, 0, len(x.text), x.text),), quantities=(
            Quantity(Span(0, 0, len(x.text), x.text), v, "USD", measure="money"),))
        for x, v in ((a, 100_000_000_000), (b, 130_000_000_000))
    }  # fmt: skip
    claims = reconcile_claims(_event(a, b), [a, b], money, {})
    assert sorted(c.status for c in claims) == ["single-source", "single-source"]
    assert claims[0].measure is not None and claims[0].measure.kind == "money"


def test_reconcile_figure_about_other_incidents_is_not_a_conflict() -> None:
    a = _article("a", "Outlet A", "Three people were killed.")
    b = _article("b", "Outlet B", "So far this year 40 people were killed in the city.")
    extractions = {"a": _counted(a, 3, "person", "killed"), "b": _counted(b, 40, "person", "killed")}
    claims = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert all(c.status != "conflicting" for c in claims)


def test_reconcile_far_apart_lower_figure_is_not_a_conflict() -> None:
    a = _article("a", "Outlet A", "9 injured.", DAY)
    b = _article("b", "Outlet B", "5 injured.", DAY.replace(day=30))
    [claim] = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 9), "b": _counted(b, 5)}, {})
    assert claim.status != "conflicting"


def test_reconcile_dates_without_an_event_word_corroborate_nothing() -> None:
    a, b = _article("a", "Outlet A", "in October 2023"), _article("b", "Outlet B", "in October 2023")
    month = TimeExpression(Span(0, 3, 15, "October 2023"), date(2023, 10, 1), "month")
    sentences = {x.article_id: (Sentence(0, 0, len(x.text), x.text),) for x in (a, b)}
    extractions = {x: Extraction(x, sentences[x], times=(month,)) for x in ("a", "b")}
    claims = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert [c.status for c in claims] == ["single-source", "single-source"]
    assert claims[0].granularity == "month" and claims[0].day == date(2023, 10, 1)


def test_reconcile_sub_group_is_not_the_whole() -> None:
    a = _article("a", "Outlet A", "Six people, including two children, were killed.")
    b = _article("b", "Outlet B", "Three children were killed.")
    xa = Extraction("a", (Sentence(0, 0, len(a.text), a.text),),
                    quantities=(Quantity(Span(0, 22, 25, "two"), 2, "child", "killed"),))  # fmt: skip
    extractions = {"a": xa, "b": _counted(b, 3, "child", "killed")}
    claims = reconcile_claims(_event(a, b), [a, b], extractions, {})
    assert all(c.status != "conflicting" for c in claims)


def _killed(
    article: Article, value: int, *, times: tuple[TimeExpression, ...] = (), places: tuple[Place, ...] = ()
) -> Extraction:
    return replace(_counted(article, value, "person", "killed"), times=times, places=places)


def _counts(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.kind == "count"]


def test_reconcile_outlet_giving_both_figures_is_not_a_conflict() -> None:
    a1, a2 = _article("a1", "Outlet A", "3 people were killed."), _article("a2", "Outlet A", "4 people were killed.")
    b = _article("b", "Outlet B", "3 people were killed.")
    extractions = {"a1": _killed(a1, 3), "a2": _killed(a2, 4), "b": _killed(b, 3)}
    [claim] = reconcile_claims(_event(a1, a2, b), [a1, a2, b], extractions, {})
    assert claim.status != "conflicting" and claim.revision == "several figures"


def test_reconcile_attacker_counted_in_is_not_a_conflict() -> None:
    a = _article("a", "Outlet A", "2 people were killed before the gunman took his own life.")
    b = _article("b", "Outlet B", "3 people were killed.")
    claims = reconcile_claims(_event(a, b), [a, b], {"a": _killed(a, 2), "b": _killed(b, 3)}, {})
    [claim] = [c for c in claims if c.slot == "count:person|killed"]
    assert claim.status != "conflicting"


def test_reconcile_figures_of_days_apart_are_not_a_conflict() -> None:
    a, b = _article("a", "Outlet A", "7 people were killed on Sunday."), _article("b", "Outlet B", "9 people died.")
    sunday = TimeExpression(Span(0, 24, 30, "Sunday"), date(2023, 10, 22), "day")
    wednesday = replace(sunday, value=date(2023, 10, 25))
    extractions = {"a": _killed(a, 7, times=(sunday,)), "b": _killed(b, 9)}
    [claim] = _counts(reconcile_claims(_event(a, b), [a, b], extractions, {}))
    assert claim.status == "conflicting"  # a day on one side only says nothing
    extractions = {"a": _killed(a, 7, times=(sunday,)), "b": _killed(b, 9, times=(wednesday,))}
    [claim] = _counts(reconcile_claims(_event(a, b), [a, b], extractions, {}))
    assert claim.status != "conflicting"


def test_reconcile_figures_of_other_countries_are_not_a_conflict() -> None:
    a, b = _article("a", "Outlet A", "20 people in the US."), _article("b", "Outlet B", "2 people in Israel.")
    us = Place(Span(0, 14, 16, "US"), "us", "United States", "US", "country", True)
    israel = Place(Span(0, 12, 18, "Israel"), "il", "Israel", "IL", "country", True)
    ohio = Place(Span(0, 12, 16, "Ohio"), "us-oh", "Ohio", "US", "region", True)
    extractions = {"a": _killed(a, 20, places=(us,)), "b": _killed(b, 2, places=(israel,))}
    [claim] = _counts(reconcile_claims(_event(a, b), [a, b], extractions, {}))
    assert claim.status != "conflicting"
    extractions = {"a": _killed(a, 20, places=(us,)), "b": _killed(b, 2, places=(ohio,))}
    [claim] = _counts(reconcile_claims(_event(a, b), [a, b], extractions, {}))
    assert claim.status == "conflicting"  # Ohio may be in the US


def test_reconcile_more_killed_is_not_the_toll() -> None:
    a, b = _article("a", "Outlet A", "3 more people were killed."), _article("b", "Outlet B", "5 people were killed.")
    claims = reconcile_claims(_event(a, b), [a, b], {"a": _killed(a, 3), "b": _killed(b, 5)}, {})
    assert all(c.status != "conflicting" for c in claims)


def test_reconcile_no_one_hurt_is_not_a_conflict() -> None:
    a, b = _article("a", "Outlet A", "0 hurt inside."), _article("b", "Outlet B", "5 people were hurt.")
    claims = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 0), "b": _counted(b, 5)}, {})
    assert all(c.status != "conflicting" for c in claims)


def test_reconcile_round_up_of_places_is_not_the_toll() -> None:
    a = _article("a", "Outlet A", "7 people in California, 2 people in Texas and 2 in Kansas were infected.")
    b = _article("b", "Outlet B", "20 people were infected.")
    states = tuple(Place(Span(0, 0, 2, n), f"us-{n}", n, "US", "region", True) for n in ("ca", "tx", "ks"))
    extractions = {"a": replace(_counted(a, 7, "person", "infected"), places=states),
                   "b": _counted(b, 20, "person", "infected")}  # fmt: skip
    claims = _counts(reconcile_claims(_event(a, b), [a, b], extractions, {}))
    assert all(c.status != "conflicting" for c in claims)


def _told(article: Article, *quantities: Quantity) -> Extraction:
    sentences = split_sentences(article.text)
    return Extraction(article.article_id, sentences, quantities=quantities)


def test_reconcile_wounded_without_a_death_is_none_killed() -> None:
    a = _article("a", "Outlet A", "Five people were shot outside a club early Sunday. All are expected to survive.")
    b = _article("b", "Outlet B", "Five men were wounded in a nightclub shooting, police said.")
    shot = Quantity(Span(0, 0, 4, "Five"), 5, "person", "shot")
    hurt = Quantity(Span(0, 0, 4, "Five"), 5, "man", "injured")
    claims = reconcile_claims(_event(a, b), [a, b], {"a": _told(a, shot), "b": _told(b, hurt)}, {})
    killed = next(c for c in claims if c.measure is not None and c.measure.predicate == "killed")
    assert killed.values == ("none reported",) and killed.figures[0].number == 0 and killed.status == "corroborated"
    assert {c.article_id for c in killed.citations} == {"a", "b"}


def test_reconcile_a_death_or_no_violence_gives_no_none_reported() -> None:
    a = _article("a", "Outlet A", "Five people were shot on Sunday. One man later died at the hospital.")
    b = _article("b", "Outlet B", "Stocks were hurt by the rate rise, traders said.")
    shot = Quantity(Span(0, 0, 4, "Five"), 5, "person", "shot")
    for article, extraction in ((a, _told(a, shot)), (b, _told(b))):
        claims = reconcile_claims(_event(article), [article], {article.article_id: extraction}, {})
        assert not any(c.values == ("none reported",) for c in claims)


def test_reconcile_people_shot_without_a_death_are_the_injured() -> None:
    a = _article("a", "Outlet A", "Four people were shot at a party, police said.")
    shot = Quantity(Span(0, 0, 4, "Four"), 4, "person", "shot")
    claims = reconcile_claims(_event(a), [a], {"a": _told(a, shot)}, {})
    injured = next(c for c in claims if c.slot == "count:person|injured")
    assert [f.number for f in injured.figures] == [4]


def test_reconcile_a_year_before_the_report_is_another_incident() -> None:
    a = _article("a", "Outlet A", "In 2012, three people were killed in a similar attack.")
    b = _article("b", "Outlet B", "In 2023, the first shooting of the year killed two people.")
    claims = reconcile_claims(_event(a, b), [a, b], {"a": _counted(a, 3, "person", "killed"),
                                                    "b": _counted(b, 2, "person", "killed")}, {})  # fmt: skip
    killed = [c for c in claims if c.slot == "count:person|killed"]
    assert [(c.values, c.status) for c in killed] == [(("2",), "single-source")]  # "in 2023" is the report's year
