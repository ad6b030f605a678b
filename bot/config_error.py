"""The one error a bad configuration raises: it names the key and the problem in one line."""


class ConfigError(Exception):
    """A setting or campaign-file key is missing or wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem
