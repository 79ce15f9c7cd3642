"""The scoring app's REST API: viewsets, serializers, key auth and URLs."""
