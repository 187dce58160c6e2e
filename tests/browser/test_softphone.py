"""The Phone tab in headless Chromium: dial the default Yemot system into an API extension served by a
local web service, and a Simotel dialplan with a SmartAPI node; press keys on the keypad and the
keyboard, see each request and reply appear live, check that what the caller hears arrived as WAV
audio with a duration, hang up; the Calls tab shows the same call as the same timeline.

Screenshots go to a temporary folder; with ``EMULATOR_UPDATE_SCREENSHOTS=1`` they replace
docs/img/softphone.png and docs/img/call-timeline.png.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import httpx
import pytest

from emulator.app import create_app
from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread
from emulator.testing.receiver import Receiver

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "softphone"))
from softphone_helpers import IvrService, api_extension, code_reader

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"

if not Path(CHROMIUM).exists():
    print(f"tests/browser skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)
if shutil.which("espeak-ng") is None:
    print("tests/browser/test_softphone.py skipped: espeak-ng is not installed (apt-get install espeak-ng)")
    pytest.skip("espeak-ng is not installed (Debian package 'espeak-ng')", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
expect = sync_api.expect
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def server():
    app = create_app(EmulatorConfig.from_env({}, strict=True))
    with serve_in_thread(app.state.emulator.config, app) as urls:
        yield urls


@pytest.fixture
def page(server, tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 860})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.audio_types = []  # content types of the call audio the page fetched
        page.on("response", lambda r: "/audio/" in r.url and page.audio_types.append(r.headers.get("content-type")))
        yield page
        browser.close()
        assert errors == [], f"script errors: {errors}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return IMG if os.environ.get("EMULATOR_UPDATE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("shots")


_answer = code_reader("הקישו את הקוד ואחריו סולמית", "הקוד שלכם")


def _sounds_arrived(page, box: str, count: int) -> None:
    """``count`` audio elements in ``box`` hold WAV sound with a duration."""
    page.wait_for_function(
        """([box, count]) => {
             const all = [...document.querySelectorAll(`${box} audio`)];
             return all.length >= count && all.every((a) => a.dataset.type === "audio/wav" && a.duration > 0);
           }""",
        arg=[box, count],
        timeout=15_000,
    )


def test_dial_a_yemot_api_extension_press_keys_and_hear_it(server, page, shots):
    service = IvrService(_answer)
    try:
        with httpx.Client(base_url=server.admin) as client:
            api_extension(client, "/5", service.url)
        page.goto(server.admin + "ui/#phone")
        page.fill("#phone-path", "/5")
        page.fill("#phone-caller", "0527654321")
        page.click("#phone-dial")
        timeline = page.locator("#phone-timeline ol.timeline")
        expect(timeline.locator("li.request").first).to_contain_text(f"Request to your service: GET {service.url}")
        expect(timeline.locator("li.reply").first).to_contain_text("read=t-הקישו את הקוד")
        expect(page.locator("#phone-status")).to_contain_text("Waiting for your input")
        assert len(service.requests) == 1 and service.requests[0]["ApiPhone"] == "0527654321"

        for key in "12":
            page.click(f"#phone-keypad button[data-key='{key}']")
        page.keyboard.press("3")  # the keyboard's digits too
        page.keyboard.press("4")
        page.keyboard.press("#")
        expect(timeline.locator("li.input")).to_contain_text("Caller presses 1234 for code")
        expect(timeline.locator("li.request").nth(1)).to_be_visible()
        timeline.locator("li.request").nth(1).locator("summary").click()
        expect(timeline.locator("li.request").nth(1).locator("table.params")).to_contain_text("1234")
        expect(timeline.locator("li.reply").nth(1)).to_contain_text("id_list_message=t-הקוד שלכם.d-1234")
        assert service.requests[1]["code"] == "1234"
        expect(timeline.locator("li.hangup")).to_contain_text("Hung up by the system in /5")
        expect(page.locator("#phone-status")).to_contain_text("ended")
        _sounds_arrived(page, "#phone-timeline", 2)
        assert set(page.audio_types) == {"audio/wav"}
        page.screenshot(path=str(shots / "softphone.png"))

        page.click('#tabs a[href="#calls"]')
        page.locator("#call-list .call", has_text="0527654321").click()
        detail = page.locator("#call-detail ol.timeline")
        expect(detail.locator("li.input")).to_contain_text("Caller presses 1234 for code")
        expect(page.locator("#call-list")).to_contain_text(" s")  # durations rounded ("talk 2.6 s")
        page.locator("#call-detail details.raw summary").click()
        expect(page.locator("#call-detail pre.raw-json")).to_contain_text('"transcript"')
    finally:
        service.close()


def test_hang_up_a_waiting_call_from_the_phone(server, page):
    page.goto(server.admin + "ui/#phone")
    page.fill("#phone-path", "/")
    page.click("#phone-dial")
    expect(page.locator("#phone-status")).to_contain_text("Waiting for your input")
    page.click("#phone-hangup")
    expect(page.locator("#phone-timeline li.hangup")).to_contain_text("Hung up by the")
    expect(page.locator("#phone-status")).to_contain_text("ended")


def test_dial_a_simotel_dialplan_with_a_smartapi_node(server, page, shots):
    def smart(hit):
        if hit.json["app_name"] == "ask":
            return {"ok": "1", "commands": "PlayAnnouncement('welcome');GetData('enter-code', 10, 4);Exit('next')"}
        return {"ok": "1", "commands": f"SayDigit({hit.json['data']});Exit('done')"}

    with Receiver(respond=smart) as receiver:
        plan = {"numbers": ["7070"], "start": "ask", "nodes": {
            "ask": {"type": "smart_api", "url": receiver.url + "/smart", "exits": {"next": "tell", "e": "bye"}},
            "tell": {"type": "smart_api", "url": receiver.url + "/smart", "exits": {"done": "bye", "e": "bye"}},
            "bye": {"type": "hangup"}}}  # fmt: skip
        httpx.put(server.admin + "simotel/dialplans/phone", json=plan).raise_for_status()
        page.goto(server.admin + "ui/#phone")
        page.select_option("#phone-api", "simotel")
        page.fill("#phone-dialled", "7070")
        page.click("#phone-dial")
        timeline = page.locator("#phone-timeline ol.timeline")
        expect(timeline.locator("li.request").first).to_contain_text(
            f"Request to your service: POST {receiver.url}/smart"
        )
        expect(timeline.locator("li.reply").first).to_contain_text("GetData('enter-code', 10, 4)")
        expect(page.locator("#phone-status")).to_contain_text("Waiting for your input")
        for key in "4321":
            page.click(f"#phone-keypad button[data-key='{key}']")
        page.click("#phone-keypad button[data-key='#']")
        expect(timeline.locator("li.input")).to_contain_text("Caller presses 4321 for data")
        expect(timeline.locator("li.reply").nth(1)).to_contain_text("SayDigit(4321)")
        expect(page.locator("#phone-status")).to_contain_text("ended")
        first, second = receiver.wait_for(2)
        assert (first.json["app_name"], second.json["app_name"], second.json["data"]) == ("ask", "tell", "4321")
        _sounds_arrived(page, "#phone-timeline", 3)  # welcome, enter-code, the digits (Persian voice)
        page.click('#tabs a[href="#calls"]')
        page.locator("#call-list .call", has_text="dialplan").first.click()
        expect(page.locator("#call-detail ol.timeline li.input")).to_contain_text("4321")
        page.screenshot(path=str(shots / "call-timeline.png"))
    assert all((shots / name).stat().st_size > 10_000 for name in ("softphone.png", "call-timeline.png"))
