"""Certificate (PNG) and A4 poster (PNG and PDF) with a QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import qrcode
from PIL import Image, ImageDraw

from pledges.fonts import font

INK = "#1f2a1f"


@dataclass
class Rendered:
    png: bytes
    has_chinese_font: bool
    pdf: bytes | None = None


def _wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=fnt) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


def _centre(draw: ImageDraw.ImageDraw, y: int, text: str, fnt, width: int, fill: str = INK) -> int:
    w = draw.textlength(text, font=fnt)
    draw.text(((width - w) / 2, y), text, font=fnt, fill=fill)
    return y + int(fnt.size * 1.5)


def qr_image(url: str, box: int = 10) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").convert("RGB")


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    qr_image(url, box=8).save(out, format="PNG")
    return out.getvalue()


def certificate(
    *, campaign_title: str, name: str | None, items: list[str], signed_on: date, ref: str, colour: str = "#2e7d32"
) -> Rendered:
    """A 1200×900 certificate: campaign, name or 匿名, the items, date and reference."""
    width, height = 1200, 900
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([20, 20, width - 20, height - 20], outline=colour, width=12)
    big, ok = font(64)
    mid, _ = font(36)
    small, _ = font(28)
    y = _centre(draw, 70, "绿色生活承诺书", big, width, fill=colour)
    y = _centre(draw, y, campaign_title[:30], mid, width)
    y = _centre(draw, y + 10, f"承诺人：{name or '匿名'}", mid, width)
    y += 10
    for title in items[:8]:
        for line in _wrap(draw, f"✓ {title}", small, width - 240):
            draw.text((120, y), line, font=small, fill=INK)
            y += 40
    if len(items) > 8:
        draw.text((120, y), f"……等 {len(items)} 项承诺", font=small, fill=INK)
    footer = f"{signed_on.year}年{signed_on.month}月{signed_on.day}日 · 编号 {ref}"
    _centre(draw, height - 110, footer, small, width, fill="#555555")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return Rendered(png=out.getvalue(), has_chinese_font=ok)


def poster(*, title: str, city: str | None, intro_line: str, url: str, colour: str = "#2e7d32") -> Rendered:
    """A4 portrait at 150 dpi (1240×1754) with the share QR code, as PNG and PDF."""
    width, height = 1240, 1754
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, width, 360], fill=colour)
    big, ok = font(84)
    mid, _ = font(44)
    small, _ = font(32)
    y = 90
    for line in _wrap(draw, title, big, width - 160)[:2]:
        y = _centre(draw, y, line, big, width, fill="white")
    y = 420
    y = _centre(draw, y, f"{city or '全市'}居民绿色生活承诺", mid, width)
    for line in _wrap(draw, intro_line, small, width - 240)[:4]:
        y = _centre(draw, y, line, small, width, fill="#333333")
    qr = qr_image(url, box=14).resize((640, 640), Image.NEAREST)
    img.paste(qr, ((width - 640) // 2, y + 40))
    y += 40 + 640 + 40
    y = _centre(draw, y, "微信或手机相机扫码，一分钟完成签署", mid, width)
    _centre(draw, y + 10, url, small, width, fill="#555555")
    png, pdf = io.BytesIO(), io.BytesIO()
    img.save(png, format="PNG", optimize=True)
    img.save(pdf, format="PDF", resolution=150.0)
    return Rendered(png=png.getvalue(), has_chinese_font=ok, pdf=pdf.getvalue())


def cover(*, title: str, colour: str, subtitle: str = "") -> bytes:
    """A wide banner in the campaign colour with its title drawn as pixels (never as HTML)."""
    width, height = 1200, 260
    img = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(img)
    big, _ = font(60)
    small, _ = font(30)
    lines = _wrap(draw, title, big, width - 120)[:2]
    y = 60 if len(lines) == 1 else 30
    for line in lines:
        draw.text((60, y), line, font=big, fill="white")
        y += 80
    if subtitle:
        draw.text((60, y + 10), subtitle, font=small, fill="white")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
