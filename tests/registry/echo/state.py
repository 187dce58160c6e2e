"""Step 1 of the checklist: the API's state root, a dataclass the World holds under ``world.echo``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EchoState:
    greeting: str = "hello"  # from the fixture's ``echo`` section
    said: list[str] = field(default_factory=list)  # every text said, in order
