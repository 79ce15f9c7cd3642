"""Scoring's REST API: event ingestion, event types, source keys, scoring models and their
versions, re-scoring progress, learned likelihood, and each lead's score explanation."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from leads.access import visible_leads
from leads.api.permissions import ADMINS, EVERY_ROLE, WRITERS
from plumbing.api_errors import ErrorSerializer
from plumbing.errors import Conflict
from plumbing.json_input import BoundedJSONParser
from plumbing.limits import hits_this_minute, over_limit, seconds_to_next_minute
from scoring import tracking, versions
from scoring.api.auth import SendsEvents, SourceKeyAuthentication, SourceKeyRateThrottle
from scoring.api.serializers import (
    EventTypeSerializer,
    LikelihoodModelSerializer,
    RescoreJobSerializer,
    ScoringModelSerializer,
    SourceApiKeySerializer,
    TrackingSiteSerializer,
    WebFormSerializer,
)
from scoring.criteria import active_spec, spec_for
from scoring.explain import explain
from scoring.ingest import MAX_BATCH, ingest
from scoring.learning import training
from scoring.learning.features import LeakingFeature
from scoring.models import (
    EventType,
    LikelihoodModel,
    RescoreJob,
    ScoringModel,
    SourceApiKey,
    SourceKind,
    TrackingSite,
    WebForm,
)
from scoring.preview import preview
from scoring.rescoring import start_job
from scoring.tasks import run_rescore_job
from scoring.webforms import embed_snippet, public_base_url

# A batch of 1,000 events with 16 KB of properties each stays under this.
MAX_BODY_BYTES = 20 * 1024 * 1024
# Events a source key may send in a minute for lead ids (or external ids) that name no
# lead, before it must wait: enough for a sender's honest mistakes, too few to map ids.
UNKNOWN_LEAD_IDS_PER_MINUTE = 100
LEAD_KEYS = {"lead_id", "lead_external_id"}

ITEM_RESULTS = inline_serializer(
    "EventResult",
    many=True,
    fields={
        "index": serializers.IntegerField(),
        "status": serializers.ChoiceField(["created", "duplicate", "error"]),
        "id": serializers.IntegerField(required=False),
        "lead": serializers.IntegerField(required=False),
        "errors": serializers.DictField(child=serializers.ListField(), required=False),
    },
)


class EventIngestView(APIView):
    """Post one behaviour event, a list, or ``{"events": [...]}`` (at most 1,000).

    Authenticate with ``Authorization: Api-Key <key>``. Each item needs ``type`` and one of
    ``lead_id``, ``lead_external_id`` or ``email`` (an unknown email creates a lead); send
    your own ``id`` so a retry is stored once. Every item gets its own result.
    """

    authentication_classes = [SourceKeyAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [SendsEvents]
    throttle_classes = [SourceKeyRateThrottle]
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: inline_serializer(
                "IngestResult",
                {"created": serializers.IntegerField(), "duplicates": serializers.IntegerField(),
                 "errors": serializers.IntegerField(),
                 "results": ITEM_RESULTS},
            ),
            400: OpenApiResponse(description="Malformed body, or no item could be stored."),
            401: OpenApiResponse(ErrorSerializer, description="No valid API key."),
            413: OpenApiResponse(ErrorSerializer, description="More than 1,000 events."),
            429: OpenApiResponse(ErrorSerializer, description="Over this key's rate limit."),
        },
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # the body's own size is checked by the parser's limit
        if length > MAX_BODY_BYTES:
            return _too_large()
        body = request.data
        items = body.get("events", body) if isinstance(body, dict) else body
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not items:
            return Response(
                {"detail": _('Send an event, a list of events, or {"events": [...]}.')},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if len(items) > MAX_BATCH:
            return _too_large()
        key = request.auth if isinstance(request.auth, SourceApiKey) else None
        probe = f"unknown-lead-ids:{key.pk}" if key is not None else ""
        if probe and hits_this_minute(probe) >= UNKNOWN_LEAD_IDS_PER_MINUTE:
            # A key is for sending events, not for learning which lead ids exist: after a
            # minute's share of ids that name no lead, it waits for the next minute.
            response = Response(
                {"detail": _("Too many events for lead ids that do not exist: try again in "
                             "a minute."), "code": "unknown_leads"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )  # fmt: skip
            response["Retry-After"] = str(seconds_to_next_minute())
            return response
        if key is not None:
            source, kind = key.source, key.source_kind
        else:
            source = body.get("source") if isinstance(body, dict) else None
            kind = SourceKind.FIRST_PARTY
            if not isinstance(source, str) or not source.strip():
                return Response(
                    {"source": [_("Say which source these events come from.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        results = ingest(
            items, source=source.strip()[:100], source_kind=kind,
            actor=None if key else request.user,
            unknown_budget=UNKNOWN_LEAD_IDS_PER_MINUTE - hits_this_minute(probe) if probe else None,
        )  # fmt: skip
        # Items left unchecked over the budget told nothing: only "no such lead" counts.
        no_such_lead = _("No lead has this id.")
        unknown = sum(
            1 for result in results
            if any(field in LEAD_KEYS and no_such_lead in messages
                   for field, messages in result.get("errors", {}).items())
        )  # fmt: skip
        if probe and unknown:
            over_limit(probe, per_minute=UNKNOWN_LEAD_IDS_PER_MINUTE, hits=unknown)
        tally = {name: sum(1 for r in results if r["status"] == name)
                 for name in ("created", "duplicate", "error")}  # fmt: skip
        body_out = {
            "created": tally["created"], "duplicates": tally["duplicate"],
            "errors": tally["error"], "results": results,
        }  # fmt: skip
        ok = tally["error"] < len(results)
        return Response(body_out, status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)


def _too_large() -> Response:
    return Response(
        {"detail": _("At most %d events in one request.") % MAX_BATCH, "code": "too_large"},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class EventTypeViewSet(viewsets.ModelViewSet):
    queryset = EventType.objects.all()
    serializer_class = EventTypeSerializer
    keyset_fields = ("code", "id")
    default_roles = ADMINS
    roles_by_action = {"list": EVERY_ROLE, "retrieve": EVERY_ROLE}

    def perform_destroy(self, instance: EventType) -> None:
        if instance.builtin:
            raise Conflict(_("Built-in event types cannot be removed."))
        instance.delete()


class SourceApiKeyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Keys for event senders: the key is shown once, when created; stored hashed."""

    queryset = SourceApiKey.objects.order_by("-created")
    serializer_class = SourceApiKeySerializer
    lookup_value_regex = "[^/]+"  # key ids are "<prefix>.<hash>"
    keyset_fields = ("id",)
    keyset_default = "-id"
    default_roles = ADMINS

    @extend_schema(
        request=SourceApiKeySerializer,
        responses={201: inline_serializer("NewSourceKey", {"key": serializers.CharField(),
                                                            "api_key": SourceApiKeySerializer()})},
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        form = SourceApiKeySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        api_key, key = SourceApiKey.objects.create_key(**form.validated_data)
        return Response(
            {"key": key, "api_key": SourceApiKeySerializer(api_key).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: SourceApiKeySerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        api_key = self.get_object()
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
        return Response(SourceApiKeySerializer(api_key).data)


class ScoringModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of the scoring criteria. Drafts are edited; ``copy`` starts a draft from any
    version; ``preview`` compares a draft with the active one; ``activate`` puts it in force
    and re-scores every lead in the background."""

    serializer_class = ScoringModelSerializer
    keyset_fields = ("version",)
    keyset_default = "-version"
    default_roles = ADMINS
    roles_by_action = {"list": WRITERS, "retrieve": WRITERS, "preview": WRITERS}

    def get_queryset(self) -> QuerySet[ScoringModel]:
        return ScoringModel.objects.prefetch_related("fit_rules", "intent_rules")

    @extend_schema(request=None, responses={201: ScoringModelSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        draft = versions.copy_to_draft(self.get_object(), actor=request.user)
        return Response(self.get_serializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={202: RescoreJobSerializer, 409: OpenApiResponse(ErrorSerializer)},
    )
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        job = versions.activate(self.get_object(), actor=request.user)
        return Response(RescoreJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        model = self.get_object()
        return Response(preview(spec_for(model), active_spec()))


class WebFormViewSet(viewsets.ModelViewSet):
    queryset = WebForm.objects.all()
    serializer_class = WebFormSerializer
    keyset_fields = ("id",)
    # Marketers build and change forms (their campaigns' landing pages); deleting one,
    # which takes its submissions with it, is for admins.
    default_roles = WRITERS
    roles_by_action = {"destroy": ADMINS}

    @extend_schema(
        responses={
            200: inline_serializer(
                "FormSnippet", {"url": serializers.URLField(), "html": serializers.CharField()}
            )
        }
    )
    @action(detail=True, methods=["get"])
    def snippet(self, request: Request, pk: str | None = None) -> Response:
        """The public URL and the HTML to paste into a landing page."""
        form = self.get_object()
        base = public_base_url(request)
        return Response(
            {"url": f"{base.rstrip('/')}/f/{form.key}/", "html": embed_snippet(form, base)}
        )


class TrackingSiteViewSet(viewsets.ModelViewSet):
    queryset = TrackingSite.objects.all()
    serializer_class = TrackingSiteSerializer
    keyset_fields = ("id",)
    default_roles = ADMINS
    roles_by_action = {"list": WRITERS, "retrieve": WRITERS, "snippet": WRITERS}

    @extend_schema(
        responses={200: inline_serializer("TrackingSnippet", {"html": serializers.CharField()})}
    )
    @action(detail=True, methods=["get"])
    def snippet(self, request: Request, pk: str | None = None) -> Response:
        """The script tag to add to every page of the site."""
        return Response({"html": tracking.snippet(self.get_object(), public_base_url(request))})


class RescoreJobViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RescoreJob.objects.all()
    serializer_class = RescoreJobSerializer
    keyset_fields = ("id",)
    keyset_default = "-id"
    default_roles = WRITERS
    roles_by_action = {"start": ADMINS}

    @extend_schema(request=None, responses={202: RescoreJobSerializer})
    @action(detail=False, methods=["post"], url_path="start")
    def start(self, request: Request) -> Response:
        """Re-score every lead now with the active version (admins)."""
        job = start_job(reason=RescoreJob.Reason.MANUAL)
        if job is None:
            raise Conflict(_("A re-scoring job is already running."))
        run_rescore_job.delay_on_commit(job.pk)
        return Response(RescoreJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class LikelihoodModelViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LikelihoodModel.objects.all()
    serializer_class = LikelihoodModelSerializer
    keyset_fields = ("id",)
    keyset_default = "-id"
    default_roles = ADMINS

    @extend_schema(request=None, responses={202: LikelihoodModelSerializer})
    @action(detail=False, methods=["post"])
    def train(self, request: Request) -> Response:
        """Queue training on every lead with a known outcome (a worker fits it; watch
        ``status`` and ``progress``). ``kind``: logistic (default) or boosting. The new
        model replaces the active one only if its hold-out AUC is better by the margin."""
        kind = request.data.get("kind") or LikelihoodModel.Kind.LOGISTIC
        if kind not in LikelihoodModel.Kind.values:
            raise ValidationError({"kind": _("Unknown model kind.")})
        try:
            model = training.queue_training(actor=request.user, kind=kind)
        except LeakingFeature as error:
            raise ValidationError({"features": str(error)}) from error
        return Response(LikelihoodModelSerializer(model).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: LikelihoodModelSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Use this model whatever its figures (a promotion by hand, or a rollback to an
        older one): a worker rewrites every lead's likelihood with it."""
        from scoring.tasks import activate_likelihood_model

        model = self.get_object()
        if model.status != LikelihoodModel.Status.READY:
            raise Conflict(_("Only a trained model can be used."))
        activate_likelihood_model.delay_on_commit(model.pk)
        return Response(LikelihoodModelSerializer(model).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    responses={
        200: inline_serializer(
            "LeadScoreExplanation",
            {"version": serializers.IntegerField(),
             "computed_at": serializers.DateTimeField(allow_null=True),
             "fit": serializers.IntegerField(),
             "intent": serializers.IntegerField(),
             "likelihood": serializers.IntegerField(allow_null=True),
             "grade": serializers.CharField(), "hot": serializers.BooleanField(),
             "qualifies": serializers.BooleanField(),
             "contributions": serializers.ListField(child=serializers.DictField()),
             "likelihood_reasons": serializers.ListField(child=serializers.DictField()),
             "likelihood_explanation": serializers.DictField(allow_null=True)},
        ),
        404: OpenApiResponse(ErrorSerializer),
    }
)  # fmt: skip
class LeadScoreView(APIView):
    """Why a lead scores what it does: every rule that fired and its points (as last scored)."""

    def get(self, request: Request, pk: int) -> Response:
        lead = get_object_or_404(visible_leads(request.user).select_related("company"), pk=pk)
        return Response(explain(lead, with_likelihood_reasons=True))
