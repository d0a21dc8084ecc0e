"""The daily freshness pass, its e-mails and digests, and "remind now" (services.freshness)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import (
    Actor,
    ActorChange,
    Freshness,
    FreshnessDigest,
    FreshnessNotice,
    FreshnessSnapshot,
    Status,
)
from directory.services import freshness
from ess_platform.lib.outbox import sending as outbox_sending
from tests.directory.helpers import make_actor
from tests.directory.helpers import months_ago as ago
from tests.factories import UserFactory

Kind = FreshnessNotice.Kind

pytestmark = pytest.mark.django_db


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


# --- Who gets which e-mail, exactly once ---------------------------------------------------


def test_members_of_a_due_actor_get_one_reminder_and_nobody_else(network, animator, as_of):
    due = make_actor(network, ago(as_of, months=12, days=3), members=2)
    fresh = make_actor(network, ago(as_of, months=11))

    report = freshness.run_freshness_pass(as_of)

    members = sorted(due.memberships.values_list("user__email", flat=True))
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == members
    assert "Recyclerie" not in mail.outbox[0].subject
    assert due.name in mail.outbox[0].subject
    assert emails_to(animator.email) == []
    assert not emails_to(fresh.memberships.get().user.email)
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert (due.freshness, fresh.freshness) == (Freshness.DUE, Freshness.FRESH)
    assert (report.due, report.stale, report.sent) == (1, 0, 1)
    assert due.changes.filter(source=ActorChange.Source.FRESHNESS).count() == 1


def test_running_the_pass_twice_the_same_day_sends_nothing_twice(network, animator, as_of):
    make_actor(network, ago(as_of, months=12, days=3))
    make_actor(network, ago(as_of, months=13, days=2), freshness=Freshness.DUE)
    make_actor(network, ago(as_of, months=13, days=-3), freshness=Freshness.DUE)

    freshness.run_freshness_pass(as_of)
    first = [(tuple(m.to), m.subject) for m in mail.outbox]
    second_report = freshness.run_freshness_pass(as_of + timedelta(hours=2))

    # A reminder, a second reminder, and the animators' digest.
    assert len(first) == 3
    assert len(mail.outbox) == 3
    assert (second_report.due, second_report.stale, second_report.sent) == (0, 0, 0)


def test_second_reminder_goes_out_once_a_few_days_before_the_stale_mark(network, as_of):
    actor = make_actor(network, ago(as_of, months=13, days=-3), freshness=Freshness.DUE)
    address = actor.memberships.get().user.email

    freshness.run_freshness_pass(as_of)
    freshness.run_freshness_pass(as_of + timedelta(days=1))

    assert len(emails_to(address)) == 1
    assert "Dernier rappel" in emails_to(address)[0].subject
    actor.refresh_from_db()
    assert actor.freshness == Freshness.DUE


def test_a_profile_that_becomes_due_does_not_get_both_reminders_the_same_day(network, as_of):
    # Confirmed just inside the second reminder's window, but never reminded yet.
    actor = make_actor(network, ago(as_of, months=13, days=-3))
    address = actor.memberships.get().user.email

    freshness.run_freshness_pass(as_of)
    assert [m.subject for m in emails_to(address)] == [
        f"Votre fiche {actor.name} est-elle toujours exacte ?"
    ]
    freshness.run_freshness_pass(as_of + timedelta(days=1))
    assert "Dernier rappel" in emails_to(address)[-1].subject
    assert len(emails_to(address)) == 2


def test_stale_actors_go_into_one_digest_per_network_and_day_to_its_animators(
    network, animator, other_animator, as_of
):
    second_animator = UserFactory(username="second-animateur")
    network.animators.add(second_animator)
    one = make_actor(network, ago(as_of, months=13, days=2), freshness=Freshness.DUE)
    two = make_actor(network, None, name="Jamais confirmée")

    freshness.run_freshness_pass(as_of)

    digests = emails_to(animator.email)
    assert len(digests) == 1
    assert sorted(digests[0].to) == sorted([animator.email, second_animator.email])
    assert one.name in digests[0].body and two.name in digests[0].body
    assert "jamais confirmée" in digests[0].body
    assert emails_to(other_animator.email) == []
    # Members are not told by the digest, and a stale mark sends them nothing.
    assert emails_to(one.memberships.get().user.email) == []
    assert set(Actor.objects.values_list("freshness", flat=True)) == {Freshness.STALE}

    # A profile that turns stale later the same day waits for tomorrow's digest.
    three = make_actor(network, ago(as_of, months=14), name="Plus tard")
    freshness.run_freshness_pass(as_of + timedelta(hours=3))
    assert len(emails_to(animator.email)) == 1
    freshness.run_freshness_pass(as_of + timedelta(days=1))
    assert len(emails_to(animator.email)) == 2
    latest = emails_to(animator.email)[-1].body
    assert three.name in latest and one.name not in latest


def test_digest_falls_back_to_the_network_contact_address(network, as_of):
    network.contact_email = "contact@pole-ess.example"
    network.save()
    make_actor(network, ago(as_of, months=14))

    freshness.run_freshness_pass(as_of)

    assert [m.to for m in mail.outbox] == [["contact@pole-ess.example"]]


def test_archiving_is_proposed_in_the_digest_but_nothing_is_archived(network, animator, as_of):
    actor = make_actor(network, ago(as_of, months=25), freshness=Freshness.STALE)

    freshness.run_freshness_pass(as_of)
    freshness.run_freshness_pass(as_of + timedelta(days=1))

    (digest,) = emails_to(animator.email)
    assert "envisagez de l'archiver" in digest.body
    assert actor.name in digest.body
    actor.refresh_from_db()
    assert actor.status == Status.PUBLISHED


def test_each_network_policy_is_respected(network, other_network, as_of):
    network.due_after_months = 6
    network.save()
    seven_months = ago(as_of, months=7)
    here = make_actor(network, seven_months)
    there = make_actor(other_network, seven_months)

    freshness.run_freshness_pass(as_of)

    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.freshness, there.freshness) == (Freshness.DUE, Freshness.FRESH)
    assert [m.to for m in mail.outbox] == [[here.memberships.get().user.email]]


def test_a_member_who_confirms_gets_no_further_reminder_for_that_cycle(network, as_of):
    actor = make_actor(network, ago(as_of, months=12, days=3))
    freshness.run_freshness_pass(as_of, send=False)  # marked; the e-mail not sent yet

    member = actor.memberships.get().user
    from directory.services import actors as services

    services.actor_mark_confirmed(actor=actor, by=member)
    report = freshness.run_freshness_pass(as_of + timedelta(minutes=5))

    assert mail.outbox == []
    assert report.skipped == 1
    assert not FreshnessNotice.objects.filter(actor=actor).exists()
    actor.refresh_from_db()
    assert actor.freshness == Freshness.FRESH


def test_snapshots_count_each_network_today(network, other_network, as_of):
    make_actor(network, ago(as_of, months=2))
    make_actor(network, ago(as_of, months=12, days=3))
    make_actor(network, ago(as_of, months=14))
    make_actor(network, ago(as_of, months=20), status=Status.ARCHIVED)

    freshness.run_freshness_pass(as_of)
    freshness.run_freshness_pass(as_of + timedelta(hours=1))

    snapshot = FreshnessSnapshot.objects.get(network=network)
    assert (snapshot.published, snapshot.fresh, snapshot.due, snapshot.stale) == (3, 1, 1, 1)
    assert snapshot.confirmed_last_year == 1
    assert FreshnessSnapshot.objects.get(network=other_network).published == 0


def test_management_command_reports_in_french(network, as_of, capsys):
    make_actor(network, ago(as_of, months=12, days=3))

    call_command("check_freshness")

    out = capsys.readouterr().out
    assert "Fiches passées « à confirmer » : 1." in out
    assert "E-mails envoyés : 1" in out


# --- Crashes and reruns ---------------------------------------------------------------------


def test_a_crash_while_sending_loses_nothing_and_the_rerun_sends_the_rest(
    network, as_of, monkeypatch
):
    actors = [make_actor(network, ago(as_of, months=12, days=3)) for _ in range(5)]
    real_send = outbox_sending.send_email
    calls = []

    def failing_after_two(message, **kwargs):
        calls.append(message)
        if len(calls) > 2:
            raise ConnectionError("SMTP server gone")
        return real_send(message, **kwargs)

    monkeypatch.setattr(outbox_sending, "send_email", failing_after_two)
    with pytest.raises(ConnectionError):
        freshness.run_freshness_pass(as_of)
    assert len(mail.outbox) == 2
    monkeypatch.setattr(outbox_sending, "send_email", real_send)

    freshness.run_freshness_pass(as_of + timedelta(minutes=10))

    for actor in actors:
        assert len(emails_to(actor.memberships.get().user.email)) == 1
    assert len(mail.outbox) == 5
    assert not FreshnessNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_crash_while_marking_loses_nothing_and_the_rerun_finishes(network, as_of, monkeypatch):
    actors = [make_actor(network, ago(as_of, months=12, days=3)) for _ in range(5)]
    monkeypatch.setattr(freshness, "BATCH_SIZE", 2)
    real_member_emails = freshness.member_emails
    batches = []

    def failing_on_the_second_batch(ids):
        batches.append(ids)
        if len(batches) == 2:
            raise RuntimeError("worker lost")
        return real_member_emails(ids)

    monkeypatch.setattr(freshness, "member_emails", failing_on_the_second_batch)
    with pytest.raises(RuntimeError):
        freshness.run_freshness_pass(as_of)
    # The first batch is committed, the second rolled back, nothing sent yet.
    assert Actor.objects.filter(freshness=Freshness.DUE).count() == 2
    assert FreshnessNotice.objects.count() == 2
    assert mail.outbox == []

    freshness.run_freshness_pass(as_of)

    assert Actor.objects.filter(freshness=Freshness.DUE).count() == 5
    for actor in actors:
        assert len(emails_to(actor.memberships.get().user.email)) == 1


# --- The query count does not grow with the number of actors ---------------------------------


def _pass_queries(as_of, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        freshness.run_freshness_pass(as_of, **kwargs)
    return len(queries)


def _bulk_actors(network, commune, count, last_confirmed_at, *, start):
    actors = Actor.objects.bulk_create(
        Actor(
            network=network,
            commune=commune,
            name=f"Structure {start + i}",
            slug=f"structure-bulk-{start + i}",
            short_description="Une structure.",
            legal_form="association",
            lat=commune.lat,
            lon=commune.lon,
            status=Status.PUBLISHED,
            last_confirmed_at=last_confirmed_at,
            freshness=Freshness.FRESH,
        )
        for i in range(count)
    )
    users = [UserFactory.build(username=f"m{start + i}") for i in range(count)]
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.bulk_create(users)
    from directory.models import Membership

    Membership.objects.bulk_create(
        Membership(user=u, actor=a) for u, a in zip(users, actors, strict=True)
    )


@pytest.mark.parametrize("changing", ["all", "few"])
def test_the_query_count_of_the_pass_does_not_grow_with_the_actors(
    network, nantes, animator, as_of, changing, django_assert_max_num_queries
):
    """20 then 200 more actors: marking costs the same queries however many move (one
    batch); sending costs a fixed number per e-mail, so with a fixed number of e-mails
    ("few") the whole pass costs the same."""
    due, fresh = ago(as_of, months=12, days=3), ago(as_of, months=1)
    if changing == "all":
        _bulk_actors(network, nantes, 20, due, start=0)
        small = _pass_queries(as_of, send=False)
        assert Actor.objects.filter(freshness=Freshness.DUE).count() == 20
        _bulk_actors(network, nantes, 200, due, start=100)
        Actor.objects.update(freshness=Freshness.FRESH)
        FreshnessNotice.objects.all().delete()
        with django_assert_max_num_queries(small):
            freshness.run_freshness_pass(as_of, send=False)
        assert Actor.objects.filter(freshness=Freshness.DUE).count() == 220
    else:
        _bulk_actors(network, nantes, 3, due, start=0)
        _bulk_actors(network, nantes, 17, fresh, start=10)
        small = _pass_queries(as_of)
        assert Actor.objects.filter(freshness=Freshness.DUE).count() == 3
        assert len(mail.outbox) == 3
        _bulk_actors(network, nantes, 200, fresh, start=100)
        Actor.objects.update(freshness=Freshness.FRESH)
        FreshnessNotice.objects.all().delete()
        FreshnessSnapshot.objects.all().delete()
        with django_assert_max_num_queries(small):
            freshness.run_freshness_pass(as_of)
        assert Actor.objects.filter(freshness=Freshness.DUE).count() == 3
        assert len(mail.outbox) == 6


# --- The animator's "remind now" ---------------------------------------------------------------


def test_remind_now_reminds_the_members_of_the_chosen_published_actors_once_a_day(
    network, other_network, animator, as_of, django_capture_on_commit_callbacks
):
    chosen = make_actor(network, ago(as_of, months=3))
    draft = make_actor(network, ago(as_of, months=3), status=Status.DRAFT)
    elsewhere = make_actor(other_network, ago(as_of, months=3))
    no_member = make_actor(network, ago(as_of, months=3), members=0)
    ids = [chosen.pk, draft.pk, elsewhere.pk, no_member.pk]

    with django_capture_on_commit_callbacks(execute=True):
        created = freshness.remind_now(network=network, actor_ids=ids, by=animator)
    with django_capture_on_commit_callbacks(execute=True):
        again = freshness.remind_now(network=network, actor_ids=ids, by=animator)

    assert (created, again) == (1, 0)
    assert [m.to for m in mail.outbox] == [[chosen.memberships.get().user.email]]
    assert "réseau Pôle ESS Nantes" in mail.outbox[0].body
    notice = FreshnessNotice.objects.get()
    assert notice.kind == Kind.MANUAL_REMINDER and notice.sent_at is not None


def test_remind_now_is_refused_to_an_animator_of_another_network(
    network, other_animator, member, actor
):
    with pytest.raises(PermissionDenied):
        freshness.remind_now(network=network, actor_ids=[actor.pk], by=other_animator)
    with pytest.raises(PermissionDenied):
        freshness.remind_now(network=network, actor_ids=[actor.pk], by=member)
    assert mail.outbox == []


def test_digest_links_to_the_pages_of_the_actors(network, animator, as_of, settings):
    actor = make_actor(network, ago(as_of, months=14))

    freshness.run_freshness_pass(as_of)

    body = emails_to(animator.email)[0].body
    assert f"{settings.SITE_URL}{actor.get_absolute_url()}" in body
    assert FreshnessDigest.objects.get().sent_at is not None


# --- Review fixes: moving back, refused addresses, digests without recipients -------------


def test_a_relaxed_policy_moves_profiles_back_without_any_email(network, as_of):
    due = make_actor(network, ago(as_of, months=12, days=10), freshness=Freshness.DUE)
    stale = make_actor(network, ago(as_of, months=14), freshness=Freshness.STALE)
    network.due_after_months = 24
    network.save()

    report = freshness.run_freshness_pass(as_of)

    due.refresh_from_db()
    stale.refresh_from_db()
    assert (due.freshness, stale.freshness) == (Freshness.FRESH, Freshness.FRESH)
    assert report.restored == 2
    assert mail.outbox == []
    change = stale.changes.get(source=ActorChange.Source.FRESHNESS)
    assert change.changes == {"freshness": ["Possiblement obsolète", "À jour"]}


def test_a_due_profile_without_its_first_reminder_gets_it(network, as_of):
    # Marked "due" by the migration (or seeded so): no reminder was ever recorded.
    actor = make_actor(network, ago(as_of, months=12, days=5), freshness=Freshness.DUE)

    freshness.run_freshness_pass(as_of)
    freshness.run_freshness_pass(as_of + timedelta(hours=1))

    assert list(actor.freshness_notices.values_list("kind", flat=True)) == [Kind.REMINDER]
    assert len(mail.outbox) == 1


def test_an_address_refused_for_good_does_not_block_the_other_reminders(
    network, as_of, monkeypatch
):
    first = make_actor(network, ago(as_of, months=12, days=3))
    second = make_actor(network, ago(as_of, months=12, days=4))
    refused = first.memberships.get().user.email
    send = EmailMessage.send

    def refuse_one(message, *args, **kwargs):
        if refused in message.to:
            raise smtplib.SMTPRecipientsRefused({refused: (550, b"No such user")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_one)
    freshness.run_freshness_pass(as_of)

    assert [m.to for m in mail.outbox] == [[second.memberships.get().user.email]]
    notice = first.freshness_notices.get()
    assert notice.sent_at is not None and "refused" in notice.last_error
    # Closed: the next pass does not try it again, nor stop on it.
    freshness.run_freshness_pass(as_of + timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_a_server_that_is_down_stops_the_pass_and_the_rerun_sends(network, as_of, monkeypatch):
    make_actor(network, ago(as_of, months=12, days=3))

    def down(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", down)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            freshness.run_freshness_pass(as_of)
    # The day's numbers were taken before sending.
    assert FreshnessSnapshot.objects.filter(network=network).exists()

    freshness.run_freshness_pass(as_of + timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_a_digest_without_recipient_waits_for_an_animator(network, as_of):
    network.animators.clear()
    network.contact_email = ""
    network.save()
    stale = make_actor(network, ago(as_of, months=14), freshness=Freshness.DUE)

    freshness.run_freshness_pass(as_of)
    assert mail.outbox == []
    assert stale.freshness_notices.get(kind=Kind.STALE).sent_at is None

    # The next day, with an animator: one digest, with yesterday's profile.
    animator = UserFactory()
    network.animators.add(animator)
    freshness.run_freshness_pass(as_of + timedelta(days=1))

    assert [m.to for m in mail.outbox] == [[animator.email]]
    assert stale.name in mail.outbox[0].body
    assert FreshnessDigest.objects.filter(network=network).count() == 1


def test_names_with_apostrophes_and_ampersands_are_not_html_escaped(network, as_of):
    make_actor(network, ago(as_of, months=12, days=3), name="L'Atelier & Co")

    freshness.run_freshness_pass(as_of)

    (message,) = mail.outbox
    assert "L'Atelier & Co" in message.subject
    assert "L'Atelier & Co" in message.body
    assert "&#x27;" not in message.body + message.subject


def test_the_filter_and_the_python_test_of_each_state_agree(network, as_of):
    """The pass filters with `Thresholds.confirmed`, the demo and the factories build with
    `Thresholds.freshness_of`: one definition, checked at and around every boundary."""
    t = network.freshness_policy().thresholds(as_of)
    second = timedelta(seconds=1)
    dates = [None, as_of, t.due_before, t.due_before - second, t.stale_before]
    dates += [t.stale_before - second, t.archive_before - second]
    actors = {make_actor(network, date).pk: date for date in dates}
    for state in Freshness:
        in_state = set(
            Actor.objects.filter(pk__in=actors)
            .filter(t.confirmed(state))
            .values_list("pk", flat=True)
        )
        expected = {pk for pk, date in actors.items() if t.freshness_of(date) == state}
        assert in_state == expected, state
