import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.bidding.models import Tender
from onewindow.bidding.ocds import release_package
from onewindow.bidding.scorefile import ScoreFileError, rank_document


class Command(BaseCommand):
    help = ("Bid evaluation tools. `bidding score FILE.json` prints the ranking as JSON "
            "(format: docs/bidding-score-format.md); `bidding ocds NUMBER` prints the tender's "
            "OCDS release package.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        score = sub.add_parser("score", help="rank the bids of a tender described in FILE.json")
        score.add_argument("file", help="the input document; - for standard input")
        ocds = sub.add_parser("ocds", help="print a tender's OCDS release package")
        ocds.add_argument("number", help="the tender's number (项目编号)")

    def handle(self, *args, action, **options):
        if action == "score":
            return self.score(options["file"])
        return self.ocds(options["number"])

    def score(self, path: str) -> None:
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            result = rank_document(text)
        except ScoreFileError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def ocds(self, number: str) -> None:
        tender = Tender.objects.filter(number=number).first()
        if tender is None:
            raise CommandError(f"no tender numbered {number}")
        self.stdout.write(json.dumps(release_package(tender), ensure_ascii=False, indent=2))
