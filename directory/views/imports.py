"""The animator's import pages: upload, preview (mapping, errors, choice), progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory import import_rows
from directory.forms.imports import MappingForm, StartForm, UploadForm
from directory.models import ImportBatch, Network, Status
from directory.permissions import can_animate
from directory.services import imports as importing

PREVIEW_ROWS = 10


def _network(request, network_slug: str) -> Network:
    """The animator's own network; any other is a 404 (its existence is not disclosed)."""
    network = get_object_or_404(Network, slug=network_slug)
    if not can_animate(request.user, network):
        raise Http404
    return network


def _batch(request, network_slug: str, batch_id: int) -> ImportBatch:
    network = _network(request, network_slug)
    return get_object_or_404(
        ImportBatch.objects.select_related("network", "created_by"), pk=batch_id, network=network
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, network_slug: str):
    network = _network(request, network_slug)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.batch_create(
                network=network, by=request.user, name=upload.name, data=upload.read()
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("directory:import_detail", network_slug=network.slug, batch_id=batch.pk)
    batches = (
        ImportBatch.objects.filter(network=network)
        .select_related("created_by")
        .defer("rows", "headers", "row_errors")[:20]
    )
    return render(
        request,
        "directory/imports/upload.html",
        {
            "network": network,
            "form": form,
            "batches": batches,
            "fields": import_rows.FIELDS.values(),
        },
    )


def _preview_context(batch: ImportBatch, *, mapping_form=None, start_form=None) -> dict:
    mapped = sorted((int(index), target) for index, target in batch.mapping.items())
    name_column = next((index for index, target in mapped if target == "name"), None)
    cells_of = dict((line, cells) for line, cells in batch.rows)
    error_lines = sorted(int(line) for line in batch.row_errors)
    checked = batch.state == ImportBatch.State.CHECKED
    start_form = start_form or StartForm(batch=batch)
    if start_form.is_bound:
        skip_checked = {int(v) for v in start_form.data.getlist("skip") if v.isdigit()}
    else:
        skip_checked = set(error_lines)
    return {
        "network": batch.network,
        "batch": batch,
        "checked": checked,
        "mapping_form": mapping_form or MappingForm(batch=batch),
        "start_form": start_form,
        "skip_checked": skip_checked,
        "mapping_problems": import_rows.mapping_errors(batch.mapping, width=len(batch.headers)),
        "sample_headers": [import_rows.FIELDS[target] for _index, target in mapped],
        "sample": [
            (line, [cells[index] for index, _target in mapped])
            for line, cells in batch.rows[:PREVIEW_ROWS]
        ],
        "error_rows": [
            (
                line,
                cells_of[line][name_column] if name_column is not None else "",
                batch.row_errors[str(line)],
            )
            for line in error_lines[: importing.MAX_LISTED_ERRORS]
        ],
        "error_count": len(error_lines),
        "too_many_errors": len(error_lines) > importing.MAX_LISTED_ERRORS,
        "warnings": (
            import_rows.row_warnings(batch)[: importing.MAX_LISTED_ERRORS] if checked else []
        ),
        "valid_count": len(batch.rows) - len(error_lines),
        "max_listed_errors": importing.MAX_LISTED_ERRORS,
        "invites": bool({"contact_email", "email"} & set(batch.mapping.values())),
    }


@login_required
@require_GET
def import_detail(request, network_slug: str, batch_id: int):
    """The preview before the import; the progress and the result once it is launched."""
    batch = _batch(request, network_slug, batch_id)
    if batch.state in (ImportBatch.State.UPLOADED, ImportBatch.State.CHECKED):
        return render(request, "directory/imports/preview.html", _preview_context(batch))
    return render(
        request,
        "directory/imports/progress_page.html",
        {"network": batch.network, "batch": batch, "draft": Status.DRAFT},
    )


@login_required
@require_POST
def import_mapping(request, network_slug: str, batch_id: int):
    batch = _batch(request, network_slug, batch_id)
    form = MappingForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            importing.batch_check(batch=batch, by=request.user, mapping=form.mapping())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Correspondance enregistrée, lignes vérifiées."))
            return redirect("directory:import_detail", network_slug=network_slug, batch_id=batch.pk)
    if batch.state not in (ImportBatch.State.UPLOADED, ImportBatch.State.CHECKED):
        return redirect("directory:import_detail", network_slug=network_slug, batch_id=batch.pk)
    return render(
        request,
        "directory/imports/preview.html",
        _preview_context(batch, mapping_form=form),
        status=400,
    )


@login_required
@require_POST
def import_start(request, network_slug: str, batch_id: int):
    batch = _batch(request, network_slug, batch_id)
    form = StartForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            importing.import_start(
                batch=batch,
                by=request.user,
                mode=form.cleaned_data["mode"],
                skipped=form.skipped(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("directory:import_detail", network_slug=network_slug, batch_id=batch.pk)
    if batch.state not in (ImportBatch.State.UPLOADED, ImportBatch.State.CHECKED):
        return redirect("directory:import_detail", network_slug=network_slug, batch_id=batch.pk)
    return render(
        request,
        "directory/imports/preview.html",
        _preview_context(batch, start_form=form),
        status=400,
    )


@login_required
@require_GET
def import_progress(request, network_slug: str, batch_id: int):
    """The progress block alone, polled by htmx every second while the import runs."""
    batch = _batch(request, network_slug, batch_id)
    return render(
        request,
        "directory/imports/includes/progress.html",
        {"network": batch.network, "batch": batch},
    )
