"""Changing and resetting a password (issue 15). Django's own views, with GOV.UK pages, plain-English messages, the
audit trail, and the end of a temporary password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from permanence.core import signin
from permanence.core.forms import GovukErrors


class SignInForm(GovukErrors, auth_forms.AuthenticationForm):
    """Django's sign-in form, with messages that say what to do. A wrong username and a wrong password get the same
    message, so nobody learns which usernames exist."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Check them and try again: both are case-sensitive",
        "inactive": "This account cannot be used to sign in. Ask your agency's administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class PasswordChangeForm(GovukErrors, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right – enter it again",
        "password_mismatch": "The new passwords do not match – enter the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. A few unrelated words together are easy to remember and hard to guess. "
            "Common passwords are refused.")
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        was_temporary = user.must_change_password
        if was_temporary:
            user._meta.model.objects.filter(pk=user.pk).update(must_change_password=False)
        signin.record("password.changed", staff=user, request=self.request,
                      detail={"was_temporary": was_temporary})
        messages.success(self.request, "Your password has been changed.")
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "temporary": self.request.user.must_change_password}


class PasswordResetForm(GovukErrors, auth_forms.PasswordResetForm):
    email = forms.EmailField(label="Email address", max_length=254,
                             error_messages={"required": "Enter your email address",
                                             "invalid": "Enter an email address in the right format, "
                                                        "like name@example.gov.uk"})


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        # The same answer whether or not the address is known (nobody learns who has an account here).
        staff = list(form.get_users(form.cleaned_data["email"]))
        for member in staff:
            signin.record("password.reset-requested", staff=member, request=self.request, actor=None)
        return super().form_valid(form)


class SetPasswordForm(GovukErrors, auth_forms.SetPasswordForm):
    error_messages = {**auth_forms.SetPasswordForm.error_messages,
                      "password_mismatch": "The new passwords do not match – enter the same password twice"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters. Common passwords are refused."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user._meta.model.objects.filter(pk=user.pk).update(must_change_password=False)
        signin.record("password.reset", staff=user, request=self.request, actor=None)
        return response


password_reset_done = login_not_required(auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"))
password_reset_complete = login_not_required(auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"))
