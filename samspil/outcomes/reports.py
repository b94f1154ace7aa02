"""The dashboard as files for funders: PDF (WeasyPrint, with the SVG charts), XLSX (openpyxl)
and CSV. They are given a Dashboard made with the suppressed policy (views._publication) and
print only display values."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from samspil.outcomes.figures import Dashboard


def rows(board: Dashboard) -> list[list[str]]:
    """Every table of the dashboard as rows of text (CSV and XLSX share them)."""
    out = [[board.programme.name, str(board.on)], [],
           [_("Figure"), _("Value"), _("Target"), _("Progress"), "n", _("Answered"),
            _("Response rate")]]
    for f in board.kpis:
        out.append([f.label, f.shown, str(f.target.value) if f.target else "",
                    "" if f.progress is None else f"{f.progress:g} %",
                    f.eligible.display if f.eligible else "",
                    f.responded.display if f.responded else "",
                    f.response_rate.display if f.response_rate else ""])
    for f in board.kpis:
        out += [[], [f.label, _("Branch")]]
        for r in f.by_branch:
            out.append([r.label, r.share.display if r.share else r.value.display,
                        r.eligible.display if r.eligible else ""])
    out += [[], [_("Great benefit by engagement type")],
            [_("Type"), _("Ended"), _("Answered"), _("Benefit a great deal"),
             _("Response rate")]]
    for b in board.benefit:
        out.append([b["type"], b["ended"].display, b["responded"].display, b["great"].display,
                    b["response_rate"].display])
    out += [[], [_("Length of ended engagements")]]
    for group in board.lengths:
        for band in group["bands"]:
            out.append([group["type"], band["label"], band["count"].display,
                        band["share"].display])
        out.append([group["type"], _("Mean, weeks"), str(group["mean_weeks"] or "–")])
    w = board.who5
    out += [[], [_("WHO-5 from start to end")],
            [_("People"), _("Mean at start"), _("Mean at end"), _("Mean change"),
             _("Improved by 10 points or more")],
            [w["pairs"].display, str(w["mean_start"] or "–"), str(w["mean_end"] or "–"),
             str(w["mean_change"] if w["mean_change"] is not None else "–"),
             w["improved"].display]]
    return out


def render_csv(request, board: Dashboard):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows(board))
    return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"


def render_xlsx(request, board: Dashboard):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    for row in rows(board):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return (buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def render_pdf(request, board: Dashboard):
    from weasyprint import HTML

    html = render_to_string("outcomes/report_pdf.html", {"board": board}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), \
        "application/pdf"


RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv}
