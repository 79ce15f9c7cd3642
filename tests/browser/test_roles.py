"""Each role sees only its own navigation and cannot open another role's pages."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAVIGATION = {
    "marketer": ["Queue", "Nurture", "Leads", "Dashboard", "Campaigns", "Capture"],
    "rep": ["Inbox", "Leads"],
    "manager": ["Team", "Leads", "Dashboard"],
}
FORBIDDEN = {"marketer": "/inbox/", "rep": "/queue/", "manager": "/nurture/"}


@pytest.mark.parametrize("username", list(NAVIGATION))
def test_each_role_sees_its_navigation_and_not_other_roles_pages(
    request, live_server, page, screenshot, username, handoff_defaults
) -> None:
    user = request.getfixturevalue(username)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("secret-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").wait_for()

    links = page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()
    screenshot(username)
    response = page.goto(f"{live_server.url}{FORBIDDEN[username]}")

    assert links == NAVIGATION[username]
    assert response is not None
    assert response.status == 403
