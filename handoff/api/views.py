"""Handoff's REST API: my handoffs, accept / reject / reassign, sending MQLs to sales,
contact attempts, qualifying answers, SQL / won / lost, notifications, and the admin's
routing rules, reasons, questions, webhooks and settings."""

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from handoff import handoffs, notify, qualification
from handoff.api.serializers import (
    AnswerSerializer,
    AnswersInSerializer,
    ContactAttemptSerializer,
    ConvertSerializer,
    FollowUpSerializer,
    HandoffSerializer,
    HandoffSettingsSerializer,
    LoseSerializer,
    NotificationSerializer,
    QualifyingQuestionSerializer,
    ReassignSerializer,
    RejectReasonSerializer,
    RejectSerializer,
    RepProfileSerializer,
    RoutingRuleSerializer,
    SendToSalesSerializer,
    TeamHoursSerializer,
    WebhookEndpointSerializer,
)
from handoff.models import (
    ContactAttempt,
    FollowUp,
    Handoff,
    HandoffSettings,
    Notification,
    QualifyingQuestion,
    RejectReason,
    RepProfile,
    RoutingRule,
    TeamHours,
    WebhookEndpoint,
)
from leads import lifecycle, system_texts
from leads.access import visible_leads
from leads.api.permissions import ADMINS, EVERY_ROLE
from leads.api.serializers import LeadSerializer
from leads.models import Lead
from leads.roles import Role
from leads.stages import Stage
from plumbing.api_errors import ErrorSerializer
from plumbing.errors import DomainError

SALES = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})
SENDERS = frozenset({Role.MARKETER, Role.MANAGER, Role.ADMIN})
ERRORS = {
    403: OpenApiResponse(ErrorSerializer),
    404: OpenApiResponse(ErrorSerializer),
    409: OpenApiResponse(ErrorSerializer),
}


