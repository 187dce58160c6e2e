"""The units ledger: prices of reference §9, balance = ledger, overdraw refused with no side effect."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from yemot_wire import TOKEN, VERSION

from emulator.core.sim.ids import IdSource
from emulator.yemot import billing
from emulator.yemot.errors import NotEnoughUnits
from emulator.yemot.state import YemotSystem


def system(units: float = 10.0) -> YemotSystem:
    return YemotSystem(number="0773137770", password="1234", units=units)


_AMOUNTS = (
    st.floats(min_value=-2e9, max_value=2e9, allow_nan=False)
    | st.integers(-(10**13), 10**13).map(lambda k: k / 10_000)
    | st.builds(lambda k, n: k / 10_000 * n, st.integers(0, 10**7), st.sampled_from([1, 3, 7, 0.1, 0.3]))
    | st.sampled_from([0.0, -0.0, 0.1 + 0.2, 99.7 - 0.1, 1e9 - 0.00005, 0.00005, -0.00005, 2.675])
)


@given(_AMOUNTS)
def test_units_rounds_exactly_as_round_to_four_decimals(amount):
    expected = round(amount + 0.0, 4) + 0.0
    assert repr(billing.units(amount)) == repr(expected)
    assert repr(billing.units(int(amount))) == repr(round(float(int(amount)), 4) + 0.0)


@pytest.mark.parametrize(
    ("text", "recipients", "price"),
    [("", 1, 0.1), ("a" * 70, 1, 0.1), ("a" * 71, 1, 0.2), ("שלום" * 35, 3, 0.6), ("ש" * 141, 2, 0.6)],
)
def test_price_sms_is_a_tenth_per_70_unicode_chars_per_recipient(text, recipients, price):
    assert billing.price_sms(text, recipients) == price


def test_price_tzintuk_is_a_tenth_per_number_and_free_from_free_lists():
    assert billing.price_tzintuk(3) == 0.3
    assert billing.price_tzintuk(3, free=True) == 0.0


@pytest.mark.parametrize(("seconds", "price"), [(0, 0.1), (6, 0.2), (60, 1.1), (90, 1.6), (180, 3.1)])
def test_price_fax_is_a_tenth_plus_a_unit_per_minute_pro_rata(seconds, price):
    assert billing.price_fax(seconds) == price


def test_price_bridge_of_the_documented_example_bills_110_seconds():
    assert billing.price_bridge(110) == round(0.1 + 110 / 60, 4)


@pytest.mark.parametrize(("seconds", "price"), [(0, 0.0), (20, 1.0), (60, 1.0), (90, 1.5), (150, 2.5)])
def test_price_tts_is_one_unit_for_the_first_minute_then_proportional(seconds, price):
    assert billing.price_tts(seconds) == price


def test_fax_launch_needs_more_than_five_units_spare():
    billing.fax_launch_check(system(6.2), expected_s=60)  # 6.2 - 1.1 = 5.1 > 5
    with pytest.raises(NotEnoughUnits):
        billing.fax_launch_check(system(6.1), expected_s=60)


def test_charge_writes_a_row_and_keeps_balance_equal_to_the_ledger():
    account = system(1.0)
    for _ in range(7):
        billing.charge(account, 0.1, "tick", 0.0, category="test")
    billing.credit(account, 2.5, "top up", 0.0)
    assert account.units == 2.8
    assert round(1.0 + sum(row.amount for row in account.transactions), 4) == account.units
    assert [row.new_balance for row in account.transactions][-2:] == [0.3, 2.8]


def test_charge_that_would_overdraw_raises_and_changes_nothing():
    account = system(0.25)
    with pytest.raises(NotEnoughUnits):
        billing.charge(account, 0.3, "too much", 0.0)
    assert (account.units, account.transactions) == (0.25, [])


def test_refund_gives_back_a_charge_as_a_new_row():
    account = system(1.0)
    row = billing.charge(account, 0.4, "call", 0.0, campaign_id="YA-1")
    assert row is not None
    back = billing.refund(account, row, 1.0)
    assert (account.units, back.amount, back.campaign_id) == (1.0, 0.4, "YA-1")


def test_campaign_ids_have_the_documented_formats():
    account, ids = system(), IdSource(0)
    assert billing.new_campaign_id(ids, account, "YA", 1724246589.311468).startswith("YA-1-0773137770-Yemot-1724246589")
    assert billing.new_campaign_id(ids, account, "SMS", 1641217161.871).startswith("SMS-2-0773137770-Yemot-16412171618")
    assert billing.new_campaign_id(ids, account, "WSOC", 1630179649.083).startswith("WSOC-LC-2021-08-28-")
    assert billing.campaign_description("YA-1-0773137770-Yemot-1") == "Start-YA-1-0773137770-Yemot-1"
    assert billing.campaign_description("SMS-3-0773137770-Yemot-1") == "Start-YA-SMS-3-0773137770-Yemot-1"


def test_send_sms_that_would_overdraw_is_refused_with_no_side_effect(emulator):
    emulator.runtime.world.yemot.systems["0773137770"].units = 0.15
    body = emulator.yemot.post(
        "SendSms", json={"token": TOKEN, "message": "hi", "phones": "0527777701:0527777702"}
    ).json()
    assert body == {"responseStatus": "ERROR", "message": "Not enough balance", "messageCode": 113, **VERSION}
    system_state = emulator.runtime.world.yemot.systems["0773137770"]
    assert (system_state.units, system_state.transactions) == (0.15, [])
    assert emulator.messages(tenant="0773137770") == []
    assert len(system_state.sms_out_log) == 25  # the fixture's generated rows only


def test_run_tzintuk_that_would_overdraw_is_refused_with_no_call(emulator):
    emulator.runtime.world.yemot.systems["0773137770"].units = 0.1
    body = emulator.yemot.post("RunTzintuk", json={"token": TOKEN, "phones": ["0527777701", "0527777702"]}).json()
    assert body["message"] == "Not enough balance"
    emulator.advance(0)
    assert emulator.calls(tenant="0773137770") == []
    assert emulator.runtime.world.yemot.systems["0773137770"].transactions == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["charge", "credit", "transfer"]), st.decimals(min_value="0.01", max_value="30", places=2)
        ),
        max_size=40,
    )
)
def test_balances_always_equal_opening_plus_ledger_and_never_go_negative(operations):
    first, second = system(20.0), YemotSystem(number="0773137780", password="x", units=5.0)
    for kind, amount in operations:
        try:
            if kind == "charge":
                billing.charge(first, float(amount), "x", 0.0)
            elif kind == "credit":
                billing.credit(first, float(amount), "x", 0.0)
            else:
                billing.transfer(first, second, float(amount), 0.0)
        except NotEnoughUnits:
            pass
        for account, opening in ((first, 20.0), (second, 5.0)):
            assert account.units >= 0
            assert account.units == billing.units(opening + sum(row.amount for row in account.transactions))
