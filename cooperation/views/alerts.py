"""The alerts' preferences page: what a signed-in person wants to hear about new listings.
Writes: cooperation.services.alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperation.forms.alerts import AlertPreferenceForm
from cooperation.models import AlertPreference
from cooperation.services import alerts as services
from ess_platform.lib.views import add_service_errors


@login_required
def alert_preferences(request):
    preference = AlertPreference.objects.filter(user=request.user).first()
    form = AlertPreferenceForm.for_preference(preference, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_preference_save(
                user=request.user,
                data=form.data_for_service(),
                sectors=form.cleaned_data["sectors"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Vos alertes sont enregistrées."))
            return redirect("cooperation:alert_preferences")
    return render(
        request,
        "cooperation/alerts/preferences.html",
        {"form": form, "has_structure": request.user.memberships.exists()},
    )
