"""pagesight's hands: a Playwright browser, stable screenshots, mouse and keyboard at CSS pixels.

Never imports vision/ or agent/ (errors come from pagesight_errors). Playwright itself is imported
only when a session starts.

    launch       finding Chromium (and Playwright's headless shell), launching, pytest-playwright's args
    session      one page: goto, still screenshots, mouse and keyboard at CSS pixels
    screenshot   a screenshot and the one screenshot-to-CSS conversion
    keys         key names (Playwright's and the aliases people write)
    stability, dom, serve   waiting until still, reading the DOM where pixels cannot, serving a folder
"""

from browser.screenshot import Screenshot, to_css, to_screenshot

__all__ = ["Screenshot", "to_css", "to_screenshot", "BrowserSession", "find_browser", "serve_folder",
           "shared_playwright", "OptionNotFound"]


def __getattr__(name: str):  # lazy: keep `import browser` free of Playwright
    if name == "BrowserSession":
        from browser.session import BrowserSession

        return BrowserSession
    if name == "find_browser":
        from browser.launch import find_browser

        return find_browser
    if name == "shared_playwright":
        from browser.launch import shared_playwright

        return shared_playwright
    if name == "OptionNotFound":
        from browser.dom import OptionNotFound

        return OptionNotFound
    if name == "serve_folder":
        from browser.serve import serve_folder

        return serve_folder
    raise AttributeError(f"module 'browser' has no attribute {name!r}")
