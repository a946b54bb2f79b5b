"""Shared form pieces: the GOV.UK date input (day, month, year), and error messages that say what to do."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import pretty_name
from django.utils.functional import Promise

from permanence.core import clock, dates


class GovukDateWidget(forms.MultiWidget):
    """Three boxes – day, month, year – as the GOV.UK Design System asks for memorable and known dates."""

    template_name = "includes/date_widget.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                d = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [d.day, d.month, d.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A GOV.UK date (day, month, year) that is also plausible for its kind (core.dates: "birth", "record" – the
    default –, "planned", …): a date of birth in the past and after 1900, a target within 5 years."""

    widget = GovukDateWidget

    def __init__(self, *, kind: str = "record", error_label: str | None = None, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, **kwargs)
        dates.bounds(kind, dt.date(2000, 1, 1))  # an unknown kind fails when the form is defined
        self.kind = kind
        self.error_label = error_label  # what the messages call the date (default: its label)

    def clean(self, value):
        # Accept an ISO date string too (API-style posts and tests).
        if isinstance(value, str):
            value = self.widget.decompress(value)
        if self.required and not self.disabled and not any(str(v or "").strip() for v in value or ()):
            raise forms.ValidationError(self._required_message(), code="required")
        return super().clean(value)

    def _label(self) -> str:
        """What the messages call the date, as the subject of a sentence ("Date of birth")."""
        label = self.error_label or (str(self.label) if self.label else "The date")
        label = label.removesuffix("(optional)").strip()
        if label.endswith("?"):  # a question ("When was it?") is not the subject of a sentence
            label = "The date"
        return label[:1].upper() + label[1:]

    def _required_message(self) -> str:
        own = self.error_messages.get("required")
        return own if isinstance(own, str) else f"Enter {_phrase(self._label())}"  # a form's own words first

    def compress(self, data_list):
        label = self._label()
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(self._required_message(), code="required")
            return None
        day, month, year = (str(x or "").strip() for x in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}", code="incomplete")
        if not (day.isdecimal() and month.isdecimal() and year.isdecimal()):
            raise forms.ValidationError(f"{label} must be made of numbers, for example 27 3 2024", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(f"The year in {_phrase(label)} must include 4 numbers", code="invalid")
        try:
            value = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 31 2 2025; a day or month too big for a C long
            raise forms.ValidationError(f"{label} must be a real date", code="invalid") from None
        if problem := dates.date_problem(value, kind=self.kind, label=label, today=clock.today()):
            raise forms.ValidationError(problem, code="implausible")
        return value


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """forms.ModelMultipleChoiceField, with a chosen id too big for the database (99999999999999999999) an invalid
    choice, not an OverflowError from the query (Django checks the range for one id, not for a list of them)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            if text.lstrip("-").isdecimal() and not -(2**63) <= int(text) < 2**63:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": text[:20]})
        return super()._check_values(value)


def show_service_errors(form: forms.Form, err) -> None:
    """Put a service's ValidationError on the form: field messages on their fields (when the form has that
    field), everything else at the top, so the error summary lists them all."""
    if hasattr(err, "error_dict"):
        for field, errors in err.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for m in err.messages:
            form.add_error(None, m)


# ---------------------------------------------------------------------------------------------
# Error messages that say what to do (GOV.UK error message guidance)
#
# Every form in Permanence mixes in `GovukErrors` (through `Form` and `ModelForm` below, or directly beside a
# Django form such as the sign-in form). After Django has cleaned the form, each message Django wrote itself –
# "This field is required.", "Enter a valid date.", "Ensure this value has at most 40 characters (it has 41)." –
# is replaced by one that names the field and says what to do, derived from the field's label and kind:
# "Enter first name", "Select sex", "Choose the SSDA903 files", "LA child ID must be 40 characters or fewer".
# Django's own messages are lazy translation strings and every message Permanence writes is a plain string, so a
# field's own message (error_messages={"required": "Enter the child's first name"}) and every service message
# are kept as they are.

_QUESTION_END = "?"


def _phrase(label: str) -> str:
    """The label as it reads inside a sentence: "First name" -> "first name", "LA social worker" kept."""
    label = str(label).strip().rstrip(":").strip()
    label = label.removesuffix("(optional)").strip()
    if len(label) > 1 and label[1].isupper():  # an acronym: LA, ADM, SSDA903
        return label
    return label[:1].lower() + label[1:]


def _subject(label: str) -> str:
    """The label as the subject of a sentence: "Date of birth", "LA child ID"."""
    text = _phrase(label)
    return text[:1].upper() + text[1:]


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField
                      | forms.MultipleChoiceField | forms.NullBooleanField)


def _limit(params, key="limit_value"):
    return (params or {}).get(key)


def specific_message(field: forms.Field | None, label: str, code: str | None, params: dict | None) -> str:
    """What to do, for one of Django's own error codes on this field (its label)."""
    question = str(label).strip().endswith(_QUESTION_END)
    what, subject = _phrase(label), _subject(label)
    if field is not None and isinstance(field, forms.BooleanField) and code == "required":
        return f"Select ‘{str(label).strip()}’ to continue"
    if field is not None and isinstance(field, forms.FileField):
        return {
            "required": f"Choose {what}", "missing": f"Choose {what}",
            "empty": f"The file chosen for {what} is empty",
            "invalid": f"The file chosen for {what} could not be read: choose it again",
            "contradiction": f"Either choose {what} or tick to remove it, not both",
            "max_length": f"The name of the file chosen for {what} must be {_limit(params, 'max')} characters or "
                          "fewer",
            "invalid_extension": f"The file chosen for {what} must be one of these types: "
                                 f"{(params or {}).get('allowed_extensions', '')}",
        }.get(code or "", f"Choose {what} again")
    if code == "required" or code == "incomplete" or code == "blank" or code == "null":
        if question:
            return f"{'Select' if field is not None and _is_choice(field) else 'Enter'} an answer to " \
                   f"‘{str(label).strip()}’"
        if field is not None and _is_choice(field):
            return f"Select {what}"
        return f"Enter {what}"
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list", "list"):
        return f"Select one of the options shown for {what}" if not question else \
            f"Select one of the options shown for ‘{str(label).strip()}’"
    if code == "max_length":
        return f"{subject} must be {_limit(params)} characters or fewer"
    if code == "min_length":
        return f"{subject} must be {_limit(params)} characters or more"
    if code == "max_value":
        return f"{subject} must be {_limit(params)} or less"
    if code == "min_value":
        return f"{subject} must be {_limit(params)} or more"
    if code == "step_size":
        return f"{subject} must be a multiple of {_limit(params)}"
    if code == "max_digits":
        return f"{subject} must be {_limit(params, 'max')} digits or fewer"
    if code == "max_decimal_places":
        return f"{subject} must have {_limit(params, 'max')} decimal places or fewer"
    if code == "max_whole_digits":
        return f"{subject} must have {_limit(params, 'max')} digits or fewer before the decimal point"
    if code in ("invalid", "invalid_date", "invalid_time", "invalid_datetime"):
        if isinstance(field, forms.IntegerField):
            return f"{subject} must be a whole number"
        if isinstance(field, forms.DecimalField | forms.FloatField):
            return f"{subject} must be a number"
        if isinstance(field, forms.EmailField):
            return f"Enter {what} in the correct format, like name@example.gov.uk"
        if isinstance(field, forms.URLField):
            return f"Enter {what} in the correct format, like https://www.example.gov.uk"
        if isinstance(field, forms.DateField | forms.DateTimeField):
            return f"{subject} must be a real date, for example 27 3 2024"
        return f"Enter {what} in the correct format"
    if code in ("unique", "unique_for_date"):
        return f"A record with this {what} already exists"
    if code == "null_characters_not_allowed":
        return f"{subject} must not include null characters"
    return f"Check {what}: it is not right" if what else "Check your answers: something is not right"


