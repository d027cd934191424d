"""pagesight's hands: a Playwright browser, stable screenshots, mouse and keyboard at CSS pixels.

Never imports vision/. Playwright itself is imported only when a session starts.
"""

from browser.screenshot import Screenshot, to_css, to_screenshot

__all__ = ["Screenshot", "to_css", "to_screenshot", "BrowserSession", "find_browser", "serve_folder"]


def __getattr__(name: str):  # lazy: keep `import browser` free of Playwright
    if name == "BrowserSession":
        from browser.session import BrowserSession

        return BrowserSession
    if name == "find_browser":
        from browser.launch import find_browser

        return find_browser
    if name == "serve_folder":
        from browser.serve import serve_folder

        return serve_folder
    raise AttributeError(f"module 'browser' has no attribute {name!r}")
