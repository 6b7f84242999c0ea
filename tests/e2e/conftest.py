"""The end-to-end tests drive the same real Chromium as the browser tests."""

from tests.browser.conftest import browser, console, new_page  # noqa: F401  (fixtures)

from massline.consultations.tests.conftest import kinds, village  # noqa: F401  (fixtures)
