"""The router every app's API uses."""

from rest_framework.routers import DefaultRouter


class ApiRouter(DefaultRouter):
    """Ids in API paths are whole numbers unless a viewset sets its own
    ``lookup_value_regex``: ``/api/leads/abc/`` is a 404 from the URL resolver, not a
    lookup that the database refuses with an error."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "[0-9]+"