_NON_FIELD = {
    "unique_together": "A record with these details already exists",
    "password_mismatch": "The passwords do not match – enter the same password twice",
}
_PASSWORD = {  # django.contrib.auth.password_validation, by code
    "password_too_short": "{subject} must be {min_length} characters or more",
    "password_too_common": "Choose a password that is harder to guess: that one is used by many people",
    "password_entirely_numeric": "{subject} must include letters or symbols as well as numbers",
    "password_too_similar": "{subject} is too like your {verbose_name}: choose a different one",
}


def _rewritten(error: forms.ValidationError, field, label: str) -> forms.ValidationError:
    code = error.code
    # Django's password validators write plain (not lazy) strings: they are known by their codes.
    if not isinstance(error.message, Promise) and code not in _PASSWORD:
        return error  # Permanence's own words
    if code in _PASSWORD:
        params = {k: v for k, v in (error.params or {}).items()}
        text = _PASSWORD[code].format(subject=_subject(label) if label else "The password",
                                      min_length=params.get("min_length", ""),
                                      verbose_name=params.get("verbose_name", "details"))
    elif field is None:
        text = _NON_FIELD.get(code or "", "Check your answers: something is not right")
    else:
        text = specific_message(field, label, code, error.params)
    return forms.ValidationError(text, code=code)


