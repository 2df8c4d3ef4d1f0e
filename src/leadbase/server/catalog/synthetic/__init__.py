"""The parts of the synthetic catalog generator; ``leadbase.server.catalog.generate`` is its API."""
