"""Source finding in the rules backend: the patterns added to raise PolNeAR source recall.

Every sentence here is invented for the test; none comes from PolNeAR.
"""

from __future__ import annotations

from rules_helpers import found


def test_negated_cue_keeps_its_negation() -> None:
    text = "The ministry has not publicly accused the harbour board of hiding the figures."
    assert found(text) == [
        ("The ministry", "has not publicly accused", "the harbour board of hiding the figures")
    ]


def test_contracted_negation() -> None:
    text = "Mayor Ellen Ruiz didn't say when the bridge would reopen."
    assert found(text) == [("Mayor Ellen Ruiz", "didn't say", "when the bridge would reopen")]


def test_relative_clause_between_source_and_cue_is_part_of_the_source() -> None:
    text = "Tom Okafor, who ran the county clinic for a decade, said the new rules came too late."
    assert found(text) == [
        (
            "Tom Okafor, who ran the county clinic for a decade,",
            "said",
            "the new rules came too late",
        )
    ]


def test_relative_clause_with_its_own_cue() -> None:
    text = "Ms. Patel, who argued that rents would rise, said the vote was a mistake."
    speakers = {(speaker, cue) for speaker, cue, _ in found(text)}
    # the relative clause reports something itself, so it is not part of the name
    assert ("Ms. Patel", "said") in speakers


def test_participle_takes_the_subject_at_the_start_of_the_sentence() -> None:
    text = "A spokesman for the port later withdrew the remarks, saying that no ships were delayed."
    assert found(text) == [("A spokesman for the port", "saying", "that no ships were delayed")]


def test_participle_subject_with_an_adjunct_and_an_adverb() -> None:
    text = (
        "The farmers union on Friday also stepped up its campaign, arguing that prices are unfair."
    )
    assert found(text) == [("The farmers union", "arguing", "that prices are unfair")]


def test_coordinated_cue_after_a_capitalised_subject() -> None:
    text = "The Ohio Democrat spent a week touring factories and says the plants need investment."
    assert found(text) == [("The Ohio Democrat", "says", "the plants need investment")]


def test_released_a_statement_saying_is_one_cue() -> None:
    text = "The Greenway Alliance released a statement Tuesday saying it would appeal the ruling."
    assert found(text) == [
        (
            "The Greenway Alliance",
            "released a statement Tuesday saying",
            "it would appeal the ruling",
        )
    ]


def test_vehicle_cue_with_a_possessive_subject() -> None:
    text = "Harlow's campaign sent an email saying the debate was rigged."
    assert found(text) == [("Harlow's campaign", "sent an email saying", "the debate was rigged")]


def test_name_after_an_adverbial_and_a_comma() -> None:
    text = "Two hours after the vote, Harlow said the result would stand."
    assert found(text) == [("Harlow", "said", "the result would stand")]


def test_name_after_a_description_and_a_comma() -> None:
    text = "A lifelong independent, Okafor said he might still run."
    assert found(text) == [("Okafor", "said", "he might still run")]


def test_appositive_after_a_name_is_kept() -> None:
    text = "Jane Doe, a spokeswoman for the port, said the ships were on time."
    assert found(text) == [
        ("Jane Doe, a spokeswoman for the port,", "said", "the ships were on time")
    ]


def test_list_of_names_is_kept() -> None:
    text = "Harlow, Okafor and Ruiz said they would stay in the race."
    assert found(text)[0][:2] == ("Harlow, Okafor and Ruiz", "said")


def test_new_reporting_verbs() -> None:
    assert found("Ruiz mentioned that the budget was late.") == [
        ("Ruiz", "mentioned", "that the budget was late")
    ]
    assert found("Okafor wondered whether the council had read the report.") == [
        ("Okafor", "wondered", "whether the council had read the report")
    ]
    assert found("The governor made clear that she would veto the bill.") == [
        ("The governor", "made clear", "that she would veto the bill")
    ]
    assert found("Senator Harlow weighed in on the dispute over water rights.")[0][:2] == (
        "Senator Harlow",
        "weighed in",
    )


def test_known_and_focused_on() -> None:
    assert found("Harlow knew the plant would close.") == [
        ("Harlow", "knew", "the plant would close")
    ]
    assert found("Ruiz focused on the cost of housing.") == [
        ("Ruiz", "focused on", "the cost of housing")
    ]


