"""What one simulated call may spend: engine steps, emulator time, real time waiting for services.

A call past a budget ends with a transcript ``error`` entry whose code names it (``steps`` or
``time``); a loop (many steps without the clock moving) is caught sooner by each engine as ``loop``.
The defaults fit every legitimate dialogue; ``--call-max-steps``, ``--call-max-seconds`` and
``--call-max-wait-seconds`` raise them (docs/architecture.md, execution model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emulator.config import EmulatorConfig


@dataclass(frozen=True)
class CallBudget:
    max_steps: int = 5_000
    max_seconds: float = 86_400.0
    max_wait_s: float = 600.0

    @classmethod
    def of(cls, config: EmulatorConfig) -> CallBudget:
        return cls(config.call_max_steps, float(config.call_max_seconds), float(config.call_max_wait_seconds))

    def exceeded(self, *, steps: int, elapsed: float, waited: float) -> tuple[str, str] | None:
        """``(code, message)`` of the first budget a call has gone past, or None."""
        if steps > self.max_steps:
            return "steps", f"more than {self.max_steps} steps: the call is hung up"
        if elapsed > self.max_seconds:
            return "time", f"longer than {self.max_seconds:g} s of emulator time: the call is hung up"
        if waited > self.max_wait_s:
            return "time", f"more than {self.max_wait_s:g} s of real time waiting for web services: the call is hung up"
        return None
