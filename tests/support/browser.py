"""Headless Chromium for the browser tests: Debian's `chromium` driven through its
`chromedriver` by Selenium, with axe-core (from tests/node) to check each page's
accessibility, and a watch for any dialog a page's script opened."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(__file__).parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=480,1000",
)
BLOCKING = ("serious", "critical")


def ensure_chromium() -> None:
    """Install Debian's chromium when it is missing and we may; else say how."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        install = ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(install, check=True, capture_output=True)
        return
    pytest.fail(
        "The browser tests need Chromium at /usr/bin/chromium and its driver at "
        "/usr/bin/chromedriver: sudo apt-get install chromium chromium-driver"
    )


def start_chromium(scripts: bool = True) -> webdriver.Chrome:
    ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ARGS:
        options.add_argument(argument)
    if not scripts:
        settings = {"profile.managed_default_content_settings.javascript": 2}
        options.add_experimental_option("prefs", settings)
    # A dialog stays open, so that `dialogs_opened` can see it.
    options.unhandled_prompt_behavior = "ignore"
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


class Browser:
    """One Chromium, and what the tests ask of its page."""

    def __init__(self, base_url: str, scripts: bool = True):
        self.base_url, self.scripts = base_url, scripts
        self.driver = start_chromium(scripts)
        # A page that is still arriving after a click is waited for a little.
        self.driver.implicitly_wait(2)

    def quit(self) -> None:
        self.driver.quit()

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self) -> str:
        return self.find("body").text

    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def fill(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def go(self, css: str) -> None:
        """Click what `css` finds (a link, a form's button) and wait for the
        page it leads to."""
        self.driver.execute_script("window.leftBehind = true;")
        self.find(css).click()
        # The next page is a new document, without the mark; while it arrives
        # the driver may answer with errors, which mean "not yet".
        WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return !window.leftBehind && document.readyState === 'complete';"
            )
        )

    def choose(self, css: str, value: str) -> None:
        self.find(f"{css} option[value='{value}']").click()

    def foreign_assets(self) -> list[str]:
        """Scripts, styles and pictures of the page served by anyone else."""
        addresses = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('[src], link[href]'))"
            ".map(e => e.src || e.href);"
        )
        return [a for a in addresses if not a.startswith(self.base_url + "/")]

    def dialog_opened(self) -> bool:
        try:
            self.driver.switch_to.alert.dismiss()
        except NoAlertPresentException:
            return False
        return True

    def serious_violations(self) -> list[dict]:
        """axe-core's serious and critical findings on the page as it is now."""
        self.driver.execute_script(AXE.read_text())
        found = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done(JSON.stringify(r.violations)));"
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [n["html"][:120] for n in v["nodes"]],
            }
            for v in json.loads(found)
            if v["impact"] in BLOCKING
        ]

    def keep_screenshot(self, name: str) -> None:
        """Keep the page as docs/screenshots/<name>.png when SCREENSHOTS=1
        (`make screenshots`); the committed pictures are not rewritten by
        every run."""
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
