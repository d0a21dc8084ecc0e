"""Correction reports: parse, call directory.services.corrections, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from directory.forms.corrections import CorrectionDecisionForm, CorrectionReportForm
from directory.models import Actor, CorrectionReport
from directory.services import corrections, history
from directory.views.actors import actor_for_members
from ess_platform.lib import ratelimit
from ess_platform.lib.views import add_service_errors

DECIDED_SHOWN = 20


def correction_report_create(request, slug: str):
    """Anyone, signed in or not, reports an error on a published profile."""
    actor = get_object_or_404(Actor.objects.published().select_related("commune"), slug=slug)
    initial = {"field": request.GET.get("champ", "")}
    if request.user.is_authenticated:
        initial["reporter_email"] = request.user.email
    form = CorrectionReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            corrections.correction_report_create(
                actor=actor,
                field=data["field"],
                proposed_value=data["proposed_value"],
                comment=data["comment"],
                reporter_email=data["reporter_email"],
                by=request.user,
                ip=ratelimit.client_ip(request),
                honeypot=data["homepage"],
            )
        except ratelimit.RateLimited:
            return render(request, "429.html", status=429)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Merci ! Votre signalement est transmis aux responsables de la fiche."),
            )
            return redirect(actor)
    return render(request, "directory/corrections/report_form.html", {"actor": actor, "form": form})


def _report_list(request, actor: Actor, *, failed: CorrectionReport | None = None, form=None):
    """The open reports with a decision form each; `failed` keeps the bound form whose
    decision was refused, so its errors show beside it."""
    open_reports = list(actor.correction_reports.open())
    for report in open_reports:
        report.field_label = history.field_label(report.field)
        if failed is not None and report.pk == failed.pk:
            report.form = form
        else:
            report.form = CorrectionDecisionForm(prefix=f"report-{report.pk}")
    decided = actor.correction_reports.exclude(state=CorrectionReport.State.OPEN).select_related(
        "decided_by"
    )[:DECIDED_SHOWN]
    for report in decided:
        report.field_label = history.field_label(report.field)
    return render(
        request,
        "directory/corrections/report_list.html",
        {"actor": actor, "open_reports": open_reports, "decided": decided},
    )


@login_required
@require_GET
def correction_report_list(request, slug: str):
    actor = actor_for_members(request, slug)
    return _report_list(request, actor)


@login_required
@require_POST
def correction_report_decide(request, slug: str, report_id: int):
    actor = actor_for_members(request, slug)
    report = get_object_or_404(CorrectionReport.objects.select_related("actor"), pk=report_id)
    if report.actor_id != actor.pk:
        raise Http404
    form = CorrectionDecisionForm(request.POST, prefix=f"report-{report.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                corrections.correction_report_accept(report=report, by=request.user)
                messages.success(request, _("La correction est appliquée à la fiche."))
            else:
                corrections.correction_report_reject(
                    report=report, by=request.user, reason=form.cleaned_data["decision_reason"]
                )
                messages.success(request, _("Le signalement est refusé."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("directory:correction_report_list", slug=actor.slug)
    report.refresh_from_db()
    if report.state != CorrectionReport.State.OPEN:  # decided meanwhile by someone else
        messages.error(request, _("Ce signalement a déjà été traité."))
        return redirect("directory:correction_report_list", slug=actor.slug)
    return _report_list(request, actor, failed=report, form=form)
