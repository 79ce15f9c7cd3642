"""The customer's side of the follow-up: a public one-question survey."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from handoff.aftersale import answer_survey
from handoff.models import FollowUp
from plumbing.errors import Conflict


def survey(request: HttpRequest, token: str) -> HttpResponse:
    follow_up = FollowUp.objects.filter(token=token).first()
    if follow_up is None:
        raise Http404
    if follow_up.answered_at is not None:  # the first answer counts, and it is in
        status = 409 if request.method == "POST" else 200
        return render(request, "handoff/survey_thanks.html", {"already": True}, status=status)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("score", "")
        if raw.isdigit() and 0 <= int(raw) <= 10:
            try:
                answer_survey(token, int(raw))
            except Conflict:  # answered a moment ago in another tab
                return render(request, "handoff/survey_thanks.html", {"already": True}, status=409)
            return render(request, "handoff/survey_thanks.html")
        error = _("Choose a number from 0 to 10.")
    return render(
        request,
        "handoff/survey.html",
        {"follow_up": follow_up, "scores": range(11), "error": error},
    )
