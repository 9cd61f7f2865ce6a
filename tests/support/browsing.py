"""A browser's way through the site's forms over plain HTTP: read the form's
token from the page, then post the form with it."""

import re

import requests

PAGE = {"Accept": "text/html"}


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def browser(cookies: dict | None = None, language: str = "en") -> requests.Session:
    session = requests.Session()
    session.headers.update({**PAGE, "Accept-Language": language})
    session.cookies.update(cookies or {})
    return session


def post_form(
    session: requests.Session, page_url: str, action_url: str, data: dict
) -> requests.Response:
    """Open `page_url`, then post `data` to `action_url` as its form would."""
    token = form_token(session.get(page_url, timeout=20).text)
    return session.post(action_url, data={**data, "csrf_token": token}, timeout=20)
