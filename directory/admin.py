"""Django admin for the platform's Admins.

The admin is not a second write path: what it changes goes through the same services as the
site (an actor's edit through `actor_update`, which keeps the search column, the map cells,
the network of its commune and the history; its status through `actor_set_status`; a
sector through `sector_save`; a network through `network_save`). Where no service exists
the admin only shows (records written by the routines, communes, memberships).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.forms.actors import checked_logo
from directory.models import (
    Actor,
    ActorChange,
    Commune,
    CorrectionReport,
    FreshnessDigest,
    FreshnessNotice,
    FreshnessSnapshot,
    ImportBatch,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    Sector,
)
from directory.services.actors import (
    EDITABLE_FIELDS,
    actor_set_status,
    actor_update,
    actors_delete,
)
from directory.services.network import check_policy, network_save
from directory.services.sectors import sector_save, sectors_delete
from ess_platform.lib import geo
from ess_platform.lib.admin import ReadOnlyAdmin

ADMIN_NOTE = _("Administration de la plateforme")
ADMIN_SENT_BACK = _(
    "L'administration de la plateforme a renvoyé la fiche en brouillon : contactez l'équipe "
    "d'animation de votre réseau pour savoir ce qui manque."
)


class FiliereFilter(admin.SimpleListFilter):
    """Actors by filière: those in any sector of it (or tagged with the filière itself)."""

    title = _("filière")
    parameter_name = "filiere"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.name) for s in Sector.objects.filieres()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(Q(sectors__parent_id=value) | Q(sectors__id=value)).distinct()


class ActorAdminForm(forms.ModelForm):
    class Meta:
        model = Actor
        # The admin narrows the form to ActorAdmin.fieldsets.
        fields = "__all__"  # noqa: DJ007

    def clean_logo(self):
        """The same check as the members' form: the format read from the content."""
        return checked_logo(self.cleaned_data.get("logo"))

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if lat is not None and lon is not None:
            try:
                geo.validate_in_france(lat, lon)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class MembershipInline(admin.TabularInline):
    """Who acts for the structure; members are invited from the structure's members page."""

    model = Membership
    extra = 0
    fields = readonly_fields = ("user", "role", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    form = ActorAdminForm
    list_display = ("name", "commune", "legal_form", "status", "last_confirmed_at", "network")
    list_filter = ("status", "legal_form", "network", FiliereFilter)
    list_select_related = ("commune", "network")
    search_fields = ("name", "siret", "commune__name", "keywords")
    # Counting every actor on each page is slow on large directories (200,000 rows).
    show_full_result_count = False
    autocomplete_fields = ("commune",)
    filter_horizontal = ("sectors",)
    # The slug is the public address; the network follows the commune; the confirmation
    # date and the freshness are the members' and the daily pass's.
    readonly_fields = (
        "slug",
        "network",
        "last_confirmed_at",
        "freshness",
        "created_at",
        "updated_at",
        "search_text",
    )
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "network", "status", "legal_form", "siret")}),
        (
            _("Présentation"),
            {
                "fields": (
                    "short_description",
                    "description",
                    "sectors",
                    "keywords",
                    "labels",
                    "offer",
                    "added_value",
                    "logo",
                )
            },
        ),
        (_("Contact"), {"fields": ("website", "email", "phone")}),
        (
            _("Localisation"),
            {"fields": ("address", "postcode", "commune", "lat", "lon", "intervention_radius_km")},
        ),
        (
            _("Capacités"),
            {
                "fields": (
                    "headcount_band",
                    "turnover_band",
                    "volunteers",
                    "opening_hours",
                    "local_currencies",
                )
            },
        ),
        (
            _("Suivi"),
            {
                "fields": (
                    "last_confirmed_at",
                    "freshness",
                    "created_at",
                    "updated_at",
                    "search_text",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # A profile is created on the site (its creator becomes its owner) or by an import.
        return False

    def save_model(self, request, obj, form, change):
        """The services write: the form only collected and checked the data."""
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in EDITABLE_FIELDS}
        if {"lat", "lon"} & set(data):
            data |= {"lat": form.cleaned_data["lat"], "lon": form.cleaned_data["lon"]}
        sectors = form.cleaned_data["sectors"] if "sectors" in form.changed_data else None
        if data or sectors is not None:
            actor_update(actor=obj, by=request.user, data=data, sectors=sectors, note=ADMIN_NOTE)
        if "status" in form.changed_data:
            actor_set_status(
                actor=obj,
                by=request.user,
                status=form.cleaned_data["status"],
                # Sending a profile under review back to draft tells its members why.
                reason=str(ADMIN_SENT_BACK),
            )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The sectors were saved by actor_update (not form.save_m2m); the memberships
        # inline is read-only, so its formset saves nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        actors_delete(actors=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        actors_delete(actors=list(queryset), by=request.user)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "colour", "position")
    list_editable = ("position", "colour")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        sector_save(sector=obj, by=request.user, renamed=change and "name" in form.changed_data)

    def delete_model(self, request, obj):
        sectors_delete(sectors=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        sectors_delete(sectors=list(queryset), by=request.user)


class NetworkAdminForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = "__all__"  # noqa: DJ007 - narrowed by NetworkAdmin.fieldsets

    def _post_clean(self):
        super()._post_clean()
        try:
            check_policy(self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = NetworkAdminForm
    list_display = ("name", "slug", "contact_email", "due_after_months", "grace_months")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("communes",)
    filter_horizontal = ("animators",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "contact_email")}),
        (_("Territoire et animation"), {"fields": ("communes", "animators")}),
        (
            _("Fraîcheur des fiches"),
            {
                "description": _(
                    "Laissez vide pour appliquer les délais par défaut de la plateforme."
                ),
                "fields": ("due_after_months", "grace_months", "archive_after_months"),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        network_save(
            network=obj,
            by=request.user,
            communes=form.cleaned_data.get("communes"),
            animators=form.cleaned_data.get("animators"),
        )

    def save_related(self, request, form, formsets, change):
        pass  # the communes and animators were set by network_save


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    """Loaded from the vendored open-data file: read-only here, searchable for autocomplete."""

    list_display = ("insee", "name", "department", "postcodes", "population")
    list_filter = ("department",)
    search_fields = ("insee", "name", "postcodes")
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Members join through invitations and join requests on the site: shown here."""

    list_display = ("user", "actor", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "actor")
    search_fields = ("user__email", "user__username", "actor__name")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the structure's members page (the service sends the
    e-mail); here they are followed up or withdrawn."""

    list_display = ("email", "actor", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    list_select_related = ("actor", "invited_by")
    search_fields = ("email", "actor__name")
    readonly_fields = ("actor", "invited_by", "created_at", "accepted_at", "accepted_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    """Requests are decided by the structure's owners or animators on the site, which
    notifies the applicant; the admin only shows them."""

    list_display = ("actor", "user", "state", "created_at", "decided_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("actor", "user", "decided_by")
    search_fields = ("actor__name", "user__email", "user__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CorrectionReport)
class CorrectionReportAdmin(ReadOnlyAdmin):
    """Reports are decided by the structure's members on the site (the value is applied
    and the reporter told); here the Admins follow them and delete spam."""

    list_display = ("actor", "field", "state", "created_at", "decided_at", "decided_by")
    list_filter = ("state", "field")
    list_select_related = ("actor", "decided_by")
    search_fields = ("actor__name", "proposed_value", "reporter_email")
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(ActorChange)
class ActorChangeAdmin(ReadOnlyAdmin):
    list_display = ("actor", "at", "source", "by", "note")
    list_filter = ("source",)
    list_select_related = ("actor", "by")
    search_fields = ("actor__name", "by__email", "note")
    # The history grows with every change of every actor: no full count per page.
    show_full_result_count = False


@admin.register(FreshnessNotice)
class FreshnessNoticeAdmin(ReadOnlyAdmin):
    list_display = ("actor", "kind", "period", "created_at", "sent_at")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    list_select_related = ("actor",)
    search_fields = ("actor__name",)
    show_full_result_count = False


@admin.register(FreshnessDigest)
class FreshnessDigestAdmin(ReadOnlyAdmin):
    list_display = ("network", "day", "created_at", "sent_at")
    list_filter = ("network",)
    list_select_related = ("network",)
    date_hierarchy = "day"


@admin.register(FreshnessSnapshot)
class FreshnessSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("network", "day", "published", "fresh", "due", "stale", "confirmed_last_year")
    list_filter = ("network",)
    list_select_related = ("network",)
    date_hierarchy = "day"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("filename", "network", "state", "total", "created_count", "created_at")
    list_filter = ("state", "network")
    list_select_related = ("network", "created_by")
    search_fields = ("filename",)
    # The parsed cells and per-row messages can hold thousands of rows: not loaded here.
    exclude = ("rows", "row_errors")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("rows", "row_errors")
