"""The bot's own HTTP server: health, metrics and the Telegram webhook (Starlette on
uvicorn). Other pages add their routes through ``WebServer.routes``."""
