"""/new and /projects: entry points into the project dialogs."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode

from dialogs.states import NewProject, Projects


async def new_project(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(NewProject.brand, mode=StartMode.RESET_STACK)


async def projects(_: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Projects.list, mode=StartMode.RESET_STACK)


def build_router() -> Router:
    router = Router(name="projects")
    router.message.register(new_project, Command("new"))
    router.message.register(projects, Command("projects"))
    return router
