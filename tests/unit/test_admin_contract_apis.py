"""contracts/admin.yaml takes the API names from the registry: one enum, checked here, and every
object keyed by API lists exactly the registry's APIs."""

from __future__ import annotations

from pathlib import Path

import yaml

from emulator import apis

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "admin.yaml"


def _document() -> dict:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def test_the_api_name_enum_is_the_registry():
    schemas = _document()["components"]["schemas"]
    shipped = [spec.name for spec in apis.APIS]
    assert schemas["ApiName"]["enum"] == shipped
    assert schemas["ContractName"]["enum"] == [*shipped, "admin"]


def test_no_other_enum_lists_api_names():
    """Every other place refers to ``ApiName`` or ``ContractName`` instead of listing the names again."""
    names = {spec.name for spec in apis.APIS}
    found: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            enum = node.get("enum")
            if (
                isinstance(enum, list)
                and names & set(map(str, enum))
                and not path.endswith(("/ApiName", "/ContractName"))
            ):
                found.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(_document(), "")
    assert found == []


def test_objects_keyed_by_api_list_the_registry():
    document = _document()
    world = document["components"]["schemas"]["World"]
    shipped = [spec.name for spec in apis.APIS]
    assert world["required"] == [*shipped, "scheduler"]
    assert list(world["properties"]) == [*shipped, "scheduler", "telephony"]
    created = document["paths"]["/__emulator__/sandboxes"]["post"]["responses"]["201"]
    urls = created["content"]["application/json"]["schema"]["properties"]["urls"]
    assert urls["required"] == [*shipped, "admin"]
    assert list(urls["properties"]) == [*shipped, "admin"]
