"""The official PHP client's dialect on the wire: bodies byte for byte as PHP's ``json_encode`` writes them.

``simotel/simotel-php-connect`` POSTs ``json_encode($data)`` with ``Content-Type: application/json``;
an empty PHP array is ``[]``. The literal bodies below are checked against ``php`` itself when it is
installed (CI installs ``php-cli``, see ``.ci/apt-packages.d/php.txt``).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

JSON = {"content-type": "application/json"}
# PHP source of each body -> the exact bytes json_encode produces for it
BODIES = {
    "[]": b"[]",
    '["alike"=>"true","conditions"=>[],"pagination"=>["start"=>0,"count"=>20,"sorting"=>[]],"date_range"=>[]]': (
        b'{"alike":"true","conditions":[],"pagination":{"start":0,"count":20,"sorting":[]},"date_range":[]}'
    ),
    '["alike"=>"false","conditions"=>[]]': b'{"alike":"false","conditions":[]}',
    '["alike"=>"true","conditions"=>["name"=>""],"pagination"=>["start"=>0,"count"=>2,"sorting"=>[]]]': (
        b'{"alike":"true","conditions":{"name":""},"pagination":{"start":0,"count":2,"sorting":[]}}'
    ),
}
EMPTY, REPORT_SEARCH, PLAIN_SEARCH, GROUP_SEARCH = BODIES.values()


def _post(emulator, service, body: bytes):
    return emulator.simotel.post(service, content=body, headers=JSON)


@pytest.mark.parametrize("source", list(BODIES))
def test_the_literal_bodies_are_what_php_json_encode_writes(source):
    php = shutil.which("php")
    if php is None:
        pytest.skip("php-cli is not installed (CI installs it from .ci/apt-packages.d/php.txt)")
    written = subprocess.run([php, "-r", f"echo json_encode({source});"], capture_output=True, check=True).stdout
    assert written == BODIES[source]


def test_ping_with_an_empty_php_array_body_succeeds(emulator):
    response = _post(emulator, "setting/ping/act", EMPTY)
    assert response.status_code == 200
    assert response.json() == {
        "success": 1,
        "message": "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent",
        "data": None,
    }
    assert "x-emulator-warning" not in response.headers


def test_a_json_array_with_items_is_still_unparsable(emulator):
    response = _post(emulator, "setting/ping/act", b'["x"]')
    assert (response.status_code, response.json()["message"]) == (400, "Unable to parse content")


@pytest.mark.parametrize("service", ["reports/cdr/search", "reports/quick/search", "autodialer/reports/search"])
def test_report_search_with_empty_conditions_sorting_and_date_range_arrays(emulator, service):
    response = _post(emulator, service, REPORT_SEARCH)
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] == 1, payload
    assert payload["data"]["pagination"]["start"] == 0
    assert payload["data"]["pagination"]["count"] == 20
    assert isinstance(payload["data"]["pagination"]["sorting"], dict)
    assert payload["data"]["pagination"]["sorting"]  # the endpoint's default sorting, echoed


def test_empty_conditions_array_matches_every_record_like_an_empty_object(emulator):
    as_php = _post(emulator, "pbx/users/search", PLAIN_SEARCH).json()
    as_documented = emulator.simotel.post("pbx/users/search", json={"alike": "false", "conditions": {}}).json()
    assert as_php["success"] == 1
    assert as_php["data"] == as_documented["data"]
    assert len(as_php["data"]) >= 1


def test_group_search_with_empty_sorting_array_uses_the_default_sorting(emulator):
    payload = _post(emulator, "autodialer/groups/search", GROUP_SEARCH).json()
    assert payload["success"] == 1
    assert payload["data"]["pagination"]["sorting"] == {"date": -1}
    assert payload["data"]["pagination"]["count"] == 2


def test_an_array_where_an_array_is_documented_is_left_alone(emulator):
    body = json.dumps({"name": "php-group", "numbers": [], "description": ""}, separators=(",", ":")).encode()
    payload = _post(emulator, "autodialer/groups/add", body).json()
    search = {"alike": "false", "conditions": {"name": "php-group"}}
    added = emulator.simotel.post("autodialer/groups/search", json=search)
    assert payload["success"] == 1
    assert added.json()["data"]["data"][0]["count"] == 0


def test_405_carries_an_allow_header(emulator):
    response = emulator.simotel.patch("setting/ping/act", json={})
    assert response.status_code == 405
    assert response.json() == {"success": 0, "message": "Method not allowed", "data": None}
    assert response.headers["allow"] == "GET, POST, PUT, DELETE"


def test_documented_example_path_autodialer_trunks_is_the_trunk_manager_search(emulator):
    body = b'{"alike":"true","conditions":{"title":""}}'
    via_example = _post(emulator, "autodialer/trunks", body)
    via_search = _post(emulator, "autodialer/trunks/search", body)
    assert via_example.status_code == 200
    assert via_example.json()["success"] == 1
    assert via_example.json() == via_search.json()
    assert isinstance(via_example.json()["data"], list)


def test_a_request_accepted_only_through_the_client_dialect_says_so_in_a_header(emulator):
    response = emulator.simotel.put("pbx/users/update", json={"number": "103", "name": "Hossein"})
    assert response.json()["success"] == 1
    [entry] = emulator.journal(operation="pbx/users/update")
    warning = "simotel-connect dialect: record named by 'number' instead of '_id'"
    assert entry["warnings"] == [warning]
    assert response.headers["x-emulator-warning"] == warning


def test_a_documented_request_carries_no_warning_header(emulator):
    response = emulator.simotel.post("pbx/users/search", json={"alike": "false", "conditions": {}})
    assert response.json()["success"] == 1
    assert "x-emulator-warning" not in response.headers


def test_postman_collection_id_is_accepted_for_autodialer_trunks_update(emulator):
    body = b'{"id":"64b0c0de0000000000000101","capacity":"7"}'
    response = _post(emulator, "autodialer/trunks/update", body)
    assert response.json() == {"success": 1, "message": "Requested operation is done successfully", "data": ""}
    assert response.headers["x-emulator-warning"] == "Postman collection dialect: 'id' sent for '_id'"
    found = emulator.simotel.post("autodialer/trunks/search", json={"alike": "false", "conditions": {}}).json()
    assert found["data"][0]["capacity"] == "7"


def test_postman_collection_id_is_accepted_for_fax_download(emulator):
    fax_id = emulator.simotel.post("pbx/faxes/add", json={"to": "021", "text": "hi"}).json()["data"]["_id"]
    response = _post(emulator, "pbx/faxes/download", json.dumps({"id": fax_id}, separators=(",", ":")).encode())
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/tiff"
    assert response.content.startswith(b"II*\x00")


def test_the_seeds_basic_header_without_base64_padding_authenticates(emulator):
    # the seed's own example header: base64 of "test:Aa123456" with its "==" padding left out
    headers = {"authorization": "Basic dGVzdDpBYTEyMzQ1Ng", "x-apikey": emulator.simotel.headers["x-apikey"], **JSON}
    response = emulator.simotel.post("setting/ping/act", content=EMPTY, headers=headers, auth=None)
    assert response.status_code == 200
    assert response.json()["success"] == 1
    wrong = {**headers, "authorization": "Basic dGVzdDpXcm9uZw"}  # "test:Wrong", unpadded
    assert emulator.simotel.post("setting/ping/act", content=EMPTY, headers=wrong, auth=None).status_code == 401
