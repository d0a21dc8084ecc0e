"""Admin pieces shared by the apps."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to the Admins, never written here: records written by the site's routines
    (history, e-mail records, imports) stay what happened, and reference data and
    memberships have their own way in (the commune file, invitations)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
