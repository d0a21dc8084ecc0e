"""Every URL against every role.

The table below declares who may see each URL of the site. The tests walk the whole URLconf:
a URL with no declared policy fails the build, and each URL is requested anonymously, as a
member of another structure and as an animator of another network (plus the actor's own
member or animator where they are not the ones allowed): each must answer as declared —
sent to sign in, 403, 404 or 405 — and never show the private data of an unpublished
actor. The people allowed must get the page, so the test would notice a page that refuses
everybody. A POST without a CSRF token is refused everywhere, and no request of these
tests (a GET, or a stranger's POST) writes to the database.

Object-scoped URLs are built on one actor awaiting publication ("pending"): its name and
its details are private until an animator publishes it.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.crypto import get_random_string
from openpyxl import load_workbook
from PIL import Image

from cooperation.models import (
    AdmissionPolicy,
    Application,
    Block,
    CharterVersion,
    College,
    Conversation,
    ConversationRead,
    ConversationReport,
    Cooperation,
    CriterionAnswer,
    JointParticipation,
    ListingPhoto,
    Message,
    ProgressCommitment,
    Reviewer,
    TerritoryNeed,
)
from cooperation.services.applications import (
    application_save_answers,
    application_start,
    application_submit,
)
from cooperation.services.listings import listing_create
from cooperation.services.reviews import assignment_create
from cooperation.services.setup import admission_setup
from directory.models import (
    Actor,
    ActorChange,
    CorrectionReport,
    FreshnessDigest,
    FreshnessNotice,
    FreshnessSnapshot,
    ImportBatch,
    Invitation,
    JoinRequest,
    MapCell,
    Membership,
    Status,
)
from directory.services import actors as services
from directory.services import freshness
from directory.services import members as member_services
from tests.factories import (
    ActorFactory,
    CorrectionReportFactory,
    ImportBatchFactory,
    InvitationFactory,
    JoinRequestFactory,
    UserFactory,
)

# --- The declared policies ----------------------------------------------------------------

PUBLIC = "public"  # everyone gets `ok` on GET, and no private data
ENTRANCE = "entrance"  # signed-out people get `ok`; signed-in ones are sent to their space
LOGIN = "login"  # signed-out people are sent to sign in; any signed-in person gets `ok`
OWNER = "owner"  # the actor's members and its network's animators only: 403/404 to others
ANIMATOR = "animator"  # animators only; an animator of another network sees only their own
ADDRESSEE = "addressee"  # a signed-in holder of the link sees it; only the addressee acts
STAFF = "staff"  # the Django admin: everyone but staff is sent to the admin's sign-in
POST_ONLY = "post-only"  # GET → 405 (after sign-in); a POST by anyone not allowed is refused

# Who the page is for, unless an entry says otherwise (`allowed`).
ALLOWED = {
    PUBLIC: ("member",),
    ENTRANCE: ("anonymous",),
    LOGIN: ("member",),
    OWNER: ("member", "animator"),
    ANIMATOR: ("animator",),
    ADDRESSEE: ("invitee",),
    STAFF: ("admin",),
    POST_ONLY: ("member", "animator"),
}
# Every signed-in role (a POST any signed-in person may make; the service decides).
SIGNED_IN = ("member", "animator", "other_member", "other_animator", "reviewer", "other_reviewer")
# Everyone else is a stranger to the page. `admin` (a superuser) is only ever the allowed one.
ROLES = (
    "anonymous",
    "member",
    "animator",
    "other_member",
    "other_animator",
    "reviewer",  # reviews the applications of the actor's network, assigned to its own
    "other_reviewer",  # reviews another network's applications
)
# A stranger's POST is tried on the URLs whose POST acts on someone else's data.
POST_CHECKED = {OWNER, ANIMATOR, ADDRESSEE, STAFF, POST_ONLY}


@dataclass(frozen=True)
class Access:
    policy: str
    # What the allowed people (and, for PUBLIC and LOGIN, every signed-in person) get on GET;
    # None: anything past the sign-in page below 500 (the admin's many views).
    ok: int | None = 200
    why: str = ""
    allowed: tuple[str, ...] = ()
    # The page names the unpublished actor to strangers, by design (nothing else about it).
    shows_name: bool = False
    # Query string, formatted with the URL's parameter values.
    query: str = ""
    # Where refused people are redirected when it is not the sign-in page.
    refused_to: str = ""
    # The page is about the actor it is reached through (not about a file or a network).
    names_actor: bool = True

    @property
    def allowed_roles(self) -> tuple[str, ...]:
        return self.allowed or ALLOWED[self.policy]


POLICIES: dict[str, Access] = {
    # directory/urls.py
    "directory:home": Access(PUBLIC, query="q=Recyclerie"),
    "directory:sector_styles": Access(PUBLIC),
    "directory:actor_detail": Access(
        OWNER, why="unpublished: its editors only (published pages are public: test_actors_views)"
    ),
    "directory:my_actors": Access(LOGIN),
    "directory:landing": Access(LOGIN, ok=302, why="sends each person to their own space"),
    "directory:actor_create": Access(LOGIN),
    "directory:duplicate_check": Access(
        LOGIN,
        shows_name=True,
        query="name=Recyclerie+du+Port&commune={commune}",
        why="names any non-archived structure, so people join it instead of duplicating it",
    ),
    "directory:actor_validate": Access(
        LOGIN, ok=405, why="htmx re-render of one form field: POST only, reads no data"
    ),
    "directory:actor_edit": Access(OWNER),
    "directory:actor_confirm": Access(POST_ONLY),
    "directory:actor_members": Access(OWNER, why="the member fixture is an owner"),
    "directory:join_request_create": Access(
        LOGIN, ok=404, why="one asks to join published profiles only (this one is pending)"
    ),
    "directory:join_request_decide": Access(POST_ONLY),
    "directory:invitation_accept": Access(
        ADDRESSEE,
        shows_name=True,
        why="the signed link shows what it is for; only the invited address accepts",
    ),
    "directory:review_list": Access(ANIMATOR),
    "directory:actor_set_status": Access(
        POST_ONLY, allowed=("animator",), why="members must not publish their own profile"
    ),
    # directory/urls/freshness.py: the one-click links of the reminder e-mails
    "directory:freshness_confirm": Access(
        PUBLIC,
        ok=404,
        why="signed link of a reminder, no sign-in needed; published profiles only (this one "
        "is pending); a GET only shows a button, the POST confirms",
    ),
    "directory:freshness_update": Access(
        PUBLIC,
        ok=404,
        why="signed link of a reminder; to the edit form through sign-in; published profiles "
        "only (this one is pending)",
    ),
    # directory/urls/corrections.py
    "directory:correction_report_create": Access(
        PUBLIC, ok=404, why="anyone reports errors on published profiles only (this one is pending)"
    ),
    "directory:correction_report_list": Access(OWNER),
    "directory:correction_report_decide": Access(POST_ONLY),
    "directory:actor_history": Access(OWNER),
    # directory/urls/network.py: the animator's workspace, one network at a time
    "directory:workspace_dashboard": Access(
        ANIMATOR,
        query="liste=attente",
        why="the network's animators only (404 to others); the list awaiting review shows "
        "the pending actor",
    ),
    "directory:workspace_bulk_action": Access(
        POST_ONLY,
        allowed=("animator",),
        why="bulk remind/archive: the network's animators only, after a confirmation page",
    ),
    "directory:workspace_policy": Access(
        POST_ONLY, allowed=("animator",), why="the network's freshness policy: its animators only"
    ),
    # directory/urls/imports.py: the network's animators only
    "directory:import_upload": Access(
        ANIMATOR, names_actor=False, why="about a file, not about one actor"
    ),
    "directory:import_detail": Access(
        ANIMATOR, why="the world's spreadsheet names the pending actor (a duplicate)"
    ),
    "directory:import_mapping": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators change the mapping"
    ),
    "directory:import_start": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators launch the import"
    ),
    "directory:import_progress": Access(
        ANIMATOR, names_actor=False, why="htmx fragment polled by the progress page"
    ),
    # directory/urls/exports.py
    "directory:network_export_xlsx": Access(
        ANIMATOR,
        why="the network's actors with their internal fields: its animators only (read from "
        "the workbook's cells)",
    ),
    # directory/urls/seo.py: what search engines read (published actors only)
    "directory:robots_txt": Access(PUBLIC),
    "directory:sitemap": Access(PUBLIC, why="the index of the sitemap's pages"),
    "directory:sitemap_actors": Access(PUBLIC, why="published actors only (this one is pending)"),
    # directory/api/urls.py: the public read API
    "api-actor-list": Access(PUBLIC, query="q=Recyclerie"),
    "api-actor-detail": Access(
        PUBLIC, ok=404, why="published actors only: 404 to everyone, members included"
    ),
    "api-sector-list": Access(PUBLIC),
    "api-map-actors": Access(PUBLIC, query="bbox=-1.7,47.1,-1.4,47.3&zoom=15"),
    "api-map-actor-detail": Access(
        PUBLIC, ok=404, why="a map point's popup: published actors only (404 to everyone)"
    ),
    "api-map-places": Access(
        PUBLIC, query="q=Nantes", names_actor=False, why="communes and addresses, no actor"
    ),
    "api_schema": Access(PUBLIC),
    "api_docs": Access(PUBLIC),
    # ess_platform/urls.py
    "health": Access(PUBLIC),
    "set_language": Access(
        PUBLIC, ok=302, why="the language switch: a GET only goes back, choosing takes a POST"
    ),
    "<media/<path:path>>": Access(PUBLIC, why="uploaded logos, public by nature"),
    # allauth (comptes/)
    "account_login": Access(ENTRANCE),
    "account_signup": Access(ENTRANCE),
    "account_confirm_login_code": Access(
        ENTRANCE, ok=302, why="only in the middle of a sign-in by code: else back to sign-in"
    ),
    "account_logout": Access(
        LOGIN, refused_to="/", why="signed out, there is nothing to confirm: back home"
    ),
    "account_inactive": Access(PUBLIC),
    "account_email_verification_sent": Access(PUBLIC),
    "account_reset_password": Access(PUBLIC),
    "account_reset_password_done": Access(PUBLIC),
    "account_reset_password_from_key": Access(
        PUBLIC, ok=302, why="a valid e-mailed key is moved into the session, then redirected"
    ),
    "account_reset_password_from_key_done": Access(PUBLIC),
    "account_confirm_email": Access(
        PUBLIC, why="the e-mailed key shows its address; confirming takes a POST"
    ),
    "account_reauthenticate": Access(LOGIN),
    "account_email": Access(LOGIN),
    "account_change_password": Access(LOGIN),
    "account_set_password": Access(
        LOGIN, ok=302, why="test users have a password: sent to change it instead"
    ),
    "mfa_index": Access(LOGIN),
    "mfa_authenticate": Access(
        ENTRANCE, ok=302, why="only after the password step of a sign-in: else back to sign-in"
    ),
    "mfa_reauthenticate": Access(
        LOGIN, ok=302, why="without an authenticator: password reauthentication instead"
    ),
    "mfa_activate_totp": Access(LOGIN, ok=302, why="asks for a recent authentication first"),
    "mfa_deactivate_totp": Access(LOGIN, ok=404, why="404 without an authenticator"),
    "mfa_view_recovery_codes": Access(LOGIN, ok=404, why="404 without recovery codes"),
    "mfa_generate_recovery_codes": Access(
        LOGIN, ok=302, why="asks for a recent authentication first"
    ),
    "mfa_download_recovery_codes": Access(LOGIN, ok=404, why="404 without recovery codes"),
    # The admin's own sign-in and sign-out (the rest of admin:* follows the prefix rule).
    "admin:login": Access(
        PUBLIC, why="staff are sent on to the admin; others see the sign-in form"
    ),
    "admin:logout": Access(
        STAFF, ok=405, refused_to="admin:index", why="POST only; others are sent to the admin"
    ),
}
# cooperation/urls: the admission of new members
REVIEW = ("animator", "reviewer")
POLICIES |= {
    "cooperation:application_start": Access(
        POST_ONLY, why="a structure's members (and animators) start its application"
    ),
    "cooperation:application_detail": Access(
        OWNER,
        allowed=("member", "animator", "reviewer"),
        why="private: the structure's members, its network's animators and reviewers",
    ),
    "cooperation:application_answers": Access(
        OWNER,
        ok=302,
        names_actor=False,
        why="the structure's members; a submitted application's answers are read on its page",
    ),
    "cooperation:application_withdraw": Access(POST_ONLY, why="the applicant withdraws"),
    "cooperation:application_information": Access(POST_ONLY, why="the applicant answers"),
    "cooperation:application_appeal": Access(POST_ONLY, why="the applicant appeals"),
    "cooperation:evidence_download": Access(
        OWNER,
        allowed=("member", "animator", "reviewer"),
        names_actor=False,
        why="private evidence: those who read the application, never the public media URL",
    ),
    "cooperation:review_queue": Access(
        ANIMATOR,
        allowed=REVIEW,
        why="the network's animators and reviewers only (404 to others); it names the applicant",
    ),
    "cooperation:reviewer_list": Access(
        ANIMATOR, names_actor=False, why="the network's reviewers: its animators only"
    ),
    "cooperation:reviewer_volunteer": Access(
        POST_ONLY,
        allowed=("member", "other_member"),
        why="members of the network's published structures volunteer as peers",
    ),
    "cooperation:application_assign": Access(
        POST_ONLY, allowed=REVIEW, why="the animator assigns; a reviewer takes it"
    ),
    "cooperation:application_request_information": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators ask the applicant"
    ),
    "cooperation:application_decide": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators decide"
    ),
    "cooperation:commitment_kept": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators follow progress plans"
    ),
    "cooperation:conflict_declare": Access(
        POST_ONLY, allowed=("reviewer",), why="a reviewer of the network declares a conflict"
    ),
    "cooperation:opinion_edit": Access(
        OWNER, allowed=("reviewer",), why="an assigned reviewer's opinion"
    ),
    "cooperation:visit_edit": Access(
        OWNER, allowed=REVIEW, why="the pair's visit report: assigned reviewers, animators"
    ),
    "cooperation:listing_detail": Access(
        PUBLIC,
        names_actor=False,
        why="a public listing of a published structure (members-only ones: 404 to others)",
    ),
    "cooperation:actor_listings": Access(
        OWNER, why="a structure's listings in every state: its members and animators"
    ),
    "cooperation:listing_create": Access(OWNER, names_actor=True, why="a member's new listing"),
    "cooperation:listing_edit": Access(
        OWNER, names_actor=False, why="a listing's form: its structure's members and animators"
    ),
    "cooperation:listing_move": Access(
        POST_ONLY, why="a listing's owner publishes, renews, closes it"
    ),
    # Conversations: the members of both sides only; the network's animators read one only
    # once it is reported (cooperation.services.conversations).
    "cooperation:conversation_list": Access(
        LOGIN, allowed=("member", "other_member"), why="a person's own inbox"
    ),
    "cooperation:conversation_detail": Access(
        OWNER,
        allowed=("member", "other_member"),
        why="the members of both sides; animators only once it is reported",
    ),
    "cooperation:conversation_action": Access(
        POST_ONLY,
        allowed=("member", "other_member"),
        why="a side reports, blocks, unblocks, moves its listing",
    ),
    "cooperation:listing_contact": Access(
        LOGIN, names_actor=False, why="write about a live listing one sees"
    ),
    "cooperation:actor_contact": Access(
        LOGIN, names_actor=False, why="write to a published structure (others: 404)"
    ),
    "cooperation:charter_detail": Access(
        PUBLIC, names_actor=False, why="what a network expects of its members is public"
    ),
    "cooperation:charter_edit": Access(
        ANIMATOR, names_actor=False, why="the network's animators publish its charter"
    ),
    "cooperation:admission_policy_edit": Access(
        ANIMATOR, names_actor=False, why="the network's animators set its admission rules"
    ),
    # cooperation/urls/catalogue.py, the photos and the catalogue's API
    "cooperation:catalogue": Access(
        PUBLIC, query="q=remorque", names_actor=False, why="live listings the visitor may see"
    ),
    "cooperation:catalogue_map": Access(
        PUBLIC, names_actor=False, why="the catalogue's points, same filters and visibility"
    ),
    "cooperation:catalogue_feed": Access(
        PUBLIC, names_actor=False, why="the newest public listings (Atom)"
    ),
    "cooperation:listing_photo": Access(
        PUBLIC,
        names_actor=False,
        why="a visible listing's photo, from private storage (members-only: 404 to others)",
    ),
    "cooperation:listing_photo_add": Access(POST_ONLY, why="the listing's structure adds one"),
    "cooperation:listing_photo_delete": Access(
        POST_ONLY, why="the listing's structure removes one"
    ),
    "api-listing-list": Access(PUBLIC, query="q=remorque", names_actor=False),
    "api-listing-detail": Access(
        PUBLIC, names_actor=False, why="live listings the requester may see"
    ),
    # cooperation/urls/alerts.py and the matches API
    "cooperation:alert_preferences": Access(
        LOGIN, names_actor=False, why="a person's own alert preferences"
    ),
    "api-listing-matches": Access(
        PUBLIC, names_actor=False, why="public matches of a live public listing (404 otherwise)"
    ),
    # cooperation/urls/cooperations.py
    "cooperation:listing_fulfil": Access(
        POST_ONLY, why="a listing's owner names the partner it was fulfilled with"
    ),
    "cooperation:cooperation_detail": Access(
        OWNER, names_actor=False, why="a cooperation: both sides' members and animators"
    ),
    "cooperation:cooperation_confirm": Access(
        POST_ONLY, allowed=(), why="the partner's members confirm it (a third structure here)"
    ),
    "cooperation:cooperation_decline": Access(
        POST_ONLY, allowed=(), why="the partner's members contest it (a third structure here)"
    ),
    "cooperation:cooperation_visibility": Access(
        POST_ONLY, why="each side's members show or hide it on their page"
    ),
    "cooperation:actor_cooperations": Access(
        OWNER, why="a structure's cooperations: its members and animators"
    ),
    "cooperation:network_cooperations": Access(
        ANIMATOR, names_actor=False, why="the network's evidence of impact, for its animators"
    ),
    "cooperation:network_cooperations_csv": Access(
        ANIMATOR, names_actor=False, why="the network's cooperations as CSV, for its animators"
    ),
    # cooperation/urls/joint_needs.py: POST only, from the listing's page
    "cooperation:joint_need_open": Access(
        POST_ONLY, why="a need's owner (its structure's members and animators) opens it as joint"
    ),
    "cooperation:joint_need_inhabitants": Access(
        POST_ONLY, allowed=("animator",), why="the network's animators open it to inhabitants"
    ),
    "cooperation:joint_need_join": Access(
        POST_ONLY,
        allowed=SIGNED_IN,
        why="any signed-in person who sees the live joint need (the service says who may join)",
    ),
    "cooperation:joint_need_leave": Access(
        POST_ONLY, allowed=SIGNED_IN, why="a participant leaves (the service checks it is theirs)"
    ),
    # cooperation/urls/territory_needs.py
    "cooperation:territory_need_list": Access(
        PUBLIC, names_actor=False, why="the needs of the territory, posted by inhabitants"
    ),
    "cooperation:territory_need_detail": Access(
        PUBLIC, names_actor=False, why="a need of the territory (hidden ones: its animators only)"
    ),
    "cooperation:territory_need_create": Access(LOGIN, why="any signed-in person posts one"),
    "cooperation:territory_need_support": Access(
        POST_ONLY, allowed=SIGNED_IN, why="any signed-in person supports it, once"
    ),
    "cooperation:territory_need_unsupport": Access(
        POST_ONLY, allowed=SIGNED_IN, why="a supporter withdraws their support"
    ),
    "cooperation:territory_need_review": Access(
        ANIMATOR, names_actor=False, why="the network's animators read the most supported"
    ),
    "cooperation:territory_need_decide": Access(
        ANIMATOR, names_actor=False, why="the network's animators decide what a need becomes"
    ),
}
# Whole included apps; an entry in POLICIES wins, then the longest matching prefix.
PREFIX_POLICIES: dict[str, Access] = {"admin:": Access(STAFF, ok=None)}


def access_for(key: str) -> Access | None:
    if key in POLICIES:
        return POLICIES[key]
    for prefix, access in sorted(PREFIX_POLICIES.items(), key=lambda item: -len(item[0])):
        if key.startswith(prefix):
            return access
    return None


# --- Walking the URLconf ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern with the patterns it is included under."""

    key: str  # "namespace:name", or "namespace:<full route>" for an unnamed pattern
    patterns: tuple  # (pattern, URLResolver or URLPattern) pairs, from the root down

    @property
    def view(self):
        return self.leaf.callback

    @property
    def leaf(self) -> URLPattern:
        return self.patterns[-1][1]


