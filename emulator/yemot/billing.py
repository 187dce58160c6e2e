"""The units ledger: the one place that knows Yemot's prices, balances and transaction rows.

Every system has one balance (``YemotSystem.units``). Every change of it goes through
``charge`` / ``credit`` (or ``transfer``), which append a ``Transaction`` row, so the balance
always equals the fixture's opening balance plus the sum of the rows. A charge that would take
the balance below zero raises ``NotEnoughUnits`` *before* anything changes: callers check
funds first (``ensure_funds``), then do their side effects, then ``charge``.

Prices (reference §9), all in units:

- ``price_sms(text, recipients)``: ``ceil(chars / 70) * 0.1`` per recipient, counting Unicode
  characters (Hebrew included); an empty message costs one part.
- ``price_tzintuk(numbers, free=False)``: 0.1 per dialled number; 0 from a free tzintuk list.
- ``price_fax(seconds)``: 0.1 per send + 1 unit per minute of connected time, proportional
  ("חיוב יחסי"; ``price_fax_time`` is the time part alone); ``FAX_SPARE`` units must remain
  beyond the charge of a one-minute fax (``fax_launch_check``).
- ``price_bridge(billable_s)``: 0.1 per launch + 1 unit per minute, proportional, of the
  first leg's connected time plus the second leg's talk time (the engine's ``billable_s``).
- ``price_tts(seconds)``: 1 unit for the first (started) minute, then proportional per second.
- ``price_campaign_call(billable_s)``: a Campaign API call, priced by the TTS rule on its connected
  time (both tracks of a bridge); ``units_per_message(message_s)`` is that price for one full play,
  the per-entry estimate a campaign is checked and debited against at start.

Call-based charges (TTS, fax time, bridge time) are made when the simulated call ends, with
``charge(..., allow_overdraw=True)``: the call already happened, so its row is never lost.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from emulator.yemot.errors import NotEnoughUnits
from emulator.yemot.state import Transaction, YemotSystem
from emulator.yemot.timefmt import local

if TYPE_CHECKING:
    from emulator.core.sim.ids import IdSource

SMS_PART_CHARS = 70
SMS_PART_PRICE = 0.1
TZINTUK_PRICE = 0.1
FAX_LAUNCH_PRICE = 0.1
FAX_MINUTE_PRICE = 1.0
FAX_SPARE = 5.0
BRIDGE_LAUNCH_PRICE = 0.1
MINUTE_PRICE = 1.0
TTS_FIRST_MINUTE_PRICE = 1.0
CALLER_ID_CALL_PRICE = 0.1  # a ValidationCallerId CALL: one short call, billed like a tzintuk

_PLACES = 4
_SCALE = 10.0**_PLACES
_FAST_LIMIT = 1e9  # (below it a double holds a 4-decimal amount to ~1e-7 units)


def units(value: float) -> float:
    """A unit amount rounded the ledger's way (4 decimals, no float dust): ``round(value, 4)``, as a
    float, never -0.0.

    Most amounts are rounded already. ``round(x, 4)`` goes through decimal conversion both ways
    (about a thousand instructions), so a value that is already the double nearest to
    ``k / 10000`` is recognised by one integer round instead: rounding it to 4 decimals gives
    ``k / 10000`` again, since its distance to that decimal is far below 0.00005 at these
    magnitudes.
    """
    value += 0.0
    if -_FAST_LIMIT < value < _FAST_LIMIT and round(value * _SCALE) / _SCALE == value:
        return value + 0.0
    return round(value, _PLACES) + 0.0


# -- prices -----------------------------------------------------------------------------------------


def sms_parts(text: str) -> int:
    """Billed parts of one SMS: started blocks of 70 Unicode characters, at least one."""
    return max(1, math.ceil(len(text) / SMS_PART_CHARS))


def price_sms(text: str, recipients: int = 1) -> float:
    """``ceil(chars/70) * 0.1`` per recipient."""
    return units(sms_parts(text) * SMS_PART_PRICE * recipients)


def sms_prices(text: str, recipients: int) -> tuple[float, float]:
    """``price_sms`` of ``text`` to ``recipients`` numbers, and to one of them."""
    part_price = sms_parts(text) * SMS_PART_PRICE
    return units(part_price * recipients), units(part_price)


def price_tzintuk(numbers: int, *, free: bool = False) -> float:
    """0.1 per dialled number; nothing when the run is on free tzintuk lists."""
    return 0.0 if free else units(TZINTUK_PRICE * numbers)


def price_fax_time(seconds: float) -> float:
    """The time part of a fax: 1 unit per minute of connected time, pro rata (charged when the call ends)."""
    return units(FAX_MINUTE_PRICE * max(0.0, seconds) / 60)


def price_fax(seconds: float) -> float:
    """0.1 for the send plus 1 unit per minute of connected time, pro rata."""
    return units(FAX_LAUNCH_PRICE + price_fax_time(seconds))


def price_minutes(seconds: float) -> float:
    """1 unit per minute, proportional to the second."""
    return units(MINUTE_PRICE * max(0.0, seconds) / 60)


def price_bridge(billable_s: float) -> float:
    """0.1 per launch plus proportional time of both tracks (``Call.billable_s`` of the first leg)."""
    return units(BRIDGE_LAUNCH_PRICE + price_minutes(billable_s))


def price_tts(seconds: float) -> float:
    """1 unit for the first minute (even a short answered call), then proportional per second.

    An unanswered call (``seconds == 0``) costs nothing.
    """
    if seconds <= 0:
        return 0.0
    return units(TTS_FIRST_MINUTE_PRICE + price_minutes(max(0.0, seconds - 60)))


def price_campaign_call(billable_s: float) -> float:
    """An answered Campaign API call: the TTS rule on its connected time (nothing if unanswered)."""
    return price_tts(billable_s)


def units_per_message(message_s: float) -> float:
    """What one full play of a template's message costs (at least one second of it)."""
    return price_campaign_call(max(1.0, message_s))


