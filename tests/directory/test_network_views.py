"""The animator's workspace pages: scoping, the review queue, bulk actions and the policy form."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from directory.models import Actor, ActorChange, FreshnessNotice, Status
from directory.services import network as workspace
from tests.directory.helpers import LISTS, dashboard_url, names_in
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def bulk_url(network) -> str:
    return reverse("directory:workspace_bulk_action", kwargs={"network_slug": network.slug})


def policy_url(network) -> str:
    return reverse("directory:workspace_policy", kwargs={"network_slug": network.slug})


# --- Scoping --------------------------------------------------------------------------------


@pytest.mark.parametrize("liste", LISTS)
def test_other_networks_animator_and_members_get_404_on_every_list(
    client, network, animator, other_animator, member, liste
):
    url = dashboard_url(network, liste=liste)
    for intruder in (other_animator, member):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
    client.force_login(animator)
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in_on_pages_and_actions(client, network, chase):
    for method, url in [
        ("get", dashboard_url(network)),
        ("post", bulk_url(network)),
        ("post", policy_url(network)),
    ]:
        response = getattr(client, method)(url, {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_other_networks_animator_gets_404_on_actions_and_changes_nothing(
    client, network, other_animator, member, chase
):
    target = chase["stale"]
    for intruder in (other_animator, member):
        client.force_login(intruder)
        for confirm in ("", "True"):
            response = client.post(
                bulk_url(network),
                {"action": "archiver", "actors": [target.pk], "confirm": confirm},
            )
            assert response.status_code == 404
        response = client.post(policy_url(network), {"policy-due_after_months": "6"})
        assert response.status_code == 404
    target.refresh_from_db()
    network.refresh_from_db()
    assert target.status == Status.PUBLISHED and network.due_after_months is None
    assert not ActorChange.objects.filter(source=ActorChange.Source.BULK).exists()


def test_animator_cannot_act_on_another_networks_actors_from_their_own(
    client, network, animator, elsewhere
):
    client.force_login(animator)
    response = client.post(
        bulk_url(network),
        {"action": "archiver", "actors": [elsewhere.pk], "confirm": "True"},
    )
    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        workspace.bulk_archive(network=elsewhere.network, actor_ids=[elsewhere.pk], by=animator)
    # Through its own network, another network's actor is simply not among the candidates.
    assert workspace.bulk_archive(network=network, actor_ids=[elsewhere.pk], by=animator) == 0


def test_superuser_opens_any_network(client, other_network):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(dashboard_url(other_network)).status_code == 200


@pytest.fixture
def pending_in_lyon(other_network):
    """A profile awaiting publication in a network nobody below animates by name."""
    lyon = other_network.communes.get()
    ActorFactory(network=other_network, commune=lyon, name="Publiée à Lyon")
    return ActorFactory(
        network=other_network, commune=lyon, name="Ressourcerie lyonnaise", pending=True
    )


def test_superuser_sees_a_pending_actor_in_every_animator_queue(
    client, other_network, pending_in_lyon
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    # Through the real sign-in form: a superuser gets in without a second factor.
    signed_in = client.post(
        reverse("account_login"), {"login": root.email, "password": "motdepasse-solide-42"}
    )
    assert signed_in.status_code == 302
    publish = reverse("directory:actor_set_status", args=[pending_in_lyon.slug])

    review = client.get(reverse("directory:review_list"))
    assert review.status_code == 200
    assert names_in(review) == ["Ressourcerie lyonnaise"]
    assert f'action="{publish}"' in review.content.decode()
    assert dashboard_url(other_network) in review.content.decode()

    waiting = client.get(dashboard_url(other_network, liste="attente"))
    assert waiting.status_code == 200
    assert names_in(waiting) == ["Ressourcerie lyonnaise"]
    assert f'action="{publish}"' in waiting.content.decode()


def test_an_animator_does_not_see_another_networks_pending_actor_in_the_review_list(
    client, network, nantes, animator, pending_in_lyon
):
    own = ActorFactory(network=network, commune=nantes, name="Zéro déchet nantais", pending=True)
    client.force_login(animator)

    review = client.get(reverse("directory:review_list"))

    assert review.status_code == 200
    assert names_in(review) == [own.name]
    html = review.content.decode()
    assert pending_in_lyon.name not in html and pending_in_lyon.slug not in html


def test_nav_leads_an_animator_to_the_dashboard(client, network, animator, member):
    client.force_login(animator)
    html = client.get(reverse("directory:my_actors")).content.decode()
    assert f'href="{dashboard_url(network)}">Tableau de bord' in html
    review = client.get(reverse("directory:review_list")).content.decode()
    assert dashboard_url(network) in review

    client.force_login(member)
    assert "Tableau de bord" not in client.get(reverse("directory:my_actors")).content.decode()


# --- The review queue ----------------------------------------------------------------------


def test_publishing_returns_to_the_page_of_the_form_on_this_site_only(
    client, animator, network, nantes
):
    first, second = ActorFactory.create_batch(2, network=network, commune=nantes, pending=True)
    client.force_login(animator)
    dashboard = reverse("directory:workspace_dashboard", args=[network.slug]) + "?liste=attente"
    url = reverse("directory:actor_set_status", args=[first.slug])
    response = client.post(url, {"status": "published", "next": dashboard})
    assert response["Location"] == dashboard
    url = reverse("directory:actor_set_status", args=[second.slug])
    response = client.post(url, {"status": "published", "next": "https://evil.example/"})
    assert response["Location"] == reverse("directory:review_list")


def test_animator_of_another_network_cannot_publish(client, other_animator, network, nantes):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    client.force_login(other_animator)
    response = client.post(
        reverse("directory:actor_set_status", args=[pending.slug]), {"status": "published"}
    )
    assert response.status_code == 404
    assert pending.name not in client.get(reverse("directory:review_list")).content.decode()


def test_publishing_invalid_data_explains_instead_of_failing(client, animator, network, nantes):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    Actor.objects.filter(pk=pending.pk).update(siret="12345678901234")  # e.g. an old import
    client.force_login(animator)
    response = client.post(
        reverse("directory:actor_set_status", args=[pending.slug]),
        {"status": "published"},
        follow=True,
    )
    assert response.status_code == 200
    assert "SIRET" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


# --- Bulk actions ---------------------------------------------------------------------------


def test_bulk_archive_needs_the_confirmation_step(client, network, animator, chase):
    targets = [chase["stale"], chase["stale_old"]]
    client.force_login(animator)
    back = "liste=relances&freshness=stale&evil=1"

    response = client.post(
        bulk_url(network),
        {"action": "archiver", "actors": [a.pk for a in targets], "back": back},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 fiches vont être archivées" in html
    assert all(a.name in html for a in targets) and chase["due"].name not in html
    assert 'name="confirm" value="True"' in html
    assert 'name="back" value="liste=relances&amp;freshness=stale"' in html  # not "evil"
    assert Actor.objects.filter(status=Status.ARCHIVED).count() == 0

    response = client.post(
        bulk_url(network),
        {
            "action": "archiver",
            "actors": [a.pk for a in targets],
            "back": "liste=relances&freshness=stale",
            "confirm": "True",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        dashboard_url(network, liste="relances", freshness="stale") + "#listes"
    )
    assert set(Actor.objects.filter(status=Status.ARCHIVED)) == set(targets)
    page = client.get(response["Location"])
    assert "2 fiches archivées" in page.content.decode()
    assert names_in(page) == []


def test_bulk_action_without_selection_or_action_is_refused_with_a_message(
    client, network, animator, chase
):
    client.force_login(animator)
    response = client.post(bulk_url(network), {"action": "archiver"}, follow=True)
    assert "Cochez au moins une structure." in response.content.decode()
    response = client.post(bulk_url(network), {"actors": [chase["due"].pk]}, follow=True)
    assert "Choisissez une action." in response.content.decode()
    assert not Actor.objects.filter(status=Status.ARCHIVED).exists()


def test_bulk_action_on_a_number_too_large_for_the_database_is_refused_with_a_message(
    client, network, animator, chase
):
    client.force_login(animator)

    response = client.post(
        bulk_url(network), {"action": "archiver", "actors": [chase["due"].pk, "9" * 30]}
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Une des structures cochées n&#x27;est pas dans la liste." in page
    assert not Actor.objects.filter(status=Status.ARCHIVED).exists()


def test_bulk_remind_sends_the_reminders_once_a_day(
    client, network, animator, chase, django_capture_on_commit_callbacks
):
    due, stale = chase["due"], chase["stale"]
    for actor in (due, stale):
        MembershipFactory(actor=actor, user=UserFactory(username=f"membre-{actor.pk}"))
    client.force_login(animator)
    data = {"action": "relancer", "actors": [due.pk, stale.pk]}

    confirm = client.post(bulk_url(network), data)
    assert confirm.status_code == 200
    assert "Les membres de 2 structures vont recevoir" in confirm.content.decode()
    assert not FreshnessNotice.objects.exists() and not mail.outbox

    # The e-mails leave once the notices are committed (here: when the callbacks run).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(network), {**data, "confirm": "True"}, follow=True)
    assert "2 structures relancées" in response.content.decode()
    notices = FreshnessNotice.objects.filter(kind=FreshnessNotice.Kind.MANUAL_REMINDER)
    assert set(notices.values_list("actor_id", flat=True)) == {due.pk, stale.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"membre-{due.pk}@example.org", f"membre-{stale.pk}@example.org"]
    )

    # The same day again: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(network), {**data, "confirm": "True"}, follow=True)
    html = response.content.decode()
    assert "2 structures n&#x27;ont pas été relancées" in html
    assert "structures relancées" not in html
    assert notices.count() == 2 and len(mail.outbox) == 2
    # Shown as the last reminder in the list.
    html = client.get(dashboard_url(network)).content.decode()
    cells = re.findall(r"data-last-reminder>([^<]*)<", html)
    assert sorted(cells)[-1] == "jamais relancée"  # "Dépôt ancien"
    assert cells.count("jamais relancée") == 1


# --- Freshness policy -----------------------------------------------------------------------


def test_policy_form_shows_defaults_and_saves(client, network, animator, settings):
    settings.FRESHNESS_DUE_AFTER_MONTHS = 12
    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert 'name="policy-due_after_months"' in html and 'placeholder="12"' in html

    response = client.post(
        policy_url(network),
        {
            "policy-due_after_months": "6",
            "policy-grace_months": "",
            "policy-archive_after_months": "18",
        },
    )
    assert response.status_code == 302
    network.refresh_from_db()
    assert (network.due_after_months, network.grace_months, network.archive_after_months) == (
        6,
        None,
        18,
    )
    assert network.freshness_policy().due_after_months == 6


def test_policy_form_redisplays_errors_and_saves_nothing(client, network, animator):
    client.force_login(animator)
    response = client.post(
        policy_url(network),
        {
            "policy-due_after_months": "12",
            "policy-grace_months": "2",
            "policy-archive_after_months": "13",
        },
    )
    assert response.status_code == 200
    assert "plus de 14 mois sans confirmation" in response.content.decode()
    response = client.post(policy_url(network), {"policy-due_after_months": "0"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    network.refresh_from_db()
    assert network.due_after_months is None and network.archive_after_months is None


def test_the_review_queue_refuses_non_animators_in_its_own_words(client, member):
    client.force_login(member)
    response = client.get(reverse("directory:review_list"))
    assert response.status_code == 403
    assert "anime aucun réseau" in response.content.decode()


def test_sending_back_from_the_queue_asks_a_reason(client, animator, network, nantes):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    client.force_login(animator)
    html = client.get(reverse("directory:review_list")).content.decode()
    assert 'name="reason"' in html and "required" in html

    url = reverse("directory:actor_set_status", args=[pending.slug])
    client.post(url, {"status": "draft"})
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    client.post(url, {"status": "draft", "reason": "Il manque l'adresse."})
    pending.refresh_from_db()
    assert pending.status == Status.DRAFT
