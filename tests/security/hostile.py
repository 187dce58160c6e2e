"""The hostile-input corpus: requests a careless or malicious client could send to any plane.

Each ``Case`` is one HTTP request (relative to the server's base URL). ``corpus()`` returns them
grouped by what they attack; the groups together hold well over 500 inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

TOKEN = "0773137770:1234"
BASIC = "Basic dGVzdDpBYTEyMzQ1Ng=="
APIKEY = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
SIMOTEL_HEADERS = {"Authorization": BASIC, "X-APIKEY": APIKEY}
JSON = {"content-type": "application/json"}


@dataclass(frozen=True)
class Case:
    group: str
    method: str
    path: str
    params: dict[str, str] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def label(self) -> str:
        body = "" if self.content is None else f" body={self.content[:40]!r}"
        return f"[{self.group}] {self.method} {self.path} params={self.params}{body} headers={self.headers}"

    def request(self) -> dict[str, Any]:
        headers = {name: value.encode("utf-8") for name, value in self.headers.items()}  # raw bytes, as sent
        return {"method": self.method, "url": self.path, "params": self.params, "content": self.content,
                "headers": headers}  # fmt: skip


def _yemot(group: str, method: str, content: bytes | None = None, headers: dict | None = None, **params: str) -> Case:
    verb = "POST" if content is not None else "GET"
    return Case(group, verb, f"/ym/api/{method}", {"token": TOKEN, **params}, content, dict(headers or {}))


def _simotel(group: str, service: str, content: bytes, headers: dict | None = None) -> Case:
    return Case(group, "PUT", f"/api/v4/{service}", None, content, {**SIMOTEL_HEADERS, **JSON, **(headers or {})})


def _admin(group: str, method: str, path: str, content: bytes | None = None, headers: dict | None = None) -> Case:
    return Case(group, method, f"/__emulator__/{path}", None, content, dict(headers or {}))


def depth_cases() -> list[Case]:
    cases = []
    for levels in (10, 63, 64, 65, 100, 500, 990, 1000, 5000, 50_000):
        for open_, close in (("[", "]"), ('{"a":', "}")):
            nested = (open_ * levels + "1" + close * levels).encode()
            wrapped = b'{"token":"' + TOKEN.encode() + b'","x":' + nested + b"}"
            cases.append(_yemot("depth", "GetSession", wrapped, JSON))
            cases.append(
                _yemot("depth", "SendSms", None, None, phones="[" * min(levels, 2000) + "]" * min(levels, 2000))
            )
            cases.append(_simotel("depth", "pbx/users/search", b'{"alike": false, "conditions": ' + nested + b"}"))
            cases.append(_admin("depth", "POST", "clock", nested, JSON))
            cases.append(_admin("depth", "POST", "faults", wrapped, JSON))
            cases.append(_admin("depth", "POST", "journal/verify", wrapped, JSON))
            cases.append(_admin("depth", "POST", "fixtures", b"yemot: " + nested))
    return cases


def size_cases(cap: int) -> list[Case]:
    cases = []
    for size in (cap - 200, cap + 1, cap * 3):
        pad = b"x" * size
        cases.append(_yemot("size", "GetSession", b'{"token":"' + TOKEN.encode() + b'","pad":"' + pad + b'"}', JSON))
        cases.append(_yemot("size", "SendSms", b"token=" + TOKEN.encode() + b"&phones=0527777001&message=" + pad,
                            {"content-type": "application/x-www-form-urlencoded"}))  # fmt: skip
        cases.append(_simotel("size", "pbx/users/add", b'{"name":"' + pad + b'","number":"1","secret":"x"}'))
        cases.append(_admin("size", "POST", "fixtures", b"description: " + pad))
        cases.append(_admin("size", "POST", "restore", b'{"version": 1, "world": "' + pad + b'"}', JSON))
        cases.append(_admin("size", "POST", "faults", b'{"api":"' + pad + b'"}', JSON))
    return cases


BAD_BYTES = [
    b"\xff\xfe{\x00}\x00",
    b"\xc0\xaf",
    b'{"token": "\xff"}',
    b'{"token": "\\ud800"}',
    b"\xef\xbb\xbf{}",
    b"{\x00}",
    b"%zz=1&%=2",
    b"a=%u0041",
    b"token=" + TOKEN.encode() + b"&message=%FF%FE&phones=0527777001",
    b"[1, 2",
    b"nul\x00l",
    b'{"a": 1e99999}',
    b'{"a": ' + b"9" * 5000 + b"}",
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b'{"a": "\\u0000"}',
    b"--boundary\r\nContent-Disposition: form-data\r\n\r\nx",
    b"",
]
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=boundary",
    "application/json; charset=utf-16",
    "text/plain",
    "application/xml",
    "",
]


def encoding_cases() -> list[Case]:
    cases = []
    for body in BAD_BYTES:
        for content_type in CONTENT_TYPES:
            headers = {"content-type": content_type} if content_type else {}
            cases.append(Case("encoding", "POST", "/ym/api/SendSms", {"token": TOKEN}, body, headers))
            cases.append(_simotel("encoding", "pbx/users/add", body, headers))
        cases.append(_admin("encoding", "POST", "fixtures", body))
        cases.append(_admin("encoding", "POST", "restore", body, JSON))
        cases.append(_admin("encoding", "PUT", "simotel/settings", body, JSON))
    return cases


def url_cases(port: int) -> list[Case]:
    urls = [
        f"http://127.0.0.1:{port}/__emulator__/reset",
        f"http://127.0.0.1:{port}//__emulator__/reset",
        f"http://127.0.0.1:{port}/%5F%5Femulator__/reset",
        f"http://127.0.0.1:{port}/ym/api/../../__emulator__/reset",
        f"http://localhost:{port}/./__emulator__/reset",
        f"http://[::1]:{port}/__emulator__/reset",
        f"http://127.1:{port}/x",
        f"http://0:{port}/x",
        f"http://user:pass@127.0.0.1:{port}/x",
        "http://127.0.0.1:abc/",
        "http://127.0.0.1:9/a\r\nb",
        "http://127.0.0.1:9/a\x00b",
        "http://[::1",
        "http://[zz]/",
        "http://127.0.0.1:70000/",
        "http:///x",
        "http://",
        "https://exa mple.test/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/x",
        "x" * 5000,
        "http://" + "a" * 300 + ".test/",
        "http://\u0661\u0662\u0667.0.0.1/",
        "http://example.test/" + "%" * 50,
    ]
    cases = []
    for url in urls:
        cases.append(_yemot("url", "SendTTS", None, None, phones="0527777001", ttsMessage="x", callbackUrl=url))
        fax = f"token={TOKEN}&pdfFile=ivr2:/none.pdf&phone=0527777001&deliveryUrl=".encode() + url.encode()
        cases.append(Case("url", "POST", "/ym/api/SendFax", None, fax,
                          {"content-type": "application/x-www-form-urlencoded"}))  # fmt: skip
        webhook = ('{"webhook": {"url": ' + _json_text(url) + ', "events": ["*"]}}').encode()
        cases.append(_admin("url", "PUT", "simotel/settings", webhook, JSON))
    return cases


def _json_text(value: str) -> str:
    return json.dumps(value)


IVR_PATHS = [
    "../../etc/passwd",
    "ivr2:/../../..",
    "ivr2:/1/../../x",
    "/" * 200,
    "a\nb",
    "a\x00b",
    "a\rb",
    "\\\\server\\share",
    "ivr2:" + "a/" * 500,
    "\u202e\u0661",
    "%2e%2e/%2e%2e/x",
    "ivr2:/1/ext.ini\x7f",
    "",
    " ",
    "ivr/",
    "con",
]
ROUTES = [
    "/ym/api/%00",
    "/ym/api/" + "A" * 5000,
    "/ym/api/\u05e9\u05dc\u05d5\u05dd",
    "/ym/api/GetSession/extra/segments",
    "/api/v4/%2e%2e/%2e%2e/__emulator__/reset",
    "/api/v4/" + "a/" * 500,
    "/api/v4/pbx/users/add%00",
    "/__emulator__/%2e%2e/ym/api/GetSession",
    "/__emulator__/phones/" + "9" * 5000,
    "/__emulator__/contracts/..%2f..%2fsetup.py.yaml",
    "/__emulator__/journal?since=" + "9" * 100,
    "/__emulator__/calls?to=%00",
    "/?x=%00",
    "/__emulator__/ui/..%2f..%2fhttp.py",
    "/__emulator__/docs/static/%2e%2e/%2e%2e/http.py",
    "/__emulator__/docs/..%2f..%2fsetup",
    "/__emulator__/docs/%00.json",
    "/__emulator__/health?verbose=" + "x" * 3000,
]


def path_cases() -> list[Case]:
    cases = []
    for path in IVR_PATHS:
        for method in ("CheckIfFileExists", "DownloadFile", "GetIVR2Dir", "FileAction", "UploadTextFile"):
            cases.append(_yemot("path", method, None, None, path=path, what=path, contents="x", action="delete"))
    for route in ROUTES:
        for verb in ("GET", "POST", "DELETE"):
            headers = SIMOTEL_HEADERS if route.startswith("/api/v4") else {}
            cases.append(Case("path", verb, route, None, None, dict(headers)))
    return cases


NUMBERS = ["-1", "0", "-0", "1e309", "NaN", "Infinity", "9" * 5000, "\u0661", "\uff11", "0x10", "1_000", " 1 ", "+1",
           "1.5", "", "null", "true", "[]", "{}", "05\u0662\u0667\u0667\u0667\u0667\u0660\u0660\u0661"]  # fmt: skip


def number_cases() -> list[Case]:
    cases = []
    for value in NUMBERS:
        cases.append(_yemot("number", "TransferUnits", None, None, destination="0773137770", amount=value))
        cases.append(_yemot("number", "SendTTS", None, None, phones="0527777001", ttsMessage="x", ttsRate=value))
        cases.append(_yemot("number", "RunTzintuk", None, None, phones="0527777001", TzintukTimeOut=value))
        cases.append(_yemot("number", "CreateSipAccount", None, None, extNumber=value))
        cases.append(_yemot("number", "SendSms", None, None, phones=value, message="x"))
        cases.append(_yemot("number", "GetIncomingCalls", None, None, limit=value, startFrom=value))
        text = _json_text(value)
        cases.append(_simotel("number", "pbx/users/search", ('{"alike": false, "start": ' + text + "}").encode()))
        cases.append(_simotel("number", "pbx/users/add", ('{"name":"n","secret":"s","number":' + text + "}").encode()))
        cases.append(_admin("number", "POST", "clock", ('{"advance": ' + (value or '""') + "}").encode(), JSON))
        cases.append(_admin("number", "POST", "clock", ('{"set": ' + text + "}").encode(), JSON))
    for instant in ("9999-12-31T23:59:59Z", "0001-01-01", "1969-12-31T23:59:59Z", "3000-01-01T00:00:00Z",
                    "2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z", "+10000-01-01"):  # fmt: skip
        cases.append(_admin("number", "POST", "clock", ('{"set": "' + instant + '"}').encode(), JSON))
    return cases


AUTHORIZATIONS = [
    "Basic dGVzdDpBYTEyMzQ1Ng==!!",
    "Basic !!!",
    "Basic " + "A" * 10_000,
    "Basic",
    "Basic =",
    "Basic dGVzdA==",
    "Basic OkFhMTIzNDU2",
    "Bearer x",
    "basic\tdGVzdDpBYTEyMzQ1Ng==",
    "Basic 8J+YgA==",
    "Basic dGVzdDpBYTEyMzQ1Ng==, Basic dGVzdDpBYTEyMzQ1Ng==",
    "\u00e9",
]


def header_cases() -> list[Case]:
    cases = []
    for authorization in AUTHORIZATIONS:
        for api_key in (APIKEY, "", "x" * 5000, "\u00e9\u00e9"):
            headers = {"Authorization": authorization, "X-APIKEY": api_key, **JSON}
            cases.append(Case("header", "PUT", "/api/v4/setting/ping/act", None, b"{}", headers))
        cases.append(Case("header", "GET", "/ym/api/GetSession", None, None, {"Authorization": authorization}))
        cases.append(_admin("header", "POST", "reset", None, {"Authorization": authorization}))
    for forwarded in ("10.1.2.3", "127.0.0.1", "::1, 10.0.0.1", "x" * 1000, "\u00e9"):
        cases.append(_simotel("header", "setting/ping/act", b"{}", {"X-Forwarded-For": forwarded}))
        cases.append(_admin("header", "POST", "reset", None, {"X-Forwarded-For": forwarded, "X-Real-IP": forwarded}))
    for marker in ("1", "", "x" * 100):
        for path in ("reset", "restore", "clock", "fixtures", "journal"):
            cases.append(_admin("header", "POST", path, b"{}", {"X-Emulator-Delivery": marker, **JSON}))
    for content_type in ("application/json; boundary=x", "multipart/form-data; boundary=" + "b" * 5000,
                         "application/x-www-form-urlencoded; charset=utf-7", "*/*", ";;;"):  # fmt: skip
        cases.append(
            Case("header", "POST", "/ym/api/GetSession", {"token": TOKEN}, b"a=1", {"content-type": content_type})
        )
        cases.append(_simotel("header", "setting/ping/act", b"{}", {"content-type": content_type}))
    return cases


def audio_cases() -> list[Case]:
    """Audio bombs and broken audio headers uploaded with and without conversion, and as a chunk."""
    from audio_bombs import hostile_audio, multipart

    cases = []
    for index, (name, data) in enumerate(sorted(hostile_audio().items())):
        folder = f"ivr2:hostile/{index}"
        for convert in ("1", "0"):
            body, headers = multipart({"path": f"{folder}/{convert}.wav", "convertAudio": convert}, name, data)
            cases.append(Case("audio", "POST", "/ym/api/UploadFile", {"token": TOKEN}, body, headers))
        chunk = {"path": folder, "qquuid": f"u{index}", "qqpartindex": "0", "qqtotalparts": "2",
                 "qqtotalfilesize": str(2 * len(data)), "qqfilename": "x.wav", "convertAudio": "1"}  # fmt: skip
        body, headers = multipart(chunk, name, data, file_field="qqfile")
        cases.append(Case("audio", "POST", "/ym/api/UploadFile", {"token": TOKEN}, body, headers))
    return cases


FOREIGN_HOSTS = ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example",
                 "LOCALHOST.EVIL.EXAMPLE.", "rebind.127.0.0.1.nip.io", "", "x" * 300, "[::1", "\u00e9.example",
                 "evil.example, localhost", "%6c%6f%63%61%6c%68%6f%73%74"]  # fmt: skip
SIMPLE_BODIES = [(b'{"freeze": true, "set": "2030-01-01T00:00:00Z"}', "text/plain"),
                 (b"freeze=true", "application/x-www-form-urlencoded"),
                 (b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
                  "multipart/form-data; boundary=b"),
                 (b'{"freeze": true}', "text/plain; charset=utf-8"), (b'{"freeze": true}', "Text/Plain")]  # fmt: skip


def site_cases(port: int) -> list[Case]:
    """Requests a page on another site could make: rebound Host names, foreign origins, simple bodies."""
    cases = []
    writes = [("reset", None), ("clock", b'{"freeze": true}'), ("faults", b'{"api": "yemot", "status": 503}'),
              ("sandboxes", b"{}"), ("restore", b"{}"), ("fixtures", b"seed: 9\n")]  # fmt: skip
    for host in FOREIGN_HOSTS:
        host = host.format(port=port)
        cases.append(_admin("site", "GET", "state", None, {"host": host}))
        cases.append(Case("site", "GET", "/", None, None, {"host": host, "accept": "application/json"}))
        cases.append(_admin("site", "GET", "ui/", None, {"host": host}))
        for path, body in writes:
            cases.append(_admin("site", "POST", path, body, {"host": host, **JSON}))
    for origin in ("http://evil.example", "null", "http://localhost:1", f"http://127.0.0.1:{port}.evil.example",
                   "https://localhost", "file://", "x" * 500):  # fmt: skip
        for path, body in writes:
            cases.append(_admin("site", "POST", path, body, {"origin": origin, **JSON}))
        cases.append(_admin("site", "DELETE", "faults", None, {"origin": origin}))
    for site in ("cross-site", "same-site", "CROSS-SITE", "", "x" * 200):
        for path, body in writes:
            cases.append(_admin("site", "POST", path, body, {"sec-fetch-site": site, **JSON}))
    for body, content_type in SIMPLE_BODIES:
        for path in ("clock", "faults", "reset", "sandboxes", "fixtures", "restore", "journal/verify"):
            cases.append(_admin("site", "POST", path, body, {"content-type": content_type}))
        cases.append(_admin("site", "POST", "clock", body, {"content-type": content_type, "origin": "null"}))
    return cases


KIND = "yemot.validation_reset"  # a scheduled-event kind a handler exists for


def hostile_worlds() -> list[tuple[str | None, str]]:
    """Snapshot ``world`` values (JSON text) a restore or a state file must refuse, each with the JSON
    path of its problem (``None`` where only the schema check can name it)."""

    def event(due: Any = 100.0, seq: Any = 0, kind: str = KIND, payload: Any = None) -> dict[str, Any]:
        return {"due": due, "seq": seq, "kind": kind, "payload": payload or {}}

    def pending(*events: dict[str, Any], next_seq: int = 10, queue: str = "pending") -> dict[str, Any]:
        return {"scheduler": {queue: list(events), "next_seq": next_seq}}

    def deep(levels: int) -> str:  # a pending event whose payload nests ``levels`` objects
        payload = '{"a":' * levels + "1" + "}" * levels
        return f'{{"scheduler":{{"pending":[{{"due":1,"seq":0,"kind":"{KIND}","payload":{payload}}}],"next_seq":1}}}}'

    call = {"id": "c1", "api": "yemot", "tenant": "t", "kind": "call", "caller_id": "1", "to": "2", "campaign": None}
    worlds: list[tuple[str | None, Any]] = [
        ("$.world.scheduler.pending[1].seq", pending(event(), event())),  # equal (due, seq): heapq TypeError
        (
            "$.world.scheduler.in_order[0].seq",
            {"scheduler": {"pending": [event()], "in_order": [event(200.0)], "next_seq": 5}},
        ),  # fmt: skip
        ("$.world.scheduler.pending[0].seq", pending(event(seq=10))),
        ("$.world.scheduler.pending[0].seq", pending(event(seq=-1))),
        ("$.world.scheduler.pending[0].due", pending(event(due=-1.0))),
        ("$.world.scheduler.pending[0].due", pending(event(due=1e300))),
        ("$.world.scheduler.pending[0].due", pending(event(due=32503680000.0))),
        ("$.world.scheduler.pending[0].kind", pending(event(kind="no.such.kind"))),
        ("$.world.scheduler.pending[0].due", pending(event(due="soon"))),
        ("$.world.telephony.calls.c1.created", {"telephony": {"calls": {"c1": {**call, "created": 1e20}}}}),
        (
            "$.world.telephony.calls.c1.ended_at",
            {"telephony": {"calls": {"c1": {**call, "created": 1.0, "ended_at": -5.0}}}},
        ),  # fmt: skip
        ("$.world.scheduler", {"scheduler": "x"}),
        ("$.world", [1, 2]),
        ("$.world.scheduler.pending", {"scheduler": {"pending": {}}}),
    ]
    texts = [(path, json.dumps(world)) for path, world in worlds]
    return [*texts, ("$.world.scheduler.pending[0].payload" + ".a" * 92, deep(96)), (None, deep(5000))]


def hostile_state_files() -> list[tuple[str, bytes]]:
    """State files a start must refuse with a message (never a traceback), each with a part of that message."""
    head = '{"format":"telephony-emulator state","version":1,"saved_at":0'

    def state(world: str, clock: str = '{"now":1e9,"frozen":true,"offset":0}') -> bytes:
        return f'{head},"clock":{clock},"snapshot":{{"version":1,"world":{world}}}}}'.encode()

    files = [(f"at {path.replace('$', '$.snapshot', 1)}" if path else "nests deeper", state(world))
             for path, world in hostile_worlds()]  # fmt: skip
    return [
        *files,
        ("clock out of range", state("{}", '{"now":1e300,"frozen":true}')),
        ("clock out of range", state("{}", '{"now":-1,"frozen":true}')),
        ("clock out of range", state("{}", '{"offset":1e300,"frozen":false}')),
        ("not a valid state file", state("{}", '{"now":"soon","frozen":true}')),
        ("not a telephony-emulator state file", b"[" * 100_000 + b"]" * 100_000),
        ("nests deeper", head.encode() + b',"snapshot":' + b"[" * 100_000),
        ("nests deeper", head.encode() + b',"snapshot":' + b"[" * 5000 + b"]" * 5000 + b"}"),
        ("not a readable JSON document", b"\xff\xfe{}"),
        ("not a telephony-emulator state file", b"[]"),
        ("format version 2", b'{"format":"telephony-emulator state","version":2}'),
        ("format version True", b'{"format":"telephony-emulator state","version":true}'),
        ("does not describe a valid state", f'{head},"snapshot":{{"version":2,"world":{{}}}}}}'.encode()),
    ]


def snapshot_cases() -> list[Case]:
    """Hostile snapshots posted to restore: each must be refused with 400 and change nothing."""
    cases = [_admin("snapshot", "POST", "restore", f'{{"version":1,"world":{world}}}'.encode(), JSON)
             for _, world in hostile_worlds()]  # fmt: skip
    for body in (b"[]", b'{"version": true, "world": {}}', b'{"version": 1}', b'{"version": 1, "world": null}'):
        cases.append(_admin("snapshot", "POST", "restore", body, JSON))
    return cases


def corpus(port: int, cap: int) -> dict[str, list[Case]]:
    """Every group of hostile cases for a server on ``port`` whose JSON/form cap is ``cap`` bytes."""
    return {
        "depth": depth_cases(),
        "size": size_cases(cap),
        "encoding": encoding_cases(),
        "url": url_cases(port),
        "path": path_cases(),
        "number": number_cases(),
        "header": header_cases(),
        "audio": audio_cases(),
        "site": site_cases(port),
        "snapshot": snapshot_cases(),
    }
