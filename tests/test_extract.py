from __future__ import annotations

from datetime import date

import pytest

from newsfuse.assets import load_gazetteer
from newsfuse.models import Sentence
from newsfuse.stages.extract.places import place_key, tag_places
from newsfuse.stages.extract.quantities import tag_quantities
from newsfuse.stages.extract.quotes import tag_quotes
from newsfuse.stages.extract.targets import tag_targets
from newsfuse.stages.extract.timex import tag_times
from newsfuse.stages.split import split_sentences

FRIDAY = date(2023, 10, 27)


def _one(text: str) -> tuple[Sentence, ...]:
    return (Sentence(0, 0, len(text), text),)


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("The army carried out strikes on Thursday against two facilities.", "2023-10-26", "day"),
        ("Attacks began on October 17.", "2023-10-17", "day"),
        ("Jets struck on Thursday, October 26, near the border.", "2023-10-26", "day"),
        ("The talks resume next Monday.", "2023-10-30", "day"),
        ("He arrived yesterday.", "2023-10-26", "day"),
        ("Officials met earlier this week.", "2023-10-23", "week"),
        ("Prices rose last month.", "2023-09-01", "month"),
        ("The company was founded in 2019.", "2019-01-01", "year"),
        ("The law passed in March 2021.", "2021-03-01", "month"),
        ("It happened three days ago.", "2023-10-24", "day"),
        ("Data from 2023-10-01 was used.", "2023-10-01", "day"),
        ("The vote was held on 5 November 2022.", "2022-11-05", "day"),
    ],
)
def test_timex_normalizes_against_publish_date(text: str, value: str, granularity: str) -> None:
    [found] = tag_times(_one(text), FRIDAY)
    assert (found.value.isoformat(), found.granularity) == (value, granularity)


def test_timex_month_day_without_year_prefers_recent_past() -> None:
    [found] = tag_times(_one("Protests started on December 30."), date(2024, 1, 5))
    assert found.value == date(2023, 12, 30)


def test_timex_flags_local_time_and_trigger() -> None:
    [found] = tag_times(_one("The strikes took place at dawn on Friday, Syrian time, near the city."), FRIDAY)
    assert found.value == FRIDAY and found.local_time and found.trigger == "strike"


def test_timex_ignores_modal_may() -> None:
    assert tag_times(_one("Officials may 2 or 3 times revise the plan."), FRIDAY) == ()


def test_place_key_folds_transliterations() -> None:
    keys = {place_key(n) for n in ("Albukamal", "Boukamal", "Al-Bukamal", "Albu Kamal")}
    assert len(keys) == 1


def test_places_resolve_variants_to_one_id() -> None:
    gazetteer = load_gazetteer()
    a = tag_places(_one("The strikes hit near the city of Albukamal on the border with Iraq."), [], gazetteer)
    b = tag_places(_one("The jets struck close to the Boukamal in eastern Syria."), [], gazetteer)
    ids_a = {p.place_id: p for p in a}
    ids_b = {p.place_id: p for p in b}
    shared = set(ids_a) & set(ids_b)
    assert "geonames:174448" in shared
    assert ids_a["geonames:174448"].country == "SY"


def test_places_prefer_country_and_skip_uncued_city() -> None:
    gazetteer = load_gazetteer()
    found = tag_places(_one("Lebanon and Syria share a border. Mobile phones were cut."), [], gazetteer)
    assert {p.place_id for p in found} == {"country:LB", "country:SY"}


def test_split_offsets_are_blingfires_in_characters() -> None:
    import blingfire

    lines = [
        "Héllo wörld. Ça va? “Yes,” he said. 日本語の文。 Next one 😀 here. End.",
        "Mr. Smith went to Washington. He met Dr. Jones at 3 p.m. on Jan. 5. They talked.",
    ]
    for line in lines:
        expected = [tuple(o) for o in blingfire.text_to_sentences_and_offsets(line)[1]]
        found = [(s.start, s.end) for s in split_sentences(line)]
        assert found == expected and len(found) >= 3
        assert all(line[s.start : s.end] == s.text for s in split_sentences(line))


