"""The benchmark: `python -m bench` (see bench/__main__.py). Speed targets live here, never in tests."""
