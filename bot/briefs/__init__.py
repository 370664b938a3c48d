"""Briefs: the agreed document, its versions, their hashes and who signed which one.

Modules here take and return plain values; rendering to chat or files lives in its own module.
"""