def test_quantities_count_with_predicate_and_qualifier() -> None:
    text = (
        "A total of 21 American soldiers were slightly injured. It added that one person has died and 24 US "
        "soldiers have been injured. There were at least 19 drone and missile attacks since October 17, and "
        "forces were attacked at least 19 times. Two F-16 fighter planes were used; it cost $5 million over 3 days."
    )
    sentences = split_sentences(text)
    found = {
        (q.value, q.counted, q.predicate, q.qualifier) for q in tag_quantities(sentences, tag_times(sentences, FRIDAY))
    }
    assert found == {
        (21, "soldier", "injured", ""),
        (1, "person", "killed", ""),
        (24, "soldier", "injured", ""),
        (19, "attack", "", "at least"),
        (2, "aircraft", "", ""),
        (5_000_000, "USD", "", ""),
    }


def test_quantities_money_and_measures() -> None:
    text = (
        "Trump demanded more than $5.7 billion, about £200,000 went to ads and €1.2bn to roads. "
        "The spill covered 4,000 square miles; the cut was 22 percent; the deal closed at 2:30 p.m. on 9/12."
    )
    sentences = split_sentences(text)
    tagged = tag_quantities(sentences, tag_times(sentences, FRIDAY))
    found = {(q.value, q.counted, q.qualifier) for q in tagged if q.measure != "percent"}
    assert found == {(5_700_000_000, "USD", "more than"), (200_000, "GBP", "about"), (1_200_000_000, "EUR", "")}
    assert [(q.number, q.counted) for q in tagged if q.measure == "percent"] == [(22.0, "cut")]


def test_quantities_other_and_plural_men() -> None:
    sentences = split_sentences("He was killed along with 19 other children. Two congressmen asked.")
    found = {(q.value, q.counted) for q in tag_quantities(sentences, ())}
    assert found == {(19, "child"), (2, "congressman")}


def test_targets_match_word_order_variants() -> None:
    a = tag_targets(_one("The official added that the strikes targeted two weapons and ammunition depots."))
    b = tag_targets(_one("The fighter jets struck ammunition and weapons depots that were linked to Iran."))
    assert a[0].words == b[0].words == ("ammunition", "depot", "weapon")


def test_quotes_speaker_from_sentence_or_pronoun() -> None:
    from newsfuse.models import Entity, Span

    text = 'Mayor Ann Lee spoke first. He added: "We will rebuild every single house on this street."'
    sentences = split_sentences(text)
    person = Entity(Span(0, 6, 13, "Ann Lee"), "PERSON")
    [quote] = tag_quotes(sentences, [person])
    assert quote.speaker == "Ann Lee"
    assert quote.words[:3] == ("we", "will", "rebuild")


def test_quotes_over_several_sentences_and_paragraphs() -> None:
    text = (
        "The statement said: \u201cWe are not reading out details. But the lines of communication remain open,\u201d "
        "the office said.\n\u201cThis is a second paragraph that opens again without closing the quote\n"
        "Then a plain line with five plain words."
    )
    sentences = split_sentences(text)
    quotes = tag_quotes(sentences, [], text)
    assert [q.words[:3] for q in quotes] == [("we", "are", "not"), ("this", "is", "a")]
    assert quotes[0].speaker == "The statement"  # one quote over two sentences, one speaker
    assert "lines of communication" in quotes[0].span.text
    assert all(text[q.span.start : q.span.end].strip("\u201c\u201d, ") for q in quotes)


def test_split_sentences_keeps_offsets() -> None:
    text = "First line here.\n\nSecond para. Third one “quoted.” End."
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_timex_spans_exclude_prepositions_and_tag_other_kinds() -> None:
    from newsfuse.stages.extract.timex import timeml_value

    found = tag_times(_one("On Thursday, for two weeks now, sales rose daily in the third quarter."), FRIDAY)
    assert [(t.span.text, timeml_value(t), t.kind) for t in found] == [
        ("Thursday", "2023-10-26", "date"),
        ("two weeks", "P2W", "duration"),
        ("now", "PRESENT_REF", "reference"),
        ("daily", "P1D", "set"),
        ("the third quarter", "2023-Q3", "date"),
    ]


