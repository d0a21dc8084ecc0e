"""Django admin for the platform's Admins.

The admin writes the same tables as the site, so it keeps the same derived data: every
actor saved here gets its search column recomputed and the map cells moved, and status
changes go through `services.actor_set_status` (permission check, confirmation date).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    Status,
)
from directory.services import history
from directory.services.actors import EDITABLE_FIELDS, actor_set_status
from directory.services.map import map_cells_move
from directory.services.search import actor_refresh_search
from ess_platform.lib import geo

Point = tuple[float, float]
# What the actor's history keeps of an edit made here (the status change is recorded by
# actor_set_status; the position follows the address).
HISTORY_FIELDS = [f for f in EDITABLE_FIELDS if f not in ("lat", "lon")] + [
    "slug",
    "network",
    "sectors",
]


def _map_point(actor: Actor) -> Point | None:
    """Where the actor counts on the map: only published actors do."""
    return (actor.lat, actor.lon) if actor.status == Status.PUBLISHED else None


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
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


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
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("freshness", "created_at", "updated_at", "search_text")
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

    def save_model(self, request, obj, form, change):
        """Save the fields with the status unchanged; save_related applies the new status.

        The map cells still hold the actor at its previous point, so the move is computed
        from the stored row, and the status change is left to the service.
        """
        if change:
            stored = Actor.objects.select_related("commune", "network").get(pk=obj.pk)
            previous_point, previous_status = _map_point(stored), stored.status
            obj._admin_history_before = history.snapshot(stored, HISTORY_FIELDS)
        else:
            previous_point, previous_status = None, Status.DRAFT
            obj._admin_history_before = None
        obj._admin_target_status = obj.status
        obj._admin_previous_point = previous_point
        obj.status = previous_status
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        actor = form.instance
        actor_refresh_search(actor)
        map_cells_move(old=actor._admin_previous_point, new=_map_point(actor))
        self._record_history(request, actor)
        if actor._admin_target_status != actor.status:
            actor_set_status(actor=actor, by=request.user, status=actor._admin_target_status)
            actor.refresh_from_db()

    def _record_history(self, request, actor: Actor) -> None:
        note = _("Administration de la plateforme")
        before = actor._admin_history_before
        if before is None:
            history.record(actor, by=request.user, source=ActorChange.Source.CREATION, note=note)
            return
        changes = history.diff(before, history.snapshot(actor, HISTORY_FIELDS))
        if changes:
            history.record(
                actor, by=request.user, source=ActorChange.Source.EDIT, changes=changes, note=note
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            map_cells_move(old=_map_point(obj), new=None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for actor in queryset.only("status", "lat", "lon"):
                map_cells_move(old=_map_point(actor), new=None)
            super().delete_queryset(request, queryset)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "colour", "position")
    list_editable = ("position", "colour")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Sector names are part of each actor's search column.
            actors = (
                Actor.objects.filter(sectors=obj)
                .select_related("commune")
                .prefetch_related("sectors")
            )
            for actor in actors.iterator(chunk_size=500):
                actor_refresh_search(actor)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
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


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Loaded from the vendored open-data file: read-only here, searchable for autocomplete."""

    list_display = ("insee", "name", "department", "postcodes", "population")
    list_filter = ("department",)
    search_fields = ("insee", "name", "postcodes")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "actor", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "actor")
    search_fields = ("user__email", "user__username", "actor__name")
    autocomplete_fields = ("user", "actor")


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the site's routines (history, e-mail outbox, imports): shown to
    the Admins, never edited here, so that they stay what happened."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
