"""Django admin for the platform's Admins: the admission process is followed here, and
lived on the site. Applications, opinions and charters are written by the services (every
move checked and recorded), so they are shown read-only; a network's admission rules are
edited here, through `admission_policy_save`, and so are its colleges (`college_save`)."""

from django.contrib import admin

from cooperation.models import (
    AdmissionPolicy,
    Application,
    ApplicationChange,
    Block,
    CharterVersion,
    College,
    ConversationReport,
    Cooperation,
    Criterion,
    CriterionAnswer,
    JointParticipation,
    Listing,
    Reviewer,
    TerritoryNeed,
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


# The catalogue: written by members and animators through the site's services; the
# platform's admins read it here (a reported conversation, a block, who joined what).
@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "nature", "actor", "status", "visibility", "expires_at"]
    list_filter = ["status", "kind", "nature", "visibility"]
    search_fields = ["title", "actor__name"]
    list_select_related = ["actor"]


@admin.register(ConversationReport)
class ConversationReportAdmin(ReadOnlyAdmin):
    list_display = ["conversation", "by", "created_at", "handled_at"]
    list_select_related = ["conversation", "by"]


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["blocker", "blocked", "by", "created_at"]
    list_select_related = ["blocker", "blocked", "by"]


@admin.register(Cooperation)
class CooperationAdmin(ReadOnlyAdmin):
    list_display = ["owner", "partner", "nature", "happened_on", "status"]
    list_filter = ["status", "nature"]
    list_select_related = ["owner", "partner"]


@admin.register(TerritoryNeed)
class TerritoryNeedAdmin(ReadOnlyAdmin):
    list_display = ["title", "network", "commune", "status", "created_at"]
    list_filter = ["status", "network"]
    list_select_related = ["network", "commune"]


@admin.register(JointParticipation)
class JointParticipationAdmin(ReadOnlyAdmin):
    list_display = ["listing", "actor", "user", "quantity", "created_at"]
    list_select_related = ["listing", "actor", "user"]