def test_timex_news_phrasing_relative_to_the_document_date() -> None:
    from newsfuse.stages.extract.timex import timeml_value

    monday = date(1989, 10, 30)
    text = (
        "Revenue rose in the quarter, from $2 billion a year earlier. Over the weekend, traders said Monday "
        "they will meet on Thursday. Sales fell last November and in 1990 they will recover. He is 6-year-old. "
        "Last fall was worse than this summer."
    )
    found = [(t.span.text, timeml_value(t)) for t in tag_times(split_sentences(text), monday)]
    assert found == [
        ("the quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),
        ("the weekend", "1989-W43-WE"),
        ("Monday", "1989-10-30"),
        ("Thursday", "1989-11-02"),
        ("last November", "1988-11"),
        ("1990", "1990"),
        ("Last fall", "1988-FA"),
        ("this summer", "1989-SU"),
    ]


def test_timeml_parse_keeps_offsets() -> None:
    from newsfuse.evaluation.datasets import parse_timeml

    raw = (
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" functionInDocument="CREATION_TIME">'
        'March 22</TIMEX3></DCT><TEXT>AT&amp;T said <TIMEX3 tid="t1" type="DATE" value="2013-03-21">Thursday'
        '</TIMEX3> it <EVENT eid="e1">grew</EVENT> for <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks'
        "</TIMEX3>.</TEXT></TimeML>"
    )
    document = parse_timeml("x", raw)
    assert document.created.date() == date(2013, 3, 22)
    assert [document.text[t.start : t.end] for t in document.timexes] == ["Thursday", "two weeks"]
    assert document.text.startswith("AT&T said")


def test_places_ignore_city_abbreviations_like_company_names() -> None:
    found = tag_places(_one("Shares in BP fell after the spill, analysts at BP said in London."), [], load_gazetteer())
    assert {p.place_id for p in found} == {"geonames:2643743"}  # London, not Batu Pahat ("BP")


def test_quantities_addresses_times_ages_and_names_are_not_counts() -> None:
    text = (
        "It happened in the 3900 block of West Madison at about 2 p.m. when John Smith, 23, was near Route 66. "
        "The S&P 500 fell and I will turn 70 myself. On the other hand, four people were hurt."
    )
    found = [(q.value, q.counted, q.predicate) for q in tag_quantities(split_sentences(text), ())]
    assert found == [(4, "person", "injured")]


def test_quantities_number_words_cents_percent_and_points() -> None:
    text = (
        "Two dozen people were injured and hundreds of people were evacuated. Gas cost $1.69. "
        "Inflation rose 9.1% and the Fed raised rates by 75 basis points. A couple of people were hurt."
    )
    found = {(q.measure, q.number, q.qualifier) for q in tag_quantities(split_sentences(text), ())}
    assert {("count", 24, ""), ("count", 200, "at least"), ("money", 1.69, ""), ("percent", 9.1, ""),
            ("points", 0.75, ""), ("count", 2, "")} <= found  # fmt: skip


def test_quantities_single_victim_and_none() -> None:
    text = "A 23-year-old man was shot and killed Sunday. No one else was injured, police said."
    found = [(q.value, q.counted, q.predicate) for q in tag_quantities(split_sentences(text), ())]
    assert (1, "man", "killed") in found


def test_places_need_evidence_and_carry_the_state() -> None:
    gazetteer = load_gazetteer()
    found = tag_places(_one("In March the Federal Reserve met. Police said the shooting was in Philadelphia."), [],
                       gazetteer)  # fmt: skip
    assert [(p.span.text, p.name) for p in found] == [("Philadelphia", "Philadelphia, Pennsylvania, United States")]
    assert found[0].located


def test_quantities_participles_and_seriously_hurt() -> None:
    text = "The man shot four people, killing one. No one was seriously hurt."
    found = [(q.value, q.predicate) for q in tag_quantities(split_sentences(text), ())]
    assert (4, "killed") not in found and (0, "injured") not in found


def _speakers(text: str) -> list[tuple[str, str]]:
    return [(q.speaker, q.role) for q in tag_quotes(split_sentences(text), [], text)]


def test_quotes_speaker_after_the_quote_not_a_photo_credit() -> None:
    text = (
        "Photo: Drew Angerer/Getty Images\nFed Chair Jerome Powell spoke on Wednesday. "
        '"I do not think the U.S. is currently in a recession," Powell said. '
        '"The labor market is strong. Wages are rising," he added.'
    )
    assert _speakers(text) == [("Jerome Powell", "Fed Chair")] * 2


def test_quotes_inverted_with_role_and_abbreviated_title() -> None:
    assert _speakers('"We will not stop until this is over," said Jerome Powell, the Fed chair.') == [
        ("Jerome Powell", "Fed chair")
    ]
    assert _speakers('"We are looking for the shooter now," said Det. Eloi.') == [("Eloi", "detective")]
    assert _speakers("\u201cIt is by their choice,\u201d said the spokesman, Nick Merrill.") == [
        ("Nick Merrill", "spokesman")
    ]


def test_quotes_subject_of_reported_speech_not_a_named_object() -> None:
    assert _speakers('The medical examiner said Floyd\'s death was a "homicide caused by restraint."') == [
        ("The medical examiner", "")
    ]
    assert _speakers('Russia warned that NATO "is playing with fire," the foreign ministry said.') == [
        ("the foreign ministry", "")
    ]
    assert _speakers('Summers recently appeared on CNN and commented: "That\'s a recession, clearly."') == [
        ("Summers", "")
    ]


def test_quotes_roles_according_to_and_pronouns() -> None:
    assert _speakers('According to police, "the suspect fled the scene on foot."') == [("police", "")]
    assert _speakers('"The victim was shot twice," a senior official told reporters.') == [("a senior official", "")]
    text = 'Ann Lee said she was shocked. "It was a long day," she said, "but we got through it."'
    assert _speakers(text) == [("Ann Lee", "")]  # one quote split by its attribution
    assert _speakers('"Who is going to pay for it?" he asks.') == [("", "")]  # no one to point to


def test_quotes_titles_and_bios_are_not_quotes() -> None:
    assert _speakers('Smith is the author of "The Long Road Home." He lives in Ohio.') == []
    assert _speakers('He watched "The Late Show" with his family last night.') == []


def test_quantities_headline_numbers_and_a_victim_left_dead() -> None:
    text = "3 dead, 2 wounded in courthouse shooting. The shooting left a man dead. Three fatally shot outside tavern."
    found = [(q.value, q.counted, q.predicate) for q in tag_quantities(split_sentences(text), ())]
    assert found == [(3, "person", "killed"), (2, "person", "injured"), (1, "man", "killed"), (3, "person", "killed")]


def test_quantities_people_shot_one_fatally_split_into_dead_and_wounded() -> None:
    text = "Four people were shot, one fatally, on Friday. Two men were shot and killed. Five people were shot."
    found = {(q.value, q.predicate) for q in tag_quantities(split_sentences(text), ())}
    assert {(1, "killed"), (3, "injured"), (2, "killed"), (5, "shot")} <= found
    assert (2, "shot") not in found


def test_places_dateline_and_city_with_state_rule_out_namesakes() -> None:
    gazetteer = load_gazetteer()
    text = "JACKSON, Tenn. (AP) — Two men died near Dover Court. Police in Akron, Ohio said."
    found = tag_places(split_sentences(text), [], gazetteer)
    names = [p.name for p in found]
    assert names[0] == "Jackson, Tennessee, United States" and "Akron, Ohio, United States" in names
    assert not any("United Kingdom" in n for n in names)  # Dover Court is a street
    plain = tag_places(split_sentences("CHICAGO — Four men were wounded."), [], gazetteer)
    assert [p.name for p in plain] == ["Chicago, Illinois, United States"]


def test_timex_last_night_is_the_day_before() -> None:
    found = tag_times(split_sentences("A man was shot and killed last night."), date(2015, 7, 24))
    assert [(t.value, t.trigger) for t in found] == [(date(2015, 7, 23), "death")]


def test_quantities_base_of_a_rate_is_not_a_count() -> None:
    text = "Louisiana has 19.3 gun deaths per 100,000 people."
    assert [q.value for q in tag_quantities(split_sentences(text), ()) if q.measure == "count"] == []
