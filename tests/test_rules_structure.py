"""Rules backend: sources found whole (long subjects, lists, appositives, set-off descriptions)."""

from __future__ import annotations

from rules_helpers import found


def _speakers(text: str) -> list[str | None]:
    return [speaker for speaker, _, _ in found(text)]


def test_a_long_subject_that_is_the_whole_clause_before_its_cue() -> None:
    text = (
        "Nearly all of the harbour pilots of the nine busiest ports on the northern coast have "
        "endorsed the plan to dredge the channel."
    )
    assert _speakers(text) == [
        "Nearly all of the harbour pilots of the nine busiest ports on the northern coast"
    ]


def test_a_list_without_the_serial_comma_is_one_source() -> None:
    text = "But the ferrymen, dockers and harbour officials said the bridge was too low."
    assert _speakers(text) == ["the ferrymen, dockers and harbour officials"]


def test_a_restrictive_that_clause_inside_an_appositive_stays_in_the_source() -> None:
    text = (
        "Tom Avery, the head of Harbour Watch, a group that has sued the port authority twice, "
        "said the pier was unsafe."
    )
    assert _speakers(text) == [
        "Tom Avery, the head of Harbour Watch, a group that has sued the port authority twice,"
    ]


def test_a_month_that_is_a_first_name_starts_a_source() -> None:
    text = "April Quorn, a spokeswoman for the harbour board, said the ferry would run."
    assert _speakers(text) == ["April Quorn, a spokeswoman for the harbour board,"]


def test_quantifier_words_in_a_row_before_a_number() -> None:
    text = "Only about 4 in 10 ferry passengers in each town want the bridge to be built."
    assert _speakers(text) == ["Only about 4 in 10 ferry passengers in each town"]


def test_an_appositive_opening_with_a_title_participle_stays_in_the_source() -> None:
    text = "Rob Penn, managing director of Penn Freight, said the port was losing trade."
    assert _speakers(text) == ["Rob Penn, managing director of Penn Freight,"]


def test_a_description_set_off_by_now_or_dashes_stays_in_the_source() -> None:
    text = "Dana Holt, now an adviser to the harbour board, said the pier was unsafe."
    assert _speakers(text) == ["Dana Holt, now an adviser to the harbour board,"]
    text = "Dana Holt - a ferry captain from Lowport - says the pier is unsafe."
    assert _speakers(text) == ["Dana Holt - a ferry captain from Lowport -"]


def test_a_state_after_a_town_does_not_replace_the_name() -> None:
    text = "Dana Quorn of Lowport, Maine says the pier is unsafe."
    assert _speakers(text) == ["Dana Quorn of Lowport, Maine"]


def test_the_antecedent_of_a_restrictive_relative_that_reports_is_the_source() -> None:
    text = "A majority of those who said the ferry was late voted for the new bridge."
    assert _speakers(text) == ["who", "A majority of those who said the ferry was late"]


def test_an_inverted_source_keeps_the_comma_that_closes_its_appositive() -> None:
    text = '"The pier will hold," said Dana Holt, a ferry captain, at the harbour on Monday.'
    assert _speakers(text) == ["Dana Holt, a ferry captain,"]


def test_a_group_called_something_is_a_description_not_a_clause() -> None:
    text = '"We will march," said Ana Ruiz, the founder of a group called Ferries for All.'
    assert _speakers(text) == ["Ana Ruiz, the founder of a group called Ferries for All"]


def test_an_inverted_source_keeps_a_restrictive_relative_after_its_description() -> None:
    text = (
        '"The ferry is safe," said Ana Ruiz, a harbour pilot from Lowport and a former adviser '
        "to the port board who has sailed the strait for years."
    )
    assert _speakers(text) == [
        "Ana Ruiz, a harbour pilot from Lowport and a former adviser to the port board who has "
        "sailed the strait for years"
    ]
    text = (
        '"The ferry is safe," said Ana Ruiz, a harbour pilot from Lowport and a former adviser '
        "to the port board who added that the pier was sound."
    )
    assert ("Ana Ruiz, a harbour pilot from Lowport and a former adviser to the port board") in (
        _speakers(text)
    )


def test_a_spaced_hyphen_starts_a_new_clause_and_its_source() -> None:
    text = "Lee was a careful planner - a former deckhand said she checked every rope twice."
    assert _speakers(text) == ["a former deckhand"]


def test_a_participle_and_its_day_stay_in_the_source() -> None:
    text = "A court filing released Thursday says that the harbour master will not be charged."
    assert _speakers(text) == ["A court filing released Thursday"]


def test_an_inverted_source_of_thirteen_words() -> None:
    text = (
        '"The levy will not pay for the pier," noted a report for the Ferry Trust on the '
        "harbour's finances by the research group Tidewise."
    )
    assert _speakers(text) == [
        "a report for the Ferry Trust on the harbour's finances by the research group Tidewise"
    ]


def test_the_subject_inside_an_object_relative_is_the_source() -> None:
    text = "The new fares, which harbour officials said will start in May, will not cover the pier."
    assert _speakers(text) == ["harbour officials"]


def test_a_relative_clause_closing_an_appositive_stays_in_the_source() -> None:
    text = (
        "Ana Ruiz, a former pilot who now runs the Ferry Trust, which funds repairs, said the "
        "pier was unsafe."
    )
    assert _speakers(text) == [
        "Ana Ruiz, a former pilot who now runs the Ferry Trust, which funds repairs,"
    ]


def test_a_relative_clause_with_a_nominal_ing_word_does_not_report() -> None:
    text = "Bo Park, who runs the union's lobbying arm, says the ferry fares are too high."
    assert _speakers(text) == ["Bo Park, who runs the union's lobbying arm,"]


