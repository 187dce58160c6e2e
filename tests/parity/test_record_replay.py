"""A session of the PyPI client yemot-api recorded through the proxy, then replayed with ``parity``.

A served emulator stands in for the real server. The recording must hold no secret; replayed on an
unchanged emulator it shows no difference; replayed on a drifted one (a fault that changes a
message, a fixture that changes a type) each drift is reported at its own field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from parity_helpers import recording_proxy, served_emulator

yemot_api = pytest.importorskip("yemot_api.yemot_api")
from yemot_api.exceptions import YemotAPIError  # noqa: E402

from emulator.cli import main  # noqa: E402
from emulator.config import default_fixtures_file  # noqa: E402

SYSTEM, PASSWORD = "0773137770", "1234"
ANSWER_TAIL = {"yemotAPIVersion": 6, "yAfastVersion": "6.6.156"}
OPERATIONS = ["Login", "GetSession", "GetCustomerData", "GetTextFile", "UploadTextFile", "GetTextFile", "Logout"]


def _session(proxy_url: str) -> dict[str, Any]:
    """What a user's program does with yemot-api; returns what the client saw."""
    client = yemot_api.Yemot("")
    client.BASE_URL = f"{proxy_url}/ym/api/"
    seen: dict[str, Any] = {"token": client.login(SYSTEM, PASSWORD)}
    seen["session"] = client.get_session()
    seen["customer"] = client.get_customer_data()
    with pytest.raises(YemotAPIError) as missing:
        client.get_text_file("parity/none.txt")
    seen["missing"] = str(missing.value)
    client.upload_text_file("1/notes.txt", "שלום מהקלטה")
    seen["text"] = client.get_text_file("1/notes.txt")
    client.logout()
    client.close()
    return seen


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("recording")
    with served_emulator() as real, recording_proxy(real.base, folder) as (url, _proxy):
        seen = _session(url)
    return folder, seen


def _files(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("0*.json"))]


def test_every_exchange_is_written_in_order_with_what_was_sent_and_answered(recorded):
    folder, seen = recorded
    exchanges = _files(folder)
    assert [item["request"]["path"].rsplit("/", 1)[-1] for item in exchanges] == OPERATIONS
    assert [item["exchange"] for item in exchanges] == list(range(1, len(OPERATIONS) + 1))
    login = exchanges[0]
    assert login["api"] == "yemot" and login["direction"] == "api"
    assert login["request"]["method"] == "GET"
    assert login["request"]["query"] == [["username", SYSTEM], ["password", "<password:1>"]]
    assert login["response"]["status"] == 200
    assert login["response"]["body"]["json"] == {
        "responseStatus": "OK",
        "token": "<token:1>",
        "yemotAPIVersion": 6,
        "yAfastVersion": "6.6.156",
    }
    upload = exchanges[4]
    assert upload["request"]["method"] == "POST"  # yemot-api posts JSON: kept as JSON, the token redacted
    assert upload["request"]["body"]["json"]["contents"] == "שלום מהקלטה"
    assert upload["request"]["body"]["json"]["token"] == "<token:1>"
    assert seen["text"].contents == "שלום מהקלטה"  # the client got the real answers through the proxy


def test_nothing_secret_reaches_the_files(recorded):
    folder, seen = recorded
    text = "\n".join(path.read_text("utf-8") for path in folder.iterdir())
    assert seen["token"] and seen["token"] not in text
    assert f"{SYSTEM}:{PASSWORD}" not in text
    assert f'"{PASSWORD}"' not in text  # the password, and accessPassword / recordPassword equal to it
    customer = _files(folder)[2]["response"]["body"]["json"]
    assert customer["accessPassword"] == customer["recordPassword"] == "<password:1>"  # one value, one placeholder
    assert not list(folder.glob(".*.tmp")), "no temporary file is left behind"


