"""The table of Yemot methods the emulator implements: method name -> service function.

Which methods exist, their parameters and whether they need a token come from
``contracts/yemot.yaml``; this table only says which service answers each one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.yemot.context import YemotCall
from emulator.yemot.services import account

Service = Callable[[YemotCall], dict[str, Any]]

METHODS: dict[str, Service] = {
    "Login": account.login,
    "Logout": account.logout,
    "GetSession": account.get_session,
    "GetCustomerData": account.get_customer_data,
}
