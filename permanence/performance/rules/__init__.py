"""Measures, as pure Python: definitions, periods, thresholds, suppression, rounding and cost arithmetic.

No Django and no clock: every date is a parameter. `measures.py` fetches the rows (one SQL query per family)
and hands them to the functions here, so the dashboard, the reports, the API and the CLI share one
definition of every figure.

Definitions chosen (domain.md section 6; docs/decisions/measures.md says why):

- Scorecard cohort: children whose adoption order is dated in the period (three years ending 31 March).
- A1: days from entering care to moving in with the adoptive family (the placement for adoption that led to
  the adoption order).
- A10: as A1, but for a child adopted by the carers it lived with as a foster child – its foster carers, or
  its early permanence (FfA/concurrent) carers – to the day the child moved in with those carers, which the
  placement for adoption records (details by_foster_carers and moved_in_with_carers;
  JourneyState.moved_in_with_carers, derived exactly as children.rules.apply derives it). An early permanence
  placement followed by adoption by someone else counts from the adoptive move-in, as A1 does.
- A2: days from the placement order in force at the adoption to the match decision that led to the
  placement; a match before the PO counts 0; children with no PO in force are left out.
- A3: % of the A1 children who moved in less than N months after entering care (N = the A3 threshold in
  force: 16 months for scorecards ending up to 2015, 14 from 2016).
- Averages are rounded to the nearest day (halves up); percentages to the nearest whole per cent.
- A negative interval (bad data: a move-in dated before entering care) counts as 0 days.
"""

# A package by concern; every name the single module had is importable from here, so `rules.X` keeps working.
# Where to add a thing: the module of its concern (the list below), never this file.

# Names the single module had from its imports, which callers reach through it (rules.replace in a test; add_months
# below).
from dataclasses import replace  # noqa: F401

from permanence.performance.rules.comparison import (  # noqa: F401
    CASE_HOLDING_GROUP_LABELS,
    COMPARISON_MEASURES,
    LA_KEEPS_CASE,
    RAA_HOLDS,
    WITHHELD_NOTE,
    Change,
    Comparison,
    GroupPoint,
    GroupSeries,
    case_holding_group,
    case_holding_membership,
    change_between,
    comparison_figure,
    disclosed_point,
    disclosed_series,
    figure_number,
    group_point,
    point_from_totals,
)
from permanence.performance.rules.cost import (  # noqa: F401
    ChildCost,
    CostResult,
    child_cost,
    cost_result,
)
from permanence.performance.rules.drill import (  # noqa: F401
    DRILL_DATES,
    drill_row,
)
from permanence.performance.rules.figures import (  # noqa: F401
    FamilyFunction,
    Figure,
    average,
    average_figure,
    average_of,
    count_figure,
    percent,
    percent_figure,
    round_half_up,
    totals_figure,
    unavailable_figure,
)
from permanence.performance.rules.households import (  # noqa: F401
    HouseholdMilestones,
    aggregate_household_milestones,
)
from permanence.performance.rules.milestones import (  # noqa: F401
    MILESTONE_AGGREGATION,
    MILESTONE_KINDS,
    EventLike,
    Milestones,
    a10_date,
    aggregate_milestones,
    days_between,
)
from permanence.performance.rules.national import (  # noqa: F401
    ENGLAND_LABEL,
    INSTALLATION_LABEL,
    NATIONAL_FIGURE_COLUMNS,
    NATIONAL_FIGURE_OPTIONAL,
    NO_ENGLAND_FIGURE,
    PUBLISHED,
    NationalFact,
    NationalRow,
    national_period_text,
    national_series,
    parse_national_figures,
    parse_national_period,
)
from permanence.performance.rules.periods import (  # noqa: F401
    Period,
    complete_financial_years,
    dates_label,
    financial_year,
    financial_year_ending,
    financial_year_of,
    half_year_code,
    half_year_of,
    half_year_period,
    last_complete_half_years,
    last_quarters,
    latest_year_ending,
    parse_half_year,
    parse_quarter,
    previous_half_year,
    quarter_of,
    same_half_year_earlier,
    scorecard_period,
    scorecard_year_ending,
    short_label,
    year_before,
    year_endings,
)
from permanence.performance.rules.prospective import (  # noqa: F401
    cohort_problems,
    prospective_figures,
)
from permanence.performance.rules.quarterly import (  # noqa: F401
    QUARTER_EVENT_KEYS,
    QuarterRow,
    is_waiting,
    quarterly_child_figures,
)
from permanence.performance.rules.registry import (  # noqa: F401
    BASIS_LABELS,
    HIGHER,
    LOWER,
    MEASURES,
    NEUTRAL,
    PROSPECTIVE,
    QUARTERLY_CHILD_KEYS,
    RETROSPECTIVE,
    SCORECARD_ADOPTER_KEYS,
    SCORECARD_CHILD_KEYS,
    SCORECARD_KEYS,
    MeasureDef,
    Unit,
    register_measure,
)
from permanence.performance.rules.scorecard import (  # noqa: F401
    ChildDays,
    child_days,
    scorecard_child_figures,
)
from permanence.performance.rules.suppression import (  # noqa: F401
    SUPPRESS_BELOW,
    SUPPRESSED,
    suppress,
    suppress_count,
)
from permanence.performance.rules.surgery import (  # noqa: F401
    SURGERY_AGE_BANDS,
    SURGERY_KINDS,
    SURGERY_RANKING,
    SurgeryAgeBand,
    SurgeryKind,
    surgery_age_band,
    surgery_child_kind,
    surgery_household_kind,
)
from permanence.performance.rules.thresholds import (  # noqa: F401
    TargetCheck,
    ThresholdFact,
    _num,
    against_target,
    rag,
    targetable_keys,
    threshold_on,
)
from permanence.timescales.rules import add_months  # noqa: F401