def _parity(folder: Path, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    report = tmp_path / "report.json"
    status = main(["parity", str(folder), "--json", str(report), "--html", str(tmp_path / "report.html"), *extra])
    return status, json.loads(report.read_text("utf-8"))


def _failing(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (result["operation"], difference["path"], difference["kind"])
        for result in report["results"]
        for difference in result["differences"]
        if difference["failing"]
    ]


def test_replay_on_an_unchanged_emulator_finds_no_difference(recorded, tmp_path, capsys):
    folder, _ = recorded
    status, report = _parity(folder, tmp_path)
    assert _failing(report) == []
    assert status == 0
    assert (report["compared"], report["same"], report["differ"], report["parity_percent"]) == (7, 7, 0, 100.0)
    out = capsys.readouterr().out
    assert "parity: 7 of 7 compared exchanges the same (100.0%), 0 differ, 0 skipped" in out
    page = (tmp_path / "report.html").read_text("utf-8")
    assert "<strong>7 of 7</strong>" in page and "שלום מהקלטה" in page


def test_a_fault_that_changes_a_message_is_reported_at_the_message(recorded, tmp_path):
    folder, _ = recorded
    with served_emulator() as drifted:
        drifted.fault(
            api="yemot",
            operation="GetTextFile",
            times=1,
            body={**ANSWER_TAIL, "responseStatus": "ERROR", "message": "no such file"},
        )
        status, report = _parity(folder, tmp_path, "--against", drifted.base)
    assert _failing(report) == [("GetTextFile", "$.message", "envelope")]
    [difference] = [d for result in report["results"] for d in result["differences"] if d["failing"]]
    assert (difference["expected"], difference["actual"]) == ("file does not exist", "no such file")
    assert status == 1
    assert "no such file" in (tmp_path / "report.html").read_text("utf-8")


def test_a_fixture_that_changes_a_type_is_reported_at_that_field(recorded, tmp_path):
    folder, _ = recorded
    document = yaml.safe_load(default_fixtures_file().read_text("utf-8"))
    document["yemot"]["systems"][0]["access_password"] = None  # answered as null, recorded as a string
    with served_emulator() as drifted:
        drifted.load_fixture(json.dumps(document, ensure_ascii=False))
        status, report = _parity(folder, tmp_path, "--against", drifted.base)
    assert _failing(report) == [  # both methods answer the field
        ("GetSession", "$.accessPassword", "type"),
        ("GetCustomerData", "$.accessPassword", "type"),
    ]
    assert status == 1


def test_a_recording_that_is_not_one_is_refused_with_a_reason(tmp_path, capsys):
    (tmp_path / "0001-Broken.json").write_text("{not json", "utf-8")
    assert main(["parity", str(tmp_path)]) == 2
    assert "0001-Broken.json: not JSON" in capsys.readouterr().err


def test_the_proxy_forwards_exactly_what_the_client_sent(tmp_path):
    from emulator.testing.receiver import Receiver

    with Receiver(respond=lambda hit: {"responseStatus": "OK"}) as receiver:
        with recording_proxy(receiver.url, tmp_path) as (url, _):
            body = b"a=1&b=%D7%A9"
            answer = httpx.post(
                f"{url}/ym/api/Custom?x=1&x=2",
                content=body,
                headers={"content-type": "application/x-www-form-urlencoded", "x-mine": "v"},
            )
        [hit] = receiver.hits
    assert answer.json() == {"responseStatus": "OK"}
    assert hit.path == "/ym/api/Custom" and hit.body == body
    assert hit.headers["x-mine"] == "v" and hit.headers["content-type"] == "application/x-www-form-urlencoded"
    assert not {"x-forwarded-for", "via", "forwarded"} & set(hit.headers)
    [exchange] = _files(tmp_path)
    assert exchange["request"]["query"] == [["x", "1"], ["x", "2"]]
    assert exchange["request"]["body"] == {"form": [["a", "1"], ["b", "ש"]]}


def test_simotel_credentials_are_redacted_and_replayed_as_the_target_account(tmp_path, capsys):
    with served_emulator() as real:
        username, password, key = real.simotel_credentials
        with (
            recording_proxy(real.base, tmp_path / "rec") as (url, _),
            httpx.Client(base_url=f"{url}/api/v4/", auth=(username, password), headers={"X-APIKEY": key}) as client,
        ):
            searched = client.post("pbx/users/search", json={"alike": False, "conditions": {}})
            refused = client.post("pbx/users/search", json={}, headers={"X-APIKEY": "not-the-key-at-all"})
    assert searched.json()["success"] == 1 and refused.status_code == 401
    text = "\n".join(path.read_text("utf-8") for path in (tmp_path / "rec").iterdir())
    assert key not in text and password not in text and "not-the-key-at-all" not in text
    first, second = _files(tmp_path / "rec")
    assert first["request"]["headers"]["authorization"] == "Basic <basic:1>"
    assert (first["request"]["headers"]["x-apikey"], second["request"]["headers"]["x-apikey"]) == (
        "<apikey:1>", "<apikey:2>",
    )  # fmt: skip
    # replayed: <basic:1> and <apikey:1> are a fresh emulator's account; <apikey:2> stays a wrong key
    status, report = _parity(tmp_path / "rec", tmp_path)
    assert (status, _failing(report)) == (0, [])
    assert [result["live"]["status"] for result in report["results"]] == [200, 401]


def test_phone_numbers_are_redacted_consistently_and_replayed_as_numbers(tmp_path):
    with served_emulator() as real, recording_proxy(real.base, tmp_path / "rec", redact_phones=True) as (url, _):
        client = yemot_api.Yemot(f"{SYSTEM}:{PASSWORD}")
        client.BASE_URL = f"{url}/ym/api/"
        client.send_sms("שלום", ["0501234567", "0507654321"])
        client.send_sms("שוב", "0501234567")
        client.close()
    text = "\n".join(path.read_text("utf-8") for path in (tmp_path / "rec").iterdir())
    assert "0501234567" not in text and "0507654321" not in text and SYSTEM not in text
    first, second = _files(tmp_path / "rec")
    assert first["request"]["body"]["json"]["phones"] == "<phone:1>:<phone:2>"  # (the client joins them)
    assert second["request"]["body"]["json"]["phones"] == "<phone:1>"
    status, report = _parity(tmp_path / "rec", tmp_path)
    assert (status, _failing(report)) == (0, [])


def test_a_text_file_the_recording_read_is_put_on_the_target_before_the_replay(tmp_path):
    what = "ivr2:/1/readme.txt"
    with served_emulator() as real:
        form = {"token": f"{SYSTEM}:{PASSWORD}", "what": what, "contents": "קובץ שהיה שם"}
        assert httpx.post(f"{real.yemot}UploadTextFile", data=form).json()["responseStatus"] == "OK"
        with recording_proxy(real.base, tmp_path / "rec") as (url, _):
            client = yemot_api.Yemot(f"{SYSTEM}:{PASSWORD}")
            client.BASE_URL = f"{url}/ym/api/"
            assert client.get_text_file("1/readme.txt").contents == "קובץ שהיה שם"
            client.close()
    status, report = _parity(tmp_path / "rec", tmp_path)  # a fresh emulator, which never held the file
    assert (status, _failing(report)) == (0, [])
    assert report["results"][0]["live"]["body"]["json"]["contents"] == "קובץ שהיה שם"
