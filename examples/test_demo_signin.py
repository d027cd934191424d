"""Sign in to the demo site and check the dashboard, the way a person would.

Run: pytest examples/test_demo_signin.py   (add --headed to watch, -n 2 to spread over two workers)
Needs no conftest: pagesight's pytest plugin gives the `ui` fixture and finds a Chromium.
"""

from pathlib import Path

import pytest

from agent import expect
from browser.serve import serve_folder

SITE = Path(__file__).resolve().parent.parent / "scenarios" / "site"


@pytest.fixture(scope="module")
def site():
    """The demo site on a free localhost port."""
    with serve_folder(SITE) as url:
        yield url


def test_sign_in_shows_the_dashboard(ui, site):
    ui.goto(f"{site}/login.html")
    ui.fill('"Email address" field', "alice@example.com")
    ui.fill('"Password" field', "correct horse")
    ui.click('"Sign in" button')

    expect(ui).to_show('"Welcome, alice"')
    expect(ui).to_show('"Projects"')
    expect(ui).to_show('"Apollo"')  # the first row of the Projects table
    expect(ui).not_to_show('"Sign in" button')


def test_empty_form_says_what_is_missing(ui, site):
    ui.goto(f"{site}/login.html")
    ui.click('"Sign in" button')
    expect(ui).to_show('"Please enter your email and password"')
