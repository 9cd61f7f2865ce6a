"""The network's pages on the whole stack, as processes: each answers in both
languages, every asset it uses comes from the gateway itself, and none needs a
script."""

import re

import pytest
import requests

PAGES = [
    "/directory",
    "/directory/offers-and-requests",
    "/progress",
    "/evaluation",
    "/newsletter",
    "/suggest?form=join",
]
ASSETS = re.compile(r'<(?:img|link|script|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["cy", "en"])
def test_each_page_answers_in_the_readers_language(stack, path, language):
    response = requests.get(
        stack.url + path,
        headers={"Accept": "text/html", "Accept-Language": language},
        timeout=30,
    )

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in response.text


@pytest.mark.parametrize("path", PAGES)
def test_every_asset_of_a_page_comes_from_the_gateway_and_no_script_is_needed(
    stack, path
):
    html = requests.get(stack.url + path, headers={"Accept": "text/html"}).text

    assets = [url.replace("&amp;", "&") for url in ASSETS.findall(html)]

    assert "<script" not in html
    assert assets and all(
        url.startswith("/") and not url.startswith("//") for url in assets
    )
    for url in assets:
        assert requests.get(stack.url + url, timeout=30).status_code == 200, url
