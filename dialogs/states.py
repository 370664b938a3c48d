"""Every dialog state of the bot, in one place, so a newcomer sees the whole flow at a glance."""

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    role = State()
    done = State()


class ZonePicker(StatesGroup):
    pick = State()
    confirm = State()


class WorkHours(StatesGroup):
    days = State()
    hours = State()


class Settings(StatesGroup):
    menu = State()
    language = State()


class NewProject(StatesGroup):
    brand = State()
    brand_confirm = State()
    niche = State()


class Projects(StatesGroup):
    list = State()
    card = State()
    archive_confirm = State()
    archived = State()


class Questionnaire(StatesGroup):
    question = State()
    confirm = State()
    summary = State()


class Goals(StatesGroup):
    list = State()
    text = State()
    metric = State()
    target = State()
    confirm_number = State()
    channel = State()
    deadline = State()
    calendar = State()
    baseline = State()
    pace = State()
    stock = State()
    relevance = State()
    reason = State()
    verdict = State()


class GoalRemoval(StatesGroup):
    pick = State()
    confirm = State()


class BriefComment(StatesGroup):
    text = State()


class Checkins(StatesGroup):
    value = State()
