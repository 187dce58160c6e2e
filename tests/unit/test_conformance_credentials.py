"""The conformance suite's credentials come from each API's ``Conformance.auth``: the default
fixture's accounts in process, the environment's for a real server, sent as each API takes them."""

from __future__ import annotations

import base64

from emulator.config import EmulatorConfig
from emulator.conformance.target import Credentials, Target
from emulator.runtime import Emulator


def test_the_defaults_are_the_default_fixtures_first_accounts():
    served = Emulator(EmulatorConfig()).default_credentials()
    credentials = Credentials()
    assert credentials.yemot_token == served["yemot"][0]["token"]
    account = served["simotel"][0]
    assert credentials.of("simotel") == {
        "username": account["username"],
        "password": account["password"],
        "apikey": account["api_key"],
    }


def test_a_real_target_reads_each_apis_variables():
    env = {
        "CONTRACT_TARGET_URL": "https://pbx.example/",
        "YEMOT_USERNAME": "0771234567",
        "YEMOT_PASSWORD": "secret",
        "SIMOTEL_USERNAME": "api",
        "SIMOTEL_PASSWORD": "pw",
        "SIMOTEL_APIKEY": "",
    }
    target = Target.from_options(None, environ=env)
    assert target.url == "https://pbx.example"
    assert target.credentials.for_request("yemot") == ({"token": "0771234567:secret"}, {})
    basic = "Basic " + base64.b64encode(b"api:pw").decode("ascii")
    assert target.credentials.for_request("simotel") == ({}, {"Authorization": basic})
    assert Credentials.from_env({"YEMOT_TOKEN": "077:x", "YEMOT_USERNAME": "ignored"}).yemot_token == "077:x"


def test_an_in_process_target_ignores_the_environment():
    target = Target.from_options(None, environ={"YEMOT_TOKEN": "077:x"})
    assert target.url is None
    assert target.credentials == Credentials()
    params, headers = target.credentials.for_request("simotel")
    assert params == {} and set(headers) == {"Authorization", "X-APIKEY"}
    assert target.credentials.for_request("admin") == ({}, {})  # (a name no API answers to takes nothing)
