"""The `permanence` command line.

Every Django management command is available (`permanence migrate`, `permanence runserver`),
alongside Permanence's own: `permanence org load FILE`, `permanence demo`,
`permanence generate --scale national`. DATABASE_URL selects the database for all of them.
"""

import os
import sys

# Commands whose names read better with a hyphen (Django names commands after their module).
ALIASES = {
    "import-903": "import_903",
    "export-903": "export_903",
    "api-token": "api_token",
    "refresh-snapshots": "refresh_snapshots",
    "national-figures": "national_figures",
    "family-finding": "family_finding",
    "check-restore": "check_restore",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permanence.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "permanence"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)
