import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/calendar/2026/0/", "/calendar/2026/13/", "/calendar/1999/1/"])
def test_impossible_months_are_not_found(client, path: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(path).status_code == 404


def test_a_month_page_lists_its_days(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("portal:calendar_month", args=[2026, 10]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-date="2026-10-10"' in page and 'data-date="2026-10-31"' in page
    assert 'data-date="2026-11-01"' not in page
