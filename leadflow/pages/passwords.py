"""Passwords for everyone, not only staff: change it when signed in, reset it by email.

Django's own views, with our pages; the reset form is rate-limited per address, since it
sends email to whatever address is typed (it never says whether an account exists)."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from plumbing.limits import over_limit

RESETS_PER_EMAIL_PER_MINUTE = 3
RESETS_PER_ADDRESS_PER_MINUTE = 20


class ResetView(auth_views.PasswordResetView):
    template_name = "registration/password_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_context = {"heading_code": "reset"}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("email", "").strip().lower()[:254]
        # Per mailbox (nobody's inbox is flooded) and per client address.
        if over_limit(
            f"password-reset-email:{email}", per_minute=RESETS_PER_EMAIL_PER_MINUTE
        ) or over_limit(
            f"password-reset:{request.META.get('REMOTE_ADDR')}",
            per_minute=RESETS_PER_ADDRESS_PER_MINUTE,
        ):
            form = self.get_form()
            form.add_error(None, _("Too many requests: try again in a minute."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def _page(view: type, code: str, **kwargs: Any) -> Any:
    return view.as_view(
        template_name="registration/password_form.html", extra_context={"heading_code": code},
        **kwargs,
    )  # fmt: skip


urlpatterns = [
    path("accounts/password/change/", _page(auth_views.PasswordChangeView, "change"),
         name="password_change"),
    path("accounts/password/change/done/", _page(auth_views.PasswordChangeDoneView, "changed"),
         name="password_change_done"),
    path("accounts/password/reset/", ResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", _page(auth_views.PasswordResetDoneView, "sent"),
         name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         _page(auth_views.PasswordResetConfirmView, "new"), name="password_reset_confirm"),
    path("accounts/password/reset/done/", _page(auth_views.PasswordResetCompleteView, "done"),
         name="password_reset_complete"),
]  # fmt: skip
