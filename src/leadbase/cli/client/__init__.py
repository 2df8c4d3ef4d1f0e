"""The client commands: ``enrich``, ``search``, ``account``. They talk to a Leadbase server
through the SDK only (``pip install leadbase`` is enough), never to the server's code."""
