"""Message catalogues (Project Fluent ``.ftl``), one folder per language, same keys in each."""

from pathlib import Path

LOCALES_DIR = Path(__file__).parent
LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