def test_poll_share_with_a_quantifier_is_a_source() -> None:
    assert found("Only 12 percent said the council was doing well.") == [
        ("Only 12 percent", "said", "the council was doing well")
    ]
    assert found("More than half of the members said they would strike.") == [
        ("More than half of the members", "said", "they would strike")
    ]


def test_title_after_a_question_quotation() -> None:
    text = '"Who pays for this?" Mrs. Okafor asked. "Nobody has told us."'
    assert found(text)[0] == ("Mrs. Okafor", "asked", '"Who pays for this?"')


def test_object_relative_clause_subject() -> None:
    text = "The board dropped the levy, which many residents wanted the town to keep."
    assert ("many residents", "wanted") in {(speaker, cue) for speaker, cue, _ in found(text)}


# -- sources the cue was found for but the subject was dropped ------------------------------------


def test_inverted_source_with_a_long_description_to_the_sentence_end_keeps_all_of_it() -> None:
    text = (
        '"The port is a mess," said Tom Avery, a professor of transport economics at the state '
        "university and a former adviser to the harbour board who has studied the port for years."
    )
    assert found(text) == [
        (
            "Tom Avery, a professor of transport economics at the state university and a former "
            "adviser to the harbour board who has studied the port for years",
            "said",
            '"The port is a mess,"',
        )
    ]


def test_a_name_that_is_also_a_verb() -> None:
    assert found("Prime Minister Theresa May told reporters that talks would resume.") == [
        ("Prime Minister Theresa May", "told", "that talks would resume")
    ]
    assert found('"It is expensive," said Will Doyle, a professor at Marston.')[0][:2] == (
        "Will Doyle, a professor at Marston",
        "said",
    )


def test_initials_are_not_a_pronoun() -> None:
    text = "When the F.B.I. director, Ann Holt, said the case was closed, few agreed."
    assert ("the F.B.I. director, Ann Holt,", "said") in {(who, cue) for who, cue, _ in found(text)}


def test_pronoun_right_before_the_cue_after_its_antecedent() -> None:
    text = "The council dropped the levy, a step they believe could cost the town jobs."
    assert found(text) == [("they", "believe", "could cost the town jobs")]


def test_subject_inside_brackets_and_the_closing_bracket_left_out() -> None:
    assert found("(The ministry denied the report.)") == [("The ministry", "denied", "the report")]


def test_including_appositive_and_quoted_title_in_the_source() -> None:
    assert found("Council members, including Ms. Ortiz, said the vote was rushed.") == [
        ("Council members, including Ms. Ortiz,", "said", "the vote was rushed")
    ]
    assert found('Marta Quinn, the host of "Morning Report," questioned the figures.') == [
        ('Marta Quinn, the host of "Morning Report,"', "questioned", "the figures")
    ]


def test_restrictive_relative_clause_belongs_to_the_source() -> None:
    assert found("People who support Ms. Ruiz said they would vote early.") == [
        ("People who support Ms. Ruiz", "said", "they would vote early")
    ]
    assert found("Drivers who use the bridge every day say the tolls are too high.") == [
        ("Drivers who use the bridge every day", "say", "the tolls are too high")
    ]


def test_quantifier_subjects() -> None:
    assert found("Several said the plant should stay open.") == [
        ("Several", "said", "the plant should stay open")
    ]
    assert found("More rural voters have endorsed the mayor.") == [
        ("More rural voters", "have endorsed", "the mayor")
    ]
    assert found("A third of independents, 33%, say the race is close.") == [
        ("A third of independents, 33%,", "say", "the race is close")
    ]
    assert found("One reader even noted that the numbers were wrong.") == [
        ("One reader", "noted", "that the numbers were wrong")
    ]


def test_both_and_all_belong_to_the_cue() -> None:
    assert found("Farmers and grocers have both argued that the tax is unfair.") == [
        ("Farmers and grocers", "have both argued", "that the tax is unfair")
    ]


def test_according_to_after_an_attribution_reports_the_whole_clause() -> None:
    text = '"The bridge will close," Mayor Ruiz said, according to the Gazette.'
    # the Gazette reports the whole clause; "Mayor Ruiz said" is no attribution of its own
    assert found(text) == [
        ("the Gazette", "according to", '"The bridge will close," Mayor Ruiz said'),
    ]


