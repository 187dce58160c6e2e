"""The dashboard in a real browser: headless Chromium from the system (Debian ``chromium``).

One server and one browser for the whole walk-through: an SMS sent through the API appears on its
handset without a reload, the Advance button brings its delivery report, a journal entry opens,
a misspelt fault is answered with a suggestion, 10,000 journal entries page, and the Swagger UI
renders with every request answered by the emulator itself, while a page on another site changes
nothing. The screenshots are taken on every run and kept in a temporary folder; with
``EMULATOR_UPDATE_SCREENSHOTS=1`` they replace docs/'s.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from emulator.app import create_app
from emulator.config import EmulatorConfig
from emulator.testing.harness import serve_in_thread

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
DOCS = Path(__file__).resolve().parents[2] / "docs"
UPDATE_SCREENSHOTS = os.environ.get("EMULATOR_UPDATE_SCREENSHOTS") == "1"
START = "2026-05-01T09:00:00Z"
PHONE = "0501234567"

if not Path(CHROMIUM).exists():
    print(f"tests/browser skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
expect = sync_api.expect
expect.set_options(timeout=10_000)  # a loaded CI machine renders slower than a desk


@pytest.fixture(scope="module")
def server():
    app = create_app(EmulatorConfig.from_env({}, strict=True))
    with serve_in_thread(app.state.emulator.config, app) as urls:
        yield app.state.emulator, urls


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    _, urls = server
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    outside: list[str] = []
    host = urlsplit(urls.base).hostname

    def only_the_emulator(route):  # every emulator of these tests listens on the same loopback address
        if urlsplit(route.request.url).hostname == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_emulator)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert outside == [], f"the page reached outside the emulator: {outside}"
    assert errors == [], f"script errors: {errors}"


def _send_sms(urls, text: str) -> None:
    body = httpx.post(
        urls.yemot + "SendSms", json={"token": "0773137770:1234", "message": text, "phones": PHONE}
    ).json()
    assert body["responseStatus"] == "OK", body


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: docs/ when asked to update them, else a temporary folder."""
    return DOCS if UPDATE_SCREENSHOTS else tmp_path_factory.mktemp("screenshots")


def test_sms_appears_live_and_the_advance_button_delivers_it(server, page, shots):
    emulator, urls = server
    httpx.post(urls.admin + "clock", json={"freeze": True, "set": START}).raise_for_status()
    page.goto(urls.admin + "ui/#phones")
    expect(page.locator("#clock-state")).to_have_text("frozen")
    expect(page.locator("#handsets")).to_contain_text("No phone has been called or texted yet.")

    _send_sms(urls, "Your code is 4321")
    handset = page.locator(f'article.handset[data-number="{PHONE}"]')
    expect(handset.locator(".bubble")).to_have_text("Your code is 4321")  # no reload: the view refreshes
    expect(handset.locator(".sms-status")).to_have_text("ESME_ROK")

    page.fill("#advance-input", "120")
    page.click("#advance-button")
    expect(handset.locator(".sms-status")).to_have_text("DELIVRD")
    expect(page.locator("#clock-now")).to_contain_text("2026-05-01 09:02:00")
    page.screenshot(path=str(shots / "dashboard.png"))

    page.click('#tabs a[href="#journal"]')
    row = page.locator("tr.entry", has_text="SendSms")
    row.click()
    expanded = page.locator("tr.expanded")
    expect(expanded.locator("pre.params")).to_contain_text(PHONE)
    expect(expanded.locator("pre.response")).to_contain_text('"responseStatus": "OK"')
    page.fill('#journal-filters input[name="operation"]', "SendSMS")
    page.click('#journal-filters button[type="submit"]')
    expect(page.locator("#journal-problem")).to_have_text("unknown operation 'SendSMS'; did you mean 'SendSms'?")
    page.screenshot(path=str(shots / "dashboard-journal.png"))
    assert all((shots / name).stat().st_size > 10_000 for name in ("dashboard.png", "dashboard-journal.png"))


def test_faults_are_added_with_suggestions_and_removed(server, page):
    _, urls = server
    page.goto(urls.admin + "ui/#faults")
    page.fill('#fault-form input[name="operation"]', "SendSMS")
    page.fill('#fault-form input[name="status"]', "503")
    page.click('#fault-form button[type="submit"]')
    expect(page.locator("#fault-problem")).to_contain_text("did you mean 'SendSms'?")
    page.fill('#fault-form input[name="operation"]', "SendSms")
    page.click('#fault-form button[type="submit"]')
    fault_row = page.locator("#faults tr", has_text="SendSms")
    expect(fault_row).to_contain_text("0 / ∞")
    assert httpx.get(urls.admin + "faults").json()["faults"][0]["operation"] == "SendSms"
    fault_row.get_by_role("button", name="Remove").click()
    expect(page.locator("#faults")).to_contain_text("No faults injected.")


