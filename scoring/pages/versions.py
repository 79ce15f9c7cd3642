"""The admin's scoring pages: versions, the draft editor with a preview of what it would
change, activation, and the re-scoring progress bar. Every action goes through
``scoring.versions`` and ``scoring.preview``, as the API does."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leads.decorators import role_required
from leads.roles import Role
from leads.stages import Stage
from plumbing.errors import DomainError
from scoring import versions
from scoring.criteria import active_spec, spec_for
from scoring.forms import FitRuleFormSet, IntentRuleFormSet, SettingsForm, rules_of
from scoring.models import EventType, RescoreJob, ScoringModel
from scoring.preview import preview
from scoring.versions import FIT_FIELDS, INTENT_FIELDS


def _fit_initial(model: ScoringModel) -> list[dict[str, object]]:
    rows = []
    for rule in model.fit_rules.values(*FIT_FIELDS):
        value = rule["value"]
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append({**rule, "value": "" if value is None else value})
    return rows


@role_required(Role.ADMIN)
def scoring_home(request: HttpRequest) -> HttpResponse:
    """Every version, newest first, and the latest re-scoring job."""
    return render(
        request,
        "scoring/criteria/home.html",
        {
            "models": ScoringModel.objects.order_by("-version")[:50],
            "job": RescoreJob.objects.order_by("-created_at").first(),
        },
    )


@require_POST
@role_required(Role.ADMIN)
def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(ScoringModel, pk=pk)
    draft = versions.copy_to_draft(source, actor=request.user)
    messages.info(
        request,
        _("Draft v%(v)d created from v%(from)d.") % {"v": draft.version, "from": source.version},
    )
    return redirect("scoring-edit", pk=draft.pk)


@role_required(Role.ADMIN)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(ScoringModel, pk=pk)
    editable = model.status == ScoringModel.Status.DRAFT
    if request.method == "POST" and editable:
        settings_form = SettingsForm(request.POST, instance=model)
        fit = FitRuleFormSet(request.POST, prefix="fit")
        intent = IntentRuleFormSet(request.POST, prefix="intent")
        if settings_form.is_valid() and fit.is_valid() and intent.is_valid():
            try:
                versions.edit_draft(
                    model,
                    actor=request.user,
                    settings=settings_form.cleaned_data,
                    fit_rules=rules_of(fit),
                    intent_rules=rules_of(intent),
                )
                messages.success(request, _("Draft saved. Preview it, then activate."))
                return redirect("scoring-edit", pk=model.pk)
            except DomainError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, _("Some rules need fixing: see the marked fields."))
    else:
        settings_form = SettingsForm(instance=model)
        fit = FitRuleFormSet(prefix="fit", initial=_fit_initial(model))
        intent = IntentRuleFormSet(
            prefix="intent", initial=list(model.intent_rules.values(*INTENT_FIELDS))
        )
    if not editable:
        for form in (settings_form, *fit.forms, *intent.forms):
            for field in form.fields.values():
                field.disabled = True
    return render(
        request,
        "scoring/criteria/edit.html",
        {
            "model": model,
            "editable": editable,
            "settings_form": settings_form,
            "fit": fit,
            "intent": intent,
            "event_types": EventType.objects.order_by("label"),
        },
    )


@role_required(Role.ADMIN)
def preview_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """What the saved draft would change against the active version (an htmx fragment)."""
    model = get_object_or_404(
        ScoringModel.objects.prefetch_related("fit_rules", "intent_rules"), pk=pk
    )
    result = preview(spec_for(model), active_spec())
    for change in result["sample"]:
        change["stage_labels"] = {side: Stage(code).label for side, code in change["stage"].items()}
    return render(request, "scoring/criteria/_preview.html", {"model": model, "result": result})


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm, saying how many leads the activation changes; POST: activate."""
    model = get_object_or_404(ScoringModel, pk=pk)
    if request.method == "GET":
        if model.status != ScoringModel.Status.DRAFT:
            return redirect("scoring-edit", pk=model.pk)
        model = ScoringModel.objects.prefetch_related("fit_rules", "intent_rules").get(pk=pk)
        result = preview(spec_for(model), active_spec())
        return render(request, "scoring/criteria/activate.html", {"model": model, "result": result})
    try:
        job = versions.activate(model, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("scoring-edit", pk=model.pk)
    messages.success(
        request, _("v%(v)d is active: every lead is being re-scored.") % {"v": model.version}
    )
    return redirect("scoring-job", pk=job.pk)


@role_required(Role.ADMIN)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-scoring progress bar; htmx polls the fragment until the job ends."""
    job = get_object_or_404(RescoreJob, pk=pk)
    template = "scoring/criteria/_progress.html" if request.htmx else "scoring/criteria/job.html"
    # The first look comes a second after the page opens (a small job is done by then);
    # after that every 5 s while the tab is visible: a long job needs no more, and an
    # open tab never turns into a stream of requests.
    poll = "every 5s [!document.hidden]" if request.htmx else "load delay:1s"
    return render(request, template, {"job": job, "poll": poll})
