"""Regenerate the Element Plus and antd test-bed pages from their sources in this folder.

The sources mount real Vue + Element Plus or React + antd components (from ../node_modules, see
../README.md). This script opens each one in headless Chromium at 1280x800, waits until it sets
`window.__ready`, and saves the rendered DOM as a static page next to ../index.html: every <script>
dropped, live form state copied into attributes, stylesheets pointed at ../vendor/.

    cd bench/testbed && npm ci && python src/render.py [NAME ...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from browser.serve import serve_folder  # noqa: E402

TESTBED = Path(__file__).resolve().parents[1]
PAGES = ["element-admin", "element-dialog", "antd-form", "antd-table"]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

SERIALIZE = r"""() => {
  // Form state lives in DOM properties; copy it into attributes so the static copy shows it.
  document.querySelectorAll('input').forEach(i => {
    if (i.type === 'checkbox' || i.type === 'radio') i.toggleAttribute('checked', i.checked);
    else i.setAttribute('value', i.value);
  });
  document.querySelectorAll('textarea').forEach(t => { t.textContent = t.value; });
  document.querySelectorAll('option').forEach(o => o.toggleAttribute('selected', o.selected));
  const doc = document.documentElement.cloneNode(true);
  doc.querySelectorAll('script').forEach(s => s.remove());
  doc.querySelectorAll('link[data-vendor]').forEach(l => {
    l.setAttribute('href', l.dataset.vendor);
    l.removeAttribute('data-vendor');
  });
  // Closed poppers (select dropdowns, tooltips) are display:none leftovers: drop them.
  doc.querySelectorAll('.el-popper[style*="display: none"]').forEach(e => e.remove());
  doc.querySelectorAll('[id^=el-popper-container]').forEach(c => { if (!c.children.length) c.remove(); });
  return '<!DOCTYPE html>\n' + doc.outerHTML;
}"""


def render(names: list[str]) -> None:
    if not (TESTBED / "node_modules").is_dir():
        raise SystemExit("run `npm ci` in bench/testbed first")
    with serve_folder(TESTBED) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(headless=True, args=LAUNCH_ARGS,
                                     executable_path="/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                     else None)
        for name in names:
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(f"{url}/src/{name}.html", wait_until="networkidle")
            page.wait_for_function("window.__ready === true", timeout=15000)
            page.wait_for_timeout(800)  # let dialog fades and tab ink bars finish moving
            html = re.sub(r"<!--.*?-->", "", page.evaluate(SERIALIZE), flags=re.S)
            html = re.sub(r"\n\s*\n", "\n", html)  # blank lines left where scripts were
            (TESTBED / f"{name}.html").write_text(html + "\n", encoding="utf-8")
            print(f"{name}.html: {len(html)} chars" + (f", page errors: {errors}" if errors else ""))
            ctx.close()
        browser.close()


if __name__ == "__main__":
    render(sys.argv[1:] or PAGES)
