"""What the tests share, imported from here and never from a test module or a conftest:

- ``fixtures``: the pytest plugin (registered in ``tests/conftest.py``) with the databases,
  the Bot API emulator and the running bot;
- ``harness``: the bot against the emulator, and a Telegram ``Person``;
- ``form``: a resident walking the report form to any step;
- ``officers``: officers, filed reports, delivery and the sweep on demand;
- ``privacy``, ``planted_files``: what must never be found at rest, crafted files;
- ``whatsapp``: a WhatsApp resident on the Graph API stand-in;
- ``service``, ``processes``: ``tipbot run`` in the test's loop or as real processes;
- ``sandbox``: the sandbox page's API; ``register``, ``analytics``: data builders.
"""
