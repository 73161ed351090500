"""One person or body under the names different articles give it (`claims speakers`,
`claims list --speaker`). All names are invented or common enough to be anyone's."""

from __future__ import annotations

from claimtrack.extraction.identity import group_names, name_key


def groups(*names: str) -> list[set[str]]:
    return [set(group) for group in group_names(names)]


def test_spelling_variants_of_one_name_are_one_person() -> None:
    assert groups("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelenskiy") == [
        {"Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelenskiy"}
    ]


def test_a_first_name_must_agree_and_an_initial_stands_for_it() -> None:
    assert sorted(map(sorted, groups("Ana Ruiz", "A. Ruiz", "Marta Ruiz"))) == [
        ["A. Ruiz", "Ana Ruiz"],
        ["Marta Ruiz"],
    ]


def test_an_initial_two_people_share_is_left_apart() -> None:
    assert len(groups("Ana Ruiz", "Alba Ruiz", "A. Ruiz")) == 3


def test_a_surname_two_people_share_is_left_apart() -> None:
    assert len(groups("Bill Clinton", "Hillary Clinton", "Clinton")) == 3
    assert groups("Hillary Clinton", "Clinton") == [{"Hillary Clinton", "Clinton"}]


def test_case_a_leading_the_a_parenthesis_and_a_legal_suffix_do_not_matter() -> None:
    assert groups("Harbor Freight Corp.", "the Harbor Freight", "HARBOR FREIGHT (HF)") == [
        {"Harbor Freight Corp.", "the Harbor Freight", "HARBOR FREIGHT (HF)"}
    ]
    assert name_key("The Harbor Freight Company Inc.") == ("harbor", "freight")


def test_an_acronym_joins_the_one_name_it_abbreviates() -> None:
    names = ("International Monetary Fund", "IMF", "General Motors Corporation", "GM")
    assert sorted(map(sorted, groups(*names))) == [
        ["GM", "General Motors Corporation"],
        ["IMF", "International Monetary Fund"],
    ]
    # two names with the same initials: the acronym could be either
    assert len(groups("Harbor Freight", "Hill Farms", "HF")) == 3


def test_a_lone_word_is_the_company_it_begins_when_named_more_than_its_namesakes() -> None:
    names = ["Harbor Motors Company"] * 3 + ["Harbor", "Jane Harbor"]
    assert groups(*names) == [{"Harbor Motors Company", "Harbor"}, {"Jane Harbor"}]
    names = ["Jane Harbor"] * 3 + ["Harbor", "Harbor Motors Company"]
    assert groups(*names) == [{"Jane Harbor", "Harbor"}, {"Harbor Motors Company"}]


def test_a_place_does_not_join_its_newspaper_and_a_paper_is_not_a_surname() -> None:
    assert len(groups("Springfield", "Springfield Gazette")) == 2
    assert len(groups("The Ledger", "Ledger", "Tom Ledger")) == 2  # the paper, and Tom


def test_the_leading_name_is_the_fullest_most_frequent_one() -> None:
    names = ["Ruiz"] * 5 + ["Ana Ruiz"] * 2 + ["Ana M. Ruiz"]
    (group,) = group_names(names)
    assert group == ["Ana Ruiz", "Ana M. Ruiz", "Ruiz"]
    (body,) = group_names(["GM"] * 4 + ["General Motors"])
    assert body[0] == "General Motors"
