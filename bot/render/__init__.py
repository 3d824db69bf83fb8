"""Renderers: domain values in, Telegram text and keyboards out. Pure, no I/O."""
