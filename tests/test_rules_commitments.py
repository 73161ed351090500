"""Commitments as a reader finds them: actor, action, condition, stage and the rule that found
each. Every sentence is invented for the test."""

from __future__ import annotations

from datetime import date

import pytest

from claimtrack.extraction.models import Item
from claimtrack.extraction.references import attach_references
from claimtrack.extraction.rules import RULE_IDS, extract_with_rules
from claimtrack.extraction.rules import commitments as commitment_rules
from claimtrack.extraction.rules.commitment_cues import COMMITMENT_CUES
from claimtrack.store.items import item_id


def commitments(text: str) -> list[Item]:
    return [item for item in extract_with_rules(text) if item.kind == "commitment"]


def only(text: str) -> Item:
    found = commitments(text)
    assert len(found) == 1, [item.quote for item in found]
    return found[0]


def test_a_plan_that_includes_having_someone_act_names_them() -> None:
    item = only(
        "The proposals agreed in Oslo included having Norway take the lead in mapping the seabed."
    )
    assert item.actors == ["Norway"]
    assert item.extra["rule"] == "commitment.plan_includes"
    assert item.speaker is None  # the publication states it


def test_a_framework_that_will_include_an_action_names_no_one() -> None:
    item = only("The harbour framework will also include dredging the northern channel.")
    assert item.actors == []
    assert item.action is not None and item.action == "dredge the northern channel"
    # a thing that includes a thing is no plan: nothing to commit to
    assert commitments("The menu included roasting chestnuts on an open fire.") == []


def test_whose_plan_it_is_is_its_actor() -> None:
    item = only("The mayor said the council plan also envisions building two new ferry piers.")
    assert item.actors == ["the council"]
    assert item.speaker == "The mayor"


def test_a_business_named_by_its_trade_can_commit() -> None:
    """ "The airline also plans to sell its regional subsidiary, Nordwind Connect, once creditors
    approve the restructuring" (a story written to try the tool) gave a claim and no
    commitment: "the company" could plan, "the airline" could not. Nouns for a business or a
    public body by what it does can act; a thing cannot."""
    item = only("The ferry operator also plans to sell its harbour cafe once the council agrees.")
    assert item.actors == ["The ferry operator"]
    assert item.condition == "once the council agrees"
    assert only("The regulator will review the harbour merger by June.").actors == ["The regulator"]
    assert commitments("The operator's shares will rise, analysts said.") == []


def test_a_day_that_says_when_it_was_decided_is_no_deadline() -> None:
    """ "The European consumer safety agency on Friday ordered Solvik to recall all X9 phones"
    had the deadline "on Friday" (when it was ordered), and "Daimler and Chrysler, which merged
    in 1998, would split" the deadline 1998: a commitment's deadline is in its action or
    condition, or a limit ("by", "within") elsewhere in it."""
    ordered = only("The harbour board on Friday ordered Harbour Lines to refund every pass.")
    assert ordered.deadline_text is None
    limit = only("The harbour board ordered Harbour Lines to refund every pass by June.")
    assert limit.deadline_text == "by June"
    merged = only("Harbour Lines, which bought Kell Ferries in 1998, will sell it to Baltic Air.")
    assert merged.deadline_text is None
    # a limit that opens the sentence is the deadline: "By the end of this year, the Atlanta and
    # St. Louis plants will be closed" (data/articles) had none
    fronted = only("By the end of this year, the Kell yard will be closed.")
    assert fronted.deadline_text == "By the end of this year"
    assert only("On Monday, the Kell yard will be closed.").deadline_text is None


def test_must_approve_is_pending_approval_by_its_subject() -> None:
    item = only("The regional parliament must approve the ferry contract before May.")
    assert item.extra["rule"] == "commitment.must_approve"
    assert item.stage == "pending_approval"
    assert item.actors == ["The regional parliament"]


def test_an_approval_required_from_someone_makes_them_the_actor() -> None:
    item = only("The town said the bridge deal required approval from all three councils.")
    assert item.actors == ["all three councils"]
    assert item.stage == "pending_approval"


def test_a_state_of_another_commitment_has_no_actor_and_points_back() -> None:
    text = (
        "The port authority will build a second lock on the canal.\n"
        "The agreement still needs to be finalized."
    )
    found = commitments(text)
    build, state = found
    assert state.actors == [] and state.stage == "pending_approval"
    attach_references("a1", found)
    assert state.extra["refers_to"] == item_id("a1", "commitment", build.span.start, build.span.end)


