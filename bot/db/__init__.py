"""Persistence: engine, models, the per-update session middleware and the FSM storage."""