def test_more_reporting_and_attitude_verbs() -> None:
    assert found("The mayor bemoaned the cuts.") == [("The mayor", "bemoaned", "the cuts")]
    assert found("The union voiced concern about the plan.") == [
        ("The union", "voiced", "concern about the plan")
    ]
    assert found("Ms. Diaz took issue with the audit.") == [
        ("Ms. Diaz", "took issue with", "the audit")
    ]
    assert found("The minister ruled out a second vote.") == [
        ("The minister", "ruled out", "a second vote")
    ]


def test_words_that_only_look_like_cues() -> None:
    assert found("Turnout rose, thanks to the warm weather.") == []
    assert found("They find the rules confusing.") == []


def test_a_closing_source_reports_the_attribution_inside_its_sentence() -> None:
    text = "Washington did not complain when prices fell, a trade official said."
    # what the official reports is no attribution of its own (PolNeAR does not mark one)
    assert found(text) == [
        ("a trade official", "said", "Washington did not complain when prices fell"),
    ]


def test_participle_subject_past_a_quotation_an_adverbial_or_a_preposition() -> None:
    text = 'The mayor delivered a defense of "local control," saying the towns knew best.'
    assert found(text)[0] == ("The mayor", "saying", "the towns knew best")
    text = "Trump landed in trouble last week by saying that the judge was biased."
    assert found(text) == [("Trump", "saying", "that the judge was biased")]
    text = "Here in Dover, Ruiz stepped up her attacks on the toll plan, saying it would hurt."
    assert found(text) == [  # "her attacks on": a noun cue (tests/test_rules_possessive.py)
        ("her", "attacks on", "the toll plan"),
        ("Ruiz", "saying", "it would hurt"),
    ]


def test_with_absolute_participle() -> None:
    text = (
        "Most voters shrugged off the choice, with three in 10 saying it would make no difference."
    )
    assert ("three in 10", "saying", "it would make no difference") in found(text)


def test_infinitive_cues() -> None:
    assert found("The delay leads many engineers to suspect a design flaw.") == [
        ("many engineers", "to suspect", "a design flaw")
    ]
    assert found("Readers of the paper were quick to condemn the remark.") == [
        ("Readers of the paper", "were quick to condemn", "the remark")
    ]
    assert found("Union to endorse Ruiz.") == [("Union", "to endorse", "Ruiz")]
    assert found("It is too soon to say whether the plan will work.") == []


def test_an_attribution_inside_what_another_reports_is_part_of_it() -> None:
    text = "Mayor Ruiz said she expects the plant to close by June."
    assert found(text) == [("Mayor Ruiz", "said", "she expects the plant to close by June")]
    text = "The union believes the plant will close, a spokesman said."
    assert found(text) == [
        ("a spokesman", "said", "The union believes the plant will close"),
    ]


def test_group_described_after_its_noun() -> None:
    assert found("In Ohio, people familiar with her thinking say she will wait.") == [
        ("people familiar with her thinking", "say", "she will wait")
    ]


def test_subordinate_clause_before_the_subject_is_skipped() -> None:
    text = "While the mayor gave no details, Rep. Ann Holt, D-Ohio, says the plan is set."
    assert found(text) == [("Rep. Ann Holt, D-Ohio,", "says", "the plan is set")]
    assert found("Last year’s county figures show a rise in thefts.") == [
        ("Last year’s county figures", "show", "a rise in thefts")
    ]


def test_lists_pronoun_pairs_and_appositives_are_whole_sources() -> None:
    assert found("She and her aides said the plan was flawed.") == [
        ("She and her aides", "said", "the plan was flawed")
    ]
    text = "Mayor Ruiz, Senator Holt, and other officials have said the plan is flawed."
    assert found(text)[0][:2] == ("Mayor Ruiz, Senator Holt, and other officials", "have said")
    text = "Senator Ann Holt, the Ohio Democrat who chairs the panel, said the plan was flawed."
    assert found(text)[0][:2] == (
        "Senator Ann Holt, the Ohio Democrat who chairs the panel,",
        "said",
    )
    assert found("Ruiz herself said the plan was flawed.")[0][:2] == ("Ruiz herself", "said")


def test_a_phrase_without_a_verb_before_the_subject_is_not_the_content() -> None:
    assert found("Two hours after his tweet, the senator said the plan was flawed.") == [
        ("the senator", "said", "the plan was flawed")
    ]


