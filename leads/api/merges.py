"""Duplicates through the API: possible duplicates, merging, and undoing a merge."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from leads.access import visible_leads
from leads.api.permissions import ADMINS, WRITERS
from leads.capture import merges
from leads.models import MatchingSettings, MergeRecord
from plumbing.api_fields import ModelSerializer


class MergeRecordSerializer(ModelSerializer):
    class Meta:
        model = MergeRecord
        fields = ["id", "primary", "duplicate", "actor", "at", "moved", "undone_at", "undone_by"]
        read_only_fields = fields


class MergeSerializer(serializers.Serializer):
    primary = serializers.IntegerField()
    duplicate = serializers.IntegerField()


class DuplicatesView(APIView):
    default_roles = WRITERS

    @extend_schema(
        responses={
            200: inline_serializer(
                "Duplicates",
                {
                    "groups": serializers.ListField(
                        child=serializers.ListField(child=serializers.IntegerField())
                    )
                },
            )
        }
    )
    def get(self, request: Request) -> Response:
        """Leads with the same name at the same company but different emails."""
        return Response({"groups": merges.possible_duplicates()})


class MergeViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = MergeRecord.objects.all()
    serializer_class = MergeRecordSerializer
    keyset_fields = ("id",)
    keyset_default = "-id"
    default_roles = WRITERS

    @extend_schema(request=MergeSerializer, responses={201: MergeRecordSerializer})
    def create(self, request: Request) -> Response:
        """Merge ``duplicate`` into ``primary``: everything is kept, and can be undone."""
        form = MergeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        leads = visible_leads(request.user)
        primary = get_object_or_404(leads, pk=form.validated_data["primary"])
        duplicate = get_object_or_404(leads, pk=form.validated_data["duplicate"])
        record = merges.merge(primary, duplicate, actor=request.user)
        return Response(MergeRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: MergeRecordSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        record = merges.undo(get_object_or_404(MergeRecord, pk=pk), actor=request.user)
        return Response(MergeRecordSerializer(record).data)


class MatchingSettingsSerializer(ModelSerializer):
    class Meta:
        model = MatchingSettings
        fields = ["ignore_plus_addressing"]


class MatchingSettingsView(APIView):
    """How entry points recognise a lead they already have (admins)."""

    default_roles = ADMINS

    @extend_schema(responses={200: MatchingSettingsSerializer})
    def get(self, request: Request) -> Response:
        return Response(MatchingSettingsSerializer(MatchingSettings.current()).data)

    @extend_schema(request=MatchingSettingsSerializer, responses={200: MatchingSettingsSerializer})
    def put(self, request: Request) -> Response:
        form = MatchingSettingsSerializer(MatchingSettings.current(), data=request.data)
        form.is_valid(raise_exception=True)
        form.save()
        return Response(form.data)
