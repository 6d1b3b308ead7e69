"""CSV export for staff, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from pledges.stats import SignatureRow
from pledges.tunables import to_local
from pledges.validation import FORMULA_STARTS

HEADER = ["编号", "签署时间", "城市", "区县", "显示名称", "名称已隐藏", "承诺条目", "打卡次数"]


def safe_cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV-injection advice)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def signatures_csv(rows: list[SignatureRow]) -> bytes:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)

    for row in rows:
        local = to_local(row.created_at)
        writer.writerow(
            safe_cell(v)
            for v in (
                row.ref, local.strftime("%Y-%m-%d %H:%M"), row.city, row.district, row.display_name or "",
                "是" if row.name_hidden else "否", "；".join(row.items), row.checkins,
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
