"""The WhatsApp channel (Cloud API): residents report here too, on the same engine.

``client`` talks to the Graph API through pywa; ``inbound`` turns a webhook body into
events; ``render`` shapes the engine's replies to WhatsApp's limits; ``resident`` is the
resident's conversation; ``sender`` sends (with the 24-hour window in ``window``).
"""