def test_a_condition_after_a_clause_opens_with_after() -> None:
    item = only("After the strike is settled, the ferry company will restore the night service.")
    assert item.condition == "After the strike is settled"
    assert item.stage == "conditional"
    # "after" with a date is a time, not a condition
    assert only("The ferry company will restore the night service after May.").condition is None


def test_a_passive_would_names_what_is_done_and_no_actor() -> None:
    item = only("Under the plan, a peacekeeping force would be deployed along the river.")
    assert item.extra["rule"] == "commitment.will_passive"
    assert item.actors == []


def test_a_companys_it_after_it_reported_is_the_company() -> None:
    item = only("Harbour Lines announced on Tuesday that it will open two new routes.")
    assert item.actors == ["Harbour Lines"]
    # an "it" that is a thing commits no one
    assert commitments("The storm moved north, and it will reach the coast tonight.") == []


def test_a_subject_with_an_auxiliary_before_planning() -> None:
    item = only("Harbour Lines is planning to sell its two oldest ferries.")
    assert item.actors == ["Harbour Lines"]
    assert item.extra["rule"] == "commitment.intention"


def test_a_manifesto_line_is_the_publications_commitment() -> None:
    text = "Our programme for the coast:\n- Set up a fisheries training college in every port.\n"
    item = only(text)
    assert item.extra["rule"] == "commitment.bare_action"
    assert item.quote.startswith("Set up a fisheries training college")
    assert item.speaker is None and item.actors == []
    # the same verb inside a sentence, or in a question, is no commitment of the publication
    assert commitments("Builders set up a fence around the old pier.") == []
    assert commitments("Set up a college in every port?") == []


def test_a_will_with_no_subject_opens_a_manifesto_line() -> None:
    item = only("Will launch a coastal clean-up programme in 2027.")
    assert item.deadline == date(2027, 12, 31) or item.deadline_text == "2027"
    assert commitments("Will the council launch the programme?") == []


def test_aims_are_not_actions() -> None:
    assert commitments("We will strive for a cleaner coast.") == []
    assert commitments("The council will promote tourism in the old town.") == []
    assert len(commitments("The council will open a tourist office in the old town.")) == 1


def test_a_progressive_will_be_is_an_action() -> None:
    item = only("The ministry said the navy will be escorting the convoys from March.")
    assert item.action is not None and item.action.startswith("be escorting the convoys")


@pytest.mark.parametrize("name", [name for name, _, _ in COMMITMENT_CUES])
def test_every_commitment_pattern_has_a_rule_id(name: str) -> None:
    assert f"commitment.{name}" in RULE_IDS


def test_switching_plan_includes_off_loses_its_commitment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "The harbour framework will also include dredging the northern channel."
    assert len(commitments(text)) == 1
    without = tuple(cue for cue in COMMITMENT_CUES if cue[0] != "plan_includes")
    monkeypatch.setattr(commitment_rules, "COMMITMENT_CUES", without)
    assert commitments(text) == []


def test_a_state_statement_attaches_to_the_plan_just_before_it() -> None:
    text = (
        "Britain will send two patrol boats to the strait.\n"
        "The mayor said the council plan also envisions building two new ferry piers.\n"
        "The commitment still needs to be finalized."
    )
    found = commitments(text)
    boats, piers, state = found
    attach_references("a1", found)
    assert state.extra["refers_to"] == item_id("a1", "commitment", piers.span.start, piers.span.end)
    # the plan is a commitment of its own, not a statement about the boats
    assert "refers_to" not in piers.extra and "refers_to" not in boats.extra


# ---------------------------------------- the publication's own lines, and their specificity


def test_a_stated_line_opening_with_any_verb_is_judged_for_specificity() -> None:
    item = only("- Upgrade the water supply of every village to piped connections by 2030.\n")
    assert item.extra["rule"] == "commitment.stated_line"
    assert item.quote.startswith("Upgrade the water supply") and item.actors == []


def test_a_line_opening_with_an_actions_noun_and_of_is_a_stated_line() -> None:
    item = only("- Electrification of all hill hamlets within five years.\n")
    assert item.extra["rule"] == "commitment.stated_line"


def test_a_participle_before_a_news_subject_is_no_stated_line() -> None:
    assert commitments("Facing a deep slump, the carmaker has closed two of its plants.") == []


def test_a_name_that_is_also_a_verb_is_no_stated_line() -> None:
    assert commitments("Ford had a large debt at the end of the year.") == []
    assert commitments("Ford Motor Company sales dropped sharply last month.") == []


def test_a_stated_will_passive_with_any_participle_is_a_commitment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(commitment_rules, "is_specific", lambda sentence, rules: True)
    item = only("Delays in granting fishing licences will be removed within a year.")
    assert item.extra["rule"] == "commitment.stated_will"
    assert item.actors == []


