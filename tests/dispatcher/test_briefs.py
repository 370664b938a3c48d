"""Sign-off through the real dispatcher: sending, both approvals, a new version after an edit,
refused presses (old, twice, someone else's), what is missing, the PDF, comments and escaping."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage
from aiogram.types import BufferedInputFile, Message
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Approval, BriefVersion, Goal, Project, Reminder, ReminderStatus
from bot.goals.check import Draft
from bot.projects import create_project, save_answer
from bot.projects.goals import add_goal, delete_goal, list_goals
from bot.reminders.rules import ReminderKind
from handlers.briefs import pdf_filename
from testkit import brief_sample as sample
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.scenes import stored_user

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1002, name="Борис", language="ru")


@pytest.fixture
def eve(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 1003, name="Ева", language="ru")


def _draft(text: str, target: float) -> Draft:
    return Draft(text, "units_sold", target, "units", "vk", date(2026, 9, 30), 0, False)


async def _project(
    factory: Factory,
    anna: ChatUser,
    boris: ChatUser | None,
    *,
    brand: str = "Зерно",
    complete: bool = True,
) -> int:
    """Anna's project with Boris as the client; complete: every answer and one goal."""
    await anna.send("/help")  # first contact creates the user row
    if boris is not None:
        await boris.send("/help")
    async with factory() as session:
        specialist = await stored_user(session, anna)
        project = await create_project(
            session, specialist, brand=brand, niche="кофе", now=datetime.now(UTC)
        )
        if boris is not None:
            project.client_id = (await stored_user(session, boris)).id
            await session.commit()
        now = datetime.now(UTC)
        answers = sample.answers(1) if complete else {"channels": ["vk"]}
        for key, value in answers.items():
            await save_answer(session, project, specialist, key, value, now)
        await session.commit()
        if complete:
            await add_goal(
                session,
                project_id=project.id,
                owner=specialist,
                draft=_draft("Продать 40 курток", 40),
                verdict="realistic",
                relevance_reason=None,
                now=datetime.now(UTC),
            )
            await session.commit()
        return project.id


def _texts(person: ChatUser) -> list[str]:
    return [message.text or "" for message in person.messages]


def _alerts(person: ChatUser) -> list[str]:
    """Every callback answer with text, in order: the recording session is shared by everyone."""
    return [call.text or "" for call in person.session.sent(AnswerCallbackQuery) if call.text]


def _with_button(person: ChatUser, pattern: str) -> list[Message]:
    return [m for m in person.messages if any(re.search(pattern, b) for b in person.buttons(m))]


async def _count(factory: Factory, model: type[Approval] | type[BriefVersion]) -> int:
    async with factory() as session:
        return await session.scalar(select(func.count(model.id))) or 0


async def _send(anna: ChatUser) -> None:
    await anna.send("/brief")
    await anna.click("Отправить на согласование")


