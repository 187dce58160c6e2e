"""Templates and their entries over the wire: GetTemplates and friends, UploadPhoneList."""

from __future__ import annotations

import pytest
from campaign_wire import START, TEMPLATE, load
from yemot_wire import SYSTEM, api, error, ok


@pytest.fixture
def emu(emulator):
    emulator.freeze(START)
    return emulator


def templates(emu) -> list[dict]:
    return ok(api(emu, "GetTemplates"))["templates"]


def entries(emu, template: int = TEMPLATE) -> list[dict]:
    return ok(api(emu, "GetTemplateEntries", templateId=template))["entries"]


def test_every_system_has_a_default_template(emu):
    (default,) = templates(emu)
    assert default["customerDefault"] is True and default["callerId"] == SYSTEM
    assert default["templateId"] == 100001 and default["entriesCount"] == 0
    assert (default["messageExists"], default["messageDuration"], default["unitsPerMessage"]) == (False, 0.0, 0.0)
    assert isinstance(default["redialWait"], int) and isinstance(default["originateTimeout"], float)


def test_create_copies_the_default_settings(emu):
    load(emu, ["0521111111"], max_active_channels=7, redial_policy="NONE")
    created = ok(api(emu, "CreateTemplate", description="Second"))["templateId"]
    new = next(t for t in templates(emu) if t["templateId"] == created)
    assert (new["maxActiveChannels"], new["redialPolicy"], new["customerDefault"]) == (7, "NONE", False)
    assert (new["description"], new["entriesCount"]) == ("Second", 0)


def test_message_fields_follow_the_files(emu):
    load(emu, ["0521111111"], message_s=12)
    template = templates(emu)[0]
    assert (template["messageExists"], template["messageDuration"], template["unitsPerMessage"]) == (True, 12.0, 1.0)
    assert (template["moreinfoExists"], template["moreinfoDuration"]) == (False, 0.0)


def test_update_answers_templates_and_template_and_moves_the_default(emu):
    load(emu, [])
    other = ok(api(emu, "CreateTemplate", description="B"))["templateId"]
    body = ok(
        api(
            emu,
            "UpdateTemplate",
            templateId=other,
            customerDefault=1,
            originateTimeout="8",
            vmDetect=1,
            redialWait=2.5,
            yemotContext="BRIDGE",
            bridgeTo="0529999999",
        )
    )
    assert body["templates"] == [body["template"]]
    assert (body["template"]["originateTimeout"], body["template"]["vmDetect"]) == (8.0, True)
    assert [t["customerDefault"] for t in templates(emu)] == [False, True]


def test_update_errors(emu):
    error(api(emu, "UpdateTemplate", templateId=5), "templateId does not exist")
    error(
        api(emu, "UpdateTemplate", templateId=100001, yemotContext="BRIDGE"),
        "bridgeTo is required when yemotContext is BRIDGE",
    )
    body = api(emu, "UpdateTemplate", templateId=100001, callerId="0501234567")
    error(body, "callerId 0501234567 is not approved in this system")


def test_delete_template_and_the_default_cannot_go(emu):
    load(emu, [])
    other = ok(api(emu, "CreateTemplate", description="B"))["templateId"]
    ok(api(emu, "DeleteTemplate", templateId=other))
    assert [t["templateId"] for t in templates(emu)] == [TEMPLATE]
    error(api(emu, "DeleteTemplate", templateId=TEMPLATE), "the default template can not be deleted")
    body = api(emu, "DeleteTemplate", templateId=other)
    error(body, "templateId does not exist")
    assert body["messageCode"] == 100


def test_entry_methods(emu):
    load(emu, [])
    ok(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, phone="0521111111", name="Dan", moreinfo="a"))
    ok(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, phone="0522222222", blocked=1))
    ok(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, phone="0521111111", name="Dana"))  # re-written
    rows = entries(emu)
    assert [(e["index"], e["phone"], e["name"], e["moreinfo"], e["blocked"]) for e in rows] == [
        (1, "0521111111", "Dana", None, False),
        (2, "0522222222", None, None, True),
    ]
    ok(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, rowid=rows[1]["rowid"], moreInfo="m", blocked=0))
    assert entries(emu)[1]["moreinfo"] == "m" and entries(emu)[1]["blocked"] is False
    error(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, rowid=99), "rowid does not exist")
    error(api(emu, "UpdateTemplateEntry", templateId=TEMPLATE, phone="12"), "phone is not valid")
    rowids = "-".join(str(e["rowid"]) for e in entries(emu))
    ok(api(emu, "UpdateTemplateEntries", templateId=TEMPLATE, rowids=rowids, action="block"))
    assert templates(emu)[0]["blockedEntriesCount"] == 2
    ok(api(emu, "UpdateTemplateEntries", templateId=TEMPLATE, rowids=str(rows[0]["rowid"]), action="delete"))
    assert [e["phone"] for e in entries(emu)] == ["0522222222"]
    ok(api(emu, "ClearTemplateEntries", templateId=TEMPLATE))
    assert entries(emu) == [] and templates(emu)[0]["entriesCount"] == 0