def test_only_specific_own_commitments_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    vague = "We will strengthen the spirit of cooperation among all our citizens."
    specific = "We will set up 20 new veterinary colleges, one in every district, by 2028."
    assert commitments(vague) == []
    assert len(commitments(specific)) == 1
    # the decision, not a pattern, drops the vague one: with every sentence kept it is found
    monkeypatch.setattr(commitment_rules, "is_specific", lambda sentence, rules: True)
    assert len(commitments(vague)) == 1


def test_a_reported_or_named_commitment_is_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commitment_rules, "is_specific", lambda sentence, rules: False)
    assert len(commitments("The ministry said it will strengthen the border force.")) == 1
    assert len(commitments("The company will close two plants in Ohio next year.")) == 1
    assert commitments("We will set up 20 new veterinary colleges by 2028.") == []


def test_a_product_with_a_capital_inside_its_name_can_commit() -> None:
    item = only("The maker said the new iPad will offer twice the battery life.")
    assert item.extra["rule"] == "commitment.will"


# ---------------------------------------- news forms: headlines, schedules, plans named by a noun


def test_a_headline_with_to_names_its_actor() -> None:
    item = only("Harbour Lines to sell its two oldest ferries")
    assert item.extra["rule"] == "commitment.headline_to"
    assert item.actors == ["Harbour Lines"] and item.action == "sell its two oldest ferries"
    # a headline's passive names what is done, no one who does it
    assert only("Harbour Lighthouse to be rebuilt").actors == []
    # a sentence with a full stop is no headline, and "to" after a verb is no headline form
    assert commitments("Harbour Lines wants to sell its two oldest ferries.") == []


def test_a_scheduled_event_is_a_commitment_without_an_actor() -> None:
    item = only("The ferry inquiry is set to open on Monday in the county hall.")
    assert item.extra["rule"] == "commitment.scheduled"
    assert item.actors == [] and item.action is not None and item.action.startswith("open")
    # a change nobody makes, or "due to" a cause, is no schedule
    assert commitments("Ferry fares are set to rise next spring.") == []
    assert commitments("The delay is due to storms in the channel.") == []


def test_a_plan_named_by_a_noun_commits_its_owner() -> None:
    item = only("The port authority is in talks with two banks to finance a new quay.")
    assert item.extra["rule"] == "commitment.noun_to"
    assert item.actors == ["The port authority"] and item.action == "finance a new quay"
    deal = only("Harbour Lines announced a deal to buy three electric ferries.")
    assert deal.stage == "agreed_in_principle" and deal.actors == ["Harbour Lines"]
    reported = only("Harbour Lines announced its plan to close the night route.")
    assert reported.actors == ["Harbour Lines"]


def test_an_event_to_be_held_is_a_passive_commitment() -> None:
    item = only("The council announced a public hearing to be held on 3 May.")
    assert item.extra["rule"] == "commitment.will_passive" and item.actors == []
    assert item.quote.startswith("a public hearing")


def test_a_relative_clause_takes_the_noun_before_it_as_subject() -> None:
    item = only("Ministers met the directors of Harbour Lines, which will sell two ferries.")
    assert item.actors == ["Harbour Lines"] and item.action == "sell two ferries"


def test_will_be_able_to_is_an_action() -> None:
    item = only("The ministry said Harbour Lines will be able to renew passes online.")
    assert item.action is not None and item.action.startswith("be able to renew passes")


def test_a_quoted_will_at_the_opening_of_the_quotation_commits_the_speaker() -> None:
    item = only('"We will close the night route in June," the ferry operator said.')
    assert item.actors == ["the ferry operator"] and item.speaker == "the ferry operator"
    assert item.quote.endswith('June,"')  # the quotation, not the attribution after it
    # a "will" inside another clause of the quotation commits no one
    assert commitments('"This does not mean we will win the vote," the mayor said.') == []
    assert commitments('"We planned how these ships will sail," the captain said.') == []


def test_a_plans_items_read_as_actions() -> None:
    item = only(
        "The harbour framework will also include dredging the channel, including deepening "
        "its northern berth."
    )
    assert item.action == "dredge the channel and deepen its northern berth"
    named = only("The plans agreed in Oslo included having Norway take the lead in mapping reefs.")
    assert named.actors == ["Norway"] and named.action == "take the lead in mapping reefs"


def test_an_adjective_before_a_name_keeps_the_subject() -> None:
    item = only("The minister said that future Harbour Lines ferries will carry solar panels.")
    assert item.actors == ["future Harbour Lines ferries"]


# ---------------------------------------- commitments said by someone: quotations, reported speech


