"""What a person sees has been stored: the dialog's position commits before its screen is sent.

aiogram-dialog writes a dialog's context and stack back to the storage only after the handler has
returned — after it has already sent or edited the screen. A crash in between left the person
looking at the next question while the stored dialog was still on the previous one: their next
answer went to the wrong question. This manager writes the position and commits the update's
transaction (the answers saved so far, the position, anything else the step wrote) right before
each screen goes out; aiogram-dialog's own save at the end of the update then only records the new
message's id.

Outside an update (background managers) there is no update transaction and nothing changes.
"""

from __future__ import annotations

from aiogram import Router
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.entities import ChatEvent
from aiogram_dialog.api.internal import CONTEXT_KEY, STACK_KEY, STORAGE_KEY
from aiogram_dialog.api.protocols import DialogRegistryProtocol
from aiogram_dialog.context.storage import StorageProxy
from aiogram_dialog.manager.manager import ManagerImpl
from aiogram_dialog.manager.manager_factory import DefaultManagerFactory

from bot.db.storage import SQLStorage, update_scope


class CommittingManager(ManagerImpl):
    async def show(self, show_mode: ShowMode | None = None) -> None:
        await self.commit_position()
        await super().show(show_mode)

    async def commit_position(self) -> None:
        """Store the dialog's context and stack and commit the update's transaction.

        With the state in the database both go in one commit with the answers. With the state in
        Redis the database commits first: a crash between the two leaves the position behind the
        answer, and as the new screen was never sent the person answers the question they still
        see — the same value lands in the same place."""
        scope = update_scope.get()
        proxy = self.middleware_data.get(STORAGE_KEY)
        if scope is None or not isinstance(proxy, StorageProxy):
            return
        in_transaction = isinstance(proxy.storage, SQLStorage)
        if not in_transaction:
            await scope.commit()
        await proxy.save_context(self.middleware_data.get(CONTEXT_KEY))
        await proxy.save_stack(self.middleware_data.get(STACK_KEY))
        if in_transaction:
            await scope.commit()


class CommittingManagerFactory(DefaultManagerFactory):
    def __call__(
        self,
        event: ChatEvent,
        data: dict,  # type: ignore[type-arg]
        registry: DialogRegistryProtocol,
        router: Router,
    ) -> DialogManager:
        return CommittingManager(
            event=event,
            data=data,
            message_manager=self.message_manager,
            media_id_storage=self.media_id_storage,
            registry=registry,
            router=router,
            getter=self.getter,
        )
