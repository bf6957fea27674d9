"""Web UI and JSON API over the same store the CLI writes (FastAPI)."""