def test_upload_phone_list_update_new_remove(emu):
    load(emu, [{"phone": "0521111111", "name": "Old"}])
    data = "052-1111111,Dan,Cohen,vip\n1234567,Landline\n0521111111,Twice\nabc,Bad\n\n"
    body = ok(api(emu, "UploadPhoneList", templateId=TEMPLATE, data=data, nameColumns=2, defaultPrefix="02"))
    assert (body["message"], body["totalParsed"], body["totalInserted"], body["totalUpdated"]) == ("ok", 4, 1, 1)
    assert [(r["phone"], r["errorState"], r["originalRowNumber"]) for r in body["rejectedRecords"]] == [
        ("0521111111", "DUPLICATE", 3),
        ("abc", "INVALID", 4),
    ]
    assert [(e["phone"], e["name"], e["moreinfo"]) for e in entries(emu)] == [
        ("0521111111", "Dan Cohen", "vip"),
        ("021234567", "Landline", None),
    ]
    body = ok(
        api(
            emu,
            "UploadPhoneList",
            templateId=TEMPLATE,
            data="0523333333\tNew",
            delimiter="TAB",
            updateType="new",
            blocked=1,
        )
    )
    assert (body["totalInserted"], body["totalRemoved"]) == (1, 2)
    assert [(e["phone"], e["name"], e["blocked"]) for e in entries(emu)] == [("0523333333", "New", True)]
    body = ok(api(emu, "UploadPhoneList", templateId=TEMPLATE, data="0523333333", updateType="REMOVE"))
    assert body["totalRemoved"] == 1 and entries(emu) == []


def test_upload_phone_list_bad_format(emu):
    body = ok(api(emu, "UploadPhoneList", templateId=TEMPLATE, data="\n\n \n"))
    assert (body["message"], body["totalParsed"], body["rejectedRecords"]) == ("bad_format", 0, [])
    assert ok(api(emu, "UploadPhoneList", templateId=TEMPLATE, data="x", delimiter=";;"))["message"] == "bad_format"


def test_missing_required_parameter_is_the_api_error(emu):
    error(api(emu, "GetTemplateEntries"), "missing required parameter 'templateId'")
    body = api(emu, "UpdateTemplateEntries", templateId=TEMPLATE, rowids="1,2", action="block")
    assert body["responseStatus"] == "ERROR" and body["message"].startswith("invalid value for parameter 'rowids'")


def test_message_fields_follow_the_file_methods_on_tpl_paths(emu):
    load(emu, [], message_s=0)
    token = emu.yemot_token
    upload = emu.yemot.post(
        "UploadFile",
        data={"token": token, "path": f"tpl:{TEMPLATE}"},
        files={"file": ("voice.wav", b"\0" * 48_000, "audio/wav")},
    )
    ok(upload.json())
    ok(api(emu, "UploadTextFile", what=f"tpl:{TEMPLATE}:tts", contents="hello"))
    (template,) = templates(emu)
    assert (template["messageExists"], template["messageDuration"]) == (True, 3.0)
    download = emu.yemot.get("DownloadFile", params={"token": token, "path": f"{TEMPLATE}.wav"})
    assert download.content == b"\0" * 48_000
    ok(api(emu, "FileAction", action="delete", what=f"tpl:{TEMPLATE}"))
    (template,) = templates(emu)
    assert (template["messageExists"], template["messageDuration"]) == (True, 1.0)  # the .tts text remains


def test_tpl_phone_lists_of_other_methods_read_the_template_entries(emu):
    load(emu, ["0521111111", {"phone": "0522222222", "blocked": True}])
    body = ok(api(emu, "SendSms", phones=f"tpl:{TEMPLATE}", message="hi"))
    assert (body["oks"], body["errors"]) == (["0521111111"], {"0522222222": "blocked"})
