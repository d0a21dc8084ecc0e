"""Downloads for the animator (the public CSV and GeoJSON are served by the API)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import exports as exporting
from directory.filters import ActorFilterSet
from directory.models import Actor, Network
from directory.permissions import can_animate
from ess_platform.lib.exports import XLSX_CONTENT_TYPE, export_filename


@login_required
@require_GET
def network_export_xlsx(request, network_slug: str):
    """Every actor of the network, whatever its status, with the fields kept from the
    public (SIRET, status, members' e-mails…), filtered like the public list."""
    network = get_object_or_404(Network, slug=network_slug)
    # Another network's animator learns nothing, not even that the network exists.
    if not can_animate(request.user, network):
        raise Http404
    filterset = ActorFilterSet(
        request.GET,
        queryset=Actor.objects.in_network(network).order_by("name", "pk"),
        request=request,
    )
    if not filterset.is_valid():
        lines = [_("Certains filtres ne sont pas valides :")]
        lines += [
            f"- {field} : {message}"
            for field, messages in filterset.errors.items()
            for message in messages
        ]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    workbook = exporting.network_workbook(filterset.qs, request=request)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=export_filename(prefix=f"acteurs-{network.slug}", extension="xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