def test_a_participle_with_its_agent_set_off_after_the_source_stays_in_it() -> None:
    text = "The survey, conducted by the Ferry Trust, found that most riders want a bridge."
    assert _speakers(text) == ["The survey, conducted by the Ferry Trust,"]


def test_a_name_after_a_common_noun_is_the_subject_of_a_contact_clause() -> None:
    text = "The levy did something Lowport wanted: it paid for the pier."
    assert _speakers(text) == ["Lowport"]


def test_a_participle_set_off_after_its_subject_shares_it_with_the_verb() -> None:
    text = "Ana Ruiz, noting that the pier had failed twice, urged the board to close it."
    assert _speakers(text) == ["Ana Ruiz", "Ana Ruiz"]
    assert [cue for _, cue, _ in found(text)] == ["noting", "urged"]


def test_a_sentence_subject_with_an_aside_is_the_source_of_a_later_participle() -> None:
    text = "Ana Ruiz, in a visit on Friday, barely looked at the pier, saying it was safe."
    assert _speakers(text) == ["Ana Ruiz"]


def test_a_poll_keeps_its_date_in_the_source() -> None:
    text = "A Harbour Trust poll last week found that most riders want a bridge."
    assert _speakers(text) == ["A Harbour Trust poll last week"]


def test_a_participle_source_keeps_the_set_off_relative_of_its_subject() -> None:
    text = "Dockers, who hold most seats on the board, blocked the levy, saying it was too high."
    assert _speakers(text) == ["Dockers, who hold most seats on the board,"]


def test_a_name_and_appositive_after_an_opening_clause_is_the_whole_source() -> None:
    text = (
        "At the marina, where it costs new members $900 to join, Jay Quorn, the club's "
        "president and harbour master, suggested that fees would rise."
    )
    assert _speakers(text) == ["Jay Quorn, the club's president and harbour master,"]


def test_an_inverted_source_keeps_a_title_participle_and_a_then_appositive() -> None:
    text = '"Fares will rise," said Ken Holt, managing director of Holt Ferries.'
    assert _speakers(text) == ["Ken Holt, managing director of Holt Ferries"]
    text = '"Fares will rise," said Ana Ruiz, then senior pilot at the Lowport harbour.'
    assert _speakers(text) == ["Ana Ruiz, then senior pilot at the Lowport harbour"]


def test_a_participle_after_a_set_off_relative_has_the_antecedent_and_clause() -> None:
    text = "Ana Ruiz, who won the harbour vote on Tuesday, saying that the pier would be rebuilt."
    assert ("Ana Ruiz, who won the harbour vote on Tuesday,", "saying") in [
        (speaker, cue) for speaker, cue, _ in found(text)
    ]


def test_an_inverted_source_closing_the_sentence_reports_all_of_it() -> None:
    text = "The closure signals the end of the ferry line, said Rob Penn, a harbour pilot."
    assert found(text) == [
        (
            "Rob Penn, a harbour pilot",
            "said",
            "The closure signals the end of the ferry line",
        )
    ]


def test_an_aside_between_the_subject_and_its_cue_is_skipped() -> None:
    text = "Dana Holt, struck by the damage, said the pier should close."
    assert _speakers(text) == ["Dana Holt"]
    text = "The harbour board, itself short of money, says the ferry must stop."
    assert _speakers(text) == ["The harbour board"]
    text = "Rob Penn, it turned out, knew the tides better than anyone."
    assert _speakers(text) == ["Rob Penn"]


def test_an_opening_clause_before_the_subject_is_no_part_of_the_source() -> None:
    text = "As the ferry sank on Tuesday, some of its passengers said the crew had fled."
    assert _speakers(text) == ["some of its passengers"]
    text = "But when contacted, a spokesman for the harbour board said the pier would stay open."
    assert _speakers(text) == ["a spokesman for the harbour board"]
    text = "Contrary to the mayor's claims, engineers say the pier is unsafe."
    assert _speakers(text) == ["engineers"]


def test_a_name_and_appositive_after_as_stay_whole() -> None:
    text = "As Rob Penn, the former harbour master, put it, the pier is finished."
    assert _speakers(text) == ["Rob Penn, the former harbour master,"]


def test_a_name_before_an_unclosed_appositive_is_no_content() -> None:
    text = "Rob Penn, the harbour master said in a statement. “The pier is closed.”"
    assert _speakers(text)[0] == "Rob Penn, the harbour master"
    text = "Rob Penn, president and owner of Penn Freight stated, “The pier is closed.”"
    assert found(text) == [
        ("Rob Penn, president and owner of Penn Freight", "stated", "“The pier is closed.”")
    ]


def test_a_relative_clause_cue_ends_before_said_of_the_main_clause() -> None:
    text = "Ann Lee, who has criticized the mayor, said the pier was unsafe."
    assert found(text) == [
        ("who", "has criticized", "the mayor"),
        ("Ann Lee", "said", "the pier was unsafe"),
    ]


def test_a_group_with_an_including_phrase_is_one_source() -> None:
    text = "Several ferry captains, including the harbour master, said the pier was unsafe."
    assert _speakers(text) == ["Several ferry captains, including the harbour master,"]


def test_a_common_noun_subject_keeps_its_appositive() -> None:
    text = "The harbour master, a former ferry captain, said the pier was unsafe."
    assert _speakers(text) == ["The harbour master, a former ferry captain,"]
    text = "Critics, many of them fishermen, say the pier is unsafe."
    assert _speakers(text) == ["Critics, many of them fishermen,"]
