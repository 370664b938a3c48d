"""What handlers and dialogs both show: presenters, callback data, keyboards.

The rule (import-linter contracts in pyproject.toml): ``handlers`` and ``dialogs`` may import
``ui``; ``ui`` imports ``bot`` and never ``handlers`` or ``dialogs`` (``dialogs.states`` is the
one exception: a button that opens a dialog needs its state); ``bot`` never imports ``ui``. The
modules of ``handlers`` never import each other, nor do those of ``dialogs`` (their shared
``dialogs.states`` and ``dialogs.widgets`` excepted) — anything two of them need lives here.
"""
