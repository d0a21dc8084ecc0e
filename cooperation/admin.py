"""Django admin for the platform's Admins: the admission process is followed here, and
lived on the site. Applications, opinions and charters are written by the services (every
move checked and recorded), so they are shown read-only; a network's admission rules are
edited here, through `admission_policy_save`, and so are its colleges (`college_save`)."""

from django.contrib import admin

from cooperation.models import (
    AdmissionPolicy,
    Application,
    ApplicationChange,
    CharterVersion,
    College,
    Criterion,
    CriterionAnswer,
    Reviewer,
)
from cooperation.services.setup import admission_policy_save, college_save
from ess_platform.lib.admin import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "kind", "title", "description")


@admin.register(CharterVersion)
class CharterVersionAdmin(ReadOnlyAdmin):
    list_display = ("network", "number", "created_at")
    list_filter = ("network",)
    inlines = [CriterionInline]


class AnswerInline(ReadOnlyInline):
    model = CriterionAnswer
    fields = ("criterion", "answer", "explanation")


class ApplicationChangeInline(ReadOnlyInline):
    model = ApplicationChange
    fields = ("at", "by", "event", "changes", "note")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("actor", "status", "round", "submitted_at", "decided_at")
    list_filter = ("status", "actor__network")
    list_select_related = ("actor",)
    search_fields = ("actor__name",)
    inlines = [AnswerInline, ApplicationChangeInline]


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    """Each network's colleges (six by default), configured here at its request."""

    list_display = ("name", "network", "stakeholder", "position")
    list_filter = ("network", "stakeholder")

    def save_model(self, request, obj, form, change):
        college_save(college=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # reviewers and opinions refer to it


@admin.register(Reviewer)
class ReviewerAdmin(ReadOnlyAdmin):
    list_display = ("user", "network", "college", "active")
    list_filter = ("network", "college__stakeholder", "active")
    list_select_related = ("user", "network", "college")
    search_fields = ("user__email", "user__username")


@admin.register(AdmissionPolicy)
class AdmissionPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "network",
        "quorum_opinions",
        "quorum_colleges",
        "peer_opinion_required",
        "visit_expected",
        "reminder_after_days",
        "appeal_days",
    )

    def save_model(self, request, obj, form, change):
        admission_policy_save(policy=obj, by=request.user)
