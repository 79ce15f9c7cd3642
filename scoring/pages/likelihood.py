"""The admin's learned-likelihood page: choose the features, train (in the worker, with
progress), compare each model with the one that was active on the same hold-out, and
use any trained model — a promotion by hand or a rollback. Actions go through
``scoring.learning.training`` and the tasks, as the API does."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leads.decorators import role_required
from leads.roles import Role
from plumbing.localized_input import UnreadableNumber, parse_decimal
from scoring.learning import training
from scoring.learning.features import LeakingFeature
from scoring.models import LikelihoodModel, LikelihoodSettings
from scoring.tasks import activate_likelihood_model


@role_required(Role.ADMIN)
def likelihood_home(request: HttpRequest) -> HttpResponse:
    models = LikelihoodModel.objects.defer("artifact").order_by("-pk")[:30]
    # After "use this model", the page keeps asking until the worker has switched models
    # (it rewrites every lead's likelihood first), so the admin sees the switch happen.
    activating = request.GET.get("activating", "")
    switching = activating.isdigit() and not any(
        m.pk == int(activating) and m.active for m in models
    )
    context = {
        "models": models,
        "training": any(m.status == LikelihoodModel.Status.TRAINING for m in models),
        "switching": switching,
    }
    if request.htmx:
        return render(request, "scoring/likelihood/_models.html", context)
    found = training.candidates()
    settings = LikelihoodSettings.current()
    chosen = set(settings.features or [c["name"] for c in found if c["automatic"]])
    context |= {
        "settings": settings,
        "candidates": [{**c, "chosen": c["name"] in chosen} for c in found],
    }
    return render(request, "scoring/likelihood/home.html", context)


@require_POST
@role_required(Role.ADMIN)
def choose(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.getlist("features")
    if request.POST.get("automatic"):
        chosen = []
    try:
        settings = training.choose_features(chosen)
    except LeakingFeature as error:
        messages.error(request, str(error))
        return redirect("likelihood-home")
    try:
        margin = parse_decimal(request.POST.get("promote_margin", ""))
    except UnreadableNumber:
        margin = None
    if margin is not None and 0 <= margin <= 1:
        settings.promote_margin = float(margin)
        settings.save(update_fields=["promote_margin"])
    messages.success(request, _("Likelihood settings saved."))
    return redirect("likelihood-home")


@require_POST
@role_required(Role.ADMIN)
def train(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", LikelihoodModel.Kind.LOGISTIC)
    if kind not in LikelihoodModel.Kind.values:
        kind = LikelihoodModel.Kind.LOGISTIC
    try:
        training.queue_training(actor=request.user, kind=kind)
    except LeakingFeature as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Training queued: a worker fits the model."))
    return redirect("likelihood-home")


@require_POST
@role_required(Role.ADMIN)
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(LikelihoodModel.objects.defer("artifact"), pk=pk)
    if model.status != LikelihoodModel.Status.READY:
        messages.error(request, _("Only a trained model can be used."))
    else:
        activate_likelihood_model.delay_on_commit(model.pk)
        messages.info(
            request, _("Model %(pk)d will score every lead in a moment.") % {"pk": model.pk}
        )
        return redirect(f"{reverse('likelihood-home')}?activating={model.pk}")
    return redirect("likelihood-home")
