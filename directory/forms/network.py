"""Forms of the animator's workspace: list filters (GET), bulk actions, freshness policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory import dashboard
from directory.models import Actor, ActorChange, Commune, Freshness, Network
from directory.services import network as network_services
from ess_platform.lib.forms import BoundedModelMultipleChoiceField

# The working lists of the dashboard, in the order of their tabs.
LIST_CHASE = "relances"
LIST_REPORTS = "signalements"
LIST_PENDING = "attente"
LIST_CHANGES = "historique"
LISTS = (LIST_CHASE, LIST_REPORTS, LIST_PENDING, LIST_CHANGES)


class _ListFilterForm(forms.Form):
    """A GET form: invalid values are ignored (`filters()` keeps the valid ones), so a
    tampered link shows the unfiltered list rather than an error."""

    q = forms.CharField(
        label=_("Recherche"), required=False, max_length=100, widget=forms.SearchInput
    )
    sort_choices: list[tuple[str, str]] = []
    default_sort = ""

    def __init__(self, data, *, network: Network):
        super().__init__(data)
        self.network = network
        self.fields["sort"] = forms.ChoiceField(
            label=_("Trier par"), choices=self.sort_choices, required=False
        )

    def filters(self) -> dict:
        self.is_valid()
        values = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        values["text"] = values.pop("q", "") or ""
        values["sort"] = values.get("sort") or self.default_sort
        return {key: value for key, value in values.items() if value not in (None, "")}


def _commune_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("Toutes les communes"),
    )


class ChaseFilterForm(_ListFilterForm):
    freshness = forms.ChoiceField(
        label=_("Fraîcheur"),
        required=False,
        choices=[
            ("", _("À confirmer et possiblement obsolètes")),
            (Freshness.DUE, Freshness.DUE.label),
            (Freshness.STALE, Freshness.STALE.label),
        ],
    )
    commune = _commune_field()
    sort_choices = [
        ("confirmation", _("Confirmation la plus ancienne")),
        ("-confirmation", _("Confirmation la plus récente")),
        ("relance", _("Relance la plus ancienne (jamais relancées d'abord)")),
        ("-relance", _("Relance la plus récente")),
        ("nom", _("Nom (A → Z)")),
        ("-nom", _("Nom (Z → A)")),
    ]
    default_sort = "confirmation"

    def __init__(self, data, *, network: Network):
        super().__init__(data, network=network)
        self.fields["commune"].queryset = network.communes.order_by("name")


class ReportFilterForm(_ListFilterForm):
    field = forms.ChoiceField(label=_("Information concernée"), required=False)
    sort_choices = [
        ("date", _("Les plus anciens d'abord")),
        ("-date", _("Les plus récents d'abord")),
        ("structure", _("Structure (A → Z)")),
    ]
    default_sort = "date"

    def __init__(self, data, *, network: Network):
        super().__init__(data, network=network)
        self.fields["field"].choices = [("", _("Toutes")), *dashboard.reported_fields(network)]


class PendingFilterForm(_ListFilterForm):
    commune = _commune_field()
    sort_choices = [
        ("date", _("Soumises en premier")),
        ("-date", _("Soumises en dernier")),
        ("nom", _("Nom (A → Z)")),
    ]
    default_sort = "date"

    def __init__(self, data, *, network: Network):
        super().__init__(data, network=network)
        self.fields["commune"].queryset = network.communes.order_by("name")


class ChangeFilterForm(_ListFilterForm):
    source = forms.ChoiceField(
        label=_("Origine"),
        required=False,
        choices=[("", _("Toutes")), *ActorChange.Source.choices],
    )
    sort_choices = [
        ("-date", _("Les plus récentes d'abord")),
        ("date", _("Les plus anciennes d'abord")),
        ("structure", _("Structure (A → Z)")),
    ]
    default_sort = "-date"


class BulkAction:
    REMIND = "relancer"
    ARCHIVE = "archiver"
    choices = [(REMIND, _("Relancer maintenant")), (ARCHIVE, _("Archiver"))]


class BulkActionForm(forms.Form):
    """Actors chosen in the list to chase, and what to do with them. Without `confirm`,
    the view shows what will happen; the confirmation page posts it back with `confirm`."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=BulkAction.choices,
        error_messages={"required": _("Choisissez une action.")},
    )
    actors = BoundedModelMultipleChoiceField(
        label=_("Structures"),
        queryset=Actor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins une structure."),
            "invalid_choice": _("Une des structures cochées n'est pas dans la liste."),
            "invalid_pk_value": _("Une des structures cochées n'est pas dans la liste."),
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # The list's filters, to come back to the same view afterwards.
    back = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = (
            Actor.objects.in_network(network).select_related("commune").order_by("name")
        )


class NetworkPolicyForm(forms.ModelForm):
    """The network's own freshness delays; the platform's defaults as placeholders."""

    class Meta:
        model = Network
        fields = list(network_services.POLICY_FIELDS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "policy")
        super().__init__(*args, **kwargs)
        for name, default in dashboard.policy_placeholders().items():
            field = self.fields[name]
            field.widget.attrs["placeholder"] = str(default)
            field.help_text = _("Vide : %(default)s mois (valeur par défaut de la plateforme).") % {
                "default": default
            }

    def _post_clean(self):
        # Validation belongs to the service (directory.services.network.network_update_policy);
        # the view saves through it, never through the ModelForm.
        pass
