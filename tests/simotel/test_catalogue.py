"""The contract declares the 79 documented endpoints (reference §2) plus the client-only paths, all served."""

from __future__ import annotations

import pytest

from emulator.config import default_contracts_dir
from emulator.core.http.contracts import Contract
from emulator.simotel.methods import SERVICES

CRUD = ("add", "search", "update", "remove")
AGENT_OPS = tuple(f"{batch}{op}agent" for batch in ("", "batch") for op in ("add", "pause", "resume", "remove"))
DOCUMENTED = [
    "setting/ping/act",
    "call/originate/act",
    *(f"pbx/{resource}/{action}" for resource in ("users", "trunks", "queues") for action in CRUD),
    *(f"pbx/queues/{op}" for op in AGENT_OPS),
    "pbx/musiconholds/search",
    *(f"pbx/announcements/{action}" for action in ("upload", *CRUD)),
    *(f"voicemails/voicemails/{action}" for action in CRUD),
    "voicemails/inbox/search",
    *(f"pbx/{resource}/{action}" for resource in ("blacklists", "whitelists") for action in CRUD),
    *(f"pbx/faxes/{action}" for action in ("upload", "add", "search", "download")),
    "reports/quick/search",
    "reports/quick/info",
    "reports/audio/download",
    *(
        f"reports/{report}/{action}"
        for report in ("cdr", "queue", "queue_details")
        for action in ("search", "ordered/id")
    ),
    "reports/agent/search",
    "reports/poll/search",
    *(f"autodialer/contacts/{action}" for action in CRUD),
    *(f"autodialer/groups/{action}" for action in ("upload", *CRUD)),
    *(f"autodialer/campaigns/{action}" for action in CRUD),
    *(f"autodialer/announcements/{action}" for action in ("upload", *CRUD)),
    "autodialer/trunks/search",
    "autodialer/trunks/update",
    *(f"autodialer/reports/{action}" for action in ("search", "ordered/id", "info")),
]
CLIENT_ONLY = ["reports/cdr", "voicemails/audio/download", "reports/audio/dual_channel_download"]
EXAMPLE_ONLY = ["autodialer/trunks"]  # the URL of a documentation example, served as its search
DOWNLOADS = ["pbx/faxes/download", "reports/audio/download", "reports/audio/dual_channel_download",
             "voicemails/audio/download"]  # fmt: skip
GATE = {"400", "401", "403", "405", "415"}


@pytest.fixture(scope="module")
def contract():
    return Contract.from_file(default_contracts_dir() / "simotel.yaml", prefix="/api/v4")


def test_catalogue_has_the_79_documented_endpoints():
    assert len(DOCUMENTED) == len(set(DOCUMENTED)) == 79


def test_contract_declares_exactly_the_documented_and_client_only_paths(contract):
    assert sorted(contract.operations) == sorted(DOCUMENTED + CLIENT_ONLY + EXAMPLE_ONLY)


@pytest.mark.parametrize("service", DOCUMENTED + CLIENT_ONLY + EXAMPLE_ONLY)
def test_every_declared_path_has_a_service_post_put_and_the_gate_statuses(contract, service):
    operation = contract.get(service)
    assert service in SERVICES
    assert set(operation.verbs) == {"post", "put"}
    for verb in operation.verbs.values():
        declared = set(verb["responses"])
        assert GATE | {"200"} <= declared, (service, declared)
        assert ("404" in declared) == (service in DOWNLOADS), service


def test_every_served_path_is_declared(contract):
    assert set(SERVICES) <= set(contract.operations)


@pytest.mark.parametrize("service", ["voicemails/inbox/read", "pbx/users/create"])
def test_paths_outside_the_v4_catalogue_answer_501(emulator, service):
    response = emulator.simotel.post(service, json={})
    assert response.status_code == 501
    assert response.json() == {"success": 0, "message": "Requested service dose not exist", "data": None}
