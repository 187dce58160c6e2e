"""yemot 0.1.2 (PyPI) ``Campaign`` class against the emulator over real HTTP: every method it has.

Its template files go through UploadFile / DownloadFile with bare names (``<id>.wav``,
``<id>-MoreInfo.wav``); GetTemplates then shows them in ``messageExists`` / ``moreinfo*``.
"""

from __future__ import annotations

import io
import wave

import httpx
import pytest

pytest.importorskip("yemot")

from yemot import Client
from yemot.campaign import Campaign

SYSTEM, PASSWORD = "0773137770", "1234"


def wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\0\0" * int(8000 * seconds))
    return out.getvalue()


@pytest.fixture
def campaign(emulator_server):
    httpx.post(f"{emulator_server.admin}clock", json={"freeze": True, "set": "2026-03-10T08:00:00Z"}, timeout=10)
    client = Client(SYSTEM, PASSWORD, base_url=emulator_server.yemot.rstrip("/"))
    yield Campaign(client)
    client.close()


def test_template_methods(campaign):
    (default,) = campaign.get_templates()["templates"]
    created = campaign.create_template("Weekly")["templateId"]
    assert created != default["templateId"]
    updated = campaign.update_template(created, max_active_channels=4, vm_detect=True, redial_policy="NONE")
    assert (updated["template"]["maxActiveChannels"], updated["template"]["vmDetect"]) == (4, True)
    assert (
        campaign.update_template_entry(created, phone="0521111111", name="Dan", more_info="x")["responseStatus"] == "OK"
    )
    (entry,) = campaign.get_template_entries(created)["entries"]
    assert (entry["phone"], entry["name"], entry["moreinfo"], entry["blocked"]) == ("0521111111", "Dan", "x", False)
    campaign.update_template_entry(created, rowid=entry["rowid"], blocked=True)
    assert campaign.get_template_entries(created)["entries"][0]["blocked"] is True
    assert campaign.delete_template(created)["responseStatus"] == "OK"
    assert [t["templateId"] for t in campaign.get_templates()["templates"]] == [default["templateId"]]


def test_template_files_follow_upload_and_download(campaign, tmp_path):
    template = campaign.create_template("Files")["templateId"]
    voice, bridge = tmp_path / "voice.wav", tmp_path / "bridge.wav"
    voice.write_bytes(wav(6.5))
    bridge.write_bytes(wav(2))
    assert campaign.upload_template_file(str(voice), str(template), "VOICE")["responseStatus"] == "OK"
    assert campaign.upload_template_file(str(bridge), str(template), "BRIDGE")["responseStatus"] == "OK"
    listed = next(t for t in campaign.get_templates()["templates"] if t["templateId"] == template)
    assert (listed["messageExists"], listed["messageDuration"], listed["unitsPerMessage"]) == (True, 6.5, 1.0)
    assert (listed["moreinfoExists"], listed["moreinfoDuration"]) == (True, 2.0)
    assert campaign.download_template_file(str(template), "VOICE") == voice.read_bytes()
    assert campaign.download_template_file(str(template), "BRIDGE") == bridge.read_bytes()
