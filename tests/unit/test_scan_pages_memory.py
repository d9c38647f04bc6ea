"""A scan's pages are rendered one at a time and nothing of a page read stays behind (app/ocr/pages.py): the
process's memory after the last page of a long image-only PDF is that after its first pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PIL import Image

from app.ocr.pages import pages

PAGES = 40
SIDE = 800  # pixels of each page's image: rendered at 300 dpi it is 800 × 800 again (fast), yet ~1 MB in the PDF


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_long_scan_is_read_in_the_memory_of_one_page(tmp_path: Path) -> None:
    # Noise does not compress: each page carries a ~1 MB JPEG stream, as a 250 dpi scan does.
    images = [Image.frombytes("RGB", (SIDE, SIDE), os.urandom(SIDE * SIDE * 3)) for _ in range(PAGES)]
    scan = tmp_path / "dài.pdf"
    images[0].save(scan, "PDF", resolution=300, save_all=True, append_images=images[1:], quality=95)
    del images
    assert scan.stat().st_size > PAGES * 700_000
    seen = []
    for image in pages(scan):
        assert image.size == (SIDE, SIDE) and image.mode == "L"
        seen.append(_rss_mib())
    assert len(seen) == PAGES
    # One open pdfium document kept every page's stream: +1 MiB a page, ~35 MiB from page 5 to page 40.
    assert max(seen[5:]) - seen[4] < 12, [round(m) for m in seen]