def test_we_in_a_quotation_in_single_marks_is_its_speaker() -> None:
    item = only("'We will open two ferry berths once the dredging is done,' Mayor Lund said.")
    assert item.actors == ["Lund"] and item.speaker == "Mayor Lund"
    assert item.quote == "We will open two ferry berths once the dredging is done"
    assert item.condition == "once the dredging is done"
    assert item.action == "open two ferry berths once the dredging is done"


@pytest.mark.parametrize(
    "text",
    [
        '"We\'ll keep the night route open until 2030," a spokesman for Harbour Lines said.',
        '"We\'ll keep the night route open until 2030," said Jo Berg, a spokeswoman for '
        "Harbour Lines.",
        '"We\'ll keep the night route open until 2030," a Harbour Lines spokesman said.',
        "A Harbour Lines spokesman said it would keep the night route open until 2030.",
    ],
)
def test_a_spokespersons_we_or_it_is_the_body_they_speak_for(text: str) -> None:
    item = only(text)
    assert item.actors == ["Harbour Lines"]
    assert item.speaker is not None and "Harbour Lines" in item.speaker
    assert item.deadline_text == "until 2030"


def test_a_condition_opening_a_quotation_keeps_its_commitment() -> None:
    item = only('"Once the strike ends, we will restore the night route," the operator said.')
    assert item.condition == "Once the strike ends" and item.stage == "conditional"
    assert item.actors == ["the operator"] and item.action == "restore the night route"


def test_a_later_sentence_of_a_quotation_is_read_as_its_own_clause() -> None:
    item = only('"The talks went well. We will sign the lease in May," the mayor said.')
    assert item.quote.startswith("We will sign the lease")
    assert item.actors == ["the mayor"]
    # an abbreviation inside the quotation ends no sentence
    named = only('"Mr. Lund will sign the lease in May," the mayor said.')
    assert named.actors == ["Mr. Lund"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Norway warned it would close the strait to any tanker.", "Norway"),
        ("The port authority said in a statement it would close the strait.", "port authority"),
        ("Norway threatened to close the strait to any tanker.", "Norway"),
    ],
)
def test_a_reported_threat_or_promise_is_a_commitment_of_who_made_it(text: str, actor: str) -> None:
    item = only(text)
    assert item.actors and actor in item.actors[0]
    assert item.action is not None and item.action.startswith("close the strait")


def test_a_reported_clause_before_its_attribution_is_said_by_its_speaker() -> None:
    item = only("Harbour Lines will sell two ferries next year, the port minister said on Friday.")
    assert item.quote == "Harbour Lines will sell two ferries next year"
    assert item.speaker == "the port minister" and item.actors == ["Harbour Lines"]
    inverted = only("Harbour Lines will sell two ferries next year, said the port minister.")
    assert inverted.quote == "Harbour Lines will sell two ferries next year"


def test_what_something_would_look_like_is_no_commitment() -> None:
    assert commitments("The mayor said the new pier would actually look like the old one.") == []
    item = only("The mayor said the council would actually rebuild the old pier.")
    assert item.action == "rebuild the old pier" and item.actors == ["the council"]


@pytest.mark.parametrize(
    "text",
    [
        "OSLO (Reuters) Harbour Lines will sell two ferries next year.",
        "OSLO, Jan 7 (AFP) Harbour Lines will sell two ferries next year.",
        "Photo: Reuters/Ola Berg Harbour Lines will sell two ferries next year.",
        "Updated 10:18 GMT Harbour Lines will sell two ferries next year.",
        "Harbour Lines (AFP/Getty Images) will sell two ferries next year.",
    ],
)
def test_a_dateline_credit_or_time_stamp_is_no_part_of_the_actor(text: str) -> None:
    item = only(text)
    assert item.actors == ["Harbour Lines"]
    assert item.quote.startswith("Harbour Lines")


# -- forms later articles follow up (issue 18): what is under way, required, attempted, a right
# -- that opens on an event, a commitment inside a noun, a reported plan that goes on


def test_a_process_under_way_is_a_commitment_without_an_actor() -> None:
    item = only("The ministry said the old terminal is being demolished.")
    assert item.extra["rule"] == "commitment.under_way"
    assert item.actors == [] and item.speaker == "The ministry"
    assert item.action == "being demolished"


def test_a_requirement_commits_who_is_required_and_them_is_the_subject_before() -> None:
    item = only(
        "The ferry firms took the harbour grants, but the council required them to publish "
        "safety plans."
    )
    assert item.extra["rule"] == "commitment.required_to"
    assert item.actors == ["The ferry firms"]
    assert item.action == "publish safety plans"
    assert item.quote == "the council required them to publish safety plans"


