"""Template helpers for support plans and the fund: money as pounds and pence, the case's page."""

from django import template

register = template.Library()


@register.filter
def pounds(value, empty="Not recorded"):
    """£1,500.00 (a blank amount reads `empty`)."""
    if value in (None, ""):
        return empty
    return f"£{value:,.2f}"


@register.simple_tag
def support_case_url(case):
    from permanence.support_fund.views import case_url

    return case_url(case)
