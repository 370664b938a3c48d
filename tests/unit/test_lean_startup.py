"""What the bot process loads at start-up, and what it leaves for later.

Each check runs in a fresh interpreter: whatever this test session has imported already would hide
an import the bot makes. `bench/memory.py` and `bench/startup.py` measure what these keep away
(PDF, charts, calendars, Redis and alembic are tens of megabytes and most of a second of start-up).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> dict[str, object]:
    """Runs ``code`` in a new interpreter from the project root; it prints one JSON object."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_building_the_app_imports_no_pdf_chart_calendar_redis_or_alembic() -> None:
    result = run_python(
        """
        import json, sys
        from bot.app import build_app
        from bot.config import Settings
        build_app(Settings(bot_token="123456789:" + "A" * 35, database_url="sqlite+aiosqlite://"))
        idle = ("weasyprint", "matplotlib", "numpy", "icalendar", "redis", "alembic")
        print(json.dumps({"loaded": [name for name in idle if name in sys.modules]}))
        """
    )
    assert result == {"loaded": []}


def test_aiogram_types_are_built_when_first_used_not_at_import() -> None:
    """From a shallow stack on purpose: pydantic's own deferred build looks for names five frames
    up, which `bot.lean_aiogram` must not depend on."""
    result = run_python(
        """
        import json
        import bot
        from aiogram import types
        from aiogram.methods import SendMessage
        built_at_import = types.Sticker.__pydantic_complete__ or types.Message.__pydantic_complete__
        update = types.Update.model_validate({
            "update_id": 7,
            "callback_query": {
                "id": "1", "chat_instance": "9", "data": "next",
                "from": {"id": 5, "is_bot": False, "first_name": "Аня"},
                "message": {"message_id": 3, "date": 1, "chat": {"id": 5, "type": "private"},
                            "text": "Шаг 1 из 11"},
            },
        })
        keyboard = types.InlineKeyboardMarkup(
            inline_keyboard=[[types.InlineKeyboardButton(text="Дальше", callback_data="next")]]
        )
        call = SendMessage(chat_id=5, text="Готово", reply_markup=keyboard)
        print(json.dumps({
            "built_at_import": built_at_import,
            "pressed": update.callback_query.data,
            "text": update.callback_query.message.text,
            "markup": call.model_dump(exclude_none=True)["reply_markup"],
            "sticker_built_unused": types.Sticker.__pydantic_complete__,
        }))
        """
    )
    assert result == {
        "built_at_import": False,
        "pressed": "next",
        "text": "Шаг 1 из 11",
        "markup": {"inline_keyboard": [[{"text": "Дальше", "callback_data": "next"}]]},
        "sticker_built_unused": False,
    }


def test_the_response_models_are_built_before_the_first_update() -> None:
    result = run_python(
        """
        import json
        import bot
        from bot.telegram_types import pin_response_models
        print(json.dumps({"complete": all(m.__pydantic_complete__ for m in pin_response_models())}))
        """
    )
    assert result == {"complete": True}


def test_aiogram_imported_first_is_left_as_it_is() -> None:
    """Nothing to defer then: aiogram has built every type; `defer_aiogram_types` says so."""
    result = run_python(
        """
        import json
        import aiogram
        from bot.lean_aiogram import defer_aiogram_types
        from aiogram import types
        print(json.dumps({"deferred": defer_aiogram_types(),
                          "built": types.Sticker.__pydantic_complete__}))
        """
    )
    assert result == {"deferred": False, "built": True}


def test_drawing_a_chart_imports_matplotlib_where_it_is_used() -> None:
    result = run_python(
        """
        import json, sys
        from datetime import date
        from bot.reminders.chart import ChartLabels, progress_chart
        from bot.reminders.goal_line import Line
        before = "matplotlib" in sys.modules
        line = Line(start=date(2026, 1, 1), baseline=0, deadline=date(2026, 3, 1), target=100)
        png = progress_chart(line, [(date(2026, 1, 15), 20.0)], ChartLabels("t", "v", "l"))
        print(json.dumps({"before": before, "png": png.startswith(b"\\x89PNG")}))
        """
    )
    assert result == {"before": False, "png": True}
