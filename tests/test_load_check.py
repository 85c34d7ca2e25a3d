"""The load test's mixed-view check (benchmarks/load.py `check`) on page runs made up here: it must pass a
clean 개요 run of either version and fail every way a run can mix two versions."""

from __future__ import annotations

import pytest

from benchmarks import load
from benchmarks.load import NEW, OLD, PageRun, check

QUERY = load.FILTERS[1]


@pytest.fixture(scope="module")
def expected():
    return load.Expected()


def overview_run(cards: dict[str, str], stamps: dict[str, str | None]) -> PageRun:
    return PageRun(0, "app1", "", QUERY, 0.0, 1.0, dict(cards), dict(stamps))


def stamped(version: str) -> dict[str, str]:
    return dict.fromkeys(load.CARD_LABELS, version)


@pytest.mark.parametrize("version", [OLD, NEW])
def test_a_clean_run_shows_the_version_its_stamp_names(expected, version):
    assert check(overview_run(expected.cards(version, QUERY), stamped(version)), expected) == version


def test_the_two_versions_give_different_cards_for_every_filter(expected):
    for query in load.FILTERS:
        assert expected.cards(OLD, query) != expected.cards(NEW, query)


def test_cards_of_the_new_version_under_the_old_stamp_are_mixed(expected):
    assert check(overview_run(expected.cards(NEW, QUERY), stamped(OLD)), expected) == "mixed"


def test_one_card_from_the_other_version_is_mixed(expected):
    label = next(
        label for label in load.CARD_LABELS if expected.cards(OLD, QUERY)[label] != expected.cards(NEW, QUERY)[label]
    )
    cards = expected.cards(OLD, QUERY) | {label: expected.cards(NEW, QUERY)[label]}
    assert check(overview_run(cards, stamped(OLD)), expected) == "mixed"


def test_stamps_naming_two_versions_are_mixed(expected):
    stamps = stamped(OLD) | {"지원금": NEW}
    assert check(overview_run(expected.cards(OLD, QUERY), stamps), expected) == "mixed"


def test_a_card_without_its_stamp_or_a_missing_card_is_mixed(expected):
    assert check(overview_run(expected.cards(OLD, QUERY), stamped(OLD) | {"지원금": None}), expected) == "mixed"
    cards = {k: v for k, v in expected.cards(OLD, QUERY).items() if k != "지원금"}
    stamps = {k: v for k, v in stamped(OLD).items() if k != "지원금"}
    assert check(overview_run(cards, stamps), expected) == "mixed"


def test_cards_of_another_period_are_not_passed(expected):
    """A session that lost its filters on reconnecting shows the right version's cards for the wrong period."""
    assert check(overview_run(expected.cards(OLD, load.FILTERS[2]), stamped(OLD)), expected) == "mixed"


def test_a_page_without_stamped_cards_is_not_checked(expected):
    run = overview_run({"과제 완료율": expected.cards(OLD, QUERY)["과제 완료율"]}, {"과제 완료율": None})
    assert check(run, expected) is None
