"""Projects and who may work on them: creation, membership, answers and invite links.

These are services: they take an `AsyncSession` first, never commit (see `bot.db.middleware`), and
return models, enums and dataclasses. They never talk to Telegram and never produce prose; the
handlers render their results through the i18n catalogs.
"""

from bot.projects.access import AccessDenied, load_project_for, role_in
from bot.projects.answers import answer_meta, clear_answers, load_answers, save_answer
from bot.projects.invites import (
    DEFAULT_TTL,
    JOINED,
    InviteOutcome,
    InviteStatus,
    IssuedInvite,
    accept_invite,
    close_invites,
    invite_client,
    invite_link,
    issue_invite,
    revoke_invites,
)
from bot.projects.projects import (
    BRAND_MAX_LENGTH,
    NICHE_MAX_LENGTH,
    ProjectInputCode,
    ProjectInputError,
    ProjectMembership,
    create_project,
    list_projects,
)

__all__ = [
    "BRAND_MAX_LENGTH",
    "DEFAULT_TTL",
    "JOINED",
    "NICHE_MAX_LENGTH",
    "AccessDenied",
    "InviteOutcome",
    "InviteStatus",
    "IssuedInvite",
    "ProjectInputCode",
    "ProjectInputError",
    "ProjectMembership",
    "accept_invite",
    "answer_meta",
    "clear_answers",
    "close_invites",
    "create_project",
    "invite_client",
    "invite_link",
    "issue_invite",
    "list_projects",
    "load_answers",
    "load_project_for",
    "revoke_invites",
    "role_in",
    "save_answer",
]
