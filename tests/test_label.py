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
    ("title", "expected"),
    [
        ("Page last updated at 07:41 GMT , Wednesday , 9 June 2010 08:41 UK Meet Chris Caddell , a 22-year-old waiter",
         "Meet Chris Caddell, a 22-year-old waiter"),
        ("22 June 2010 Last updated at 05:09 GMT Help Amid the criticism of BP 's handling of the oil spill",
         "Amid the criticism of BP's handling of the oil spill"),
        ("Last updated : 1 may , 2009 - 17:54 GMT Mexico shuts down in flu fight", "Mexico shuts down in flu fight"),
        ("updated : Sun Apr 10 2011 18:58:00 Rebel forces continue to exchange fire in Eastern Libya .",
         "Rebel forces continue to exchange fire in Eastern Libya."),
        ("NEW YORK , April 30 | Fri Apr 30 , 2010 10:43 am EDT NEW YORK , April 30 -LRB- Reuters -RRB- - Oil prices"
         " rose on Friday", "Oil prices rose on Friday"),
        ("NEW YORK | Fri May 7 , 2010 1:59 pm EDT NEW YORK May 7 -LRB- Reuters -RRB- - Stocks fell sharply on Friday",
         "Stocks fell sharply on Friday"),
        ("Thu , Sep 15 10:57 AM BST LONDON -LRB- Reuters -RRB- - Surging demand for oil lifted prices",
         "Surging demand for oil lifted prices"),
        ("ALGIERS , Aug 30 -LRB- Reuters - Muammar Gaddafi became a grandfather again on Tuesday",
         "Muammar Gaddafi became a grandfather again on Tuesday"),
        ("2009 04 25 08:50 JST By Alistair Bell and Noel Randewich MEXICO CITY -LRB- Reuters -RRB- - Mexico shut"
         " schools on Saturday", "Mexico shut schools on Saturday"),
        ("; 4:30 PM Just a day after filing for bankruptcy , Lehman Brothers is heading into court today",
         "Just a day after filing for bankruptcy, Lehman Brothers is heading into court today"),
        ("20 June 11 16:14 GMT Supporters of Syrian President Bashar al-Assad say his speech was encouraging",
         "Supporters of Syrian President Bashar al-Assad say his speech was encouraging"),
        ("-LRB- Adds foreign minister 's quotes -RRB- AMMAN , April 6 -LRB- Reuters -RRB- - Jordan said on Wednesday",
         "Jordan said on Wednesday"),
        ("-LRB- For full coverage of the flu outbreak , click -LRB- nFLU -RRB- -RRB- HONG KONG , May 2 -LRB- Reuters"
         " -RRB- - Hong Kong sealed off a hotel", "Hong Kong sealed off a hotel"),
        ("-LRB- By M. Spencer Green -- Associated Press -RRB- The facade of the New York Stock Exchange",
         "The facade of the New York Stock Exchange"),
        ("By Shailagh Murray and Paul Kane TOLEDO , Ohio -- Determined to keep the campaign spotlight on the economy",
         "Determined to keep the campaign spotlight on the economy"),
        ("By Hamid Ould Ahmed and Mariam Karouny ALGIERS\\/TUNIS | Wed Feb 23 , 2011 ALGIERS\\/TUNIS -LRB- Reuters"
         " -RRB- - Algeria's government lifted the emergency", "Algeria's government lifted the emergency"),
        ("By Dan Primack February 2 , 2011 : 2:24 PM ET One day before Egyptians took to the streets",
         "One day before Egyptians took to the streets"),
        ("By Larry Shaughnessy , Pentagon Producer Maj. Kenneth Harney is welcomed home",
         "Maj. Kenneth Harney is welcomed home"),
        ("By James Lindsay -- Special to CNN Britain, France, and Italy took a step deeper",
         "Britain, France, and Italy took a step deeper"),
        ("By Ivan Watson , Joe Duran and Livia Borghese , CNN Thousands of Libyans flee to Italy",
         "Thousands of Libyans flee to Italy"),
        ("By the CNN Wire staff A screenshot of the LinkedIn page for Wael Ghonim",
         "A screenshot of the LinkedIn page for Wael Ghonim"),
        ("WOLF BLITZER , CNN ANCHOR : Fireworks over Cairo 's Tahrir Square tonight",
         "Fireworks over Cairo's Tahrir Square tonight"),
        ("COLUMBIA, SC: 3-year-old shot after finding weapon in Columbia home",
         "3-year-old shot after finding weapon in Columbia home"),
        ("REUTERS IS UNABLE TO INDEPENDENTLY VERIFY THE CONTENT OF THIS VIDEO Members of the Syrian army defected",
         "Members of the Syrian army defected"),
        ("FBI: Suspect arrested in bank robbery downtown", "FBI: Suspect arrested in bank robbery downtown"),
        ("NEW YORK , April 30 | Fri Apr 30 , 2010 10:43 am EDT", ""),  # a dateline alone is no headline
    ],
)  # fmt: skip
def test_issue_22_labels_lose_timestamps_notes_and_bylines_of_any_outlet(title: str, expected: str) -> None:
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