# -- balance and rows -----------------------------------------------------------------------------


def balance(system: YemotSystem) -> float:
    return units(system.units)


def has_funds(system: YemotSystem, amount: float, *, spare: float = 0.0) -> bool:
    """Whether ``amount`` can be charged leaving at least ``spare`` units."""
    return balance(system) - units(amount) >= spare - 1e-9


def ensure_funds(system: YemotSystem, amount: float, *, spare: float = 0.0) -> None:
    """Raise ``NotEnoughUnits`` unless ``amount`` can be charged leaving ``spare`` units."""
    if not has_funds(system, amount, spare=spare):
        raise NotEnoughUnits()


def fax_launch_check(system: YemotSystem, expected_s: float = 60.0) -> None:
    """Refuse a fax unless more than ``FAX_SPARE`` units remain beyond its expected charge."""
    if balance(system) - price_fax(expected_s) <= FAX_SPARE:
        raise NotEnoughUnits()


def _row(
    system: YemotSystem,
    amount: float,
    description: str,
    now: float,
    *,
    who: str,
    campaign_id: str | None,
    category: str,
) -> Transaction:
    system.units = units(system.units + amount)
    row = Transaction(
        id=len(system.transactions) + 1,
        time=now,
        amount=amount + 0.0,  # (rounded by every caller; + 0.0 turns a -0.0 into 0.0)
        description=description,
        who=who,
        new_balance=system.units,
        expire_date=system.units_expire_date,
        campaign_id=campaign_id,
        category=category,
    )
    system.transactions.append(row)
    return row


def charge(
    system: YemotSystem,
    amount: float,
    description: str,
    now: float,
    *,
    who: str = "API",
    campaign_id: str | None = None,
    category: str = "",
    allow_overdraw: bool = False,
) -> Transaction | None:
    """Debit ``amount`` (>= 0) with a transaction row; ``NotEnoughUnits`` if it would overdraw.

    A zero amount writes no row and returns None. ``allow_overdraw`` is for charges that come
    after the fact (a call that ran longer than the funds checked at launch): the balance may
    then go negative, never silently lose the row.
    """
    amount = units(amount)
    if amount <= 0:
        return None
    if not allow_overdraw:
        ensure_funds(system, amount)
    return _row(system, -amount, description, now, who=who, campaign_id=campaign_id, category=category)


