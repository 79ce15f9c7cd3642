"""What every journey test holds the product to, whatever the role.

A journey is a person's day on the pages only. The ``journey`` fixture (see conftest) gives
a test a :class:`Journey`: a browser page in one of three variants (a wide screen, a phone
at 390 × 844, a wide screen in Spanish) that watches everything the person cannot see and
fails the test at its end on:

- a console error or an uncaught exception;
- a response of 400 or above that the test did not say it expects (``journey.expect_status``);
- a polling storm: more than three background GETs (htmx, fetch) to one URL within any
  15 seconds;

and, each time the test calls :meth:`Journey.check` on a page it reached:

- on the phone: a page wider than the screen (the person would have to scroll sideways);
- in Spanish: an English sentence from the catalogue left on the page.
"""

import re
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import polib

STORM_WINDOW_S = 15.0
STORM_MAX_REQUESTS = 3
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"
PASSWORD = "secret-pass-123"  # the factories' password
LOAD_FAILED = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


@dataclass(frozen=True)
class Variant:
    name: str
    width: int
    height: int
    language: str

    @property
    def phone(self) -> bool:
        return self.width < 600

    @property
    def spanish(self) -> bool:
        return self.language == "es"


VARIANTS = [
    Variant("wide", 1280, 900, "en"),
    Variant("phone", 390, 844, "en"),
    Variant("spanish", 1280, 900, "es"),
]


@cache
def english_sentences() -> tuple[str, ...]:
    """Catalogue texts that, on a Spanish page, can only be English left over.

    Only sentences of three words or more whose translation differs (short words such as
    "Email" or "MQL" are the same in both); a text with placeholders contributes its longest
    fixed part when that part is itself a sentence."""
    sentences: set[str] = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.msgstr or entry.msgstr == entry.msgid or entry.obsolete:
            continue
        for part in re.split(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|<[^>]+>", entry.msgid):
            part = part.strip(" .:,;—-()«»\"'")
            if len(part.split()) >= 3 and part not in entry.msgstr:
                sentences.add(part)
    return tuple(sorted(sentences, key=len, reverse=True))


@dataclass
class Journey:
    page: Any
    base_url: str
    variant: Variant
    problems: list[str] = field(default_factory=list)
    _expected: list[tuple[int, str]] = field(default_factory=list)
    _background: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    # --- acting as the person ------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def visit(self, path: str) -> None:
        self.page.goto(self.url(path))

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the login page, in the variant's language."""
        page = self.page
        page.goto("about:blank")  # stop the previous page's polling before switching user
        page.context.clear_cookies()
        page.goto(self.url("/accounts/login/"))
        # The Spanish variant's browser asks for Spanish (Accept-Language), as a person's
        # browser in Spain does; nobody has to find the switcher first.
        page.get_by_label(self.t("Username", "Usuario")).fill(username)
        page.get_by_label(self.t("Password", "Contraseña")).fill(password)
        page.get_by_role("button", name=self.t("Log in", "Iniciar sesión")).click()
        page.wait_for_load_state()

    def t(self, english: str, spanish: str) -> str:
        """The text the person reads in this variant's language."""
        return spanish if self.variant.spanish else english

    @contextmanager
    def expect_status(self, status: int, url_part: str = "") -> Iterator[None]:
        """Within the block, a response with this status (to a URL containing url_part) is
        what the test expects (a refused form, say), not a failure."""
        self._expected.append((status, url_part))
        try:
            yield
        finally:
            self._expected.remove((status, url_part))

    # --- what the person would notice ----------------------------------------------------

    def check(self) -> None:
        """Hold the page as it is now to the variant's rules (sideways scroll, English)."""
        page = self.page
        page.wait_for_load_state()
        where = page.url.removeprefix(self.base_url)
        if self.variant.phone:
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            if overflow > 1:
                wide = page.evaluate(WIDEST_ELEMENTS_JS)
                self.problems.append(
                    f"{where}: page is {overflow}px wider than the phone's screen ({wide})"
                )
        if self.variant.spanish:
            text = page.locator("body").inner_text()
            left = [sentence for sentence in english_sentences() if sentence in text]
            if left:
                self.problems.append(f"{where}: English on a Spanish page: {left[:5]}")

    # --- watching the network and the console -------------------------------------------

    def watch(self) -> None:
        page = self.page
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    def _on_console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium also reports every 4xx/5xx on the console ("Failed to load resource: the
        # server responded with a status of 400"); one the test declared expected is not an
        # error of the page's own.
        loaded = LOAD_FAILED.match(message.text)
        if loaded and self._is_expected(int(loaded.group(1)), page_url(message)):
            return
        self.problems.append(f"console error: {message.text} ({page_url(message)})")

    def _is_expected(self, status: int, url: str) -> bool:
        return any(status == want and part in url for want, part in self._expected)

    def _on_response(self, response: Any) -> None:
        status = response.status
        if status < 400:
            return
        url = response.url
        if self._is_expected(status, url):
            return
        self.problems.append(f"unexpected {status} from {response.request.method} {url}")

    def _on_request(self, request: Any) -> None:
        if request.method == "GET" and request.resource_type in {"xhr", "fetch"}:
            self._background[request.url].append(time.monotonic())

    def storms(self) -> list[str]:
        found = []
        for url, times in self._background.items():
            for index in range(len(times) - STORM_MAX_REQUESTS):
                span = times[index + STORM_MAX_REQUESTS] - times[index]
                if span < STORM_WINDOW_S:
                    found.append(
                        f"polling storm: {STORM_MAX_REQUESTS + 1} background GETs of {url} "
                        f"within {span:.1f}s"
                    )
                    break
        return found

    def background_requests(self, url_part: str) -> int:
        return sum(len(times) for url, times in self._background.items() if url_part in url)


def page_url(message: Any) -> str:
    location = message.location or {}
    return location.get("url", "")


# The elements that stick out of the screen, for a message that says where to look.
WIDEST_ELEMENTS_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
      out.push(name + ' ' + Math.round(box.right) + 'px');
      if (out.length >= 5) break;
    }
  }
  return out.join(', ');
}"""
