"""The wire skeleton serves any API: refusals caught once in the pipeline, the verb table, multipart,
parameter problems and the 413, shown with a made-up API that is neither Yemot nor Simotel."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from emulator.core.http.contracts import Contract
from emulator.core.http.errors import ApiError, ParamErrors
from emulator.core.http.params import Upload
from emulator.core.http.pipeline import Reply, Wire, serve
from emulator.core.http.requests import ApiRequest
from emulator.core.http.wire import Verbs, form_fields, too_large_answer


class ToyError(ApiError):
    status = 418
    media_type = "application/toy+json"

    def body(self) -> Any:
        return {"refused": self.message}


class ToyVerb(ToyError):
    status = 405

    def __init__(self, verb: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"{verb} is not one of {'/'.join(allowed)}")


class ToyMissing(ToyError):
    pass


CONTRACT = Contract(
    {
        "openapi": "3.1.0",
        "paths": {
            "/toy/Upload": {"post": {"responses": {}}},
            "/toy/Both": {
                "get": {"responses": {}},
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {"name": {"type": "string"}, "count": {"type": "integer"}},
                                }
                            }
                        }
                    },
                    "responses": {},
                },
            },
        },
    },
    prefix="/toy",
)


def _request(method: str = "POST", body: bytes = b"", content_type: bytes = b"application/json") -> ApiRequest:
    scope = {
        "type": "http",
        "method": method,
        "path": "/toy/Both",
        "query_string": b"",
        "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        "client": ("203.0.113.9", 5000),
    }
    sent = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return sent.pop(0) if sent else {"type": "http.disconnect"}

    return ApiRequest(scope, receive)


def test_a_refusal_is_answered_once_by_the_pipeline_with_what_the_request_was_read_as(emulator):
    runtime = emulator.runtime
    hooked: list[tuple[ApiError, int]] = []

    async def produce(request, emulator, reply: Reply, parse_only: bool) -> None:
        reply.params, reply.tenant = {"name": "x", "extra": "1"}, "acme"
        reply.warnings.append("unknown parameter 'extra'")
        raise ToyError("not today")

    def refused(exc: ApiError, reply: Reply) -> None:
        hooked.append((exc, reply.status))
        reply.headers = {**reply.headers, "X-Toy": "refused"}

    wire = Wire("toy", produce, lambda status, body: Reply(status=status, body=body), lambda body: None, refused)
    response = asyncio.run(serve(runtime, wire, _request(), "Both", None))

    assert response.status_code == 418
    assert response.body == b'{"refused":"not today"}'
    assert response.headers["content-type"] == "application/toy+json"
    assert response.headers["x-toy"] == "refused"
    assert response.headers["x-emulator-warning"] == "unknown parameter 'extra'"
    assert [(type(exc), status) for exc, status in hooked] == [(ToyError, 418)]
    entry = runtime.journal.entries()[-1]
    assert (entry.api, entry.operation, entry.status, entry.tenant) == ("toy", "Both", 418, "acme")
    assert entry.params == {"name": "x", "extra": "1"}
    assert entry.response == {"refused": "not today"}


def test_an_answer_the_producer_fills_in_is_sent_as_is(emulator):
    async def produce(request, emulator, reply: Reply, parse_only: bool) -> None:
        reply.body, reply.media_type = {"ok": True}, "application/json"

    wire = Wire("toy", produce, lambda status, body: Reply(status=status, body=body), lambda body: None)
    response = asyncio.run(serve(emulator.runtime, wire, _request(), "Both", None))
    assert (response.status_code, response.body) == (200, b'{"ok":true}')


def test_the_verb_table_takes_the_declared_verbs_and_names_them_in_allow():
    verbs = Verbs("toy", ("GET", "POST"), ToyVerb, per_operation=True)
    upload, both = CONTRACT.get("Upload"), CONTRACT.get("Both")
    verbs.check("POST", upload)
    verbs.check("GET", both)
    verbs.check("GET", None)  # (an unknown operation: the API's own refusal follows, not a 405)
    with pytest.raises(ToyVerb) as caught:
        verbs.check("GET", upload)
    assert caught.value.headers == {"Allow": "POST"}
    assert caught.value.message == "GET is not one of POST"
    assert verbs.allowed(upload) == ("POST",)
    with pytest.raises(ToyVerb) as caught:
        verbs.check("PATCH", None)
    assert caught.value.headers == {"Allow": "GET, POST"}
    assert ToyVerb.headers == {}  # (the class's own stays empty)


def test_a_table_for_every_operation_ignores_what_the_path_declares():
    verbs = Verbs("toy-all", ("GET", "POST", "PUT"), ToyVerb, per_operation=False)
    verbs.check("PUT", CONTRACT.get("Upload"))
    with pytest.raises(ToyVerb) as caught:
        verbs.check("DELETE", CONTRACT.get("Upload"))
    assert caught.value.headers == {"Allow": "GET, POST, PUT"}


def test_parameter_problems_become_the_apis_errors_missing_first():
    errors = ParamErrors(lambda name: ToyMissing(f"{name} missing"), lambda name, detail: ToyError(f"{name}: {detail}"))
    operation = CONTRACT.get("Both")
    errors.check(operation, {"name": "x", "count": 3})
    with pytest.raises(ToyMissing, match="^name missing$"):
        errors.check(operation, {"count": "many"})
    with pytest.raises(ToyError, match='^count: count: "many" is not of type "integer"$'):
        errors.check(operation, {"name": "x", "count": "many"})


MULTIPART = (
    b"--b\r\n"
    b'Content-Disposition: form-data; name="path"\r\n\r\nivr2:/1\r\n'
    b"--b\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n'
    b"--b\r\n"
    b'Content-Disposition: form-data; name="path"\r\n\r\nivr2:/2\r\n'
    b"--b--\r\n"
)


def test_multipart_fields_come_in_order_with_files_as_uploads():
    request = _request(body=MULTIPART, content_type=b"multipart/form-data; boundary=b")
    fields = asyncio.run(form_fields(request, lambda: ToyError("malformed")))
    assert [name for name, _ in fields] == ["path", "file", "path"]
    assert fields[0] == ("path", "ivr2:/1") and fields[2] == ("path", "ivr2:/2")
    upload = fields[1][1]
    assert isinstance(upload, Upload)
    assert (upload.filename, upload.content_type, upload.data) == ("a.wav", "audio/wav", b"RIFF")


@pytest.mark.parametrize(
    "body",
    [b"--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--\r\n", b"\xff" * 64],
    ids=["part-without-name", "garbage"],
)
def test_a_multipart_body_that_does_not_parse_is_the_apis_own_error(body):
    request = _request(body=body, content_type=b"multipart/form-data; boundary=b")
    with pytest.raises(ToyError, match="malformed"):
        asyncio.run(form_fields(request, lambda: ToyError("malformed")))


def test_the_413_answer_is_the_apis_error_in_its_envelope():
    class TooLarge(ToyError):
        status = 413

        def __init__(self, limit: int) -> None:
            super().__init__(f"over {limit}")

    response = too_large_answer(TooLarge)(1024)
    assert (response.status_code, response.body) == (413, b'{"refused":"over 1024"}')
    assert response.headers["content-type"] == "application/toy+json"
