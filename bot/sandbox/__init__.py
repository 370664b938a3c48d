"""The local sandbox: the real bot against a built-in Bot API server, with a web chat for both roles.

``python -m bot.sandbox`` (``make demo``) needs no token and no network: :mod:`.botapi` stands in
for api.telegram.org on a loopback address, :mod:`.web` shows the specialist's and the client's
chats in a browser, and the bot's clock can be moved forward (:mod:`bot.clock`) to see reminders.
"""
