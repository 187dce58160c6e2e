"""Build step: ship the top-level ``contracts/`` and ``fixtures/`` inside the package as ``emulator/_data``.

The top-level folders stay the single source of truth; every wheel built from the tree (and every
``pip install <checkout>``) carries a copy that ``emulator.home`` finds through importlib.resources.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("contracts", "fixtures")


class BuildPyWithData(build_py):
    """``build_py`` that also copies the data folders into ``<build>/emulator/_data/``."""

    def run(self) -> None:
        super().run()
        for folder in DATA_FOLDERS:
            source = ROOT / folder
            target = Path(self.build_lib) / "emulator" / "_data" / folder
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        for folder in DATA_FOLDERS:
            for path in sorted((ROOT / folder).rglob("*")):
                if path.is_file():
                    outputs.append(str(Path(self.build_lib) / "emulator" / "_data" / path.relative_to(ROOT)))
        return outputs


setup(cmdclass={"build_py": BuildPyWithData})
