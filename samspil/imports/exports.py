"""The lists a coordinator sees as XLSX or CSV: households, volunteers, engagements and an
activity's sign-ups. Each goes through its area's own selector for the user asking (with the
list page's filters), never shows a CPR number, and is written to the audit log."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core.models import AuditEvent
from samspil.core.services import audit_record
from samspil.imports.columns import FIELDS

LISTS = ("households", "volunteers", "engagements", "signups")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _households(request):
    from samspil.households.selectors import household_list_for

    query = request.GET.get("q", "").strip()[:100]
    qs = household_list_for(user=request.user, query=query).select_related(
        "branch", "postcode", "municipality").prefetch_related("members").order_by("id")
    header = [_("Number"), _("Household"), _("Branch"), _("Address"), _("Postcode"),
              _("Town"), _("Municipality"), _("Phone"), _("E-mail"), _("Parents"),
              _("Children"), _("Created at")]
    def rows():
        for h in qs.iterator(chunk_size=2000):
            members = list(h.members.all())
            yield [h.pk, h.display_name, h.branch.name, h.address, h.postcode_id,
                   h.postcode.town, h.municipality.name, h.phone, h.email,
                   sum(m.role == "parent" for m in members),
                   sum(m.role == "child" for m in members), h.created_at.date()]
    return "households.household", header, rows(), query


def _volunteers(request):
    from samspil.volunteers import selectors

    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.with_load(selectors.volunteer_list_for(
        user=request.user, query=query, status=request.GET.get("status", ""),
        role=request.GET.get("role", ""))).select_related("branch").order_by("id")
    header = [_("Number"), _("First name"), _("Last name"), _("Branch"), _("E-mail"),
              _("Phone"), _("Postcode"), _("Status"), _("Roles"), _("Capacity"), _("Load")]
    def rows():
        for v in qs.iterator(chunk_size=2000):
            yield [v.pk, v.first_name, v.last_name, v.branch.name, v.email, v.phone,
                   v.postcode_id or "", v.get_status_display(), ", ".join(v.roles),
                   v.capacity, v.load]
    return "volunteers.volunteer", header, rows(), query


def _engagements(request):
    from samspil.core.selectors import branch_list_for
    from samspil.engagements import selectors
    from samspil.engagements.forms import EngagementFilterForm

    form = EngagementFilterForm(request.GET or None, branches=branch_list_for(user=request.user))
    qs = selectors.engagement_list_for(user=request.user, **form.filters()).select_related(
        "household", "volunteer", "branch", "parent").order_by("id")
    header = [_("Number"), _("Type"), _("State"), _("Household"), _("Parent"), _("Volunteer"),
              _("Branch"), _("Referred on"), _("Matched on"), _("Started on"), _("Ended on")]
    def rows():
        for e in qs.iterator(chunk_size=2000):
            yield [e.pk, e.get_type_display(), e.get_state_display(), e.household.display_name,
                   e.parent.full_name if e.parent_id else "",
                   e.volunteer.full_name if e.volunteer_id else "", e.branch.name,
                   e.referred_on, e.matched_on, e.started_on, e.ended_on]
    return "engagements.engagement", header, rows(), ""


def _signups(request):
    from samspil.activities import selectors

    raw = request.GET.get("activity", "")
    activity = (selectors.activity_get_for(user=request.user, pk=int(raw))
                if raw.isdigit() and len(raw) < 18 else None)
    if activity is None or not request.user.has_role(*selectors.ACTIVITY_ROLES):
        raise Http404
    header = [_("Activity"), _("Status"), _("Places"), _("Household"), _("Name"), _("Phone"),
              _("E-mail"), _("Participants"), _("Signed up at")]
    def rows():
        for signups in selectors.signup_list(activity=activity).values():
            for s in signups:
                yield [activity.title, s.get_status_display(), s.places,
                       s.household.display_name if s.household_id else "", s.contact_name,
                       s.phone, s.email, ", ".join(p.first_name for p in s.participants.all()),
                       timezone.localtime(s.signed_up_at).replace(tzinfo=None)]
    return "activities.signup", header, rows(), activity.title


BUILDERS = {"households": _households, "volunteers": _volunteers,
            "engagements": _engagements, "signups": _signups}


def _text(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # A cell starting with = + - @ would be a formula in Excel (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text


def write_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # as Danish Excel reads it
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(header, rows, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_text(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(request, list_name: str, format: str) -> HttpResponse:
    object_type, header, rows, about = BUILDERS[list_name](request)
    rows = list(rows)
    body = write_csv(header, rows) if format == "csv" else write_xlsx(header, rows, list_name)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type=object_type,
                 summary=f"{list_name}.{format}: {len(rows)} rows {about}".strip(),
                 purpose="export")
    filename = f"samspil-{list_name}-{timezone.localdate():%Y-%m-%d}.{format}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXAMPLES = {
    "households": [
        ["Husstand", "Adresse", "Postnr", "Telefon", "Email", "Rolle", "Fornavn", "Efternavn",
         "Fødselsdato", "Køn"],
        ["1", "Egevej 12", "2610", "20123456", "anna@example.dk", "forælder", "Anna",
         "Jensen", "1988-04-02", "kvinde"],
        ["1", "Egevej 12", "2610", "", "", "barn", "Liva", "Jensen", "2015-09-14", "pige"],
        ["2", "Bøgevej 3", "2610", "+4531234567", "", "forælder", "Omar", "Hassan",
         "12-01-1983", "mand"],
        ["2", "Bøgevej 3", "2610", "", "", "barn", "Sara", "Hassan", "03-05-2012", ""],
    ],
    "volunteers": [
        ["Fornavn", "Efternavn", "Email", "Telefon", "Postnr", "Roller", "Status", "Kapacitet"],
        ["Frida", "Frivillig", "frida@example.dk", "22334455", "2610", "familieven", "aktiv",
         "1"],
        ["Jonas", "Berg", "jonas@example.dk", "", "2650", "jobmentor", "ansøger", "2"],
    ],
    "engagements": [
        ["Husstand", "Type", "Forælder", "Frivillig", "Henvist", "Startet", "Afsluttet",
         "Årsag"],
        ["41", "familieven", "", "frida@example.dk", "2025-01-10", "2025-02-01", "", ""],
        ["42", "job_mentor", "Omar", "", "2025-03-05", "", "", ""],
    ],
}


def example_response(kind: str) -> HttpResponse:
    if kind not in EXAMPLES or kind not in FIELDS:
        raise Http404
    response = HttpResponse(write_csv(EXAMPLES[kind][0], EXAMPLES[kind][1:]),
                            content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="eksempel-{kind}.csv"'
    return response
