"""What the LA told of a safeguarding referral sees on its child's page: that it was told, by whom and when."""

from django import template

from permanence import access

register = template.Library()


@register.inclusion_tag("support/_safeguarding_notice.html", takes_context=True)
def safeguarding_notices(context, child):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"notices": access.safeguarding_referrals_for(user, child) if user is not None else []}