async def test_sent_to_both_then_both_approve_and_both_are_told_it_is_signed(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await anna.send("/brief")
    assert "ещё не отправлен" in anna.last.text  # type: ignore[operator]

    await anna.click("Отправить на согласование")

    for person in (anna, boris):
        text = "\n".join(_texts(person))
        assert "Версия 1" in text and "Продать 40 курток" in text
        assert person.buttons()[:2] == ["✅ Утвердить", "💬 Обсудить"]
    assert "отправитель — Анна" in "\n".join(_texts(boris))
    await boris.click("Утвердить")
    assert "Вы утвердили версию 1" in boris.last.text  # type: ignore[operator]
    assert "Борис: версия 1 брифа «Зерно» утверждена" in anna.last.text  # type: ignore[operator]
    await anna.click("Утвердить")
    for person in (anna, boris):
        assert "подписан обеими сторонами: версия 1" in person.last.text  # type: ignore[operator]
    await boris.send("/brief")
    status = boris.last.text or ""
    assert "Подписан обеими сторонами" in status and "Заказчик — Борис: утверждено" in status
    assert "Утвердить" not in " ".join(boris.buttons())


async def test_a_goal_edit_makes_a_new_version_whose_diff_reaches_the_client(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    await _send(anna)
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    [v1_message] = _with_button(boris, "Утвердить")
    async with session_factory() as session:
        specialist = await stored_user(session, anna)
        [goal] = await list_goals(session, project_id=project_id, owner=specialist)
        await delete_goal(session, goal, datetime.now(UTC))
        await session.commit()
        await add_goal(
            session,
            project_id=project_id,
            owner=specialist,
            draft=_draft("Продать 60 курток", 60),
            verdict=None,
            relevance_reason=None,
            now=datetime.now(UTC),
        )
        await session.commit()

    await anna.send("/brief")
    assert "После версии 1 бриф изменился" in anna.last.text  # type: ignore[operator]
    await anna.click("Отправить на согласование")

    update = "\n".join(_texts(boris)[-2:])
    assert "обновлён: версия 2" in update and "Что изменилось" in update
    assert "Продать 60 курток" in update and "Продать 40 курток" in update  # added and removed
    await anna.click("Утвердить")
    assert "Ждём решения: Борис" in anna.last.text  # type: ignore[operator]
    await boris.click("Утвердить", message=v1_message)  # the old version's button
    assert "Это версия 1, а действует версия 2" in _alerts(boris)[-1]
    assert not any("версия 2, код" in text for text in _texts(boris))
    await boris.click("Утвердить")
    for person in (anna, boris):
        assert "подписан обеими сторонами: версия 2" in person.last.text  # type: ignore[operator]
    await anna.send("/brief")
    assert "v1 · " in anna.last.text and "v2 · " in anna.last.text  # type: ignore[operator]
    assert "📖 v1" in anna.buttons()


async def test_approving_twice_or_someone_elses_brief_changes_nothing(
    anna: ChatUser, boris: ChatUser, eve: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await _project(session_factory, eve, None, brand="Чужой")
    await _send(anna)
    await boris.click("Утвердить")
    await boris.click("Утвердить")
    assert "Вы уже утвердили версию 1" in _alerts(boris)[-1]

    [brief] = _with_button(boris, "Утвердить")
    await eve.click("Утвердить", message=brief)
    await eve.click("Обсудить", message=brief)

    assert "не из вашего проекта" in _alerts(eve)[-1]
    assert "не из вашего проекта" in _alerts(eve)[-2]
    assert await _count(session_factory, Approval) == 1
    assert not any("подписан" in text for text in _texts(anna))


async def test_missing_answers_goals_and_client_are_listed_with_buttons(
    anna: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, None, complete=False)
    await _send(anna)

    text = anna.last.text or ""
    assert "нельзя отправить бриф" in text
    assert "ВКонтакте · Аудитория сейчас" in text  # a per-channel question, named by its channel
    assert "Ни одной SMART-цели" in text and "Заказчик ещё не присоединился" in text
    assert anna.buttons() == [
        "📝 Ответить на вопросы",
        "🎯 Добавить цель",
        "🔗 Пригласить заказчика",
    ]
    assert await _count(session_factory, BriefVersion) == 0
    await anna.click("Добавить цель")
    assert "Цели проекта «Зерно»" in anna.last.text  # type: ignore[operator]


async def test_the_pdf_is_a_document_named_after_the_brand(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris, brand="Кофе / «Зерно» <b>")
    await _send(anna)

    await boris.click("PDF")

    [sent] = boris.session.sent(SendDocument)
    assert sent.chat_id == boris.user.id
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.data.startswith(b"%PDF")
    assert sent.document.filename == "brief-Кофе-Зерно-b-v1.pdf"
    assert "Кофе / «Зерно» &lt;b&gt;" in (sent.caption or "")


async def test_user_markup_in_the_brand_is_shown_as_text(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris, brand="<b>Зерно</b> & <script>x</script>")
    await _send(anna)

    raw = [call.text for call in boris.session.sent(SendMessage) if call.chat_id == boris.user.id]
    joined = "\n".join(raw)
    assert "&lt;b&gt;Зерно&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in joined
    assert "<script>" not in joined and "<b>Зерно</b>" not in joined


async def test_a_request_for_changes_reaches_the_other_side_escaped(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await _send(anna)

    await boris.click("Обсудить")
    assert "Что поменять в брифе «Зерно» (версия 1)" in boris.last.text  # type: ignore[operator]
    await boris.send("Срок <i>позже</i> & мягче")

    raw = boris.session.sent(SendMessage)[-1]  # after the reply: notices go after the commit
    assert raw.chat_id == anna.user.id
    assert "Борис просит изменить бриф «Зерно»" in raw.text
    assert "Срок &lt;i&gt;позже&lt;/i&gt; &amp; мягче" in raw.text and "/brief" in raw.text
    assert "Анна уже может его прочитать" in boris.last.text  # type: ignore[operator]
    await boris.click("Утвердить")  # a comment signs nothing away
    assert "Вы утвердили версию 1" in boris.last.text  # type: ignore[operator]


async def test_the_project_card_shows_the_same_brief_status(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris, brand="Первый")
    await _project(session_factory, anna, None, brand="Второй", complete=False)
    await anna.send("/projects")
    await anna.click("Первый")
    await anna.click("Бриф")
    assert "Бриф «Первый»" in anna.last.text  # type: ignore[operator]
    await anna.click("Отправить на согласование")
    assert "Бриф «Первый» пришёл на согласование" in "\n".join(_texts(boris))
    async with session_factory() as session:
        project = await session.scalar(select(Project).where(Project.brand == "Первый"))
        assert project is not None and project.status == "signoff"


@pytest.mark.parametrize(
    ("brand", "expected"),
    [
        ("Кофейня «Зерно»", "brief-Кофейня-Зерно-v3.pdf"),
        ("../../etc/passwd", "brief-etc-passwd-v3.pdf"),
        ("<script>\"'</script>", "brief-script-script-v3.pdf"),
        ("«»!!!", "brief-project-v3.pdf"),
        ("a" * 100, f"brief-{'a' * 40}-v3.pdf"),
    ],
)
def test_pdf_filenames_keep_only_letters_and_digits(brand: str, expected: str) -> None:
    assert pdf_filename(brand, 3) == expected


async def test_approving_a_version_edited_since_asks_for_the_new_one(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    await _send(anna)
    async with session_factory() as session:
        project = await session.get(Project, project_id)
        assert project is not None
        client = await stored_user(session, boris)
        await save_answer(session, project, client, "tone", "Строго", datetime.now(UTC))
        await session.commit()

    await boris.click("Утвердить")
    await anna.click("Утвердить")

    to_boris, to_anna = _alerts(anna)[-2:]
    assert "бриф изменился" in to_boris and "отправит специалист" in to_boris
    assert "Отправьте новую версию" in to_anna
    assert await _count(session_factory, Approval) == 0


async def test_brief_without_a_project_points_to_new(anna: ChatUser) -> None:
    await anna.send("/brief")
    assert "/new" in (anna.last.text or "")


async def test_sending_and_signing_plan_reminders_without_a_restart(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    async with session_factory() as session:
        goal = await session.scalar(select(Goal))
        assert goal is not None
        goal.deadline = datetime.now(UTC).date() + timedelta(days=60)  # sample goals are past
        await session.commit()
    await _send(anna)
    async with session_factory() as session:
        kinds = {r.kind for r in await session.scalars(select(Reminder))}
    assert ReminderKind.SIGNOFF_PENDING in kinds
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    async with session_factory() as session:
        planned = list(await session.scalars(select(Reminder).where(Reminder.status == "planned")))
    kinds = {r.kind for r in planned}
    assert {ReminderKind.GOAL_DUE_7D, ReminderKind.CHECKIN} <= kinds
    assert ReminderKind.SIGNOFF_PENDING not in kinds  # signed: nobody is nudged any more


async def test_the_signed_pdf_carries_both_signatures_and_the_hash(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await _send(anna)
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    async with session_factory() as session:
        version = await session.scalar(select(BriefVersion))
        assert version is not None
        digest = version.content_hash

    await boris.click("PDF")

    [sent] = boris.session.sent(SendDocument)
    assert isinstance(sent.document, BufferedInputFile)
    reader = PdfReader(io.BytesIO(sent.document.data))
    text = " ".join(
        "\n".join(page.extract_text() for page in reader.pages).replace("\u2010\n", "").split()
    )
    assert "SMM-специалист Анна: утверждено" in text
    assert "Заказчик Борис: утверждено" in text
    assert "Версия подписана обеими сторонами" in text
    assert digest in text

    # The full text in chat carries the same trail, and nothing is left to approve there.
    await boris.send("/brief")
    await boris.click("Полный текст")
    assert "Анна: утверждено" in (boris.last.text or "") and digest in (boris.last.text or "")
    assert "✅ Утвердить" not in boris.buttons()


async def test_the_specialist_previews_the_brief_and_its_pdf_before_sending(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await anna.send("/brief")
    assert "👁 Предпросмотр" in anna.buttons()
    boris_before = len(boris.messages)

    await anna.click("Предпросмотр")

    shown = "\n".join(_texts(anna)[-3:])
    assert "Предпросмотр" in shown and "версия 1" in shown
    assert "Продать 40 курток" in shown and "Участники и контакты" in shown
    assert "📤 Отправить на согласование" in anna.buttons()
    assert len(boris.messages) == boris_before  # the client sees nothing yet
    assert await _count(session_factory, BriefVersion) == 0

    await anna.click("PDF черновика")
    [sent] = anna.session.sent(SendDocument)
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == "brief-Зерно-v1-draft.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(sent.document.data)).pages)
    assert "Черновик для проверки" in " ".join(text.split())
    assert await _count(session_factory, BriefVersion) == 0

    await anna.click("Отправить на согласование")
    assert await _count(session_factory, BriefVersion) == 1
    assert any("Версия 1" in text for text in _texts(boris))


async def test_the_client_gets_no_preview_button(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris)
    await boris.send("/brief")
    assert "👁 Предпросмотр" not in boris.buttons()


async def _planned_goal_ids(factory: Factory) -> set[int]:
    async with factory() as session:
        rows = await session.scalars(
            select(Reminder.goal_id).where(
                Reminder.goal_id.is_not(None), Reminder.status == ReminderStatus.PLANNED
            )
        )
        return {goal_id for goal_id in rows if goal_id is not None}


async def test_a_signed_goal_is_removed_only_after_confirming_and_the_client_is_told(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    project_id = await _project(session_factory, anna, boris)
    async with session_factory() as session:
        specialist = await stored_user(session, anna)
        second = await add_goal(
            session,
            project_id=project_id,
            owner=specialist,
            draft=replace(
                _draft("Продать 60 курток", 60), deadline=date.today() + timedelta(days=60)
            ),
            verdict="realistic",
            relevance_reason=None,
            now=datetime.now(UTC),
        )
        await session.commit()
        second_id = second.id
    await _send(anna)
    await boris.click("Утвердить")
    await anna.click("Утвердить")
    assert second_id in await _planned_goal_ids(session_factory)

    # The client reads the goals but cannot change them: no add or remove, a pointer to /brief.
    await boris.send("/goals")
    assert not any("Удалить" in b or "Новая цель" in b for b in boris.buttons())
    assert "«💬 Обсудить»" in (boris.last.text or "")

    await anna.send("/goals")
    await anna.click("Удалить цель")
    await anna.click("Продать 60 курток")
    assert "подписанной версии 1" in (anna.last.text or "")
    async with session_factory() as session:
        assert len(await list_goals(session, project_id=project_id, owner=specialist)) == 2

    told_before = len(boris.messages)
    await anna.click("Да, удалить")

    async with session_factory() as session:
        left = await list_goals(session, project_id=project_id, owner=specialist)
    assert [goal.text for goal in left] == ["Продать 40 курток"]
    notices = _texts(boris)[told_before:]
    assert any("удалена цель «Продать 60 курток»" in text for text in notices)
    assert any("после версии 1" in text for text in notices)
    assert second_id not in await _planned_goal_ids(session_factory)  # its reminders are gone
    await anna.send("/brief")
    assert "После версии 1 бриф изменился" in (anna.last.text or "")


async def test_goals_asks_which_project_when_there_are_several(
    anna: ChatUser, boris: ChatUser, session_factory: Factory
) -> None:
    await _project(session_factory, anna, boris, brand="Первый")
    await _project(session_factory, anna, None, brand="Второй", complete=False)
    await anna.send("/goals")
    assert "Цели какого проекта открыть?" in (anna.last.text or "")
    assert anna.buttons() == ["Второй", "Первый"]  # newest first
    await anna.click("Первый")
    assert "Цели проекта «Первый»" in (anna.last.text or "")
    assert "0 → 40 шт." in (anna.last.text or "")

    await boris.send("/goals")  # one project: straight in
    assert "Цели проекта «Первый»" in (boris.last.text or "")