def walk_urls(resolver=None, namespace: str = "", parents: tuple = ()) -> Iterator[Route]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk_urls(entry, inner, (*parents, (entry.pattern, entry)))
        else:
            chain = (*parents, (entry.pattern, entry))
            route = "".join(_as_text(pattern) for pattern, _ in chain)
            yield Route(key=f"{namespace}{entry.name or f'<{route}>'}", patterns=chain)


def _as_text(pattern) -> str:
    return str(pattern).removeprefix("^").removesuffix("$")


ROUTES = list(walk_urls())

_ROUTE_PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def build_path(route: Route, values: dict) -> str:
    """The URL of `route` with each parameter replaced by its value."""

    def value(match):
        name = match["name"]
        assert name in values, f"{route.key}: no value for <{name}>: add it to the world's values"
        return str(values[name])

    parts = []
    for pattern, _entry in route.patterns:
        regex = _ROUTE_PARAMETER if isinstance(pattern, RoutePattern) else _REGEX_GROUP
        parts.append(regex.sub(value, _as_text(pattern)))
    path = "/" + "".join(parts)
    assert resolve(path).func == route.view, f"{route.key}: {path} resolves to another view"
    return path


# --- One unpublished actor and the people around it ---------------------------------------

DESCRIPTION = "PRIVATE-MARKER-description"
CORRECTION_VALUE = "PRIVATE-MARKER-correction"
CORRECTION_COMMENT = "PRIVATE-MARKER-correction-comment"
REPORTER_EMAIL = "signalant@example.org"
JOIN_MESSAGE = "PRIVATE-MARKER-join-request"
APPLICATION_ANSWER = "PRIVATE-MARKER-application-answer"
EVIDENCE = "PRIVATE-MARKER-evidence"
LISTING_DRAFT = "PRIVATE-MARKER-listing-draft"
CONVERSATION = "PRIVATE-MARKER-conversation"
PASSWORD = "motdepasse-solide-42"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@dataclass
class World:
    actor: Actor
    users: dict
    values: dict  # URL parameter values
    values_for: dict  # per URL key, overriding `values`
    admin_objects: dict  # model → the object its admin URLs are built on
    markers: dict = field(default_factory=dict)  # what strangers must never be shown

    def client(self, role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def path(self, route: Route, access: Access) -> str:
        values = dict(self.values)
        model_admin = getattr(route.view, "model_admin", None)
        if model_admin is not None:
            model = model_admin.model
            obj = self.admin_objects.get(model) or model._default_manager.order_by("pk").first()
            assert obj is not None, f"{route.key}: no {model.__name__}: add one to the world"
            values["object_id"] = values["id"] = obj.pk
        values.update(self.values_for.get(route.key, {}))
        path = build_path(route, values)
        return f"{path}?{access.query.format(**values)}" if access.query else path


@pytest.fixture
def world(actor, member, animator, other_member, other_animator, user, nantes):
    """`actor` submitted for review, with a join request and an invitation pending;
    `user` is someone else, whose e-mailed links the roles hold."""
    actor = services.actor_set_status(actor=actor, by=animator, status=Status.DRAFT)
    # Awaiting review, as a profile moved from another network's territory is.
    Actor.objects.filter(pk=actor.pk).update(status=Status.PENDING)
    Actor.objects.filter(pk=actor.pk).update(description=DESCRIPTION)
    actor.refresh_from_db()
    join_request = JoinRequestFactory(actor=actor, user=user, message=JOIN_MESSAGE)
    invitee = UserFactory(username="invitee")
    invitation = InvitationFactory(actor=actor, invited_by=member, email=invitee.email)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)

    unconfirmed = EmailAddress.objects.create(
        user=user, email="citoyenne.bis@example.org", verified=False
    )
    authenticator = TOTP.activate(user, generate_totp_secret()).instance
    upload = _media_root() / f"access-policy-{get_random_string(8)}.txt"
    # The actor is pending: its report is made directly (the service takes published ones).
    report = CorrectionReportFactory(
        actor=actor,
        proposed_value=CORRECTION_VALUE,
        comment=CORRECTION_COMMENT,
        reporter_email=REPORTER_EMAIL,
    )
    batch = ImportBatchFactory(
        network=actor.network,
        created_by=animator,
        headers=["Nom", "Commune"],
        rows=[[2, [actor.name, "Nantes"]], [3, ["Atelier neuf", "Nantes"]]],
        checked=True,
    )
    today = timezone.localdate()
    application = application_start(actor=actor, by=member)
    application_save_answers(
        application=application,
        by=member,
        accept_charter=True,
        answers={
            criterion.pk: {"answer": "partly", "explanation": APPLICATION_ANSWER}
            for criterion in application.charter_version.criteria.all()
        },
    )
    application = application_submit(application=application, by=member)
    college = College.objects.filter(network=actor.network).first()
    reviewer = Reviewer.objects.create(
        user=UserFactory(username="evaluatrice"), network=actor.network, college=college
    )
    assignment_create(application=application, reviewer=reviewer, by=animator)
    admission_setup(network=other_animator.animated_networks.get())
    other_reviewer = Reviewer.objects.create(
        user=UserFactory(username="evaluateur-lyon"),
        network=other_animator.animated_networks.get(),
        college=College.objects.filter(network=other_animator.animated_networks.get()).first(),
    )
    evidence = CriterionAnswer.objects.filter(application=application).first()
    evidence.evidence.save("rapport.pdf", ContentFile(b"%PDF-1.4 " + EVIDENCE.encode()))
    admission_policy = AdmissionPolicy.objects.create(network=actor.network)
    listing = listing_create(
        actor=Membership.objects.get(user=other_member).actor,
        by=other_member,
        data={
            "kind": "offer",
            "nature": "equipment",
            "mode": "loan",
            "title": "Prêt d'une remorque",
            "description": "Une remorque pour les déménagements de la ressourcerie.",
        },
        publish=True,
    )
    own_listing = listing_create(
        actor=actor,
        by=member,
        data={
            "kind": "need",
            "nature": "premises",
            "mode": "rental",
            "title": "Un local de stockage",
            "description": LISTING_DRAFT,
            "visibility": "network",
        },
    )
    photo = ListingPhoto.objects.create(listing=listing, image=ContentFile(PNG, name="p.png"))
    own_photo = ListingPhoto.objects.create(
        listing=own_listing, image=ContentFile(PNG, name="p.png")
    )
    # Its partner is a third structure: `other_member` stays a stranger to it.
    cooperation = Cooperation.objects.create(
        listing=own_listing,
        owner=actor,
        partner=ActorFactory(network=actor.network, commune=nantes),
        nature="premises",
        happened_on=today,
    )
    territory_need = TerritoryNeed.objects.create(
        network=actor.network,
        author=user,
        title="Une recyclerie",
        description="Pour le quartier.",
        commune=nantes,
    )
    # Between the other member's structure and the actor (created directly: the actor is
    # pending, and the service writes between published structures only).
    conversation = Conversation.objects.create(
        initiator=listing.actor,
        recipient=actor,
        subject="Une question",
        created_by=other_member,
        last_message_at=timezone.now(),
    )
    Message.objects.create(
        conversation=conversation, sender=listing.actor, author=other_member, body=CONVERSATION
    )
    # What the admin lists: a report, a block and a joint purchase, between structures of
    # networks no role animates (a reported conversation opens to its animators).
    strangers = [ActorFactory(), ActorFactory()]
    reported = Conversation.objects.create(
        initiator=strangers[0],
        recipient=strangers[1],
        subject="Signalée",
        last_message_at=timezone.now(),
    )
    ConversationReport.objects.create(conversation=reported, reason="Démarchage")
    Block.objects.create(blocker=strangers[0], blocked=strangers[1])
    JointParticipation.objects.create(
        listing=listing, actor=strangers[0], user=UserFactory(), quantity=1
    )
    # Opening a conversation moves its reader's reading time (the one write of that GET):
    # read once already, it updates a row and adds none.
    for reader in (member, other_member):
        ConversationRead.objects.create(
            conversation=conversation, user=reader, read_at=timezone.now()
        )
    commitment = ProgressCommitment.objects.create(
        application=application, text="Publier nos comptes", due_on=today
    )

    def freshness_token(action: str) -> str:
        return freshness.link_token(actor, freshness.cycle_of(actor.last_confirmed_at), action)

    notice = FreshnessNotice.objects.create(actor=actor, kind="reminder", period="policy-test")
    digest = FreshnessDigest.objects.create(network=actor.network, day=today)
    freshness_snapshot = FreshnessSnapshot.objects.create(network=actor.network, day=today)

    world = World(
        actor=actor,
        users={
            "anonymous": None,
            "member": member,
            "animator": animator,
            "other_member": other_member,
            "other_animator": other_animator,
            "invitee": invitee,
            "reviewer": reviewer.user,
            "other_reviewer": other_reviewer.user,
            "admin": admin,
        },
        values={
            "slug": actor.slug,
            "pk": join_request.pk,
            "token": member_services.invitation_token(invitation),
            "commune": nantes.pk,
            "app_label": "directory",
            "url": "nowhere/",
            "path": upload.name,
            "network_slug": actor.network.slug,
            "report_id": report.pk,
            "batch_id": batch.pk,
            "application_id": application.pk,
            "answer_id": evidence.pk,
            "commitment_id": commitment.pk,
            "listing_id": listing.pk,
            "need_id": territory_need.pk,
            "cooperation_id": cooperation.pk,
            "conversation_id": conversation.pk,
            "photo_id": photo.pk,
        },
        values_for={
            "cooperation:listing_edit": {"listing_id": own_listing.pk},
            "cooperation:listing_move": {"listing_id": own_listing.pk, "move": "publier"},
            "cooperation:listing_fulfil": {"listing_id": own_listing.pk},
            "api-listing-detail": {"pk": listing.pk},
            "api-listing-matches": {"pk": listing.pk},
            "cooperation:listing_photo_add": {"listing_id": own_listing.pk},
            "cooperation:listing_photo_delete": {
                "listing_id": own_listing.pk,
                "photo_id": own_photo.pk,
            },
            "cooperation:conversation_action": {
                "conversation_id": conversation.pk,
                "action": "bloquer",
            },
            "cooperation:actor_contact": {"slug": listing.actor.slug},
            "cooperation:joint_need_open": {"listing_id": own_listing.pk},
            "cooperation:joint_need_inhabitants": {"listing_id": own_listing.pk},
            "directory:freshness_confirm": {"token": freshness_token(freshness.CONFIRM)},
            "directory:freshness_update": {"token": freshness_token(freshness.UPDATE)},
            "account_confirm_email": {"key": EmailConfirmationHMAC(unconfirmed).key},
            "account_reset_password_from_key": {
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
            "admin:view_on_site": {
                "content_type_id": ContentType.objects.get_for_model(Actor).pk,
                "object_id": actor.pk,
            },
            "admin:auth_user_password_change": {"id": user.pk},
        },
        admin_objects={
            Actor: actor,
            JoinRequest: join_request,
            Invitation: invitation,
            Membership: Membership.objects.get(actor=actor, user=member),
            type(actor.network): actor.network,
            type(nantes): nantes,
            type(user): user,
            EmailAddress: EmailAddress.objects.get(user=user, primary=True),
            type(authenticator): authenticator,
            Group: Group.objects.create(name="Animation"),
            CorrectionReport: report,
            ActorChange: actor.changes.order_by("pk").first(),
            FreshnessNotice: notice,
            FreshnessDigest: digest,
            FreshnessSnapshot: freshness_snapshot,
            ImportBatch: batch,
            Application: application,
            CharterVersion: application.charter_version,
            College: college,
            Reviewer: reviewer,
            AdmissionPolicy: admission_policy,
        },
        markers={
            "the actor's name": actor.name,
            "its description": DESCRIPTION,
            "a join request's message": JOIN_MESSAGE,
            "its owner's e-mail": member.email,
            "a correction's proposed value": CORRECTION_VALUE,
            "a correction's comment": CORRECTION_COMMENT,
            "a reporter's e-mail": REPORTER_EMAIL,
            "an application's answer": APPLICATION_ANSWER,
            "an application's evidence": EVIDENCE,
            "a draft listing's text": LISTING_DRAFT,
            "a conversation's message": CONVERSATION,
        },
    )
    upload.write_bytes(b"not a secret")
    try:
        yield world
    finally:
        upload.unlink(missing_ok=True)


def _media_root() -> Path:
    # The media URL captured MEDIA_ROOT when the URLconf was imported.
    (route,) = [r for r in ROUTES if r.key == "<media/<path:path>>"]
    root = Path(route.leaf.default_args["document_root"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def snapshot() -> dict:
    """What a request must not change: every table's row count (sessions aside: signing in
    writes one) and the state of the directory's workflow."""
    return {
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model is not Session
        },
        "actors": list(
            Actor.objects.order_by("pk").values_list(
                "pk", "status", "updated_at", "last_confirmed_at", "name"
            )
        ),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "role")),
        "join_requests": list(JoinRequest.objects.order_by("pk").values_list("pk", "state")),
        "invitations": list(Invitation.objects.order_by("pk").values_list("pk", "accepted_at")),
        "map_cells": list(MapCell.objects.order_by("pk").values_list("pk", "count")),
    }


