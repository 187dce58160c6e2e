"""Identifiers that never repeat within a server's lifetime: ``emulator.ids``.

A real platform never hands out the same call id twice, so a service that keys its per-call state
by ``ApiCallId`` (or a Simotel ``unique_id``) never mistakes a new call for an old one. The
emulator's state is swapped wholesale by reset, restore and sandboxes; the ids must not follow it
back. The rule:

- Random ids (``ApiCallId``, ``ApiYFCallId``, Simotel ``originated_call_id``) come from a stream of
  their own, seeded by the server's seed and never rewound, and the server's sandboxes draw from the
  same stream. Each swap of the world (reset, restore, a state file loaded at start) ``branch``es it:
  the stream goes on from a seed drawn from it plus the new world's call counter, so a restored state
  made by another server with the same seed (whose ids came from the same stream) is not repeated.
- Sequence numbers (engine call ids ``call-N``, hence Simotel ``unique_id``; Yemot campaign-id
  sequences) are taken with ``advance``: the world's counter, but never below a server-lifetime
  high-water mark of that counter, so after a reset or a restore of an older snapshot the sequence
  goes on instead of starting over. Simotel's record ``_id`` counter (an ObjectId, unique on the real
  PBX) is ``carry``'d from the world it replaces at every swap, to the same effect.

A fresh server started with the same seed and driven the same way draws the same ids in the same
order. The source is process state, not world state: snapshots do not carry it.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

HEX = "0123456789abcdef"


class IdSource:
    """The server-lifetime id stream and counter high-water marks (see the module docstring)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"ids:{seed}")
        self._next: dict[str, int] = {}

    def branch(self, salt: object) -> None:
        """Go on with a stream of its own, seeded by a draw of this one and ``salt`` (the call counter of
        a world just swapped in): a state saved by another server with the same seed holds ids of that
        seed's stream, and new calls must not take them again, however often it is saved and loaded."""
        self._rng = random.Random(f"ids:{self._rng.getrandbits(128)}:{salt}")

    def hex(self, length: int) -> str:
        """``length`` lowercase hex digits."""
        return "".join(self._rng.choice(HEX) for _ in range(length))

    def digits(self, length: int) -> str:
        """``length`` decimal digits."""
        return f"{self._rng.randrange(10**length):0{length}d}"

    def uuid4(self) -> str:
        """A version-4 UUID in its canonical text form."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def take(self, key: str, world_next: int) -> int:
        """The next number of sequence ``key``: ``world_next`` (the world's own counter), or past every
        number this server has already handed out under ``key`` if that is higher."""
        number = max(int(world_next), self._next.get(key, 0))
        self._next[key] = number + 1
        return number

    @staticmethod
    def carry(before: Any, after: Any, attribute: str) -> None:
        """Keep the counter ``attribute`` of a state swapped in (``after``) from going back below the
        one it replaces: for counters their own code advances (Simotel record ``_id``s), the
        high-water passes from world to world."""
        setattr(after, attribute, max(getattr(after, attribute), getattr(before, attribute)))

    def advance(self, holder: Any, attribute: str, key: str) -> int:
        """``take`` from the counter ``holder.attribute`` and move that counter past the number taken."""
        number = self.take(key, getattr(holder, attribute))
        setattr(holder, attribute, number + 1)
        return number
