"""The core's REST API: viewsets, serializers, permissions and URLs."""
