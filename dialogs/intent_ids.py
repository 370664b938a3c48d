"""Dialog ids that do not collide.

aiogram-dialog names each opened dialog (intent) by the current second plus one of only 100
random numbers, so two dialogs opened by one person within a second share an id one time in a
hundred — and every handler that opens a card and a questionnaire on top of it does exactly that.
The second then overwrites the first's saved context and the person's screen stops answering.
Ids here are 48 random bits (eight or nine characters in aiogram-dialog's alphabet, well inside
Telegram's 64-byte callback data).
"""

from __future__ import annotations

import secrets

from aiogram_dialog.api.entities import stack

ID_BITS = 48


def random_int_id() -> int:
    return secrets.randbits(ID_BITS)


def use_unique_intent_ids() -> None:
    """Every id aiogram-dialog makes from now on (`stack.new_id` calls `new_int_id`) is random."""
    stack.new_int_id = random_int_id
