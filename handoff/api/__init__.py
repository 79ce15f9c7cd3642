"""The handoff app's REST API: viewsets, serializers and URLs."""
