from __future__ import annotations

import pytest

from newsfuse.stages.label import candidate, choose_label, clean_title, lead_sentence

REUTERS_T17 = (
    "TRIPOLI | Thu Oct 20, 2011 7:15 pm EDT TRIPOLI -LRB- Reuters -RRB- - Libya 's interim rulers said on Thursday "
    "that Muammar Gaddafi had been killed , a `` historic moment '' for the country"
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (REUTERS_T17, 'Libya\'s interim rulers said on Thursday that Muammar Gaddafi had been killed, a "historic'
         ' moment" for the country'),
        ("POLICE: Quadruple homicide in Waynesville - WDRB 41 Louisville News",
         "POLICE: Quadruple homicide in Waynesville"),
        ("Search for missing Alaska family of 4 comes to grim end - FOX5 Vegas - KVVU",
         "Search for missing Alaska family of 4 comes to grim end"),
        ("UPDATE: 4 Hospitalized In Kingsessing Shooting", "4 Hospitalized In Kingsessing Shooting"),
        ("4 Teens Hurt In Drive-By Shooting In Brentwood « CBS San Francisco",
         "4 Teens Hurt In Drive-By Shooting In Brentwood"),
        ("St. Louis police seek white SUV in shootings : News", "St. Louis police seek white SUV in shootings"),
        ("WASHINGTON (Reuters) - The Senate passed the budget bill on Friday",
         "The Senate passed the budget bill on Friday"),
        ("CIBOLO , Texas | Fri May 1 , 2009 1:22 pm EDT CIBOLO , Texas -LRB- Reuters -RRB- - When Hayden Henshaw"
         " came down with flu", "When Hayden Henshaw came down with flu"),
        ("\\* Helix to use same equipment from BP oil spill \\* Company interest said to be high HOUSTON , Dec 8",
         "Helix to use same equipment from BP oil spill"),
        ("Wednesday 23 March 2005 16.08 GMT Group Captain Al Lockwood spoke", "Group Captain Al Lockwood spoke"),
        ("1:08 Goran Dragic says Heat 'can get better' Pause", ""),
        ("Tue. 11 a.m.: Shooting victim's name released in Beecher Terrace",
         "Shooting victim's name released in Beecher Terrace"),
        ("LOUISVILLE, KY (WAVE) - Tyron Jones knew the violence", "Tyron Jones knew the violence"),
        ("U.S.", ""),
        ("Kenneth Mills, 22\n - The Homicide Report", ""),
    ],
)  # fmt: skip
def test_label_clean_title_strips_datelines_sites_and_artefacts(title: str, expected: str) -> None:
    assert clean_title(title) == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("By Finlo Rohrer BBC News, Washington Everything so far tried has failed to stop the spill.",
         "Everything so far tried has failed to stop the spill."),
        ("By Tim Lister and Emily Smith, CNN Protesters have used social media sites to organize.",
         "Protesters have used social media sites to organize."),
        ("By Damian Kahya Business reporter, BBC News Is investing in oil firms no longer such a good idea?",
         "Is investing in oil firms no longer such a good idea?"),
        ("By Maggie Fox, Health and Science Editor WASHINGTON\nThe swine flu virus has spread to 13 countries.",
         "The swine flu virus has spread to 13 countries."),
    ],
)  # fmt: skip
def test_label_lead_sentence_drops_inline_bylines(lead: str, expected: str) -> None:
    assert lead_sentence(lead) == expected


def test_label_lead_sentence_skips_bylines_and_datelines() -> None:
    lead = "By JOHN SMITH\nAssociated Press\nHAWTHORNE — The name of a man killed at a party was released. He was 20."
    assert lead_sentence(lead) == "The name of a man killed at a party was released."


def test_label_sidebar_or_section_title_gives_way_to_the_lead() -> None:
    lead = "DETROIT — Two men were shot outside a gas station on Gratiot Avenue late Sunday, police said."
    assert candidate("Shot in the USA: Gun Violence After Newtown", lead).startswith("Two men were shot outside")
    assert candidate("U.S.", lead).startswith("Two men were shot outside")
    assert (
        candidate("Two men shot outside Gratiot Avenue gas station", lead)
        == "Two men shot outside Gratiot Avenue gas station"
    )


def test_label_choose_prefers_four_words_and_central() -> None:
    labels = ["News", "Two shot at Detroit gas station", "Police: two shot at Detroit gas station overnight"]
    assert choose_label(labels) in labels[1:]
    assert choose_label(["U.S."]) == "U.S."
