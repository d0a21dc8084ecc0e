"""The joint need's small forms, shown on the listing's page. Writes:
cooperation.services.joint_needs."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Listing
from cooperation.models.joint_needs import may_join_as_inhabitant, structures_that_may_join
from directory.models import Actor


class JointOpenForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Inscriptions jusqu'au"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Les autres structures peuvent rejoindre le besoin jusqu'à ce jour inclus."),
    )


class JointInhabitantsForm(forms.Form):
    open = forms.BooleanField(required=False)


class JointJoinForm(forms.Form):
    """Join (or change the quantity) for one of `user`'s structures, or as an inhabitant
    where the need is open to them (the empty choice)."""

    actor = forms.ModelChoiceField(label=_("Pour"), queryset=Actor.objects.none(), required=False)
    quantity = forms.DecimalField(
        label=_("Quantité"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    note = forms.CharField(label=_("Précision"), max_length=300, required=False)

    def __init__(self, *args, listing: Listing, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["actor"]
        field.queryset = structures_that_may_join(listing, user)
        as_inhabitant = may_join_as_inhabitant(listing, user)
        field.required = not as_inhabitant
        field.empty_label = _("— Moi-même, en tant qu'habitant —") if as_inhabitant else None
        self.fields["quantity"].label = (
            _("Quantité (%(unit)s)") % {"unit": listing.unit} if listing.unit else _("Quantité")
        )


class JointLeaveForm(forms.Form):
    # Any structure: the service checks that the person acts for it.
    actor = forms.ModelChoiceField(queryset=Actor.objects.all(), required=False)
