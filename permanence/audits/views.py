"""Pages: the RAA's audit rounds (list, start one with its sample, one round), the audit of a sampled child's
file (pre-filled from the journey, with the evidence), one audit, and the results (page, PDF, XLSX, trend).

Nobody outside the RAA's head of service, team managers and quality lead sees these (a 404). Every page that
shows a child's file is logged in the record-view log; in a blinded round the child's LA and group are hidden.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from permanence import access
from permanence.audits import forms as f
from permanence.audits import rules, selectors, services
from permanence.core import audit, exports, pdf
from permanence.core.clock import today
from permanence.core.forms import show_service_errors


def _raa(request):
    raa = access.audits_raa_for(request.user)
    if raa is None:
        raise Http404("Not allowed")
    return raa


def rounds(request):
    raa = _raa(request)
    rows = access.audit_rounds_visible_to(request.user).prefetch_related("entries__audit")
    listed = [(r, len(r.entries.all()), sum(1 for e in r.entries.all() if hasattr(e, "audit"))) for r in rows]
    return render(request, "audits/rounds.html", {"raa": raa, "rounds": listed})


@require_http_methods(["GET", "POST"])
def round_add(request):
    raa = _raa(request)
    version = services.current_version(today()) or services.current_version()
    if version is None:
        raise Http404("No audit checklist")
    form = f.RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.create_round(actor=request.user, raa=raa, name=d["name"], held_on=d["held_on"],
                                        orders_from=d["orders_from"], orders_to=d.get("orders_to"),
                                        stratify_by=d["stratify_by"], per_stratum=d["per_stratum"],
                                        blinded=d.get("blinded", False), seed=d.get("seed"))
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, f"The round has been started with {row.entries.count()} children drawn.")
            return redirect("audits:round", row.pk)
    return render(request, "audits/round_form.html", {"form": form, "version": version, "raa": raa})


def round_detail(request, pk):
    _raa(request)
    row = access.get_audit_round_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=row, path=request.get_full_path())
    entries = list(row.entries.select_related("child", "child__la", "audit").order_by("child_id"))
    strata: dict[str, list] = {}
    for e in entries:
        strata.setdefault(e.stratum, []).append(e)
    return render(request, "audits/round.html", {"round": row, "strata": strata, "entries": entries,
                                                 "done": sum(1 for e in entries if hasattr(e, "audit")),
                                                 "group_labels": rules.GROUP_LABELS})


@require_http_methods(["GET", "POST"])
def audit_add(request, pk):
    _raa(request)
    entry = access.get_sample_entry_for(request.user, pk)
    if hasattr(entry, "audit"):
        messages.info(request, "This child's file has already been audited in this round.")
        return redirect("audits:audit", entry.audit.pk)
    version = entry.round.version
    form_data = request.POST if request.method == "POST" else None
    audited_on = today()
    if form_data is not None:  # the journey's answers as on the audit's date
        field = f.AuditForm.base_fields["audited_on"]
        try:
            audited_on = field.clean(field.widget.value_from_datadict(form_data, None, "audited_on")) or audited_on
        except ValidationError:
            pass
    auto = selectors.auto_answers(version, selectors.child_facts(entry.child, audited_on))
    form = f.AuditForm(form_data, version=version, auto=auto,
                       initial={"auditor": request.user.get_full_name(), "audited_on": audited_on})
    audit.record_view(viewer=request.user, instance=entry.child, path=request.get_full_path(),
                      child_id=entry.child_id)
    if form_data is not None and form.is_valid():
        try:
            row = services.record_audit(actor=request.user, entry=entry, auditor=form.cleaned_data["auditor"],
                                        audited_on=form.cleaned_data["audited_on"],
                                        location=form.cleaned_data.get("location", ""),
                                        notes=form.cleaned_data.get("notes", ""), sections=form.sections(),
                                        scores=form.scores(), today=today())
        except ValidationError as err:
            show_service_errors(form, err)
        else:
            messages.success(request, "The audit has been recorded.")
            return redirect("audits:audit", row.pk)
    return render(request, "audits/audit_form.html", {"form": form, "entry": entry, "round": entry.round,
                                                      "version": version, "blinded": entry.round.blinded,
                                                      "group_labels": rules.GROUP_LABELS})


def audit_detail(request, pk):
    _raa(request)
    row = access.get_case_audit_for(request.user, pk)
    audit.record_view(viewer=request.user, instance=row, path=request.get_full_path(), child_id=row.child_id)
    scores: dict[int, list] = {}
    for s in row.scores.select_related("criterion", "criterion__section"):
        scores.setdefault(s.criterion.section_id, []).append(s)
    sections = [(a, scores.get(a.section_id, [])) for a in row.sections.select_related("section")]
    return render(request, "audits/audit.html", {"audit": row, "sections": sections,
                                                 "blinded": row.entry.round.blinded,
                                                 "group_label": rules.GROUP_LABELS[row.group]})


def _results_context(request):
    raa = _raa(request)
    all_rounds = list(access.audit_rounds_visible_to(request.user))
    form = f.ResultsForm(request.GET or None, rounds=all_rounds)
    chosen, by = (all_rounds[0] if all_rounds else None), rules.STRATIFY_GROUP
    if form.is_bound and form.is_valid():
        wanted = form.cleaned_data.get("round")
        chosen = next((r for r in all_rounds if r.pk == wanted), chosen)
        by = form.cleaned_data.get("by") or by
    context = {"raa": raa, "form": form, "round": chosen, "by": by, "rounds": all_rounds}
    if chosen is None:
        return context
    rows = selectors.audit_rows([chosen])
    columns, tables = selectors.results(chosen.version, rows, by)
    trend_sections, trend_rows = selectors.trend(all_rounds)
    context |= {"n_audits": len(rows), "columns": columns, "tables": tables,
                "trend_sections": trend_sections, "trend_rows": trend_rows,
                "trend_bars": [(t, [(label, cell, rules.bar_percent(cell.mean))
                                    for (_k, label), cell in zip(trend_sections, t.cells, strict=True)])
                               for t in trend_rows]}
    return context


def results(request):
    return render(request, "audits/results.html", _results_context(request))


def _query(request) -> dict:
    return {k: v for k, v in request.GET.items() if k in ("round", "by")}


def results_pdf(request):
    context = _results_context(request)
    if context.get("round") is None:
        raise Http404("No audit round")
    exports.log_export(user=request.user, what="audits.results", fmt="pdf", row_count=context["n_audits"],
                       filters=_query(request), path=request.get_full_path())
    return pdf.pdf_response(request, "audits/results.pdf.html", context, filename="case-file-audit-results")


def _xlsx_rows(context) -> list[dict]:
    out = []
    for table in context["tables"]:
        for row in table.rows:
            for label, cell in [*zip(context["columns"], row.cells, strict=True), ("All audits", row.overall)]:
                present = row.kind == "presence"
                out.append({"section": f"{table.section.number}. {table.section.title}", "number": row.number,
                            "row": row.label, "column": label, "n": cell.n,
                            "mean": None if present else cell.mean,
                            "present": cell.present if present else None,
                            "percent": cell.percent if present else None})
    return out


XLSX_COLUMNS = [exports.Column("Section", lambda r: r["section"]), exports.Column("Number", lambda r: r["number"]),
                exports.Column("Criterion", lambda r: r["row"]), exports.Column("Group or LA", lambda r: r["column"]),
                exports.Column("n", lambda r: r["n"]), exports.Column("Mean score (1-5)", lambda r: r["mean"]),
                exports.Column("Files where present", lambda r: r["present"]),
                exports.Column("Percent present", lambda r: r["percent"])]


def results_xlsx(request):
    context = _results_context(request)
    if context.get("round") is None:
        raise Http404("No audit round")
    return exports.export_response(request, rows=_xlsx_rows(context), columns=XLSX_COLUMNS, what="audits.results",
                                   fmt="xlsx", filename="case-file-audit-results", filters=_query(request))
