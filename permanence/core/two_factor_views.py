"""The second factor (issue 15): setting up an authenticator app, entering its code (or a recovery code) after
signing in, and an administrator's reset. django-otp does the cryptography and the throttling of wrong codes."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from permanence.core import forms as core_forms
from permanence.core import signin

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
_SHOW_CODES = "two_factor_recovery_codes"


class CodeForm(core_forms.Form):
    code = forms.CharField(
        label="Code", max_length=20,
        error_messages={"required": "Enter the code", "max_length": "The code is too long – check it and try again"})

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff",
                                                 title="QR code for your authenticator app")


@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if any(d.confirmed for d in devices_for_user(user, confirmed=True)):
        return redirect("two-factor-verify" if not user.is_verified() else "home")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                recovery, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
                recovery.token_set.all().delete()
                codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
                for code in codes:
                    recovery.token_set.create(token=code)
                signin.record("two-factor.set-up", staff=user, request=request)
            otp_login(request, device)
            request.session[_SHOW_CODES] = codes
            return redirect("two-factor-recovery-codes")
        signin.record("two-factor.failed", staff=user, request=request, detail={"during": "set-up"})
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now")
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr": _qr_svg(device.config_url), "secret": b32encode(device.bin_key).decode(),
    })


def recovery_codes(request):
    codes = request.session.pop(_SHOW_CODES, None)
    if not codes:
        return redirect("home")
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})


@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            used_recovery = isinstance(device, StaticDevice)
            left = device.token_set.count() if used_recovery else None
            signin.record("two-factor.verified", staff=user, request=request,
                          detail={"recovery_code": used_recovery})
            if used_recovery:
                messages.warning(request, f"You used a recovery code. You have {left} left. "
                                          "Ask your administrator to reset your second factor if you have lost "
                                          "your authenticator app.")
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "home"
            return redirect(target)
        signin.record("two-factor.failed", staff=user, request=request, detail={"during": "sign-in"})
        form.add_error("code", "The code is not right. Enter the 6-digit code your app shows now, "
                               "or one of your recovery codes")
    return render(request, "registration/two_factor_verify.html", {"form": form})


def reset_for(*, actor, staff, request=None) -> int:
    """An administrator removes a member of staff's second factor: they set up a new one at their next sign-in."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            count, _ = model.objects.filter(user=staff).delete()
            removed += count
        signin.record("two-factor.reset", staff=staff, request=request, actor=actor)
    return removed
