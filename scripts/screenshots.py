"""Regenerate the README screenshots from the bundled sample: `.venv/bin/python -m scripts.screenshots`.

Starts the app on a free local port, opens it in Debian's Chromium (`apt-get install chromium
fonts-noto-cjk`) and writes small PNGs (reduced to a 256-colour palette) into docs/screenshots/:
the first screen of every page on a 1366×768 laptop and a 390×844 phone, plus the README's larger views.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from dashboard.navigation import PAGES
from tests.e2e import browser

OUT_DIR = browser.ROOT / "docs" / "screenshots"
MAX_BYTES = 300_000


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    query: str
    width: int
    height: int
    color_scheme: str


# What a user sees first on each page, on a laptop and on a phone.
SCREENS = {"1366x768": (1366, 768), "390x844": (390, 844)}
SHOTS = (
    Shot("overview", "/", "", 1366, 1090, "light"),
    Shot("companies", "/companies", "", 1366, 900, "light"),
    Shot("overview-dark", "/", "from=2016&to=2020", 1366, 768, "dark"),
    *(
        Shot(f"{spec.url_path}-{screen}", browser.page_path(spec), "", width, height, "light")
        for spec in PAGES
        for screen, (width, height) in SCREENS.items()
    ),
)


def _shrink(path: Path) -> None:
    """Re-save with an adaptive 256-colour palette: UI screenshots keep crisp text at a fraction of the size."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def take(chromium: Browser, url: str, shot: Shot, out: Path) -> Path:
    context = chromium.new_context(
        viewport={"width": shot.width, "height": shot.height}, locale="ko-KR", color_scheme=shot.color_scheme
    )
    page = context.new_page()
    browser.open_app(page, url, shot.path, shot.query)
    target = out / f"{shot.name}.png"
    page.screenshot(path=str(target), animations="disabled")
    context.close()
    _shrink(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for the PNGs (default: docs/screenshots)")
    args = parser.parse_args(argv)
    if not browser.CHROMIUM.exists():
        print(browser.INSTALL_HINT, file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    too_big = []
    with (
        tempfile.TemporaryDirectory() as workdir,
        sync_playwright() as playwright,
        browser.serve(Path(workdir)) as url,
    ):
        chromium = browser.launch_chromium(playwright)
        for shot in SHOTS:
            target = take(chromium, url, shot, args.out)
            size = target.stat().st_size
            print(f"{target}: {size:,} bytes")
            if size > MAX_BYTES:
                too_big.append(target)
        chromium.close()
    for target in too_big:
        print(f"{target} is over {MAX_BYTES:,} bytes: make the shot smaller", file=sys.stderr)
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
