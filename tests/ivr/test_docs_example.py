"""Every example of docs/ivr.md, run as written: the ext.ini, the curl commands with the transcript
they produce, and the pytest example (executed from the page itself, so the two cannot drift).

Where the page says ``…``, anything may stand; the curl commands go to the in-process emulator (the
page's ``127.0.0.1:8080`` host is the only thing replaced) and its ``api_link`` to a scripted service.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from ivr_helpers import entries, played

DOC = Path(__file__).resolve().parents[2] / "docs" / "ivr.md"
SYSTEM = "0773137770"  # the default fixture's system, as on the page
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    """The page's fenced code blocks in ``language``, in order."""
    return [body for lang, body in _FENCE.findall(DOC.read_text(encoding="utf-8")) if lang == language]


def test_every_block_of_the_page_is_run_here():
    languages = [lang for lang, _ in _FENCE.findall(DOC.read_text(encoding="utf-8"))]
    assert sorted(languages) == ["ini", "json", "python", "sh", "sh"], "a new example needs a test in this file"


def like(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` is what the page shows: ``…`` stands for anything (a value, the rest of a
    string, the remaining items of a list, the other keys of an object)."""
    if expected == "…":
        return True
    if isinstance(expected, str) and "…" in expected:
        pattern = ".*".join(re.escape(piece) for piece in expected.split("…"))
        return isinstance(actual, str) and re.fullmatch(pattern, actual, re.DOTALL) is not None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        keys = set(expected) - {"…"}
        if "…" not in expected and keys != set(actual):
            return False
        return keys <= set(actual) and all(like(expected[key], actual[key]) for key in keys)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        open_ended = bool(expected) and expected[-1] == "…"
        shown = expected[:-1] if open_ended else expected
        if len(actual) < len(shown) or (not open_ended and len(actual) != len(shown)):
            return False
        return all(like(item, value) for item, value in zip(shown, actual, strict=False))
    return expected == actual


def json_values(text: str) -> list[Any]:
    """The JSON values written one after another in ``text`` (a block of transcript entries)."""
    decoder, values, position = json.JSONDecoder(), [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        value, position = decoder.raw_decode(text, position)
        values.append(value)
    return values


def curl_argv(command: str) -> list[list[str]]:
    """The argument lists of the ``curl`` commands in a shell block, as bash parses them (``$'…'``,
    ``\\`` continuations), without running curl."""
    lines = [line for line in command.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert all(line.startswith(("curl ", " ")) for line in lines), "only curl commands are run"
    script = "curl() { printf '%s\\0' \"$@\" END; }\n" + command  # END closes each command's arguments
    out = subprocess.run(["bash", "-c", script], capture_output=True, check=True, timeout=10).stdout.decode()
    commands: list[list[str]] = [[]]
    for arg in out.split("\0")[:-1]:
        commands[-1].append(arg) if arg != "END" else commands.append([])
    return commands[:-1]


def run_curl(emulator: Any, argv: list[str]) -> httpx.Response:
    """Send one curl command's request to the in-process emulator (only the host is replaced)."""
    method, headers, body, url = None, {}, None, None
    args = iter(argv)
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg in ("-d", "--data", "--data-binary"):
            body = next(args).encode()
        else:
            assert not arg.startswith("-"), f"curl option {arg!r} is not understood here"
            url = arg
    assert url is not None
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "127.0.0.1:8080")
    target = "http://emulator.test" + parts.path + (f"?{parts.query}" if parts.query else "")
    return emulator.admin.request(method or ("POST" if body else "GET"), target, headers=headers, content=body)


def _expected_reply(block: str) -> tuple[int, Any]:
    """The ``# 201 {...}`` comment under a curl command: status and body as the page shows them."""
    status, body = re.search(r"^# (\d{3}) (.*)$", block, re.MULTILINE).group(1, 2)
    return int(status), json.loads(body)


def test_the_ext_ini_example(emulator_factory, service):
    """The page's ext.ini: an urlencoded POST with the fixed field, then ``api_end_goto=/9``."""
    emulator = emulator_factory(ivr_transport=httpx.MockTransport(service))
    emulator.freeze("2026-03-10T10:00:00Z")
    (ini,) = blocks("ini")
    put = emulator.admin.put(f"yemot/systems/{SYSTEM}/files", params={"path": "ivr2:/5/ext.ini"}, content=ini.encode())
    assert put.status_code == 200, put.text
    service.replies = ["id_list_message=t-שלום", "noop"]
    placed = emulator.admin.post(f"yemot/systems/{SYSTEM}/calls", json={"from": "0501234567", "path": "/5", "keys": []})
    emulator.advance(120)
    first = service.requests[0]
    assert (first.method, str(first.url)) == ("POST", "http://127.0.0.1:5000/yemot")
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "&ApiTime=1773136800&secret=s3cr3t" in service.bodies[0]
    call = emulator.admin.get(f"calls/{placed.json()['id']}").json()
    # /9 is not defined on the default system: M1042, one level up to the root menu, the script is used up
    assert [goto["to"] for goto in entries(call["transcript"], "goto")] == ["/5", "/9", "/"]
    assert played(call["transcript"])[-2:] == ["system_message:M1042", "system_message:M1000"]
    assert call["state"] == "ended" and entries(call["transcript"], "hangup")[0]["where"] == "/"


def test_the_curl_examples_give_the_transcript_the_page_shows(emulator_factory, service):
    emulator = emulator_factory(ivr_transport=httpx.MockTransport(service))
    emulator.freeze("2026-03-10T10:00:00Z")
    upload, place = blocks("sh")
    for argv in curl_argv(upload):
        assert run_curl(emulator, argv).status_code == 200
    service.replies = [
        "read=t-הקש קוד=code,no,4,4,7,No,no,no,,,,,None,",
        httpx.Response(500, text="boom"),
        "noop",
    ]
    (argv,) = curl_argv(place)
    placed = run_curl(emulator, argv)
    status, shown = _expected_reply(place)
    assert placed.status_code == status and like(shown, placed.json()), placed.text
    emulator.advance(60)

    call = emulator.admin.get(f"calls/{placed.json()['id']}").json()
    assert call["state"] == "ended"
    transcript = iter(call["transcript"])
    for expected in json_values(blocks("json")[0]):
        assert any(like(expected, entry) for entry in transcript), f"not in the transcript in order: {expected}"
    assert "system_message:M1000" in played(call["transcript"])  # the default root is a menu
    assert [request.url.params.get("hangup") for request in service.requests] == [None, None, "yes"]


# The pytest example of the page, executed from the page: pytest collects its fixture and test here.
exec(compile(blocks("python")[0], str(DOC), "exec"))
