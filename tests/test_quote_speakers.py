"""Quote speakers on the ways news attributes speech (issue #20), on text written for the test."""

from __future__ import annotations

from newsfuse.stages.extract.quotes import tag_quotes
from newsfuse.stages.split import split_sentences


def _speakers(text: str) -> list[tuple[str, str]]:
    return [(q.speaker, q.role) for q in tag_quotes(split_sentences(text), [], text)]


def test_quote_speakers_time_between_subject_and_verb() -> None:
    assert _speakers('Comey at the time said Clinton was "extremely careless" with her email.') == [("Comey", "")]
    text = 'President Biden on Wednesday asked agencies to "redouble their efforts" on the origins of the virus.'
    assert _speakers(text) == [("Biden", "President")]


def test_quote_speakers_initialisms_in_a_title() -> None:
    text = '"The pause has been a lifeline for millions," U.S. secretary of education Miguel Cardona said.'
    assert _speakers(text) == [("Miguel Cardona", "U.S. secretary of education")]


def test_quote_speakers_closing_attribution_and_short_quotes_after_a_verb() -> None:
    text = 'Margaret Chan told a news conference. Countries report the virus is "crowding out" the flu, she said.'
    assert [s for s, _ in _speakers(text)] == ["Margaret Chan"]
    text = 'Police said a woman described as "a person of interest" and a man who is "a possible suspect" left.'
    assert [s for s, _ in _speakers(text)] == ["Police", "Police"]


def test_quote_speakers_pronoun_after_an_opening_phrase_and_apposition() -> None:
    text = (
        'Bullets hit a car. "We thought it was firecrackers," said neighbor Robin Levitt. On Saturday morning, '
        'Victoria Austin, 61, a priest, put up a memorial on a post that said, "rest in peace." '
        '"I was awakened by sounds and saw the lights," she said.'
    )
    assert _speakers(text)[-1][0] == "Victoria Austin"


def test_quote_speakers_definite_descriptions_point_back() -> None:
    text = (
        "Donald Trump has insisted he is not conceding the election. "
        '"He won because the Election was Rigged," the Republican president wrote on Twitter.'
    )
    assert _speakers(text) == [("Donald Trump", "Republican president")]
    text = (
        "Barack Obama said the talks went well. Benjamin Netanyahu said he agreed with that. "
        '"We will meet again in the spring," the prime minister said.'
    )
    assert _speakers(text) == [("the prime minister", "")]  # either could be meant: the role as written
    text = 'John Smith was walking home with his dog. "I heard five shots and I ran," the man said.'
    assert _speakers(text) == [("John Smith", "")]
    text = 'A neighbor we spoke with said he was nearly shot. "I felt the bullets flying past me," the man said.'
    assert _speakers(text) == [("A neighbor", "")]
    text = '"We will fight this in every court," the NRA said. The group called the plan "elitist."'
    assert [s for s, _ in _speakers(text)] == ["the NRA", "the NRA"]


def test_quote_speakers_a_documents_writer_and_an_outlet_as_source() -> None:
    text = 'The letter from Taylor states that her testimony would "have no purpose other than to embarrass her."'
    assert _speakers(text) == [("Taylor", "")]
    text = 'Joey Gibson, head of the group, described the dead man as a "good friend," the Associated Press reported.'
    assert [s for s, _ in _speakers(text)] == ["Joey Gibson"]


def test_quote_speakers_fullest_name_and_acronym_in_the_article() -> None:
    text = '"We will never get over it," Jermaine said. Jermaine Jackson says the year was tough on the family.'
    assert [s for s, _ in _speakers(text)] == ["Jermaine Jackson"]
    text = (
        "The Sevier County Sheriff's Office (SCSO) says the boy was shot by his brother. "
        'The SCSO says the shooting was "clearly an accident."'
    )
    assert [s for s, _ in _speakers(text)] == ["Sevier County Sheriff's Office"]
    text = '"It is over," Conway said. George Conway and Kellyanne Conway were both there.'
    assert [s for s, _ in _speakers(text)] == ["Conway"]  # two people share the surname: it stays short


def test_quote_speakers_a_post_naming_an_account() -> None:
    text = 'Senator Jeff Flake tweeted, "Sending thoughts and prayers to the victims at @NAU and their families."'
    assert [s for s, _ in _speakers(text)] == ["Jeff Flake"]


def test_quote_speakers_title_named_in_the_next_lines_and_a_name_colon() -> None:
    text = (
        'Kim wanted sanctions "lifted in their entirety and we would not do that," the president said. '
        "President Donald Trump and Kim Jong Un failed to reach a deal in Hanoi."
    )
    assert [s for s, _ in _speakers(text)] == ["Donald Trump"]
    text = 'Senegal\'s president says he will offer free land and "repatriation". President Abdoulaye Wade spoke.'
    assert [s for s, _ in _speakers(text)] == ["Abdoulaye Wade"]
    assert [s for s, _ in _speakers('Kofi Annan: "There is an urgent need to stop the killing."')] == ["Kofi Annan"]
