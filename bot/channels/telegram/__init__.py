"""Telegram: the Bot API client, flood limits, update processing, command menus and file relays."""
