"""Where the shipped contracts and fixtures are: a checkout, an installed package, or ``EMULATOR_HOME``.

The top-level ``contracts/`` and ``fixtures/`` folders of the source tree are the source of truth.
Building a wheel copies them into the package as ``emulator/_data/`` (see ``setup.py``), and an
installed emulator finds them there through ``importlib.resources``. Order of lookup:

1. ``EMULATOR_HOME`` when set: ``$EMULATOR_HOME/contracts`` and ``$EMULATOR_HOME/fixtures``
   (to serve edited copies without reinstalling);
2. the source checkout the package runs from (editable installs, tests);
3. the data shipped inside the installed package.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

FOLDERS = ("contracts", "fixtures")
_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder holding ``name`` (``"contracts"`` or ``"fixtures"``)."""
    if name not in FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {FOLDERS}")
    home = os.environ.get("EMULATOR_HOME")
    if home:
        return Path(home) / name
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name
    return Path(str(resources.files("emulator") / "_data" / name))
