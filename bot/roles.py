"""The two sides of a project: the specialist who runs it and the client it is for.

One enum for the questionnaire (whose question is it), the sign-off rule (who has approved),
reminder planning (whom to nudge) and the database (a membership's role). Plain values only:
this module imports nothing, so every layer may use it.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SPECIALIST = "specialist"
    CLIENT = "client"
