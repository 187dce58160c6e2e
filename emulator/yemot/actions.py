"""Methods with an action parameter: one dispatcher from a table of action name -> handler."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from emulator.yemot.context import YemotCall
from emulator.yemot.errors import YemotError

Handler = Callable[[YemotCall], dict[str, Any]]


def by_action(handlers: Mapping[str, Handler], unknown: type[YemotError], *, param: str = "action") -> Handler:
    """A service that hands the call to ``handlers[params[param]]``; any other value raises ``unknown()``."""

    def service(call: YemotCall) -> dict[str, Any]:
        handler = handlers.get(str(call.params.get(param) or ""))
        if handler is None:
            raise unknown()
        return handler(call)

    service.__doc__ = f"Dispatch on ``{param}``: {', '.join(handlers)}; anything else {unknown.__name__}."
    return service
