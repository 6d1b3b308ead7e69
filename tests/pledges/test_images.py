"""Certificate and poster images; the QR code points at the share link."""

import io
from datetime import date

from PIL import Image

from pledges import fonts
from pledges.images import certificate, poster, qr_png


def test_certificate_png_with_chinese_font():
    rendered = certificate(campaign_title="绿色生活", name=None, items=["光盘行动"] * 12,
                           signed_on=date(2026, 3, 1), ref="ABCD2345")
    image = Image.open(io.BytesIO(rendered.png))
    assert image.format == "PNG" and image.size == (1200, 900)
    assert rendered.has_chinese_font == (fonts.cjk_font_path() is not None)


def test_certificate_without_cjk_font_still_renders(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font_path", lambda: None)
    rendered = certificate(campaign_title="x", name="y", items=["z"], signed_on=date(2026, 3, 1), ref="R")
    assert rendered.png.startswith(b"\x89PNG") and rendered.has_chinese_font is False


def test_poster_is_a4_png_and_pdf():
    rendered = poster(title="运城绿色生活承诺", city="运城", intro_line="一起来", url="http://127.0.0.1/campaign?c=yc")
    image = Image.open(io.BytesIO(rendered.png))
    assert image.size == (1240, 1754)  # A4 at 150 dpi
    assert rendered.pdf.startswith(b"%PDF")


def test_qr_png():
    assert Image.open(io.BytesIO(qr_png("http://127.0.0.1/x"))).format == "PNG"
