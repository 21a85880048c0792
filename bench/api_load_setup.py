"""Prepare the database for bench/api_load.sh: migrate, one submitted case, an API token.

Prints `CASE_ID TOKEN` for the shell script. Runs against DATABASE_URL / ONEWINDOW_VAR_DIR as
set by the caller.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from benchenv import setup_django  # noqa: E402


def main() -> None:
    setup_django(os.environ["ONEWINDOW_VAR_DIR"], os.environ.get("DATABASE_URL"))
    import lifecycle
    from onewindow.accounts.services import api_token_create
    from onewindow.cases import services

    item, enterprise, users = lifecycle.make_zone()
    case = services.case_create_draft(actor=users["applicant"], item=item, enterprise=enterprise)
    lifecycle.attach_materials(case, item, users["applicant"])
    services.case_submit(actor=users["applicant"], case_id=case.pk)
    services.case_accept(actor=users["clerk"], case_id=case.pk)
    _token, key = api_token_create(actor=None, owner=users["applicant"], name="bench")
    print(case.pk, key)


if __name__ == "__main__":
    main()