def test_further_reporting_verbs() -> None:
    assert found("The union requested a recount.") == [("The union", "requested", "a recount")]
    assert found("Senator Holt raised questions about the contract.") == [
        ("Senator Holt", "raised questions", "about the contract")
    ]
    assert found("The mayor apologized for the delay.") == [
        ("The mayor", "apologized for", "the delay")
    ]


def test_headline_in_title_case() -> None:
    assert found("Mayor Ruiz Says Bridge Will Close") == [
        ("Mayor Ruiz", "Says", "Bridge Will Close")
    ]


def test_sentence_opening_participle_takes_the_main_subject() -> None:
    text = "Warning that the bridge was unsafe, the mayor’s spokeswoman said it would close."
    assert found(text) == [
        ("the mayor’s spokeswoman", "Warning", "that the bridge was unsafe"),
        ("the mayor’s spokeswoman", "said", "it would close"),
    ]


def test_according_to_closing_the_sentence_keeps_the_appositive() -> None:
    text = "The court has shifted right, according to Ann Holt, a law professor at Marston."
    assert found(text) == [
        ("Ann Holt, a law professor at Marston", "according to", "The court has shifted right")
    ]


def test_agency_dateline_and_when_parenthetical() -> None:
    text = "Dec 29 (Reuters) - Senator Ann Holt on Tuesday said that the bridge would close."
    assert found(text) == [("Senator Ann Holt", "said", "that the bridge would close")]
    text = "The mayor’s office, when contacted by the Gazette, said the figures were wrong."
    assert found(text) == [("The mayor’s office", "said", "the figures were wrong")]


def test_antecedent_of_a_relative_clause_with_a_quotation() -> None:
    text = 'Ruiz, who calls the plan a "disaster," said she would vote against it.'
    assert ("Ruiz", "said", "she would vote against it") in found(text)


def test_inverted_source_keeps_the_period_of_an_abbreviation() -> None:
    text = '"It is close," said Ann Holt, a historian at Rider College in Trenton, N.J.'
    assert found(text) == [
        ("Ann Holt, a historian at Rider College in Trenton, N.J.", "said", '"It is close,"')
    ]


def test_name_ending_in_be_is_not_a_passive() -> None:
    text = "Gabe said the ferry would run again in May."
    assert found(text) == [("Gabe", "said", "the ferry would run again in May")]


def test_name_with_lowercase_appositive() -> None:
    text = "Tolliver, a retired ferry pilot, said the harbour was too shallow."
    assert found(text) == [
        ("Tolliver, a retired ferry pilot,", "said", "the harbour was too shallow")
    ]
    text = '"The harbour is too shallow," said Tolliver, now a ferry pilot.'
    assert found(text) == [("Tolliver, now a ferry pilot", "said", '"The harbour is too shallow,"')]


def test_poll_opening_the_sentence_reports_what_follows() -> None:
    text = "In a Harbour Gazette poll released Monday, 61 percent of residents used the ferry."
    assert found(text) == [
        ("a Harbour Gazette poll released Monday", "In", "61 percent of residents used the ferry")
    ]
    text = "In the end, the poll of residents was late, but the ferry ran."
    assert found(text) == []


def test_adjective_before_a_closing_source_leaves_it_its_content() -> None:
    text = "The new timetable is worrying, Tolliver said."
    assert found(text) == [("Tolliver", "said", "The new timetable is worrying")]


def test_compound_noun_show_is_not_a_cue() -> None:
    text = "Tolliver, the host of a radio show, said the ferry was late."
    assert ("Tolliver, the host of a radio show,", "said", "the ferry was late") in found(text)
    assert all(cue != "show" for _, cue, _ in found(text))


def test_relative_clause_that_reports_is_not_part_of_the_source() -> None:
    text = "Tolliver, who argued last year that the ferry was unsafe, said the harbour is ready."
    assert ("Tolliver", "said", "the harbour is ready") in found(text)
    text = "Tolliver, who ran the ferry for a decade, said the harbour is ready."
    assert ("Tolliver, who ran the ferry for a decade,", "said", "the harbour is ready") in found(
        text
    )


def test_inverted_source_keeps_party_and_state() -> None:
    text = '"The ferry is late," said Rep. Ann Holt (D-Maine).'
    assert found(text) == [("Rep. Ann Holt (D-Maine)", "said", '"The ferry is late,"')]
    text = '"The ferry is late," said Ann Holt (speaking on the radio).'
    assert found(text) == [("Ann Holt", "said", '"The ferry is late,"')]


