"""Template helpers for GOV.UK Design System markup.

    {% load govuk %}
    {{ child.date_of_birth|govuk_date }}            3 April 2024 (or "Not recorded")
    {{ event.recorded_at|govuk_datetime }}          3 April 2024 at 2:15pm
    {% govuk_widget field "govuk-input" %}          a form field's widget with GOV.UK classes
    {% for item in page_obj|govuk_page_items %}     numbered pages with "…" gaps, for pagination
    {{ cooloff_timedelta|govuk_duration }}          15 minutes, 1 hour, 1 hour 30 minutes

For query strings use Django's built-in tag: {% querystring page=2 %}.
"""

import copy
import datetime

from django import template
from django.utils import dateformat, timezone

register = template.Library()

NOT_RECORDED = "Not recorded"


def _as_local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def govuk_date(value, empty=NOT_RECORDED):
    """A date the GOV.UK way: "3 April 2024". Blank values read "Not recorded" (or the argument)."""
    if value in (None, ""):
        return empty
    if isinstance(value, str):
        return value
    return dateformat.format(_as_local(value), "j F Y")


@register.filter
def govuk_duration(value, empty="a few minutes"):
    """A length of time in words, rounded up to the minute: "1 minute", "15 minutes", "2 hours 5 minutes"."""
    if not isinstance(value, datetime.timedelta) or value <= datetime.timedelta(0):
        return empty
    minutes = -(-int(value.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}{'' if n == 1 else 's'}"
             for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")) if n]
    return " ".join(parts)


@register.filter
def govuk_short_date(value, empty=NOT_RECORDED):
    """A date for tables: "3 Apr 2024"."""
    if value in (None, ""):
        return empty
    if isinstance(value, str):
        return value
    return dateformat.format(_as_local(value), "j M Y")


@register.filter
def govuk_datetime(value, empty=NOT_RECORDED):
    """A moment the GOV.UK way: "3 April 2024 at 2:15pm" (midday and midnight spelt out)."""
    if value in (None, ""):
        return empty
    if not isinstance(value, datetime.datetime):
        return govuk_date(value, empty)
    value = _as_local(value)
    if value.hour == 12 and value.minute == 0:
        time = "midday"
    elif value.hour == 0 and value.minute == 0:
        time = "midnight"
    else:
        time = dateformat.format(value, "g:i") + ("am" if value.hour < 12 else "pm")
    return f"{dateformat.format(value, 'j F Y')} at {time}"


@register.filter
def govuk_or_not_recorded(value, empty=NOT_RECORDED):
    """Any value, or "Not recorded" when it is blank. Zero is a value, not a blank."""
    if value is None or value == "" or value == []:
        return empty
    return value


def _described_by(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field, base_class, extra_classes=""):
    """Render a BoundField's own widget with GOV.UK classes, hint/error ids and error state.

    Classes already on the widget (for example `attrs={"class": "govuk-input--width-10"}`) are kept.
    Date fields become <input type="date">; number fields become text inputs with a numeric
    keyboard, as the Design System recommends.
    """
    widget = field.field.widget
    classes = [base_class]
    if field.errors and base_class in ("govuk-input", "govuk-select", "govuk-textarea"):
        classes.append(f"{base_class}--error")
    for extra in (widget.attrs.get("class", ""), extra_classes):
        classes.extend(extra.split())
    attrs = {"class": " ".join(dict.fromkeys(classes))}

    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by

    widget_type = field.widget_type
    if widget_type == "date":
        widget = copy.copy(widget)
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"
    elif widget_type == "number":
        widget = copy.copy(widget)
        widget.input_type = "text"
        attrs.update({"inputmode": "numeric", "spellcheck": "false"})
    elif widget_type == "email":
        attrs.update({"spellcheck": "false", "autocomplete": widget.attrs.get("autocomplete", "email")})
    return field.as_widget(widget=widget, attrs=attrs)


@register.filter
def govuk_page_items(page_obj, on_each_side=1):
    """Page numbers for the GOV.UK pagination component: ints, with None where pages are skipped."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=1)
    ]
