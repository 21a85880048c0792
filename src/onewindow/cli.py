"""The `onewindow` command: Django's management commands under the project's own name.

`onewindow workdays add 2026-01-05 20`, `onewindow audit verify`, `onewindow demo`,
`onewindow seed`, `onewindow migrate`, …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["onewindow", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"onewindow: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
