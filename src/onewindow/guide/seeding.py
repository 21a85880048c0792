"""The demo zone's guide data; idempotent, called by `onewindow seed`."""


def seed_demo_guide() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    return 0
