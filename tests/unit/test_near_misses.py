"""Near-name suggestions, parameter matching and the ranking of near misses."""

from __future__ import annotations

import pytest

from emulator.core.http.suggest import close_names, did_you_mean
from emulator.core.observe.journal import Journal, JournalFilter, values_match
from emulator.core.observe.verify import Expectation, near_misses, verify

OPERATIONS = ["SendSms", "SendTTS", "SendFax", "GetTasks", "GetTasksData", "Login"]


def test_a_case_only_difference_is_the_one_suggestion():
    assert close_names("SendSMS", OPERATIONS) == ["SendSms"]
    assert close_names("login", OPERATIONS) == ["Login"]


def test_typos_get_the_closest_names_and_nothing_far_is_offered():
    assert close_names("GetTask", OPERATIONS)[0] == "GetTasks"
    assert close_names("Transfer", OPERATIONS) == []
    assert did_you_mean("Transfer", OPERATIONS) == ""
    assert did_you_mean("SendFx", OPERATIONS).startswith("; did you mean 'SendFax' or ")  # best first, up to 3
    assert close_names("Login", OPERATIONS) == []  # the name itself is no suggestion


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        ("5", 5, True),
        (5, "5", True),
        (5, 5.0, True),
        (True, "true", True),
        (1, True, False),
        ("0501", "0502", False),
        ({"a": 1}, {"a": 1, "b": 2}, True),
        ({"a": 1, "c": 3}, {"a": 1, "b": 2}, False),
        ([1, "2"], [1, 2], True),
        ([1], [1, 2], False),
        ({"a": 1}, "a=1", False),
        (None, None, True),
    ],
)
def test_parameter_values_match_by_value_or_text(expected, actual, matches):
    assert values_match(expected, actual) is matches


@pytest.mark.parametrize(
    ("expectation", "matched", "holds", "text"),
    [
        (Expectation(), 0, False, "at least 1"),
        (Expectation(), 3, True, "at least 1"),
        (Expectation(count=0), 0, True, "exactly 0"),
        (Expectation(count=2), 3, False, "exactly 2"),
        (Expectation(at_least=2, at_most=3), 3, True, "at least 2 and at most 3"),
        (Expectation(at_most=1), 2, False, "at most 1"),
    ],
)
def test_expectations(expectation, matched, holds, text):
    assert expectation.holds(matched) is holds
    assert expectation.describe() == text


def _journal(*entries: tuple[str, dict, str]) -> Journal:
    journal = Journal()
    for number, (operation, params, tenant) in enumerate(entries):
        journal.record(time=float(number), api="yemot", operation=operation, method="GET", path="/", client=None,
                       params=params, status=200, response=None, tenant=tenant)  # fmt: skip
    return journal


def test_near_misses_rank_the_same_operation_by_fewest_differences_then_similar_names():
    journal = _journal(
        ("SendSms", {"phones": "1", "message": "x"}, "A"),  # two fields differ
        ("SendSms", {"phones": "2", "message": "hi"}, "A"),  # one field differs
        ("SendSMs", {"phones": "2", "message": "hi"}, "A"),  # similar name (not in any contract: a raw call)
        ("Login", {}, "A"),  # unrelated: never a near miss
    )
    selection = JournalFilter(operation="SendSms", params={"phones": "2", "message": "x"})
    ids = [miss["id"] for miss in near_misses(journal.entries(), selection)]
    assert ids == [2, 1, 3]


def test_near_misses_stay_in_the_selected_api_and_time_window_and_are_capped():
    journal = _journal(*[("SendSms", {"phones": str(n)}, "A") for n in range(8)])
    selection = JournalFilter(operation="SendSms", params={"phones": "x"}, since=2.0)
    misses = near_misses(journal.entries(), selection)
    assert len(misses) == 5
    assert all(miss["time"] >= 2.0 for miss in misses)
    assert near_misses(journal.entries(), JournalFilter(api="simotel", operation="SendSms")) == []


def test_verify_reports_the_match_count_and_no_misses_when_it_holds():
    journal = _journal(("SendSms", {"phones": "1"}, "A"), ("SendSms", {"phones": "1"}, "B"))
    verdict = verify(journal, JournalFilter(operation="SendSms", tenant="B"), Expectation(count=1))
    assert (verdict.holds, verdict.matched, verdict.to_json()) == (True, 1, {"matched": 1, "expected": "exactly 1"})
    failed = verify(journal, JournalFilter(operation="SendSms", tenant="C"), Expectation())
    assert [miss["differences"] for miss in failed.near_misses] == [
        [{"field": "tenant", "expected": "C", "actual": "B"}],
        [{"field": "tenant", "expected": "C", "actual": "A"}],
    ]
