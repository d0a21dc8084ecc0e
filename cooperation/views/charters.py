"""A network's charter, public; its animators publish new versions and set the admission
rules. Parse, call cooperation.services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.forms.charters import AdmissionPolicyForm, CharterForm, CriterionFormSet
from cooperation.models import AdmissionPolicy, CharterVersion, College
from cooperation.permissions import belongs_to_network, reviewer_of
from cooperation.seed.charter import MODEL_CRITERIA, MODEL_INTRODUCTION
from cooperation.services.charters import charter_publish
from cooperation.services.setup import admission_policy_save
from directory.models import Network
from directory.permissions import can_animate
from ess_platform.lib.views import add_service_errors


@require_GET
def charter_detail(request, network_slug: str):
    """What the network expects of its members, and how it admits them: public."""
    network = get_object_or_404(Network, slug=network_slug)
    charter = CharterVersion.objects.current(network)
    return render(
        request,
        "cooperation/charters/detail.html",
        {
            "network": network,
            "charter": charter,
            "criteria": charter.criteria.all() if charter else [],
            # Before the first application, the model charter stands for the network's.
            "model_introduction": _(MODEL_INTRODUCTION),
            "model_criteria": [(kind, _(t), _(d)) for kind, t, d in MODEL_CRITERIA],
            "colleges": College.objects.filter(network=network),
            "policy": AdmissionPolicy.for_network(network),
            "animator": can_animate(request.user, network),
            "can_volunteer": belongs_to_network(request.user, network)
            and reviewer_of(request.user, network) is None,
        },
    )


def _animated(request, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    if not can_animate(request.user, network):
        raise Http404
    return network


@login_required
def charter_edit(request, network_slug: str):
    network = _animated(request, network_slug)
    current = CharterVersion.objects.current(network)
    if current is not None:
        initial = {"introduction": current.introduction}
        rows = [
            {"kind": c.kind, "title": c.title, "description": c.description}
            for c in current.criteria.all()
        ]
    else:
        initial = {"introduction": _(MODEL_INTRODUCTION)}
        rows = [{"kind": k, "title": _(t), "description": _(d)} for k, t, d in MODEL_CRITERIA]
    form = CharterForm(request.POST or None, initial=initial)
    formset = CriterionFormSet(request.POST or None, initial=rows, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [
            (f.cleaned_data["kind"], f.cleaned_data["title"], f.cleaned_data["description"])
            for f in formset.forms
            if f.cleaned_data.get("title")
        ]
        try:
            version = charter_publish(
                network=network,
                by=request.user,
                introduction=form.cleaned_data["introduction"],
                criteria=criteria,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s de la charte publiée : les candidatures déjà commencées "
                    "gardent la leur."
                )
                % {"number": version.number},
            )
            return redirect("cooperation:charter_detail", network_slug=network.slug)
    return render(
        request,
        "cooperation/charters/form.html",
        {"network": network, "form": form, "formset": formset, "current": current},
    )


@login_required
def admission_policy_edit(request, network_slug: str):
    network = _animated(request, network_slug)
    policy = AdmissionPolicy.for_network(network)
    form = AdmissionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            admission_policy_save(policy=form.instance, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Règles d'admission enregistrées."))
            return redirect("cooperation:charter_detail", network_slug=network.slug)
    return render(
        request, "cooperation/charters/policy_form.html", {"network": network, "form": form}
    )
