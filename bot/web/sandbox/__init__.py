"""`tipbot sandbox`: the real bot in a browser, against the built-in Bot API emulator."""
