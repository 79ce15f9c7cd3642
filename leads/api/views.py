"""The core's REST API: leads, their moves and history, companies, teams, campaigns, tokens."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from knox.models import get_token_model
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from leads import exports, lifecycle, privacy, records
from leads.access import visible_leads
from leads.api.permissions import ADMINS, EVERY_ROLE, WRITERS
from leads.api.serializers import (
    ApiTokenSerializer,
    CampaignSerializer,
    CompanySerializer,
    LeadSerializer,
    NewApiTokenSerializer,
    NoteSerializer,
    SalesCostSerializer,
    SpendEntrySerializer,
    StageChangeSerializer,
    TeamSerializer,
    TransitionSerializer,
)
from leads.filters import LeadFilter
from leads.models import Campaign, Company, Lead, SalesCost, SpendEntry, Team
from leads.reports.report_api import READERS
from plumbing.api_errors import ErrorSerializer
from plumbing.errors import Conflict
from plumbing.query_choices import one_of

AuthToken = get_token_model()

ERRORS = {
    400: OpenApiResponse(description="Invalid input: the fields at fault and why."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you."),
}
CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="Illegal move, the lead moved meanwhile, or a rule refused the move.",
    )
}


@extend_schema_view(
    list=extend_schema(responses={200: LeadSerializer(many=True), **ERRORS}),
    create=extend_schema(responses={201: LeadSerializer, **ERRORS}),
    retrieve=extend_schema(responses={200: LeadSerializer, **ERRORS}),
    update=extend_schema(responses={200: LeadSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: LeadSerializer, **ERRORS}),
)
class LeadViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    keyset_fields = ("created_at", "stage_changed_at", "fit", "intent", "likelihood", "id")
    keyset_default = "-created_at"
    roles_by_action = {"create": WRITERS, "personal_data": ADMINS, "erase": ADMINS}

    def get_queryset(self) -> QuerySet[Lead]:
        return visible_leads(self.request.user).select_related("company")

    @extend_schema(
        request=TransitionSerializer,
        responses={200: LeadSerializer, **ERRORS, **CONFLICT},
        description="Move the lead to another stage. Send `from` to guard against a race.",
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        lead = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        lifecycle.transition(
            lead,
            data["to"],
            actor=request.user,
            reason=data["reason"],
            expected_from=data.get("from"),
            deal_value=data["deal_value"],
            closed_at=data["closed_at"],
        )
        lead.refresh_from_db()
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(
        operation_id="leads_export_list",
        parameters=[OpenApiParameter("as", str, enum=["csv", "json"], required=False)],
        responses={
            (200, "text/csv"): str,
            (200, "application/json"): build_array_type(build_basic_type(OpenApiTypes.OBJECT)),
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request: Request) -> StreamingHttpResponse:
        """The filtered list (same filters as the list), streamed as CSV or JSON."""
        queryset = self.filter_queryset(self.get_queryset())
        as_json = one_of(request.query_params, "as", ("csv", "json")) == "json"
        response = StreamingHttpResponse(
            exports.json_rows(queryset) if as_json else exports.csv_rows(queryset),
            content_type="application/json" if as_json else "text/csv; charset=utf-8",
        )
        extension = "json" if as_json else "csv"
        response["Content-Disposition"] = f'attachment; filename="leads.{extension}"'
        return response

    @extend_schema(
        operation_id="leads_export_one",
        parameters=[OpenApiParameter("as", str, enum=["json", "csv"], required=False)],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/csv"): str,
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_path="export", pagination_class=None)
    def export_one(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """One lead's whole record: JSON (with its history), or its row as CSV."""
        lead = self.get_object()
        if one_of(request.query_params, "as", ("json", "csv")) == "csv":
            rows = exports.csv_rows(Lead.objects.filter(pk=lead.pk))
            response = HttpResponse("".join(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="lead-{lead.pk}.csv"'
            return response
        return Response(exports.lead_record(lead))

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    @action(detail=True, methods=["get"], url_path="personal-data", pagination_class=None,
            filterset_class=None)  # fmt: skip
    def personal_data(self, request: Request, pk: str | None = None) -> Response:
        """Everything Leadflow holds about this person, as JSON (admins; audited)."""
        return Response(privacy.export_data(self.get_object(), actor=request.user))

    @extend_schema(request=None, responses={200: LeadSerializer, **ERRORS})
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def erase(self, request: Request, pk: str | None = None) -> Response:
        """Erase this person's data on request: identity and free text go, anonymous
        history and events stay for the reports (admins; audited)."""
        lead = privacy.erase(self.get_object(), actor=request.user)
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], responses={200: NoteSerializer(many=True), **ERRORS})
    @extend_schema(methods=["POST"], request=NoteSerializer,
                   responses={201: NoteSerializer, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def notes(self, request: Request, pk: str | None = None) -> Response:
        """The lead's notes, newest first; anyone who can see the lead can add one."""
        lead = self.get_object()
        if request.method == "POST":
            incoming = NoteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            text = incoming.validated_data["text"]
            note = records.add_note(lead, author=request.user, text=text)
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = lead.notes.select_related("author").order_by("-at")
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(responses={200: StageChangeSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        lead = self.get_object()
        changes = lead.history.select_related("actor").order_by("at", "id")
        return Response(StageChangeSerializer(changes, many=True).data)


@extend_schema_view(
    list=extend_schema(responses={200: CompanySerializer(many=True), **ERRORS}),
)
class CompanyViewSet(viewsets.ModelViewSet):
    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    keyset_fields = ("name", "id")
    default_roles = WRITERS
    roles_by_action = {"list": EVERY_ROLE, "retrieve": EVERY_ROLE, "destroy": ADMINS}


class CampaignViewSet(viewsets.ModelViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    keyset_fields = ("name", "id")
    default_roles = WRITERS
    roles_by_action = {"list": EVERY_ROLE, "retrieve": EVERY_ROLE, "destroy": ADMINS}

    def perform_destroy(self, instance: Campaign) -> None:
        records.delete_campaign(instance)


class SpendEntryViewSet(viewsets.ModelViewSet):
    """Marketing spend per campaign and period: the numerator of cost per lead / SQL."""

    queryset = SpendEntry.objects.all()
    serializer_class = SpendEntrySerializer
    keyset_fields = ("starts_on", "id")
    keyset_default = "-starts_on"
    default_roles = WRITERS
    roles_by_action = {"list": READERS, "retrieve": READERS}


class SalesCostViewSet(viewsets.ModelViewSet):
    """Sales cost per period, added to spend when a cost report asks for it."""

    queryset = SalesCost.objects.all()
    serializer_class = SalesCostSerializer
    keyset_fields = ("starts_on", "id")
    keyset_default = "-starts_on"
    default_roles = ADMINS
    roles_by_action = {"list": READERS, "retrieve": READERS}


class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.prefetch_related("members")
    serializer_class = TeamSerializer
    keyset_fields = ("name", "id")
    default_roles = ADMINS
    roles_by_action = {"list": EVERY_ROLE, "retrieve": EVERY_ROLE}


TOKEN_LIMIT = {
    409: OpenApiResponse(ErrorSerializer, description="You have the most tokens allowed.")
}


class TokenLimitReached(Conflict):
    code = "token_limit"


@extend_schema_view(
    list=extend_schema(responses={200: ApiTokenSerializer(many=True)}),
    create=extend_schema(request=None, responses={201: NewApiTokenSerializer, **TOKEN_LIMIT}),
    destroy=extend_schema(responses={204: None, 404: ERRORS[404]}),
)
class ApiTokenViewSet(viewsets.GenericViewSet):
    """Personal API tokens: stored hashed, expiring; the token itself is shown once."""

    serializer_class = ApiTokenSerializer
    pagination_class = None
    lookup_field = "token_key"
    lookup_value_regex = "[0-9a-f]+"  # knox keys: the token's first hex characters

    queryset = AuthToken.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return AuthToken.objects.filter(user=self.request.user).order_by("-created")

    def list(self, request: Request) -> Response:
        return Response(ApiTokenSerializer(self.get_queryset(), many=True).data)

    def create(self, request: Request) -> Response:
        limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
        with transaction.atomic():
            # The user's row is the lock: two requests at once cannot both take the last
            # place under the limit.
            type(request.user).objects.select_for_update().filter(pk=request.user.pk).first()
            live = AuthToken.objects.filter(user=request.user).filter(
                Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
            )
            if live.count() >= limit:
                raise TokenLimitReached(
                    _("You have %(limit)d API tokens, the most allowed: delete one first.")
                    % {"limit": limit}
                )
            instance, token = AuthToken.objects.create(user=request.user)
        body = ApiTokenSerializer(instance).data | {"token": token}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, token_key: str | None = None) -> Response:
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
