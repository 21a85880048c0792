"""The demo zone's appointments data; idempotent, called by `onewindow seed`."""


def seed_demo_appointments() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    return 0
