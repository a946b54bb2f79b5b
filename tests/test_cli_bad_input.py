"""Every `permanence` command that takes a year, a date or a number prints one clear line and exits non-zero on a
bad one (CommandError), never a traceback. call_command raises CommandError for argparse's refusals too."""

import pytest
from django.core.management import CommandError, call_command

BAD_YEARS = ["-1", "0", "99999", "abc", "99999999999999999999"]
BAD_DATES = ["0000-00-00", "99999-01-01", "2025-13-45", "abc", "-1"]


def _cases():
    for y in BAD_YEARS:
        yield ("export_903", "--la", "901", "--year", y, "--out", "{tmp}")
        yield ("import_903", "{tmp}", "--la", "901", "--year", y, "--dry-run")
        yield ("report", "scorecard", "--la", "901", "--year-ending", y)
        yield ("report", "scorecard", "--la", "901", "--year-ending", "2025", "--years", y)
        yield ("report", "quarterly", "--la", "901", "--quarter", f"{y}Q1")
        yield ("report", "members", "--la", "901", "--half-year", f"{y}H1")
        yield ("api_token", "family_finder.NR", "--days", y)
        yield ("timescale", "set", "placement_order_to_match", "--amount", y, "--unit", "days", "--from",
               "2025-01-01", "--source", "test")
    for d in BAD_DATES:
        yield ("report", "prospective", "--la", "901", "--po-from", d, "--po-to", "2025-03-31", "--as-of",
               "2025-06-30")
        yield ("timescale", "set", "placement_order_to_match", "--amount", "10", "--unit", "days", "--from", d,
               "--source", "test")
        yield ("family_finding", "child", "C00001", "--on", d)


CASES = list(_cases())


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(a) for a in CASES])
def test_bad_values_give_one_clear_line(region, tmp_path, argv):
    region.child(region.la)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    with pytest.raises(CommandError) as err:
        call_command(*argv)
    message = str(err.value)
    assert message and "\n" not in message.strip() and "Traceback" not in message
