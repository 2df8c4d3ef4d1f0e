"""The ``leadbase`` command line: operator commands now, client commands later."""
