"""Speaker names as a reader of `claims list` sees them: the person or body, and the role.

Found on the bundled sample (MEANTIME's Wikinews articles run headline, date and body together on
one line) and fixed; every sentence here is invented for the test.
"""

from __future__ import annotations

from claimtrack.extraction.rules import extract_with_rules
from claimtrack.extraction.rules.sentences import split_sentences
from claimtrack.extraction.speakers import resolve_speakers, split_role


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


# -- headline, date and body on one line ------------------------------------------------------


def test_a_headline_and_its_date_run_into_the_body_are_sentences_of_their_own() -> None:
    text = (
        "Harbor Freight Lines cuts 900 jobs March 4, 2011 Harbor Freight Lines said on Friday "
        "that it would close two depots. Mayor Ruiz called it a blow."
    )
    assert sentences(text) == [
        "Harbor Freight Lines cuts 900 jobs",
        "March 4, 2011",
        "Harbor Freight Lines said on Friday that it would close two depots.",
        "Mayor Ruiz called it a blow.",
    ]
    (claim, *_) = [item for item in extract_with_rules(text) if item.kind == "claim"]
    assert claim.speaker == "Harbor Freight Lines"  # not "... cuts 900 jobs March 4, 2011 Harbor"


def test_a_headline_gives_no_items_of_its_own() -> None:
    text = (
        "Harbor Freight Lines plans to close two depots March 4, 2011 Harbor Freight Lines said "
        "on Friday that it would close two depots by May."
    )
    body = text.index("Harbor Freight Lines said")
    items = extract_with_rules(text)
    assert items  # the body's claim and commitment
    assert all(item.span.start >= body for item in items)


def test_a_british_style_date_also_ends_the_headline() -> None:
    text = "Valley rail strike called off 12 May 2014 The union said the talks had worked."
    assert sentences(text)[:2] == ["Valley rail strike called off", "12 May 2014"]


def test_a_date_inside_the_first_sentence_is_left_alone() -> None:
    text = "The board confirmed on March 4, 2011 Harbor Freight Lines would close two depots."
    assert sentences(text) == [text]


def test_only_the_first_line_of_the_article_can_hold_a_headline() -> None:
    text = (
        "The depots close in May.\n\nWorkers at the plant said they heard of it March 4, 2011 "
        "Harbor Freight Lines sent letters."
    )
    assert len(sentences(text)) == 2


# -- roles and names --------------------------------------------------------------------------


def test_a_person_named_after_a_role_in_an_organisation() -> None:
    assert split_role("the general secretary of the Irish union Solidar, Lena Varga") == (
        "Lena Varga",
        "the general secretary of the Irish union Solidar",
    )
    # a one-word name with no role before it is still the speaker: "Name, role"
    assert split_role("Varga, Lena Ortiz's deputy")[0] == "Varga"


def test_a_place_written_into_a_title_is_not_part_of_the_name() -> None:
    assert split_role("President of the Republic of Tavria Ivan Dorel") == (
        "Ivan Dorel",
        "President of the Republic of Tavria",
    )
    assert split_role("Premier of Northland Ada Quist") == ("Ada Quist", "Premier of Northland")


def test_a_spokesman_for_a_company_is_not_the_company() -> None:
    assert split_role("a spokesman for the Harbor Freight Company") == (
        None,
        "a spokesman for the Harbor Freight Company",
    )


def test_an_article_before_a_company_is_not_a_role() -> None:
    assert split_role("the Harbor Freight Company") == ("Harbor Freight Company", None)


def test_a_one_word_speaker_is_the_organisation_the_article_keeps_naming() -> None:
    text = (
        "Harbor Freight Company cut jobs. Harbor Freight Company shares fell. Our Better Harbor "
        "plan works, said the Harbor Freight Company. Harbor said more cuts may come."
    )
    (resolved,) = resolve_speakers(["Harbor"], text)
    assert resolved.canonical == "Harbor Freight Company"


def test_a_one_word_speaker_is_still_the_person_the_article_names_more_often() -> None:
    text = (
        "Senator Ana Harbor spoke. Ana Harbor said the vote was close, and Ana Harbor left. "
        "The Harbor Company declined to comment. Harbor said she would vote no."
    )
    (resolved,) = resolve_speakers(["Harbor"], text)
    assert resolved.canonical == "Ana Harbor"


def test_the_full_name_after_of_the_leaves_the_place_out() -> None:
    text = "The President of the Republic of Tavria Ivan Dorel spoke first. Dorel said no."
    (resolved,) = resolve_speakers(["Dorel"], text)
    assert resolved.canonical == "Ivan Dorel"


def test_a_word_that_opens_a_sentence_is_no_first_name() -> None:
    text = (
        "When Nordair opened the route, fares fell. Nordair said the route would stay. "
        "The mayor said fares were fair."
    )
    speakers = {item.speaker: item.speaker_canonical for item in extract_with_rules(text)}
    assert speakers["Nordair"] == "Nordair"


def test_he_refers_to_a_person_not_to_a_lone_name_that_may_be_a_company() -> None:
    resolved = resolve_speakers(["Mayor Ann Lund", "Nordair", "he"])
    assert [speaker.canonical for speaker in resolved] == ["Ann Lund", "Nordair", "Ann Lund"]
    titled = resolve_speakers(["Mr Haug", "he"])
    assert titled[1].canonical == "Haug"


def test_a_list_of_named_speakers_names_each_of_them() -> None:
    assert split_role("Ana Lund, Piet Berg and Ola Vik") == (
        "Ana Lund, Piet Berg and Ola Vik",
        None,
    )
    assert split_role("Harbor Freight and the Norwegian Nordair") == (
        "Harbor Freight and Nordair",
        None,
    )
    # "and" inside one name, or a member without a name, is no list
    assert split_role("the Department of Health and Human Services")[0] is None
    assert split_role("Lena Varga, a spokeswoman for Nordair and Harbor") == (
        "Lena Varga",
        "a spokeswoman for Nordair and Harbor",
    )


def test_he_never_refers_to_a_list() -> None:
    resolved = resolve_speakers(["Mayor Ann Lund", "Lund and Berg", "he"])
    assert [speaker.canonical for speaker in resolved] == [
        "Ann Lund",
        "Ann Lund and Berg",
        "Ann Lund",
    ]


def test_a_person_before_of_is_the_speaker() -> None:
    assert split_role("Lena Varga of Harbor Capital Advisory Services") == (
        "Lena Varga",
        "of Harbor Capital Advisory Services",
    )


def test_a_nationality_before_an_organisation_word_is_part_of_its_name() -> None:
    assert split_role("The European Commission") == ("European Commission", None)
    # a body's name of several words keeps them too (a story written to try the tool: "The
    # European Medicines Agency" was "Medicines Agency", "The Russian Government" "Government")
    assert split_role("The European Medicines Agency") == ("European Medicines Agency", None)
    assert split_role("Russian Foreign Ministry") == ("Russian Foreign Ministry", None)
    # a person's title keeps its nationality as a role
    assert split_role("Norwegian Foreign Minister Ola Vik") == (
        "Ola Vik",
        "Norwegian Foreign Minister",
    )


def test_no_name_runs_over_a_line_break_or_out_of_initials() -> None:
    text = "Ferries\nAnna Lund opened the pier. The U.S. Treasury paid for it."
    assert [s.canonical for s in resolve_speakers(["Lund", "Treasury"], text)] == [
        "Anna Lund",
        "Treasury",
    ]
