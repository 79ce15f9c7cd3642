"""Capture pages for web forms and website tracking: the embed snippets people paste
into their sites, and the form builder (marketers and admins). Saved through the API's
serializers, so a form is valid by the same rules wherever it is made. Snippets point at
SITE_URL when it is set, else at the address the page was served from."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from leads.decorators import role_required
from leads.models import Campaign
from leads.roles import Role, roles_of
from scoring.api.serializers import (
    FIELD_TYPES,
    FORM_TARGETS,
    TrackingSiteSerializer,
    WebFormSerializer,
)
from scoring.models import TrackingSite, WebForm
from scoring.tracking import snippet
from scoring.webforms import embed_snippet, public_base_url

BLANK_FIELD_ROWS = 2


@role_required(Role.MARKETER, Role.ADMIN)
def web_forms(request: HttpRequest) -> HttpResponse:
    forms = WebForm.objects.select_related("campaign").order_by("name")
    base = public_base_url(request)
    return render(
        request,
        "scoring/capture/forms.html",
        {
            "forms": [(form, embed_snippet(form, base)) for form in forms],
            "base_url": base,
            "may_edit": True,
        },
    )


def _posted_form(request: HttpRequest) -> dict[str, Any]:
    """The builder's fields as the API takes them."""
    fields = []
    for index in range(int(request.POST.get("rows", "0") or 0)):
        name = request.POST.get(f"name-{index}", "").strip()
        if not name:
            continue
        fields.append(
            {
                "name": name,
                "label": request.POST.get(f"label-{index}", "").strip() or name,
                "type": request.POST.get(f"type-{index}", "text"),
                "required": request.POST.get(f"required-{index}") == "on",
                "maps_to": request.POST.get(f"maps_to-{index}", "").strip(),
            }
        )
    origins = [line.strip() for line in request.POST.get("allowed_origins", "").splitlines()]
    return {
        "name": request.POST.get("name", "").strip(),
        "title": request.POST.get("title", "").strip(),
        "fields": fields,
        "consent_text": request.POST.get("consent_text", "").strip(),
        "campaign": request.POST.get("campaign") or None,
        "thank_you": request.POST.get("thank_you", "").strip(),
        "redirect_url": request.POST.get("redirect_url", "").strip(),
        "allowed_origins": [origin for origin in origins if origin],
        "active": request.POST.get("active") == "on",
    }


@role_required(Role.MARKETER, Role.ADMIN)
def edit_web_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    form = get_object_or_404(WebForm, pk=pk) if pk else None
    errors: dict[str, Any] = {}
    if request.method == "POST":
        data = _posted_form(request)
        checked = WebFormSerializer(instance=form, data=data)
        if checked.is_valid():
            saved = checked.save()
            messages.success(request, _("Form “%(name)s” saved.") % {"name": saved.name})
            return redirect("web-forms")
        errors = checked.errors
        values = data
    else:
        values = WebFormSerializer(form).data if form else {
            "fields": [{"name": "email", "label": _("Email"), "type": "email",
                        "required": True, "maps_to": "email"}],
            "active": True,
        }  # fmt: skip
    rows = list(values.get("fields") or []) + [{} for _ in range(BLANK_FIELD_ROWS)]
    return render(
        request,
        "scoring/capture/form_edit.html",
        {
            "form": form,
            "values": values,
            "origins": "\n".join(values.get("allowed_origins") or []),
            "rows": rows,
            "types": _field_types(),
            "targets": _form_targets(),
            "campaigns": Campaign.objects.order_by("name"),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _field_types() -> list[tuple[str, str]]:
    """(value, label) of the kinds of field a form may have."""
    labels = {
        "text": _("Text"),
        "email": _("Email"),
        "tel": _("Phone"),
        "textarea": _("Long text"),
        "checkbox": _("Checkbox"),
    }
    return [(kind, labels.get(kind, kind)) for kind in sorted(FIELD_TYPES)]


def _form_targets() -> list[tuple[str, str]]:
    """(value, label) of what a form field can fill, labelled for people."""
    labels = {
        "email": _("Email"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "phone": _("Phone"),
        "title": _("Job title"),
        "company": _("Company name"),
    }
    return [(target, labels.get(target, target)) for target in sorted(FORM_TARGETS)]


@role_required(Role.MARKETER, Role.ADMIN)
def tracking_sites(request: HttpRequest) -> HttpResponse:
    errors: dict[str, Any] = {}
    may_edit = Role.ADMIN in roles_of(request.user)
    if request.method == "POST" and may_edit:
        origins = [o.strip() for o in request.POST.get("allowed_origins", "").splitlines()]
        checked = TrackingSiteSerializer(
            data={"name": request.POST.get("name", "").strip(),
                  "allowed_origins": [o for o in origins if o], "active": True}
        )  # fmt: skip
        if checked.is_valid():
            site = checked.save()
            messages.success(request, _("Site “%(name)s” added: paste its snippet.") % {
                "name": site.name})  # fmt: skip
            return redirect("tracking-sites")
        errors = checked.errors
    sites = TrackingSite.objects.order_by("name")
    base = public_base_url(request)
    return render(
        request,
        "scoring/capture/tracking.html",
        {
            "sites": [(site, snippet(site, base)) for site in sites],
            "may_edit": may_edit,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