def test_journal_of_ten_thousand_entries_is_paged(server, page):
    emulator, urls = server
    entry = {"api": "yemot", "operation": "GetSession", "method": "GET", "path": "/ym/api/GetSession",
             "client": "127.0.0.1", "status": 200, "response": {}, "tenant": "0773137770"}  # fmt: skip
    for number in range(10_000):
        emulator.journal.record(time=emulator.clock.now(), params={"n": number}, **entry)
    started = time.monotonic()
    page.goto(urls.admin + "ui/#journal")
    expect(page.locator("#journal-count")).to_contain_text("page 1 of 200 · 10000 entries")
    assert page.locator("tr.entry").count() == 50
    print(f"journal of 10,000 entries shown in {time.monotonic() - started:.2f} s")
    expect(page.locator("tr.entry").first).to_have_attribute("data-id", str(_last_id(urls)))  # newest first
    page.get_by_role("button", name="older →").click()
    expect(page.locator("#journal-count")).to_contain_text("page 2 of 200")


def test_the_verify_panel_shows_matches_and_a_near_miss_with_its_difference(server, page, shots):
    _, urls = server
    _send_sms(urls, "verify me")
    sent = httpx.get(urls.admin + "journal", params={"operation": "SendSms", "order": "desc", "limit": 1}).json()
    entry_id = sent["entries"][0]["id"]
    page.goto(urls.admin + "ui/#journal")
    panel = page.locator("#verify")
    panel.locator('input[name="operation"]').fill("SendSms")
    panel.locator('input[name="params"]').fill("message=verify me&phones=0509999999")
    panel.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-verdict")).to_contain_text("✗ fails matched 0, expected at least 1")
    expect(page.locator("#verify-matches")).to_have_count(0)
    assert "null" not in page.locator("#verify-result").inner_text()
    closest = page.locator("#verify-near-misses article.near-miss").first
    expect(closest).to_have_attribute("data-id", str(entry_id))  # one difference: closer than other SMS
    differs = closest.locator("tr.differs")
    expect(differs).to_have_count(1)
    expect(differs).to_have_attribute("data-field", "params.phones")
    expect(differs.locator(".expected")).to_have_text("0509999999")
    expect(differs.locator(".actual")).to_have_text(PHONE)
    assert differs.locator(".actual").evaluate("node => getComputedStyle(node).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(shots / "dashboard-verify.png"))

    panel.locator('input[name="params"]').fill(f'{{"message": "verify me", "phones": "{PHONE}"}}')
    panel.locator('input[name="count"]').fill("1")
    panel.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-verdict")).to_contain_text("✓ holds matched 1, expected exactly 1")
    expect(page.locator(f'#verify-matches li[data-id="{entry_id}"]')).to_contain_text("SendSms")
    expect(page.locator("#verify-near-misses")).to_have_count(0)

    panel.locator('input[name="operation"]').fill("SendSMS")
    panel.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-problem")).to_have_text("unknown operation 'SendSMS'; did you mean 'SendSms'?")
    panel.locator('input[name="operation"]').fill("SendSms")
    panel.locator('input[name="params"]').fill("phones")
    panel.get_by_role("button", name="Verify").click()
    expect(page.locator("#verify-problem")).to_contain_text("parameters must be a JSON object or name=value pairs")


def _last_id(urls) -> int:
    return httpx.get(urls.admin + "journal", params={"order": "desc", "limit": 1}).json()["entries"][0]["id"]


def test_swagger_ui_renders_offline_with_credentials_filled_in(server, page):
    _, urls = server
    # the largest contract; the Yemot and admin pages load the same files (tests/admin/test_landing.py)
    page.goto(urls.admin + "docs/simotel")
    expect(page.locator(".opblock-tag").first).to_be_visible(timeout=15000)
    expect(page.locator(".servers select")).to_contain_text(urls.base)
    authorized = page.evaluate("() => window.ui.authSelectors.authorized().toJS()")
    assert authorized["basicAuth"]["value"] == {"username": "test", "password": "Aa123456"}
    assert authorized["apiKey"]["value"].startswith("vZKtIKWsld0egNlkzHo8i5LV")


@pytest.mark.parametrize(("name", "groups", "group", "operation"), [
    ("simotel", 26, "pbx/users", "/api/v4/pbx/users/search"),
    ("yemot", 13, "SMS", "/ym/api/SendSms"),
])  # fmt: skip
def test_swagger_ui_lists_operations_by_tag_closed_with_a_filter(server, page, name, groups, group, operation):
    _, urls = server
    missing: list[str] = []
    page.on("response", lambda response: response.status == 404 and missing.append(response.url))
    page.goto(urls.admin + f"docs/{name}")
    sections = page.locator(".opblock-tag-section")
    expect(sections).to_have_count(groups)
    expect(sections.locator(".opblock")).to_have_count(0)  # every group starts closed (webhooks are listed apart)
    page.locator(".operation-filter-input").fill(group)
    expect(sections).to_have_count(1)
    sections.locator(".opblock-tag").click()
    expect(page.locator(f'.opblock-summary-path[data-path="{operation}"]').first).to_be_visible()
    icon = page.evaluate("() => document.querySelector('link[rel=icon]').href")
    assert icon.endswith("/__emulator__/icons/favicon.svg")
    assert httpx.get(icon).headers["content-type"].startswith("image/svg+xml")
    assert missing == []


def test_with_an_admin_token_the_page_asks_once_and_sends_it_as_a_header(page):
    app = create_app(EmulatorConfig.from_env({}, admin_token="s3cret"))
    with serve_in_thread(app.state.emulator.config, app) as urls:
        page.goto(urls.admin + "ui/#overview")
        expect(page.locator("#notice")).to_contain_text("Admin token")  # 401 until the token is given
        expect(page.locator("#clock-now")).to_have_text("…")
        page.once("dialog", lambda dialog: dialog.accept("s3cret"))
        page.click("#token-button")
        expect(page.locator("#clock-state")).to_have_text("running")
        expect(page.locator("#yemot-systems")).to_contain_text("0773137770")
        expect(page.locator("#notice")).to_have_text("")
        page.reload()  # remembered in this browser
        expect(page.locator("#simotel-accounts")).to_contain_text("test")


def test_a_call_moves_with_the_clock_and_its_campaign_progresses(server, page):
    _, urls = server
    body = httpx.post(
        urls.yemot + "SendTTS", json={"token": "0773137770:1234", "ttsMessage": "hi", "phones": "0521111111"}
    )
    campaign = body.json()["CampaignId"]
    page.goto(urls.admin + "ui/#calls")
    page.check("#live-only")
    row = page.locator("#call-list .call", has_text="tts from")
    expect(row).to_contain_text("0773137770")
    row.click()
    expect(page.locator("#call-detail h3")).to_contain_text("Call ")
    expect(page.locator("#call-detail")).to_contain_text("This call walked no IVR: there is no conversation to show.")
    page.click('#tabs a[href="#overview"]')
    progress = page.locator("#yemot-systems .progress-row", has_text=campaign)
    expect(progress).to_contain_text("0/1 ended")
    page.fill("#advance-input", "300")
    page.click("#advance-button")
    expect(progress).to_contain_text("1/1 ended")
    page.click('#tabs a[href="#calls"]')
    page.uncheck("#live-only")
    expect(page.locator("#call-list .call", has_text="tts from").first).to_contain_text("answered")


def test_the_picker_switches_between_the_root_and_sandboxes(server, page):
    emulator, urls = server
    made = httpx.post(urls.admin + "sandboxes", json={"fixtures": "default"}).json()
    _send_sms(urls, "root only")
    sandbox_sms = {"token": "0773137770:1234", "message": "sandbox only", "phones": PHONE}
    assert httpx.post(made["urls"]["yemot"] + "SendSms", json=sandbox_sms).json()["responseStatus"] == "OK"
    page.goto(urls.admin + "ui/#phones")
    expect(page.locator("#sandbox-picker")).to_be_visible()
    expect(page.locator("#sandbox-select option")).to_have_count(2)
    page.select_option("#sandbox-select", made["id"])
    page.wait_for_url(f"**/sb/{made['id']}/__emulator__/ui/#phones")
    expect(page.locator("#notice")).to_contain_text("Admin token")  # a sandbox takes its own token
    page.once("dialog", lambda dialog: dialog.accept(made["token"]))
    page.click("#token-button")
    handset = page.locator(f'article.handset[data-number="{PHONE}"]')
    expect(handset.locator(".bubble")).to_have_text("sandbox only")
    page.select_option("#sandbox-select", "")
    page.wait_for_url("**/__emulator__/ui/#phones")
    expect(page.locator(f'article.handset[data-number="{PHONE}"] .bubble').last).to_contain_text("root only")
    httpx.delete(urls.admin + f"sandboxes/{made['id']}")


def test_a_page_on_another_site_cannot_change_state(server, browser):
    """What a browser really sends from another origin (Origin, Sec-Fetch-Site, a text/plain body) is refused."""
    emulator, urls = server
    context = browser.new_context()
    page = context.new_page()
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.setdefault(urlsplit(response.url).path, response.status))
    # another site on this machine: the emulator's own page under the name localhost (any local page would do)
    page.goto(urls.admin.replace("127.0.0.1", "localhost") + "health")
    clock_before = httpx.get(urls.admin + "clock").json()
    page.evaluate(
        """async (admin) => {
            const body = JSON.stringify({freeze: true, set: "2030-01-01T00:00:00Z"});
            const send = (path, init) =>
                fetch(admin + path, {method: "POST", mode: "no-cors", ...init}).catch(() => null);
            await send("clock", {headers: {"Content-Type": "text/plain"}, body});
            await send("sandboxes", {body: "{}"});
        }""",
        urls.admin,
    )
    context.close()
    assert statuses == {"/__emulator__/health": 200, "/__emulator__/clock": 403, "/__emulator__/sandboxes": 403}
    clock_after = httpx.get(urls.admin + "clock").json()
    assert clock_after["frozen"] == clock_before["frozen"] and not clock_after["now"].startswith("2030")
    assert httpx.get(urls.admin + "sandboxes").json()["count"] == 0
