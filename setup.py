"""Packaging hook: the wheel carries the top-level ``theme/`` as ``generator/theme/``.

The repository keeps ``theme/`` at the top (MkDocs users look for it there); an installed generator
finds it inside the package through ``importlib.resources`` (``generator/themefiles.py``). Everything
else about the package is declared in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTheme(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install uses the checkout's theme/ directly
        target = Path(self.build_lib, "generator", "theme")
        shutil.copytree(
            Path(__file__).parent / "theme",
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )


setup(cmdclass={"build_py": BuildWithTheme})
