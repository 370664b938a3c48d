"""Reminders and check-ins: when to nudge whom, and how a goal is doing.

The pure parts (delivery windows, planning, pace) live here beside the code that stores and sends
reminders; the pure parts never touch the database, Telegram or the wall clock.
"""
