test:
    .venv/bin/python -m pytest

lint:
    .venv/bin/ruff check src tests benchmarks
    .venv/bin/ruff format --check src tests benchmarks

bench:
    .venv/bin/python benchmarks/ingest.py --workers 2

docs:
    .venv/bin/cog -r docs/cli.md
