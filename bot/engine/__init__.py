"""The engine: the report form, its vocabulary and what people type. No channel, no database."""
