"""The demo zone's complaints data; idempotent, called by `onewindow seed`."""


def seed_demo_complaints() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    return 0
