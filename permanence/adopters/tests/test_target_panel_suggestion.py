"""The target panel date suggested at the start of an assessment follows the timescales in force."""

from datetime import date

from permanence.adopters.tests.conftest import make_household

D = date


def test_the_suggested_target_panel_date_follows_the_timescales_in_force(region):
    from permanence.adopters import services
    from permanence.timescales import services as timescale_services

    household = make_household(region.raa, "Suggested", roi=D(2025, 1, 6))
    # No panels: the statutory end itself. Stage 1 (2 months) then stage 2 (4 months) from 13/01/2025.
    assert services.suggested_target_panel_date(household, D(2025, 1, 13)) == D(2025, 7, 13)
    timescale_services.set_timescale(actor=None, key="household_stage_2", amount=5, unit="months",
                                     valid_from=D(2025, 1, 1), source="A longer local stage 2, for the test")
    assert services.suggested_target_panel_date(household, D(2025, 1, 13)) == D(2025, 8, 13)
    fast = make_household(region.raa, "Fasttrack", roi=D(2025, 1, 6), fast_track=True)
    assert services.suggested_target_panel_date(fast, D(2025, 1, 13)) == D(2025, 6, 13)  # stage 2 alone