# --- Reading an answer --------------------------------------------------------------------


def redirected_to(response, target: str) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == resolve_url(
        target
    )


def sign_in_page(access: Access) -> str:
    if access.refused_to:
        return access.refused_to
    return "admin:login" if access.policy == STAFF else settings.LOGIN_URL


def describe(response) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def body(response) -> str:
    # Consuming streamed content closes the response (Django's test client wraps it). Closing
    # it again would send request_finished, which closes the database connection of the
    # test's transaction on PostgreSQL.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        # A workbook is a zip: read its cells, so the leak checks see what it holds.
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        cells = [v for row in workbook.active.iter_rows(values_only=True) for v in row]
        workbook.close()
        return "\n".join(str(v) for v in cells if v is not None)
    return content.decode(errors="replace")


def leaks(text: str, world: World, access: Access) -> list[str]:
    # Not inside a longer word: "autre-membre@example.org" is not "membre@example.org".
    return [
        what
        for what, marker in world.markers.items()
        if re.search(rf"(?<![\w.-]){re.escape(marker)}", text)
        and not (access.shows_name and marker == world.actor.name)
    ]


def get_problems(access: Access, role: str, response, world: World) -> list[str]:
    """How a GET's answer departs from the declared policy (empty when it does not)."""
    allowed, signed_in = role in access.allowed_roles, role != "anonymous"
    status, text = response.status_code, body(response)
    if status >= 500:
        return [f"server error {status}"]
    problems = []
    if allowed:
        expected = 405 if access.policy == POST_ONLY else access.ok
        if expected is None:
            if redirected_to(response, sign_in_page(access)):
                problems.append("sent to sign in")
        elif status != expected:
            problems.append(f"expected {expected}")
        if (
            access.policy in {OWNER, ANIMATOR, ADDRESSEE}
            and access.names_actor
            and world.actor.name not in text
        ):
            problems.append("the page does not show the actor it is for")
        return problems

    if access.policy == PUBLIC:
        if status != access.ok:
            problems.append(f"expected {access.ok}")
    elif access.policy == ENTRANCE:
        if not redirected_to(response, settings.LOGIN_REDIRECT_URL):
            problems.append(f"expected a redirect to {settings.LOGIN_REDIRECT_URL}")
    elif not signed_in and access.policy in {OWNER, ANIMATOR, POST_ONLY}:
        if status not in (403, 404) and not redirected_to(response, sign_in_page(access)):
            problems.append(f"expected 403, 404 or a redirect to {sign_in_page(access)}")
    elif not signed_in or access.policy == STAFF:
        if not redirected_to(response, sign_in_page(access)):
            problems.append(f"expected a redirect to {sign_in_page(access)}")
    elif access.policy in {LOGIN, ADDRESSEE}:
        expected = access.ok if access.policy == LOGIN else 200
        if status != expected:
            problems.append(f"expected {expected}")
    elif access.policy == POST_ONLY:
        if status != 405:
            problems.append("expected 405")
    elif access.policy == OWNER or (access.policy == ANIMATOR and role != "other_animator"):
        if status not in (403, 404):
            problems.append("expected 403 or 404")
    elif status not in (200, 403, 404):  # another network's animator: their own queue
        problems.append("expected 200 (their own), 403 or 404")
    return problems + [f"shows {what}" for what in leaks(text, world, access)]


