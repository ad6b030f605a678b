"""The campaign bot: configuration, wiring and entry point (``python -m bot``)."""
