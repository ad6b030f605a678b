"""Practice mode: the real bot against a Bot API stand-in on this computer, used in a browser."""
