"""The onboarding questionnaire: the question catalogue (data), answer parsing, and the pure flow.

Nothing in this package talks to Telegram or the database, and nothing here produces prose for a
person: wording comes from `questions.toml`, messages from the i18n catalogs, keyed by the enums
and values these modules return.
"""
