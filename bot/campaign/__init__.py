"""The campaign's rules and steps as plain functions over ``storage/``: no Telegram objects."""
