"""schemathesis state machines that walk the contracts' OpenAPI links, with auth and money-safety.

Links come from the contracts, plus each API's link rules (``Conformance.links``), added in memory so that they cover
operations as soon as they are declared: Yemot ``Login`` links to every secured method by ``token``,
Simotel ``<group>/<resource>/add`` to its ``update`` and ``remove`` by ``_id``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from emulator import apis
from emulator.conformance import require_schemathesis
from emulator.conformance.contract import load_document, operations
from emulator.conformance.profiles import schemathesis_config
from emulator.conformance.suite import operation_of
from emulator.conformance.target import Target
from emulator.core.api import LinkRule
from emulator.core.http.contracts import resolve_ref


def link_rules(api: str) -> tuple[LinkRule, ...]:
    """The API's link rules (``Conformance.links``), added in memory to the contract's own links so
    they cover operations as soon as they are declared."""
    conformance = apis.named(api).conformance if api in apis.names() else None
    return conformance.links if conformance is not None else ()


def _resolve(document: dict[str, Any], node: Any) -> Any:
    return resolve_ref(document, node)


def apply_link_rules(api: str, document: dict[str, Any]) -> dict[str, Any]:
    """Add the link rules of ``api`` (``link_rules``) to ``document`` (in place; returns it)."""
    infos = operations(api)
    by_key: dict[str, list[str]] = {}
    for info in infos:
        by_key.setdefault(info.key, []).append(info.operation_id)
    secured = [info.operation_id for info in infos if info.secured]
    for info in infos:
        for rule in link_rules(api):
            match = re.fullmatch(rule.source, info.key)
            if match is None:
                continue
            targets = (
                secured
                if rule.targets == ("*",)
                else [
                    operation_id
                    for template in rule.targets
                    for operation_id in by_key.get(template.format(**match.groupdict()), [])
                ]
            )
            if targets:
                _add_links(document, info, targets, rule.link)
    return document


def _add_links(document: dict[str, Any], info: Any, targets: list[str], link: dict[str, Any]) -> None:
    responses = document["paths"][info.path][info.method].setdefault("responses", {})
    response = responses.get("200")
    if response is None:
        return
    if "$ref" in response:  # links belong to this operation only: inline a copy of the shared answer
        response = responses["200"] = copy.deepcopy(_resolve(document, response))
    links = response.setdefault("links", {})
    linked = {existing.get("operationId") for existing in links.values() if isinstance(existing, dict)}
    for operation_id in targets:
        if operation_id not in linked:
            links[f"To{operation_id}"] = {"operationId": operation_id, **copy.deepcopy(link)}


def linked_schema(api: str, target: Target) -> Any:
    """The API's schema with the generated links, without the operations money-safety skips."""
    schemathesis = require_schemathesis()
    document = copy.deepcopy(load_document(api))
    apply_link_rules(api, document)
    schema = schemathesis.openapi.from_dict(document, config=schemathesis_config(stateful=True))
    skipped = [d.operation.operation_id for d in target.safety.plan(operations(api)) if not d.run]
    return schema.exclude(operation_id=skipped) if skipped else schema


LOGIN_METHODS = ("Login",)


def _login_credentials(target: Target) -> tuple[str, str] | None:
    username, sep, password = target.credentials.yemot_token.partition(":")
    return (username, password) if sep else None


def state_machine(api: str, target: Target) -> type:
    """An ``APIStateMachine`` over ``api``'s links; every step is sent to ``target`` and fully checked."""
    from hypothesis import reject
    from schemathesis.generation.stateful.state_machine import StepOutput

    from emulator.conformance.checks import CHECKS
    from emulator.conformance.safety import UnsafeRequest

    base = linked_schema(api, target).as_state_machine()
    login = _login_credentials(target)

    class ContractMachine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            self.connection = target.connect()

        def teardown(self) -> None:
            self.connection.close()

        def step(self, input: Any) -> Any:
            case = input.case
            operation = operation_of(case)
            if operation.key in LOGIN_METHODS and login:
                _use_credentials(case, *login)
            linked_token = any(name == "token" for _, name in input.applied_parameters)
            try:
                response = self.connection.send(case, operation, authenticate="keep-token" if linked_token else True)
            except UnsafeRequest:
                reject()
            case.validate_response(response, checks=CHECKS)
            return StepOutput(response, case)

    ContractMachine.__name__ = f"{api.capitalize()}ContractMachine"
    return ContractMachine


def _use_credentials(case: Any, username: str, password: str) -> None:
    """Let generated Logins succeed, so the links that follow them carry a live token."""
    for name in ("query", "body"):
        container = getattr(case, name)
        if isinstance(container, dict) and "username" in container:
            setattr(case, name, {**container, "username": username, "password": password})