def test_a_body_that_is_required_to_act_is_committed() -> None:
    item = only("Harbour Lines is required to repaint its ferries by May.")
    assert item.extra["rule"] == "commitment.required_to"
    assert item.actors == ["Harbour Lines"]


def test_an_attempt_under_way_commits_who_attempts() -> None:
    item = only("Harbour Lines is trying to sell its two oldest ferries.")
    assert item.extra["rule"] == "commitment.attempting"
    assert item.actors == ["Harbour Lines"]
    assert item.action == "sell its two oldest ferries"
    relative = only("Harbour Lines, which is seeking to cut 300 jobs, met the unions.")
    assert relative.actors == ["Harbour Lines"]


def test_what_a_plan_must_include_commits_whose_plan_it_is_with_its_deadline() -> None:
    text = "The Acme Ferry Company's rescue plan must include a sale of its pier within 30 days."
    (item,) = [
        i for i in extract_with_rules(text, published=date(2026, 4, 1)) if i.kind == "commitment"
    ]
    assert item.extra["rule"] == "commitment.plan_includes"
    assert item.actors == ["The Acme Ferry Company"]
    assert item.deadline_text == "within 30 days" and item.deadline == date(2026, 5, 1)
    assert commitments("The menu must include a vegetarian dish.") == []  # no plan


@pytest.mark.parametrize(
    ("text", "actor", "condition"),
    [
        (
            "Harbour Lines can take over the night routes upon completion of the new pier.",
            "Harbour Lines",
            "upon completion of the new pier",
        ),
        (
            "Once the loans are repaid, the city can buy the ferry company.",
            "the city",
            "Once the loans are repaid",
        ),
    ],
)
def test_a_right_that_opens_on_an_event_is_a_conditional_commitment(
    text: str, actor: str, condition: str
) -> None:
    item = only(text)
    assert item.extra["rule"] == "commitment.conditional_right"
    assert item.actors == [actor]
    assert item.condition == condition and item.stage == "conditional"


def test_an_announcement_that_it_would_act_commits_whose_announcement_it_is() -> None:
    item = only("Shares rose after the city council's announcement that it would buy two ferries.")
    assert item.extra["rule"] == "commitment.noun_that"
    assert item.actors == ["the city council"]
    assert item.action == "buy two ferries"
    listed = only(
        "Shares rose on several reports, including the port authority's pledge that it would "
        "dredge the channel."
    )
    assert listed.actors == ["the port authority"]
    # a state announced is no deed
    assert (
        commitments("The council's announcement that it would be difficult surprised no one.") == []
    )


def test_united_states_is_a_name_not_a_reporting_verb() -> None:
    item = only(
        "Shares rose after the United States government's pledge that it would buy bad loans."
    )
    assert item.actors == ["the United States government"]


def test_a_would_right_after_a_report_goes_on_reporting_the_plan() -> None:
    item = only(
        "The mayor said the city had a plan. The city would hold a 60% stake in the ferries."
    )
    assert item.extra["rule"] == "commitment.will"
    assert item.actors == ["The city"]
    # without a report before it, or in a question, a "would" commits no one
    assert commitments("The city had a plan. The city would hold a 60% stake in the ferries.") == []
    asked = "The mayor said the city had a plan. Asked whether the city would sell, she declined."
    assert commitments(asked) == []


@pytest.mark.parametrize(
    "text",
    [
        # a passive in progress that completes nothing: a past scene, a detention
        "The ministry said the pier was being cleaned when the fire started.",
        "The ministry said two dockers are being held by the police.",
        # a requirement with no one bound to a deed
        "Congress required a two-thirds majority.",
        "The job required him to travel every week.",
        # an attempt to know, not to do; an aim; "attempts" as a noun
        "The council is trying to understand why the pier collapsed.",
        "The council is trying to promote the old town.",
        "The plan fits the ferry unions' attempts to block the sale.",
        # a right with no event it opens on: an ability, a guess ("if"), "once again"
        "Harbour Lines can sell tickets online.",
        "The council can act if the pier fails.",
        "Harbour Lines can once again sell tickets online.",
    ],
)
def test_near_misses_of_the_followed_up_forms_are_no_commitments(text: str) -> None:
    assert commitments(text) == []


def test_a_thousands_separator_does_not_cut_the_subject() -> None:
    """ "30,000 jobs will be cut" was read from "000": a comma inside a number is no boundary."""
    found = extract_with_rules("In the plan 30,000 jobs will be cut.")
    [item] = [i for i in found if i.kind == "commitment"]
    assert item.text.startswith("30,000 jobs will be cut")
