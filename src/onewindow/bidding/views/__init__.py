"""The bidding pages: setup and report (views/setup.py, views/report.py), the live session
(views/session.py)."""
