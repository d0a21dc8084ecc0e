"""The catalogue's benchmarks (issue 11), run by `make bench` after scripts/bench.py on the
same database: 200,000 actors and 50,000 listings (`seed_demo --listings 50000`).

- the catalogue's search with a typo and its filtered lists, page and API (≤ 60 ms p95);
- the matches of one need (≤ 100 ms p95): `listing_matches` + `actor_matches`, over
  twenty needs of dense places, beside the naive technique (every live listing scored in
  Python) in the same run, and the public matches API;
- the alert fan-out of a listing that matches 5,000 structures or more (< 30 s, queries
  that do not grow with them): a need published in Paris, one member per matching
  structure, `listing_alerts_send` — all in a transaction rolled back at the end.

Rewrites the "## The catalogue" section of docs/benchmarks.md with --write.
"""

import argparse
import statistics
import time
from pathlib import Path

from bench import Result, _ms, machine, measure, replace_section, table
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cooperation.matching import (
    CANDIDATE_POOL,
    actor_matches,
    listing_matches,
    naive_listing_matches,
)
from cooperation.models import Listing
from cooperation.services import listings as listing_services
from cooperation.services.alerts import listing_alerts_send
from directory.models import Actor, Commune, Membership, Sector

SECTION = "## The catalogue"
LIST_BUDGET_MS = 60
MATCHES_BUDGET_MS = 100
FANOUT_BUDGET_S = 30
FANOUT_ACTORS = 5000
# Dense places: the needs whose matches are measured are drawn near them.
PLACES = [(48.857, 2.352), (45.764, 4.836), (43.605, 1.444), (47.218, -1.554), (50.63, 3.06)]


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def sample_needs(count: int = 20) -> list[Listing]:
    """Public live needs near the dense places, each with its sectors."""
    needs = []
    for lat, lon in PLACES:
        near = (
            Listing.objects.live()
            .filter(kind="need", visibility="public")
            .filter(lat__range=(lat - 0.3, lat + 0.3), lon__range=(lon - 0.4, lon + 0.4))
            .select_related("actor", "commune")
            .order_by("pk")[: count // len(PLACES)]
        )
        needs += list(near)
    return needs


def time_matches(needs: list[Listing], rounds: int, function) -> list[float]:
    times = []
    for _ in range(rounds):
        for need in needs:
            start = time.perf_counter()
            function(need)
            times.append((time.perf_counter() - start) * 1000)
    return times


def matches_rows(needs: list[Listing]) -> tuple[list[str], dict]:
    def ours(need):
        listing_matches(need, viewer=None, limit=10)
        actor_matches(need, limit=10)

    def naive(need):
        naive_listing_matches(need, viewer=None, limit=10)

    for need in needs[:3]:
        ours(need)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        ours(needs[0])
    queries = len(captured.captured_queries)
    ours_ms = time_matches(needs, 3, ours)
    naive_ms = time_matches(needs[:5], 1, naive)
    figures = {
        "ours_p50": statistics.median(ours_ms),
        "ours_p95": percentile(ours_ms, 95),
        "naive_p50": statistics.median(naive_ms),
        "naive_p95": percentile(naive_ms, 95) if len(naive_ms) > 1 else naive_ms[0],
        "queries": queries,
        "needs": len(needs),
    }
    verdict = "OK" if figures["ours_p95"] <= MATCHES_BUDGET_MS else "FAIL"
    lines = [
        "| matches of one need | p50 | p95 | budget | queries | OK? |",
        "|---|---:|---:|---:|---:|---|",
        f"| listings + structures, {len(needs)} needs × 3 | {_ms(figures['ours_p50'])} | "
        f"{_ms(figures['ours_p95'])} | {MATCHES_BUDGET_MS} | {queries} | {verdict} |",
        f"| naive: every live listing scored in Python, {len(naive_ms)} needs | "
        f"{_ms(figures['naive_p50'])} | {_ms(figures['naive_p95'])} | — | — | — |",
    ]
    return lines, figures


def fanout() -> tuple[list[str], dict]:
    """A need published in Paris for a common sector; one member per structure it matches;
    the fan-out timed; everything rolled back."""
    figures: dict = {}
    with transaction.atomic():
        sector = Sector.objects.get(slug="recyclerie")
        paris = Commune.objects.filter(name="Paris").order_by("-population").first()
        owner = Actor.objects.published().filter(commune=paris).order_by("pk").first()
        User = get_user_model()
        author = User.objects.create(username="bench-fanout-owner", email="owner@bench.invalid")
        Membership.objects.create(user=author, actor=owner)
        listing = listing_services.listing_create(
            actor=owner,
            by=author,
            data={
                "kind": "need",
                "nature": "equipment",
                "mode": "loan",
                "title": "Camion pour une collecte de meubles",
                "description": "Un camion de 12 m³, un samedi par mois.",
                "area_km": 50,
            },
            sectors=[sector],
            publish=True,
        )
        matched = actor_matches(listing, limit=20_000)
        actor_ids = [m.actor.pk for m in matched]
        users = User.objects.bulk_create(
            [
                User(username=f"bench-fanout-{pk}", email=f"membre-{pk}@bench.invalid")
                for pk in actor_ids
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [Membership(user=u, actor_id=pk) for u, pk in zip(users, actor_ids, strict=True)],
            batch_size=2000,
        )
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            report = listing_alerts_send(listing_id=listing.pk)
            seconds = time.perf_counter() - start
        figures = {
            "actors": report.actors,
            "people": report.people,
            "owed": report.immediate + report.daily,
            "seconds": seconds,
            "queries": len(captured.captured_queries),
        }
        transaction.set_rollback(True)
    verdict = (
        "OK"
        if figures["seconds"] < FANOUT_BUDGET_S and figures["actors"] >= FANOUT_ACTORS
        else "FAIL"
    )
    lines = [
        "| alert fan-out | structures | people | e-mails owed | s | queries | budget | OK? |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| a need in Paris (recyclerie, 50 km) | {figures['actors']:,} | {figures['people']:,} | "
        f"{figures['owed']:,} | {figures['seconds']:.1f} | {figures['queries']} | "
        f"< {FANOUT_BUDGET_S} s | {verdict} |",
    ]
    return lines, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="Markdown file whose section to rewrite")
    args = parser.parse_args()

    live = Listing.objects.live().count()
    total = Listing.objects.count()
    actors = Actor.objects.published().count()
    print(f"{actors:,} published actors, {total:,} listings ({live:,} live).")
    needs = sample_needs()
    if not needs:
        raise SystemExit("No live public need near the dense places: run seed_demo --listings.")
    client = Client(raise_request_exception=False)
    need = needs[0]
    endpoints = [
        (
            "Catalogue page, search with a typo `recylerie`",
            "/catalogue/?q=recylerie",
            LIST_BUDGET_MS,
        ),
        (
            "Catalogue API, search with a typo `recylerie`",
            "/api/v1/listings/?q=recylerie",
            LIST_BUDGET_MS,
        ),
        (
            "Catalogue API, search `legumes bio`",
            "/api/v1/listings/?q=legumes+bio",
            LIST_BUDGET_MS,
        ),
        (
            "Catalogue page, needs, one nature, one filière",
            "/catalogue/?kind=need&nature=equipment&sector=reemploi-recyclage",
            LIST_BUDGET_MS,
        ),
        (
            "Catalogue API, offers within 20 km of Lyon",
            "/api/v1/listings/?kind=offer&near=45.764,4.836&radius_km=20",
            LIST_BUDGET_MS,
        ),
        ("Catalogue API, first page", "/api/v1/listings/", LIST_BUDGET_MS),
        ("Catalogue page, first page", "/catalogue/", LIST_BUDGET_MS),
        ("Listing page (a need, with its matches)", f"/catalogue/{need.pk}/", None),
        (
            "Matches API of one need",
            f"/api/v1/listings/{need.pk}/matches/",
            MATCHES_BUDGET_MS,
        ),
    ]
    results: list[Result] = []
    for name, url, budget in endpoints:
        print(f"  {name}: {url}", flush=True)
        results.append(measure(client, name, url, budget))
    lines = table(results)
    print("\n".join(lines))

    print("  matches of twenty needs, and the naive technique…", flush=True)
    match_lines, _figures = matches_rows(needs)
    print("\n".join(match_lines))
    print("  alert fan-out…", flush=True)
    fanout_lines, _figures = fanout()
    print("\n".join(fanout_lines))

    if args.write:
        load = machine()["Load average (1, 5, 15 min) at the end"]
        section = [
            SECTION,
            "",
            f"`scripts/bench_catalogue.py`, on the same database: {actors:,} published actors,"
            f" {total:,} listings ({live:,} live; `seed_demo --listings`). Load average (1, 5,"
            f" 15 min) at the end: {load}.",
            "",
            *lines,
            "",
            "*SQL p50/p95*: the queries of one request re-executed alone (see Results above).",
            "",
            *match_lines,
            "",
            "The naive technique reads every live listing visible to the viewer and scores each"
            " in Python with the same weights (`cooperation.matching.naive_listing_matches`);"
            " ours ranks candidates in SQL within the reach's bounding box and scores only a"
            f" pool of {CANDIDATE_POOL} in Python.",
            "",
            *fanout_lines,
            "",
            "The fan-out: the structures matched (`matching_actors`, up to 10,000), their"
            " members, their preferences, the visibility check, then the e-mails owed in bulk"
            " (`owe_many`); one member was added to each matched structure for the run, and the"
            " whole run is rolled back.",
            "",
        ]
        replace_section(args.write, SECTION, section)
        print(f"\nWritten to {args.write}")


if __name__ == "__main__":
    main()
