"""Three stories written to try the offline judge, run as a user runs them: what a
fact-checker expects the ledger to show, and what it must never show.

Wire-style reports invented for this test (an airline's restructuring, a city's tram line, a
phone maker's recall), written with the relations a reader expects before the judge was run on
them. Each miss found was fixed by a rule stated in general terms and tested on other invented
sentences (tests/test_tracking_signals.py); the stories were not tuned on after that. They guard
what the judge does on them; they measure nothing about stories it has not seen. What the judge
still misses on them is stated in README.md ("What it cannot do").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from story_helpers import done_on, found, story_ledger, ties

from claimtrack.store import Store

AIRLINE = {
    "2026-03-02T09:00:00+00:00 Nordwind Airways to cut 4,000 jobs and close Malmo base": (
        "Nordwind Airways will cut 4,000 jobs and close its maintenance base in Malmo by the "
        "end of 2026, chief executive Lena Fors said on Monday.\n\nThe job cuts will go ahead "
        "unless the pilots' union accepts a two-year pay freeze, Fors told reporters in "
        "Stockholm. The airline also plans to sell its regional subsidiary, Nordwind Connect, "
        "once creditors approve the restructuring.\n\nTransport minister Erik Dahl said the "
        'government would not bail out the airline. "The state will not put money into '
        'Nordwind," Dahl said.\n\nAnalysts at Carnegie said Nordwind could run out of cash by '
        "September if no deal with the unions is reached.\n\nThe pilots' union, SPF, said it "
        "would hold a ballot on the pay freeze within three weeks. Its chairman, Jonas Berg, "
        'called the plan "a gun to our heads".'
    ),
    "2026-03-20T15:00:00+00:00 Nordwind pilots accept pay freeze in ballot": (
        "Pilots at Nordwind Airways have voted to accept a two-year pay freeze, the SPF union "
        "said on Friday.\n\nThe ballot was held over the past week and 71 percent of members "
        'backed the deal, SPF chairman Jonas Berg said. "Nobody is happy, but the jobs of our '
        'members come first," he said.\n\nNordwind said it welcomed the result. The airline did '
        "not say whether the 4,000 job cuts announced this month would now be scaled back."
    ),
    "2026-04-14T11:00:00+00:00 Creditors back Nordwind restructuring": (
        "Nordwind Airways' creditors approved the airline's restructuring plan on Tuesday, "
        "clearing the way for the sale of its regional arm.\n\nThe airline said it had begun "
        "talks with two potential buyers for Nordwind Connect, which flies 40 regional routes "
        "in Sweden and Norway. A sale is expected before the summer, a spokeswoman said.\n\nChief "
        'executive Lena Fors said the vote was "a turning point" for the company.'
    ),
    "2026-06-10T08:30:00+00:00 Minister rules out state aid for Nordwind again": (
        "Transport minister Erik Dahl again ruled out state aid for Nordwind Airways on "
        'Wednesday, as the airline reported a wider first-quarter loss.\n\n"The state will not '
        'put money into Nordwind. That has not changed," Dahl told parliament.\n\nNordwind lost '
        "1.2 billion kronor in the first quarter, against 800 million a year earlier. The "
        "company said the sale of Nordwind Connect to Baltic Air Group had been agreed for 900 "
        "million kronor."
    ),
    "2026-09-25T10:00:00+00:00 Nordwind shuts Malmo base as job cuts near target": (
        "Nordwind Airways closed its maintenance base in Malmo on Friday, ending 50 years of "
        "aircraft maintenance at the airport.\n\nAbout 3,200 employees have left the airline "
        "since March, the company said, and the remaining job cuts will be completed by "
        "December.\n\nThe airline said it had enough cash to operate through the winter."
    ),
    "2026-10-05T12:00:00+00:00 Government agrees loan to Nordwind": (
        "The Swedish government agreed on Monday to lend Nordwind Airways 2 billion kronor, "
        "reversing its earlier refusal to help the struggling airline.\n\nTransport minister Erik "
        'Dahl said the loan was a commercial one and would be repaid with interest. "This is '
        'not a bailout," he said.\n\nOpposition parties said the government had broken its '
        "promise."
    ),
}

TRAM = {
    "2026-02-10T10:00:00+00:00 Valdora to build airport tram line by 2028, mayor says": (
        "Valdora will build a 12-kilometre tram line linking the airport to the city centre by "
        "2028, mayor Ana Costa said on Tuesday.\n\nThe city council will vote on the project's "
        "budget next month, Costa told reporters. The national government has promised to pay "
        "half of the 400 million euro cost if the European Union approves the region's funding "
        "request, transport minister Paulo Reis said.\n\nResidents of the Alfama district said "
        'they would challenge the route in court.\n\n"This tram will cut traffic in the centre by '
        'a third," Costa said. Opposition councillor Rui Matos said the project would be '
        "delayed by years."
    ),
    "2026-03-12T16:00:00+00:00 Valdora council approves tram budget": (
        "Valdora's city council approved the budget for the airport tram line on Thursday by 31 "
        "votes to 18.\n\nMayor Ana Costa said construction would begin in the autumn. Opposition "
        'councillor Rui Matos called the vote "a blank cheque".'
    ),
    "2026-05-20T09:00:00+00:00 EU approves funding for Valdora region": (
        "The European Commission approved the Valdora region's funding request on Wednesday, "
        "granting 150 million euros for transport projects including the airport "
        "tram.\n\nTransport minister Paulo Reis said the government would transfer its share of "
        "the tram's cost by the end of the year."
    ),
    "2026-07-02T12:00:00+00:00 Court halts work on Valdora tram route": (
        "An administrative court suspended work on Valdora's tram route through the Alfama "
        "district on Monday, after residents filed a legal challenge against the route.\n\nThe "
        "city said it would appeal the ruling. Work on the rest of the line continues, a "
        "spokesman for the mayor said."
    ),
    "2026-11-15T11:00:00+00:00 Valdora airport tram delayed to 2030": (
        "Mayor Ana Costa said on Friday that the airport tram would not open before 2030, two "
        "years later than planned, because of the court case over the Alfama route.\n\nCosta said "
        "again that the tram would cut traffic in the centre by a third once it opens. "
        "Councillor Rui Matos said the delay proved him right."
    ),
}

RECALL = {
    "2026-04-01T09:00:00+00:00 Regulator weighs recall of Solvik X9 phone": (
        "The European consumer safety agency will decide by June whether to order a recall of "
        "Solvik's X9 phone after reports of battery fires, its director Marta Lindqvist said on "
        "Wednesday.\n\nSolvik denied that the X9's battery was faulty. \"There is no defect in the "
        "X9,\" chief executive Arne Holm said.\n\nAnalysts at Nordbank said Solvik's sales could "
        "fall by a fifth this year if a recall is ordered.\n\nHolm said the company would launch "
        "its next phone, the X10, in September."
    ),
    "2026-06-20T14:00:00+00:00 Regulator orders recall of Solvik X9": (
        "The European consumer safety agency on Friday ordered Solvik to recall all 2 million "
        "X9 phones sold in Europe, after tests found a defect in the battery.\n\nSolvik said it "
        'would comply with the order. Director Marta Lindqvist said the agency had acted "to '
        'protect consumers".'
    ),
    "2026-08-05T08:00:00+00:00 Solvik sales drop after X9 recall": (
        "Solvik's sales fell 23 percent in the second quarter, the company said on Tuesday, as "
        "the recall of the X9 phone hit demand.\n\nChief executive Arne Holm apologised to "
        "customers for the battery fault and said the company had changed its supplier."
    ),
    "2026-09-15T10:00:00+00:00 Solvik launches X10 phone": (
        "Solvik launched its X10 phone on Tuesday at an event in Stockholm, its first new model "
        "since the recall of the X9.\n\nThe X10 will cost 799 euros, the company said."
    ),
}


@pytest.fixture(scope="module")
def airline(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return story_ledger(Path(tmp_path_factory.mktemp("airline")), AIRLINE)


@pytest.fixture(scope="module")
def tram(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return story_ledger(Path(tmp_path_factory.mktemp("tram")), TRAM)


@pytest.fixture(scope="module")
def recall(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return story_ledger(Path(tmp_path_factory.mktemp("recall")), RECALL)


def test_the_ballot_promised_is_reported_held(airline: Store) -> None:
    assert found(
        airline, "fulfils", "pilots accept", "hold a ballot on the pay freeze",
        "The ballot was held over the past week",
    )  # fmt: skip


def test_the_sale_is_triggered_when_creditors_approve(airline: Store) -> None:
    assert found(
        airline, "triggers", "Creditors back", "plans to sell its regional subsidiary",
        "creditors approved the airline's restructuring plan",
    )  # fmt: skip


def test_one_act_of_two_done_advances_the_plan(airline: Store) -> None:
    closed = [r for r, t, q, _ in ties(airline) if "shuts Malmo" in t and "4,000 jobs and" in q]
    assert closed == ["advances"]


def test_the_minister_said_it_again(airline: Store) -> None:
    assert found(
        airline, "repeats", "rules out state aid", "The state will not put money into Nordwind",
        "That has not changed",
    )  # fmt: skip


def test_the_council_vote_is_reported(tram: Store) -> None:
    voted = [r for r, t, q, _ in ties(tram) if "council approves" in t and "will vote" in q]
    assert voted and voted[0] in ("finalizes", "fulfils"), voted


def test_the_half_cost_promise_is_triggered_by_the_eu_funding(tram: Store) -> None:
    assert found(
        tram, "triggers", "EU approves", "pay half of the 400 million euro cost",
        "approved the Valdora region's funding request",
    )  # fmt: skip


def test_the_court_challenge_promised_is_filed(tram: Store) -> None:
    assert found(
        tram, "fulfils", "Court halts", "challenge the route in court",
        "after residents filed a legal challenge",
    )  # fmt: skip


def test_nothing_is_done_on_plans_hopes_or_background(
    airline: Store, tram: Store, recall: Store
) -> None:
    not_done = (
        "A sale is expected before the summer", "will be completed by December",
        "potential buyers", "construction would begin", "would transfer its share",
        "would appeal", "would comply", "will cost 799 euros",
    )  # fmt: skip
    assert done_on(airline, not_done) == []
    assert done_on(tram, not_done) == []
    assert done_on(recall, not_done) == []
    # "its first new model since the recall" reports no recall
    assert [tie for tie in ties(recall) if "launches X10" in tie[1] and "ordered" in tie[2]
            and tie[0] != "mentions"] == []  # fmt: skip
