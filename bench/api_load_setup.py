"""Prepare the database for bench/api_load.sh: migrate, one submitted case, an API token.

Prints `CASE_ID TOKEN` for the shell script. Runs against DATABASE_URL / ONEWINDOW_VAR_DIR as
set by the caller.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from benchenv import setup_django  # noqa: E402


def accepted_case_with_token() -> tuple[int, str]:
    """One accepted case of the lifecycle bench's zone, and an API token of its applicant:
    (case id, token key). Needs Django set up."""
    import lifecycle
    from onewindow.accounts.services import api_token_create
    from onewindow.cases import services

    item, enterprise, users = lifecycle.make_zone()
    case = services.case_create_draft(actor=users["applicant"], item=item, enterprise=enterprise)
    lifecycle.attach_materials(case, item, users["applicant"])
    services.case_submit(actor=users["applicant"], case_id=case.pk)
    services.case_accept(actor=users["clerk"], case_id=case.pk)
    _token, key = api_token_create(actor=None, owner=users["applicant"], name="bench")
    return case.pk, key


def main() -> None:
    setup_django(os.environ["ONEWINDOW_VAR_DIR"], os.environ.get("DATABASE_URL"))
    print(*accepted_case_with_token())


if __name__ == "__main__":
    main()
