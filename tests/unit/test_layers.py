"""What the import contracts in pyproject.toml cannot say: import-linter forbids whole external
packages only, and the core may use aiogram (the sender, the middlewares) but must keep no
callback data and no keyboards — those belong to ``ui/``."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

UI_ONLY = ("aiogram.filters.callback_data", "aiogram.utils.keyboard")
CORE = Path(bot.__file__).parent


def imported_modules(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def ui_imports(source: str) -> set[str]:
    return {
        name
        for name in imported_modules(source)
        if any(name == module or name.startswith(f"{module}.") for module in UI_ONLY)
    }


def test_the_check_sees_callback_data_and_keyboards_however_imported() -> None:
    assert ui_imports("from aiogram.filters.callback_data import CallbackData") != set()
    assert ui_imports("import aiogram.utils.keyboard as kb") != set()
    assert ui_imports("from aiogram.filters import callback_data") != set()
    assert ui_imports("from aiogram.types import InlineKeyboardMarkup") == set()


def test_the_core_keeps_no_callback_data_or_keyboards() -> None:
    offenders = {
        str(path.relative_to(CORE.parent)): sorted(found)
        for path in sorted(CORE.rglob("*.py"))
        if (found := ui_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
