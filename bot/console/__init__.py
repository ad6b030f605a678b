"""The leaders' console: a Telegram Mini App served by the bot process (aiohttp)."""