class HandoffViewSet(viewsets.ReadOnlyModelViewSet):
    """Reps see theirs (pending first, most urgent first); managers their team's."""

    serializer_class = HandoffSerializer
    pagination_class = None
    default_roles = EVERY_ROLE
    roles_by_action = {"accept": SALES, "reject": SALES, "reassign": SALES}

    def get_queryset(self) -> QuerySet[Handoff]:
        leads = visible_leads(self.request.user)
        queryset = Handoff.objects.filter(lead__in=leads).select_related(
            "lead__company", "reject_reason"
        )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        if self.request.query_params.get("mine"):
            queryset = queryset.filter(rep=self.request.user)
        # Waiting ones first, nearest deadline first: the list reads as what to do next.
        pending_first = Case(
            When(status=Handoff.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        # Bounded rather than paginated: open work fits, and history is in the reports.
        return queryset.order_by(pending_first, "due_at", "-created_at")[:500]

    def get_object(self) -> Handoff:
        leads = visible_leads(self.request.user)
        # Scoped like the list: a handoff of a lead you cannot see is a 404 (not a 403), so
        # ids tell nothing about leads outside your view.
        return get_object_or_404(Handoff.objects.filter(lead__in=leads), pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={200: HandoffSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        handoff = handoffs.accept(self.get_object(), actor=request.user)
        return Response(HandoffSerializer(handoff).data)

    @extend_schema(request=RejectSerializer, responses={200: HandoffSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        handoff = self.get_object()
        form = RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        handoff = handoffs.reject(handoff, actor=request.user, **form.validated_data)
        return Response(HandoffSerializer(handoff).data)

    @extend_schema(request=ReassignSerializer, responses={200: HandoffSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        handoff = self.get_object()
        form = ReassignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        new = handoffs.reassign(handoff, actor=request.user, rep=form.validated_data["rep"])
        return Response(HandoffSerializer(new).data)


ResultItem = inline_serializer(
    "SendToSalesResult",
    many=True,
    fields={
        "lead": serializers.IntegerField(),
        "status": serializers.CharField(),
        "handoff": serializers.IntegerField(required=False),
        "detail": serializers.CharField(required=False),
    },
)


class SendToSalesView(APIView):
    """Send MQLs to sales now (one or many): each lead gets its own result."""

    default_roles = SENDERS

    @extend_schema(request=SendToSalesSerializer, responses={200: ResultItem})
    def post(self, request: Request) -> Response:
        form = SendToSalesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        visible = set(
            visible_leads(request.user)
            .filter(pk__in=form.validated_data["leads"])
            .values_list("pk", flat=True)
        )
        results: list[dict[str, Any]] = []
        for lead_id in form.validated_data["leads"]:
            if lead_id not in visible:
                results.append({"lead": lead_id, "status": "error", "detail": "Not found."})
                continue
            try:
                handoff = handoffs.send_to_sales(Lead(pk=lead_id), actor=request.user)
                results.append({"lead": lead_id, "status": "sent", "handoff": handoff.pk})
            except DomainError as error:
                results.append({"lead": lead_id, "status": "error", "detail": error.message})
        return Response(results)


class LeadSalesView(APIView):
    """Base for the per-lead sales actions: the lead must be visible to the caller."""

    default_roles = SALES

    def lead(self, request: Request, pk: int) -> Lead:
        return get_object_or_404(visible_leads(request.user), pk=pk)


class AttemptsView(LeadSalesView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "Attempts",
                {
                    "attempts": ContactAttemptSerializer(many=True),
                    "next_attempt_due": serializers.DateTimeField(allow_null=True),
                    "unresponsive_allowed": serializers.BooleanField(),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        progress = qualification.attempts_progress(lead)
        return Response(
            {
                "attempts": ContactAttemptSerializer(
                    ContactAttempt.objects.filter(lead=lead), many=True
                ).data,
                "next_attempt_due": progress.next_due,
                "unresponsive_allowed": progress.met,
            }
        )

    @extend_schema(request=ContactAttemptSerializer, responses={201: ContactAttemptSerializer})
    def post(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        form = ContactAttemptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        attempt = qualification.log_attempt(lead, actor=request.user, **form.validated_data)
        return Response(ContactAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


class AnswersView(LeadSalesView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "Answers",
                {
                    "answers": AnswerSerializer(many=True),
                    "missing_for_sql": serializers.ListField(child=serializers.CharField()),
                },
            )
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        return Response(
            {
                "answers": AnswerSerializer(lead.answers.all(), many=True).data,
                "missing_for_sql": qualification.missing_for_sql(lead),
            }
        )

    @extend_schema(request=AnswersInSerializer, responses={200: AnswerSerializer(many=True)})
    def put(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        form = AnswersInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        qualification.record_answers(
            lead, actor=request.user, answers=form.validated_data["answers"]
        )
        return self.get(request, pk)


def _moved(lead: Lead) -> Response:
    lead.refresh_from_db()
    return Response(LeadSerializer(lead).data)


class QualifyView(LeadSalesView):
    """SAL → SQL when the required answers meet the criteria (409 lists what is missing)."""

    @extend_schema(request=None, responses={200: LeadSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        lifecycle.transition(lead, Stage.SQL, actor=request.user, expected_from=Stage.SAL)
        return _moved(lead)


class ConvertView(LeadSalesView):
    @extend_schema(request=ConvertSerializer, responses={200: LeadSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        form = ConvertSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        lifecycle.transition(
            lead, Stage.CUSTOMER, actor=request.user, expected_from=Stage.SQL, **form.validated_data
        )
        return _moved(lead)


class LoseView(LeadSalesView):
    @extend_schema(request=LoseSerializer, responses={200: LeadSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        lead = self.lead(request, pk)
        form = LoseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reason = form.validated_data["reason"]
        lifecycle.transition(
            lead,
            Stage.NURTURE,
            actor=request.user,
            expected_from=Stage.SQL,
            reason=system_texts.text("handoff.closed_lost", reason=reason),
        )
        return _moved(lead)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    keyset_fields = ("id",)
    keyset_default = "-id"

    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(
        responses={200: inline_serializer("Unread", {"unread": serializers.IntegerField()})}
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": notify.unread_count(request.user)})  # as the bell

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        # Only the first read is kept: opening it again does not move when it was seen.
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ReadAll", {"read": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        # One update, no read first: exactly the rows unread at this instant; a notification
        # arriving meanwhile stays unread, as the reader has not seen it.
        count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return Response({"read": count})


class AdminResource(viewsets.ModelViewSet):
    """Criteria the admin edits; everyone may read them (reps see the reject reasons)."""

    keyset_fields = ("id",)
    default_roles = ADMINS
    roles_by_action = {"list": EVERY_ROLE, "retrieve": EVERY_ROLE}


class RoutingRuleViewSet(AdminResource):
    queryset = RoutingRule.objects.prefetch_related("pool")
    serializer_class = RoutingRuleSerializer


class RejectReasonViewSet(AdminResource):
    queryset = RejectReason.objects.all()
    serializer_class = RejectReasonSerializer


class QualifyingQuestionViewSet(AdminResource):
    queryset = QualifyingQuestion.objects.all()
    serializer_class = QualifyingQuestionSerializer


class WebhookEndpointViewSet(AdminResource):
    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer
    roles_by_action: dict[str, Any] = {}


class RepProfileViewSet(AdminResource):
    queryset = RepProfile.objects.all()
    serializer_class = RepProfileSerializer


class TeamHoursViewSet(AdminResource):
    queryset = TeamHours.objects.all()
    serializer_class = TeamHoursSerializer


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FollowUpSerializer
    keyset_fields = ("id",)
    keyset_default = "-id"

    def get_queryset(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(lead__in=visible_leads(self.request.user))


class HandoffSettingsView(APIView):
    default_roles = ADMINS

    @extend_schema(responses={200: HandoffSettingsSerializer})
    def get(self, request: Request) -> Response:
        return Response(HandoffSettingsSerializer(HandoffSettings.current()).data)

    @extend_schema(request=HandoffSettingsSerializer, responses={200: HandoffSettingsSerializer})
    def put(self, request: Request) -> Response:
        form = HandoffSettingsSerializer(HandoffSettings.current(), data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        form.save()
        return Response(form.data)