def test_according_to_opening_the_sentence_reports_an_attribution_inside() -> None:
    text = "According to the harbour board, Mayor Ruiz praised the new ferry timetable."
    assert (
        "the harbour board",
        "According to",
        "Mayor Ruiz praised the new ferry timetable",
    ) in found(text)
    text = "According to the harbour board, the ferry is late, Ruiz said."
    assert ("the harbour board", "According to", "the ferry is late") in found(text)


def test_inverted_source_ends_before_though() -> None:
    text = '"The ferry is late," said harbour master Ann Holt, though she added that it was safe.'
    assert ("harbour master Ann Holt", "said", '"The ferry is late,"') in found(text)


def test_sentence_ends_after_an_acronym_before_a_pronoun() -> None:
    text = "The group wants more ferries in the U.S. He says residents need them."
    assert found(text) == [
        ("The group", "wants", "more ferries in the U.S"),
        ("He", "says", "residents need them"),
    ]


def test_participle_right_after_its_noun_phrase() -> None:
    text = "Several ferry pilots supporting the strike stayed home."
    assert found(text)[0][:2] == ("Several ferry pilots", "supporting")
    text = "A lawsuit alleging that the harbour was unsafe was filed on Monday."
    assert found(text)[0][:2] == ("A lawsuit", "alleging")
    text = "Regulators fined the ferry operator charging passengers twice."
    assert found(text) == []


def test_relative_pronoun_before_an_adverbial_is_the_source() -> None:
    text = "Holt, who in the past has argued for a bridge, told reporters the ferry was enough."
    result = found(text)
    assert ("who", "has argued for") in [(speaker, cue) for speaker, cue, _ in result]


def test_inverted_source_without_a_relative_clause_that_reports() -> None:
    text = '"The ferry is late," said Holt, who added that the harbour was safe.'
    assert ("Holt", "said", '"The ferry is late,"') in found(text)
    text = '"The ferry is late," said Holt, who served as harbour master.'
    assert found(text) == [("Holt, who served as harbour master", "said", '"The ferry is late,"')]


def test_fronted_adverb_is_not_part_of_the_source() -> None:
    text = "Regardless, the harbour board said the ferry was late."
    assert found(text) == [("the harbour board", "said", "the ferry was late")]
    text = "Holt, Diaz and Cho said the ferry was late."
    assert found(text) == [("Holt, Diaz and Cho", "said", "the ferry was late")]


def test_interview_and_column_labels_are_not_speakers() -> None:
    assert found("Q: Will the ferry run on Monday?") == []
    assert found("The Latest: Ferry service resumes in the harbour") == []
    text = "A: Holt told us the ferry would run on Monday."
    assert found(text) == [("Holt", "told", "the ferry would run on Monday")]


def test_quantifier_alone_is_the_subject() -> None:
    assert found("Many said the ferry was late.") == [("Many", "said", "the ferry was late")]
    assert found("Some claims about the ferry were false.") == []


def test_here_after_the_source_is_not_part_of_it() -> None:
    text = "Ferry workers here said the harbour was ready."
    assert found(text) == [("Ferry workers", "said", "the harbour was ready")]


def test_inverted_appositive_keeps_its_own_prepositions() -> None:
    text = '"The ferry is late," said Ann Holt, a harbour official during the Bush years.'
    assert found(text) == [
        ("Ann Holt, a harbour official during the Bush years", "said", '"The ferry is late,"')
    ]
    text = '"The ferry is late," said Ann Holt during a news conference.'
    assert found(text) == [("Ann Holt", "said", '"The ferry is late,"')]


def test_according_to_source_runs_past_abbreviations() -> None:
    text = "The ferry will run, according to U.S. Census data."
    assert found(text) == [("U.S. Census data", "according to", "The ferry will run")]
    text = "The ferry will run, according to a letter filed by John F. Holt."
    assert found(text) == [("a letter filed by John F. Holt", "according to", "The ferry will run")]
    text = "According to Mr. Ruiz, the ferry will run."
    assert found(text) == [("Mr. Ruiz", "According to", "the ferry will run")]


def test_acronym_it_is_not_a_pronoun_in_a_source() -> None:
    text = "An IT manager at the port said the ferry system was never hacked."
    assert found(text) == [
        ("An IT manager at the port", "said", "the ferry system was never hacked")
    ]


