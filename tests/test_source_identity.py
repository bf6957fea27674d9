"""Outlet identity, text cleaning and language of ingested articles (issue #21)."""

from __future__ import annotations

from newsfuse.stages.clean import clean_article
from newsfuse.stages.language import count_words, detect_language, looks_english
from newsfuse.stages.outlets import identify, name_from_title, registered_domain, strip_site
from newsfuse.stages.pagemeta import read_page
from newsfuse.stages.zones import localised

GERMAN = (
    "Statt herkömmlichem Herbstwetter brachte der Oktober 2023 sehr viel Regen in den Kreis. "
    "Die Messstation meldete die höchste Niederschlagsmenge seit vielen Jahren, sagte der Sprecher."
)
ENGLISH = (
    "The mayor said on Tuesday that the city would reopen the bridge to traffic by the end of the month, "
    "and that repairs to the road were ahead of schedule after a dry spell in the region."
)


def test_registered_domain_strips_subdomains_and_archive_prefixes() -> None:
    assert registered_domain("https://www.bbc.co.uk/news/world") == "bbc.co.uk"
    assert registered_domain("https://m.cnn.com/2020/story") == "cnn.com"
    assert registered_domain("https://amp.theguardian.com/uk") == "theguardian.com"
    assert registered_domain("https://web.archive.org/web/20200101000000/https://www.nytimes.com/a.html") == (
        "nytimes.com"
    )
    assert registered_domain("not a url") == ""


def test_outlet_feed_sections_are_one_outlet() -> None:
    world = identify(url="https://www.nytimes.com/section/world", feed_title="NYT > World News")
    science = identify(url="https://www.nytimes.com/section/science", feed_title="NYT > Science")
    assert world == science and world.name == "NYT" and world.domain == "nytimes.com"


def test_outlet_name_from_feed_titles() -> None:
    assert name_from_title("BBC News - Home", "bbc.co.uk") == "BBC"
    assert name_from_title("Portada // elmundo", "elmundo.es") == "elmundo"
    assert name_from_title("CNN.com - RSS Channel - World", "cnn.com") == "CNN.com"
    assert name_from_title("Feed MRSS-S", "elpais.com") == ""  # a generic label names no outlet
    assert identify(url="https://elpais.com", feed_title="Feed MRSS-S").name == "El País"  # a known outlet
    assert identify(url="https://example-news.org", feed_title="Feed MRSS-S").name == "example-news.org"
    assert name_from_title("Stories by Hodl Hodl on Medium", "medium.com") == "Hodl Hodl"
    assert name_from_title("Scripting News", "scripting.com") == "Scripting News"


def test_outlet_page_name_that_names_the_domain_wins() -> None:
    # a section as og:site_name loses to the publisher that names the domain
    assert identify(url="https://www.reuters.com/a", site_name="U.S.", site_names=("Reuters",)).name == "Reuters"
    # a bare domain or URL is no name; initials, title suffixes and handles may name the domain
    assert identify(
        url="https://www.fr.de/a", site_name="https://www.fr.de", site_names=("Frankfurter Rundschau",)
    ).name == ("Frankfurter Rundschau")
    assert identify(url="https://www.lastampa.it/a", site_name="lastampa.it", hints=("La Stampa",)).name == "La Stampa"
    assert identify(url="https://www.handelsblatt.com/a", hints=("Politik", "@handelsblatt_de")).name == "Handelsblatt"
    # a hint that does not name the domain is never taken
    assert identify(url="https://www.example-news.org/a", hints=("Politik",)).name == "example-news.org"
    assert identify(url="https://www.sueddeutsche.de/a", site_name="Süddeutsche.de").name == "Süddeutsche.de"


def test_outlet_explicit_name_wins() -> None:
    outlet = identify(explicit="Reuters", url="https://www.reuters.com/a", site_name="U.S.")
    assert outlet.name == "Reuters" and outlet.domain == "reuters.com"
    assert identify(fallback="articles").name == "articles"


def test_title_loses_the_outlet_suffix_only() -> None:
    assert strip_site("Uncork the mystery | DW | 10.06.2013", domain="dw.com") == "Uncork the mystery"
    assert strip_site("Temperature alte - La Stampa", domain="lastampa.it") == "Temperature alte"
    assert strip_site("Miete zahlen (neues deutschland)", domain="neues-deutschland.de") == "Miete zahlen"
    assert strip_site("Losing face: 6,000 masks stolen", domain="japantimes.co.jp") == "Losing face: 6,000 masks stolen"


def test_clean_strips_reuters_dateline_and_keeps_its_place() -> None:
    cleaned = clean_article("TRIPOLI | Thu Oct 20, 2011 7:15 pm EDT TRIPOLI (Reuters) - Fighters took the town.")
    assert cleaned.text == "Fighters took the town." and cleaned.dateline == "Tripoli"
    assert clean_article("NEW YORK (AP) — The city said so.").dateline == "New York"


