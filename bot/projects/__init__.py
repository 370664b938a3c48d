"""Projects and who may work on them: creation, membership, answers and invite links.

These are services: they take an `AsyncSession` first, commit when a use case is complete, and
return models, enums and dataclasses. They never talk to Telegram and never produce prose; the
handlers render their results through the i18n catalogs.
"""
