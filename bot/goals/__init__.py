"""SMART goal extraction: free-form goal text in, a structured draft out (docs/goal-spec.md)."""

from bot.goals.dates import local_today, resolve_deadline
from bot.goals.extraction import GoalDraft, extract_goal

__all__ = ["GoalDraft", "extract_goal", "local_today", "resolve_deadline"]
