"""The bell's count on every page, rendered with the page: the bell then needs no request of
its own when a page opens, only its refresh every 10 s (a person going through four pages
in a few seconds would otherwise fetch the bell four times)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_alerts(context: template.Context) -> int:
    from handoff.notify import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