def test_time_ago_between_source_and_cue_is_not_part_of_the_source() -> None:
    text = "The harbour board less than two weeks ago said that the ferry was late."
    assert found(text) == [("The harbour board", "said", "that the ferry was late")]
    text = "A harbour poll in March found that the ferry was late."
    assert found(text) == [("A harbour poll in March", "found", "that the ferry was late")]


# -- found on PolNeAR train (issue 18) ---------------------------------------------------------


def test_she_has_said_written_short_is_no_passive() -> None:
    assert found("Lund said the pier was safe, and she's argued that since May.") == [
        ("Lund", "said", "the pier was safe"),
        ("she", "'s argued", "that since May"),
    ]
    assert found("It's said that the pier is safe.") == []


def test_a_stance_after_have_been() -> None:
    assert found("The harbour board's allies have been concerned that the pier was weak.") == [
        ("The harbour board's allies", "have been concerned", "that the pier was weak")
    ]


def test_a_day_between_the_cue_and_that_keeps_the_cue() -> None:
    assert found("Harbour officials emphasized on Friday that the pier was safe.") == [
        ("Harbour officials", "emphasized", "that the pier was safe")
    ]


def test_yet_opens_a_clause_of_its_own() -> None:
    text = "The ferry symbolizes the town, yet harbour officials emphasized that it was old."
    assert found(text) == [("harbour officials", "emphasized", "that it was old")]


def test_a_source_after_its_cue_with_a_long_description_runs_to_the_end() -> None:
    text = (
        '"We were deceived," said one owner of a shop that sells shoes who declined to be '
        "named for fear of trouble."
    )
    assert found(text) == [
        (
            "one owner of a shop that sells shoes who declined to be named for fear of trouble",
            "said",
            '"We were deceived,"',
        )
    ]


def test_an_adverb_after_a_parenthetical_is_no_part_of_the_source() -> None:
    assert found("Harbour officials, in fact, even insist that the pier is safe.") == [
        ("Harbour officials", "insist", "that the pier is safe")
    ]


def test_a_part_of_a_group_named_by_a_pronoun_speaks() -> None:
    assert found("Many of you have also questioned whether the pier is safe.") == [
        ("Many of you", "have also questioned", "whether the pier is safe")
    ]
    assert found("A document he drew up said the pier was safe.") == []


def test_us_in_capitals_is_the_country_not_the_pronoun() -> None:
    text = "US officials said the ferry would run again in May."
    assert found(text) == [("US officials", "said", "the ferry would run again in May")]


def test_a_main_clause_cue_after_a_subordinate_one_has_its_own_content() -> None:
    text = (
        "Though the mayor said the pier was safe, Dana Holt said two planks were missing and "
        "the rail was loose."
    )
    assert found(text) == [
        ("the mayor", "said", "the pier was safe"),
        ("Dana Holt", "said", "two planks were missing and the rail was loose"),
    ]


def test_a_quotation_inside_the_opening_clause_leaves_the_main_cue_its_content() -> None:
    text = (
        'While the mayor said the pier was "perfectly safe" for now, Dana Holt said two planks '
        "were missing."
    )
    assert found(text) == [
        ("the mayor", "said", 'the pier was "perfectly safe" for now'),
        ("Dana Holt", "said", "two planks were missing"),
    ]


def test_a_closing_participle_belongs_to_the_main_speaker_not_the_reported_subject() -> None:
    text = (
        "Dana Holt said the board saw no reason to close the pier, telling reporters that "
        "the rail was loose."
    )
    assert found(text) == [
        ("Dana Holt", "said", "the board saw no reason to close the pier"),
        ("Dana Holt", "telling", "that the rail was loose"),
    ]


def test_a_reporting_relative_clause_after_an_adverbial_is_no_part_of_the_source() -> None:
    text = "Holt, who for years has argued for a bridge, said the ferry was enough."
    assert ("Holt", "said", "the ferry was enough") in found(text)


def test_a_time_between_and_and_the_second_verb_keeps_the_shared_source() -> None:
    text = "Dana Holt praised the plan but on Monday warned that it would cost money."
    assert found(text) == [
        ("Dana Holt", "praised", "the plan"),
        ("Dana Holt", "warned", "that it would cost money"),
    ]