class GovukErrors:
    """Form mixin: after cleaning, every message Django wrote is replaced by one that says what to do (above);
    identical messages on one field are shown once."""

    def full_clean(self):
        super().full_clean()
        errors = getattr(self, "_errors", None)
        if not errors:
            return
        for name, error_list in errors.items():
            field = self.fields.get(name) if name != NON_FIELD_ERRORS else None
            label = ""
            if field is not None:
                label = str(field.label) if field.label else pretty_name(name)
            seen: list[str] = []
            kept = []
            for error in error_list.as_data():
                error = _rewritten(error, field, label)
                text = " ".join(str(m) for m in error)
                if text in seen:
                    continue
                seen.append(text)
                kept.append(error)
            error_list.data[:] = kept


class Form(GovukErrors, forms.Form):
    """A Permanence form: Django's form with messages that say what to do."""


class ModelForm(GovukErrors, forms.ModelForm):
    """A Permanence model form: Django's model form with messages that say what to do."""


# ---------------------------------------------------------------------------------------------
# Allowed but probably wrong: ask for a confirmation, with the reason (issue 14, item 8)

CONFIRMED = "confirmed"


class ConfirmWarnings:
    """Form mixin for input that is allowed but probably wrong (a panel after the date the decision is due, a
    target date in the past). A form lists its reasons in `warnings()` (from its cleaned data); while there are
    any and they have not been confirmed, `is_valid()` is False and `warnings_shown` holds them, for
    includes/confirm_warnings.html to show as a GOV.UK warning text with a "Yes, I understand" checkbox. Ticking it
    and submitting again saves. The checkbox carries a digest of the reasons it confirmed: a different input
    with other reasons asks again. Nothing is an error: the error summary stays empty. (The API cannot confirm,
    and does not ask: its callers are not shown these warnings.)"""

    confirm_label = "Yes, I understand – save it anyway"

    def warnings(self) -> list[str]:
        return []

    @property
    def warnings_shown(self) -> list[str]:
        return getattr(self, "_warnings_shown", [])

    @staticmethod
    def digest(reasons: list[str], submitted: str = "") -> str:
        import hashlib

        return hashlib.sha256(("\n".join(reasons) + "\0" + submitted).encode()).hexdigest()[:16]

    def _submitted(self) -> str:
        """What was posted, the confirmation and the CSRF token left out: a confirmation holds for this input only
        (the same reason for another household asks again)."""
        data = self.data
        keys = sorted(k for k in data if k not in (CONFIRMED, "csrfmiddlewaretoken"))
        values = [(k, data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in keys]
        return repr(values)

    @property
    def warnings_digest(self) -> str:
        return self.digest(self.warnings_shown, self._submitted())

    def is_valid(self) -> bool:
        self._warnings_shown = []
        if not super().is_valid():
            return False
        reasons = [str(r) for r in self.warnings()]
        if reasons and self.data.get(CONFIRMED) != self.digest(reasons, self._submitted()):
            self._warnings_shown = reasons
            return False
        return True


def long_date(day: dt.date) -> str:
    """14 March 2027 (GOV.UK date style)."""
    return f"{day.day} {day:%B %Y}"
