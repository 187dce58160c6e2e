"""Giving memory back: cyclic garbage collected and the C allocator's free pages returned.

A deleted sandbox is a web of reference cycles (its app, router, emulator and their bound
methods) holding its whole world; only a full collection frees it. The server's collector runs
full collections rarely on purpose (``cli.py``: a full pass rescans every live world), so deleted
sandboxes piled up across create/delete cycles. ``release`` frees them and then asks glibc to hand
the freed pages back (``malloc_trim``), so the resident size follows the live sandboxes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on other C libraries."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release() -> int:
    """Collect cyclic garbage (all generations) and return free heap pages to the system; the
    number of unreachable objects found."""
    found = gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    return found
