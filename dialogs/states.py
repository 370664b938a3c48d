"""Every dialog state of the bot, in one place, so a newcomer sees the whole flow at a glance."""

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    role = State()
    done = State()


class ZonePicker(StatesGroup):
    pick = State()


class WorkHours(StatesGroup):
    days = State()
    hours = State()


class Settings(StatesGroup):
    menu = State()
    language = State()
