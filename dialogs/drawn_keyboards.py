"""What each dialog's screen last offered, as drawn in this process.

A press on a dialog is acted on only if its button is one the screen offers (`dialogs.widgets.Screen`).
Drawing the keyboard again to find out runs the window's getter and renders every button — a
tenth of what a press costs — while the screen was drawn moments ago, in this process, when it
was shown. So each drawing is remembered here (per dialog context and window), and a press is
checked against it. After a restart, or when another replica drew the screen, there is nothing to
look up and the keyboard is drawn again, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from aiogram.types import InlineKeyboardButton, KeyboardButton

#: The middleware data key the app puts the one instance under.
KEY = "drawn_keyboards"
#: Screens remembered: one live screen a person, so a couple of thousand people active at once.
REMEMBERED = 2048

Screen = tuple[str, str]  # dialog context id, window state


class DrawnKeyboards:
    def __init__(self, remembered: int = REMEMBERED) -> None:
        self._remembered = remembered
        self._drawn: OrderedDict[Screen, frozenset[str]] = OrderedDict()

    def remember(
        self, screen: Screen, rows: Iterable[Iterable[InlineKeyboardButton | KeyboardButton]]
    ) -> None:
        """The callback data of the buttons just drawn for ``screen`` (before aiogram-dialog
        puts the context's id in front of each)."""
        self._drawn[screen] = frozenset(
            button.callback_data
            for row in rows
            for button in row
            if isinstance(button, InlineKeyboardButton) and button.callback_data is not None
        )
        self._drawn.move_to_end(screen)
        while len(self._drawn) > self._remembered:
            self._drawn.popitem(last=False)

    def offered(self, screen: Screen) -> frozenset[str] | None:
        """The data the screen offered when last drawn here; None when it was not drawn here."""
        return self._drawn.get(screen)
