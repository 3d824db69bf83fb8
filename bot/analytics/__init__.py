"""Admin review engine (issue 4): statistics, exports, charts, repeat suspects, timelines.

Plain async functions over the models; nothing here knows Telegram. Handlers and the
``tipbot`` command line call them and send what they return.
"""
