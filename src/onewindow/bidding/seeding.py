"""The demo zone's bidding data; idempotent, called by `onewindow seed`."""


def seed_demo_bidding() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    return 0
