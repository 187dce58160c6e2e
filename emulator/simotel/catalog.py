"""Every declared Simotel record collection, by service path prefix (``pbx/users`` -> ``Resource``)."""

from __future__ import annotations

from emulator.simotel.resources import Resource
from emulator.simotel.services import dialer_lists, pbx

RESOURCES: dict[str, Resource] = {resource.path: resource for resource in (*pbx.RESOURCES, *dialer_lists.RESOURCES)}


def resource_of(service: str) -> Resource | None:
    """The resource whose actions include ``service`` (``pbx/users/add`` -> users), else None."""
    path, _, action = service.rpartition("/")
    resource = RESOURCES.get(path)
    return resource if resource is not None and action in resource.actions else None
