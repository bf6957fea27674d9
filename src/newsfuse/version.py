"""The package's version (pyproject.toml's; a test keeps them equal)."""

__version__ = "0.1.0"
