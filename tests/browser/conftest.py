"""Playwright against pytest-django's live server, driving Debian's Chromium (Playwright never downloads one).

Every test gets a fresh browser context, so cookies (language, session) never leak between tests. Console
messages and page errors are collected so a test can assert that the Content Security Policy blocked nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Module-scoped, not session-scoped, so the event loop the sync API keeps
    running in the main thread is gone before tests outside this folder run.

    While it runs, Django would refuse the tests' own database calls (fixtures, flushing) as "async-unsafe".
    They are not: the live server answers in its own thread and each test waits for its page. So the check is
    relaxed for exactly that time."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleLog(list[str]):
    """Every console message and uncaught page error seen by a page, as text."""

    def csp_violations(self) -> list[str]:
        return [line for line in self if "Content Security Policy" in line]


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(browser: Any, console: ConsoleLog) -> Iterator[Callable[..., Any]]:
    """``new_page(width=375, height=740, locale="fr-FR")`` → a page in a fresh context; ``locale`` is what the
    browser asks for in Accept-Language. Contexts are closed after the test."""
    contexts: list[Any] = []

    def make(*, width: int = 1280, height: int = 900, locale: str = "zh-CN", mobile: bool = False) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, is_mobile=mobile, has_touch=mobile
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop page whose browser asks for Chinese, as most visitors' browsers do."""
    return new_page()