def test_clean_drops_boilerplate_lines_not_sentences() -> None:
    text = (
        "The council voted on Monday.\n"
        "A version of this story appears in CNN's What Matters newsletter. To get it, sign up for free.\n"
        "Photo: Reuters\nRead more: the full report\nRelated\nCouncil votes again\nMayor resigns\n"
        "Residents said they would appeal. Read more about it later, they said."
    )
    cleaned = clean_article(text)
    assert (
        cleaned.text
        == "The council voted on Monday.\nResidents said they would appeal. Read more about it later, they said."
    )
    assert clean_article("Read more").text == "Read more"  # nothing but boilerplate is kept as it was


def test_language_detects_german_and_overrides_a_wrong_declaration() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(GERMAN, "en") == "de"  # pages declare wrong languages
    assert detect_language(ENGLISH, "en-US") == "en" and looks_english(ENGLISH)
    assert not looks_english(GERMAN)


def test_language_chinese_is_counted_by_characters() -> None:
    text = "武汉的声音：有英勇的你，才有英雄的城！医护人员日夜坚守在抗疫一线。"
    assert detect_language(text) == "zh"
    assert count_words(text) >= 10
    assert count_words("one two three") == 3


def test_clean_drops_read_also_credit_cookie_and_footer_lines_in_any_language() -> None:
    text = (
        "Le conseil a voté lundi.\n"
        "À lire aussi » Ballonnements, lourdeurs : quel est votre profil ?\n"
        "(Credit: Clayton Aldern / Grist)\n"
        "Nous utilisons des cookies pour améliorer l'offre que nous vous proposons.\n"
        "Weitere Informationen zum Coronavirus in Thüringen:\n"
        "Quelle: MDR THÜRINGEN/ls\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n"
        "Les habitants ont dit sur Facebook qu'ils feraient appel.\n"
        "Puede escribirnos o seguir a Materia en Facebook, Twitter o suscribirse a nuestra newsletter."
    )
    assert (
        clean_article(text).text
        == "Le conseil a voté lundi.\nLes habitants ont dit sur Facebook qu'ils feraient appel."
    )
    # a credit the body runs on from, in the same line, is kept with it
    run_on = (
        "Credit: Reuters/Pete Souza WASHINGTON (Reuters) - Under intense pressure, the company agreed to set up a fund."
    )
    assert clean_article(f"{run_on}\nThe fund will be run by an administrator.").text.startswith("Credit: Reuters")


def test_zones_local_time_takes_the_country_zone_or_keeps_the_day() -> None:
    assert localised("2019-06-20T07:30:00", "heise.de", markup=True) == "2019-06-20T07:30:00+02:00"
    assert localised("2023-11-07 15:03:30", "kbs.co.kr", markup=False) == "2023-11-07T15:03:30+09:00"
    assert localised("2023-11-07T15:03:30", "example.com", markup=False) == "2023-11-07"  # no zone known: the day
    assert localised("2023-11-08T22:19:12", "example.com", markup=True) == "2023-11-08T22:19:12"
    assert localised("2020-01-03T09:48:24+00:00", "heise.de", markup=True) == "2020-01-03T09:48:24+00:00"


def test_page_date_from_a_dotted_byline_or_the_title_before_any_guess() -> None:
    updated = "<div class='ar-date'>Aktualisiert: 13.10.2015, 10:00 Uhr</div>"  # never the original date
    byline = f"<header><h1>Buchpreis</h1>{updated}<div class='ar-date'>12.10.2015, 19:16 Uhr</div></header>"
    teaser = "<a href='/x'><span class='date'>01.08.2019</span></a>"
    page = read_page(
        f"<html><head><link rel='canonical' href='https://www.rnz.de/a'></head><body>{byline}{teaser}</body></html>"
    )
    assert (page.published, page.date_source) == ("2015-10-12T19:16:00+02:00", "date element")
    titled = read_page(f"<html><head><title>Uncork it | DW | 10.06.2013</title></head><body>{teaser}</body></html>")
    assert (titled.published, titled.date_source) == ("2013-06-10", "title")


def test_copies_evaluation_finds_copies_and_no_false_copy() -> None:
    import random
    from datetime import UTC, datetime

    from newsfuse.evaluation.copies import evaluate_copies
    from newsfuse.models import Article
    from newsfuse.settings import DedupSettings

    vocabulary = [f"word{n}" for n in range(2000)]

    def report(seed: int) -> str:
        draw = random.Random(seed)
        return "\n".join(" ".join(draw.choices(vocabulary, k=40)) + "." for _ in range(10))

    day = datetime(2024, 5, 6, tzinfo=UTC)
    articles = [Article(f"a{n}", f"outlet{n}", f"Report {n}", report(n), day) for n in range(3)]
    figures = evaluate_copies(articles, DedupSettings())
    assert figures == {"false_copies": [0, 3], "exact_copies_found": [3, 3], "edited_copies_found": [3, 3]}
