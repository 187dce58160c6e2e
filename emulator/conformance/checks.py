"""schemathesis checks of this project, and the list every contract run uses.

Importing this module registers the custom checks with schemathesis (so ``st run`` sees them too).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.conformance.expectations import api_of_path, envelope_problems, message_problems


def response_json(response: Any) -> tuple[bool, Any]:
    """``(is_json, body)`` of a schemathesis response."""
    content_type = (response.headers.get("content-type") or [""])[0]
    if "json" not in content_type.lower():
        return False, None
    try:
        return True, json.loads(response.content or b"null")
    except ValueError:
        return True, None


def _api(response: Any) -> str | None:
    return api_of_path(urlsplit(str(response.request.url)).path)


@schemathesis.check
def envelope_present(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every JSON answer carries the API's envelope (Yemot ``responseStatus``; Simotel ``success/message/data``)."""
    api = _api(response)
    is_json, body = response_json(response)
    if api is None or not is_json:
        return None
    problems = envelope_problems(api, body)
    if problems:
        raise AssertionError(f"{api} envelope: " + "; ".join(problems))
    return True


@schemathesis.check
def documented_error_strings(ctx: Any, response: Any, case: Any) -> bool | None:
    """Error messages the seed documents are sent exactly (e.g. Yemot token errors, Simotel 401s)."""
    api = _api(response)
    is_json, body = response_json(response)
    if api is None or not is_json:
        return None
    problems = message_problems(api, response.status_code, body)
    if problems:
        raise AssertionError(f"{api} documented error strings: " + "; ".join(problems))
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    envelope_present,
    documented_error_strings,
]
CHECK_NAMES = [check.__name__ for check in CHECKS]
