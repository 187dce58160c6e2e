"""Number validation and classification per API, and the magic-number plans."""

from __future__ import annotations

import pytest

import emulator.apis  # noqa: F401  (the APIs declare the number kinds they accept)
from emulator.core.sim.phones import Plan, classify, default_plan, is_valid


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("0501234567", "il_mobile"),
        ("0541234567", "il_mobile"),
        ("0773137770", "il_voip"),
        ("021234567", "il_landline"),
        ("031234567", "il_landline"),
        ("041234567", "il_landline"),
        ("081234567", "il_landline"),
        ("091234567", "il_landline"),
        (" 0501234567 ", "il_mobile"),
    ],
)
def test_classify_israeli_forms_are_valid_for_both_apis(number, kind):
    assert classify(number, "yemot").kind == kind
    assert classify(number, "simotel").kind == kind


@pytest.mark.parametrize(
    "number",
    [
        "050123456",
        "05012345678",
        "061234567",
        "011234567",
        "0212345678",
        "+972501234567",
        "972501234567",
        "",
        "05O1234567",
        "1234",
        "09123456789",
        "02123456789",
    ],
)
def test_classify_other_forms_are_invalid_for_yemot(number):
    info = classify(number, "yemot")
    assert (info.valid, info.kind) == (False, "invalid")


@pytest.mark.parametrize(
    ("number", "kind"),
    [("09123456789", "ir_mobile"), ("02188776655", "ir_landline"), ("12", "extension"), ("123456", "extension")],
)
def test_classify_iranian_forms_and_extensions_are_valid_for_simotel_only(number, kind):
    assert classify(number, "simotel").kind == kind
    assert not is_valid(number, "yemot")


@pytest.mark.parametrize("number", ["1", "1234567", "0912345678", "091234567890", "+989123456789"])
def test_classify_other_forms_are_invalid_for_simotel(number):
    assert not is_valid(number, "simotel")


@pytest.mark.parametrize(
    ("number", "plan"),
    [
        ("0501234901", Plan("no_answer", 30.0)),
        ("0501234902", Plan("busy", 0.0)),
        ("0501234903", Plan("blocked", 0.0)),
        ("0501234904", Plan("answered", 5.0, 3.0)),
        ("0501234905", Plan("failed", 0.0)),
        ("0501234567", Plan("answered", 5.0, 20.0)),
        ("0501234", Plan("invalid", 0.0)),
    ],
)
def test_default_plan_follows_last_three_digits(number, plan):
    assert default_plan(number, "yemot") == plan


def test_default_plan_of_bridge_second_leg_answers_after_10s_and_talks_50s():
    assert default_plan("0501234567", "yemot", second_leg=True) == Plan("answered", 10.0, 50.0)
    assert default_plan("0501234902", "yemot", second_leg=True) == Plan("busy", 0.0)


def test_default_plan_of_simotel_extension_uses_magic_suffix_too():
    assert default_plan("901", "simotel") == Plan("no_answer", 30.0)
    assert default_plan("901", "yemot") == Plan("invalid", 0.0)
