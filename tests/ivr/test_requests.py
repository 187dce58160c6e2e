"""The API module's request: ext.ini settings and the exact bytes of GET and POST requests."""

from __future__ import annotations

import pytest

from emulator.yemot.ivr.requests import ApiLinkError, ApiSettings, CallIdentity, build_request, check_api_link

WHO = CallIdentity(
    api_call_id="754b9ce7c434ea952f2ed99671c274fee143165a",
    yf_call_id="9da82d44-c071-4c61-877b-1680d75968e6",
    did="0772222770",
    real_did="0772222771",
    phone="0527000000",
    started=1669485562.9,
)


def test_post_body_is_urlencoded_utf8_in_field_order():
    settings = ApiSettings.from_ini({"api_link": "http://ivr.test/y", "api_url_post": "yes", "api_add_0": "k=ש v"})
    request = build_request(settings, WHO, "1/2", [("name", "דוד")], hangup_at="")
    assert (request.method, request.url, request.headers) == (
        "POST",
        "http://ivr.test/y",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert request.body == (
        b"ApiCallId=754b9ce7c434ea952f2ed99671c274fee143165a&ApiYFCallId=9da82d44-c071-4c61-877b-1680d75968e6"
        b"&ApiDID=0772222770&ApiRealDID=0772222771&ApiPhone=0527000000&ApiExtension=1%2F2&ApiTime=1669485562"
        b"&k=%D7%A9+v&name=%D7%93%D7%95%D7%93&hangup=yes&ApiHangupExtension="
    )


def test_settings_defaults_and_bounds():
    settings = ApiSettings.from_ini({"api_url": "http://ivr.test/old", "api_timeout": "999", "api_add_x": "a=b"})
    assert (settings.link, settings.timeout_s, settings.add, settings.hangup_send) == (
        "http://ivr.test/old",
        120.0,
        [],
        True,
    )
    assert ApiSettings.from_ini({"api_timeout": "soon"}).timeout_s == 30.0
    assert ApiSettings.from_ini({"api_enter_id_send": "NO"}).dropped == {"ApiEnterID"}


@pytest.mark.parametrize(
    "link",
    [
        "",
        "mailto:x@y",
        "http://ivr.test/__emulator__/reset",
        "http://ivr.test//__emulator__/clock",
        "http://ivr.test/sb/abc/__emulator__/reset",
        "http://ivr.test/%5F%5Femulator%5F%5F/reset",
        "http://ivr.test/x/..%2F__emulator__/reset",
        "http://[::1",
    ],
)
def test_links_never_called(link):
    with pytest.raises(ApiLinkError):
        check_api_link(link)
