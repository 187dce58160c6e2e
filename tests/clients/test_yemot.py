"""yemot 0.1.2 (PyPI) against the emulator over real HTTP, redirected with ``base_url`` (reference §11.2).

Its issue-4 methods (Login in the constructor, Logout, GetSession, GetTransactions, TransferUnits)
run as they are; the seed methods it has no wrapper for go through its generic ``get`` / ``post``
/ ``download``, which send the token in the query string and POST bodies as forms.
"""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("yemot")

from yemot import Client
from yemot.client import AuthenticationError, YemotError
from yemot.system import System

SYSTEM, PASSWORD = "0773137770", "1234"


def test_client_logs_in_on_construction_and_reads_the_system(client):
    assert len(client.token) == 16
    info = System(client).system_info()
    assert (info["responseStatus"], info["username"]) == ("OK", SYSTEM)


def test_client_bad_password_raises_authentication_error(emulator_server):
    with pytest.raises(AuthenticationError, match="user name or password do not match"):
        Client(SYSTEM, "wrong", base_url=emulator_server.yemot)


def test_system_units_methods(client):
    system = System(client)
    moved = system.transfer_units(2, "0773137780")
    assert (moved["responseStatus"], moved["newBalance"]) == ("OK", 98)
    rows = system.get_transactions()["transactions"]
    assert rows[0]["description"] == "transfer to 0773137780"


def test_generic_calls_reach_seed_methods(client):
    assert client.get("GetCustomerData")["mainDid"] == SYSTEM
    assert client.get("CheckIfFileExists", {"path": "ivr2:/1/ext.ini"})["fileExists"] is True
    created = client.post("CreateTask", {"taskType": "MoveOnFile", "folder": "ivr2:/2", "target": "ivr2:/4"})
    assert client.get("GetTasksData", {"TaskId": created["jobId"]})["type"] == "MoveOnFile"
    assert client.post("CreateSipAccount", {"extNumber": 210})["accountNumber"] == 1
    assert client.post("DeleteSipAccount", {"accountNumber": 1})["affected_rows"] == 1
    csv = client.download("RenderYMGRFile", {"wath": "ivr2:/ymgtTest.ymgr", "convertType": "csv", "notLoadLang": 1})
    assert csv.decode("utf-8").startswith("Date,Time,Phone,Digits")
    with pytest.raises(YemotError, match="TaskId not found"):
        client.get("GetTasksLogs", {"TaskId": 99})


def test_logout_ends_the_session(client):
    token = client.token
    assert client.logout()["responseStatus"] == "OK"
    answer = httpx.get(f"{client.base_url}GetSession", params={"token": token}).json()
    assert answer["message"] == "IllegalStateException(session token is invalid)"