def credit(
    system: YemotSystem,
    amount: float,
    description: str,
    now: float,
    *,
    who: str = "ADMIN",
    campaign_id: str | None = None,
    category: str = "",
) -> Transaction:
    """Add ``amount`` units with a transaction row."""
    return _row(system, units(amount), description, now, who=who, campaign_id=campaign_id, category=category)


def refund(system: YemotSystem, row: Transaction, now: float, *, amount: float | None = None) -> Transaction:
    """Give back (part of) a charge row, as a new positive row naming the original."""
    back = units(-row.amount if amount is None else amount)
    return credit(
        system,
        back,
        f"refund of {row.description}",
        now,
        who=row.who,
        campaign_id=row.campaign_id,
        category=row.category,
    )


def transfer(source: YemotSystem, destination: YemotSystem, amount: float, now: float) -> None:
    """Move units between systems: ``transfer to`` / ``transfer from`` rows, ``who`` ``TRANSFER``."""
    ensure_funds(source, amount)
    _row(
        source,
        -units(amount),
        f"transfer to {destination.number}",
        now,
        who="TRANSFER",
        campaign_id=None,
        category="transfer",
    )
    _row(
        destination,
        units(amount),
        f"transfer from {source.number}",
        now,
        who="TRANSFER",
        campaign_id=None,
        category="transfer",
    )


# -- campaign ids ---------------------------------------------------------------------------------


def new_campaign_id(ids: IdSource, system: YemotSystem, kind: str, now: float) -> str:
    """A campaign id in the documented format of ``kind``:

    - ``YA``: ``YA-<seq>-<system>-Yemot-<epoch µs>`` (RunTzintuk, SendTTS),
    - ``SMS``: ``SMS-<seq>-<system>-Yemot-<epoch ms>`` (SendSms),
    - ``WSOC``: ``WSOC-LC-<yyyy-MM-dd-HH-mm-ss-SSS>`` (SendFax, CreateBridgeCall; Israel time).

    ``<seq>`` is the system's campaign sequence, which goes on across reset and restore (``core/sim/ids``).
    """
    seq = campaign_sequence(ids, system)
    if kind == "YA":
        return f"YA-{seq}-{system.number}-Yemot-{int(now * 1_000_000) + seq}"
    if kind == "SMS":
        return f"SMS-{seq}-{system.number}-Yemot-{int(now * 1000) + seq}"
    if kind == "WSOC":
        stamp = local(now)
        return f"WSOC-LC-{stamp:%Y-%m-%d-%H-%M-%S}-{(stamp.microsecond // 1000 + seq) % 1000:03d}"
    raise ValueError(f"unknown campaign id kind {kind!r}")


def campaign_sequence(ids: IdSource, system: YemotSystem) -> int:
    """The next number of ``system``'s campaign-id sequence, never repeated within the server's lifetime."""
    return ids.advance(system, "next_campaign", f"yemot.campaign.{system.number}")


def campaign_description(campaign_id: str) -> str:
    """The ledger description of a campaign's charge: ``Start-YA-<id without a leading YA->``."""
    return "Start-YA-" + campaign_id.removeprefix("YA-")


def charge_campaign(
    system: YemotSystem, amount: float, campaign_id: str, now: float, category: str, *, allow_overdraw: bool = False
) -> Transaction | None:
    """``charge`` a campaign: the row is described ``Start-YA-...`` and carries ``campaignId``."""
    return charge(
        system,
        amount,
        campaign_description(campaign_id),
        now,
        campaign_id=campaign_id,
        category=category,
        allow_overdraw=allow_overdraw,
    )