def post_problems(access: Access, role: str, response, world: World) -> list[str]:
    """A stranger's POST: refused (ADDRESSEE: answered), never 5xx, never leaking."""
    status, text = response.status_code, body(response)
    if status >= 500:
        return [f"server error {status}"]
    problems = []
    refused = status in (403, 404, 405) or redirected_to(response, sign_in_page(access))
    if access.policy == STAFF or role == "anonymous":
        if not redirected_to(response, sign_in_page(access)) and status != 405:
            problems.append(f"expected a redirect to {sign_in_page(access)}")
    elif access.policy != ADDRESSEE and not refused:
        problems.append("expected 403, 404 or 405")
    return problems + [f"shows {what}" for what in leaks(text, world, access)]


# Enough for most forms to act on, if a view let a stranger through.
POST_DATA = {
    "status": Status.PUBLISHED,
    "decision": "accept",
    "email": "intrus@example.org",
    "message": "Je prends la main.",
    "name": "Nom remplacé",
    "login": "membre@example.org",
    "password": PASSWORD,
}


# --- The tests ----------------------------------------------------------------------------


def test_every_url_declares_its_access_policy():
    keys = {route.key for route in ROUTES}
    undeclared = sorted(key for key in keys if access_for(key) is None)
    stale = sorted(set(POLICIES) - keys)

    assert not undeclared, f"URLs without a declared access policy: {undeclared}"
    assert not stale, f"policies for URLs that no longer exist: {stale}"
    assert len(keys) == len(ROUTES), "two URL patterns share a name: tell them apart"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_each_role_gets_the_declared_answer_and_nothing_is_written(route, world):
    access = access_for(route.key)
    assert access is not None, f"{route.key}: no declared access policy"
    path = world.path(route, access)
    strangers = [role for role in ROLES if role not in access.allowed_roles]
    problems = []

    for role in (*access.allowed_roles, *strangers):
        client = world.client(role)
        before = snapshot()
        response = client.get(path)
        problems += [
            f"GET as {role}: {describe(response)}: {p}"
            for p in get_problems(access, role, response, world)
        ]
        if snapshot() != before:
            problems.append(f"GET as {role}: the database changed")

        if access.policy in POST_CHECKED and role in strangers:
            before = snapshot()
            response = client.post(path, POST_DATA)
            problems += [
                f"POST as {role}: {describe(response)}: {p}"
                for p in post_problems(access, role, response, world)
            ]
            if snapshot() != before:
                problems.append(f"POST as {role}: the database changed")

    assert not problems, f"{route.key} ({access.policy}, {path}):\n  " + "\n  ".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(route, world):
    """As the person the page is for, with the CSRF cookie a browser would send along on a
    forged cross-site form, but without the token that only the site's own pages carry."""
    access = access_for(route.key)
    assert access is not None, f"{route.key}: no declared access policy"
    client = world.client(access.allowed_roles[0], enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    before = snapshot()

    response = client.post(world.path(route, access), POST_DATA)

    assert response.status_code == 403, describe(response)
    # Refused for the missing token, not for a permission: DRF says so in `data`.
    assert "CSRF" in body(response) or "CSRF" in str(getattr(response, "data", ""))
    assert snapshot() == before
