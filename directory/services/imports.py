"""Import of an animator's spreadsheet of actors: parse, propose a mapping, check, import.

The flow, each step a service called by the views (directory/views/imports.py) or the task:

1. `batch_create`: the uploaded CSV or XLSX is parsed into text cells kept in an
   `ImportBatch` (no file is stored), the column mapping is proposed from the header names
   and every row is checked.
2. `batch_check`: the animator edits the mapping; the rows are checked again.
3. `import_start`: the animator chooses "all or nothing" or "skip the chosen rows"; the batch
   is claimed and the import queued (`directory.tasks.imports.run_import`).
4. `import_run`: one transaction creates the draft actors, their sectors, invitations and
   history; the invitations are e-mailed after the commit.

Rows are numbered as in the animator's spreadsheet (the header is line 1, the first data
row line 2), so "ligne 12" in an error is the line the animator sees in their software.
"""

import logging
import re
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.import_rows import (
    HEADER_ALIASES,
    CheckedRow,
    check_rows,
    chunks,
    mapping_errors,
    max_length,
    propose_mapping,
)
from directory.models import (
    Actor,
    ActorChange,
    ImportBatch,
    Invitation,
    Network,
    Role,
    Status,
)
from directory.permissions import can_animate
from directory.services import members
from directory.services.actors import actors_insert
from ess_platform.lib.outbox.sending import Owed, owe_many
from ess_platform.lib.spreadsheets import MAX_ROWS, parse_upload
from ess_platform.lib.tasks import queue_on_commit
from ess_platform.lib.text import normalize

logger = logging.getLogger(__name__)

# Each erroneous row gets a checkbox in the preview; beyond this, the form would be too
# long to review (and past Django's DATA_UPLOAD_MAX_NUMBER_FIELDS): the file needs fixing.
MAX_LISTED_ERRORS = 500
# Rows inserted per bulk query, and how often the progress is written.
BATCH_SIZE = 1000


def batch_create(*, network: Network, by: AbstractBaseUser, name: str, data: bytes) -> ImportBatch:
    """Parse an uploaded file, propose the mapping and check the rows."""
    if not can_animate(by, network):
        raise PermissionDenied
    parsed = parse_upload(
        name=name, data=data, is_known_header=lambda header: normalize(header) in HEADER_ALIASES
    )
    batch = ImportBatch(
        network=network,
        created_by=by,
        filename=name[:255],
        headers=parsed.headers,
        rows=parsed.rows,
        mapping=propose_mapping(parsed.headers),
        total=len(parsed.rows),
    )
    _apply_check(batch, batch.mapping)
    batch.save()
    return batch


def batch_check(
    *, batch: ImportBatch, by: AbstractBaseUser, mapping: dict[str, str]
) -> ImportBatch:
    """The animator's mapping replaces the proposed one; the rows are checked again."""
    if not can_animate(by, batch.network_id):
        raise PermissionDenied
    if batch.state not in (ImportBatch.State.UPLOADED, ImportBatch.State.CHECKED):
        raise ValidationError(_("Cet import a déjà été lancé."))
    mapping = {k: v for k, v in mapping.items() if v}
    errors = mapping_errors(mapping, width=len(batch.headers))
    batch.mapping = mapping
    if errors:
        # Saved all the same, so the animator's choices are kept on the page.
        batch.state = ImportBatch.State.UPLOADED
        batch.row_errors = {}
        batch.save(update_fields=["mapping", "state", "row_errors"])
        raise ValidationError(errors)
    _apply_check(batch, mapping)
    batch.save(update_fields=["mapping", "state", "row_errors", "error_message"])
    return batch


def _apply_check(batch: ImportBatch, mapping: dict[str, str]) -> list[CheckedRow]:
    if mapping_errors(mapping, width=len(batch.headers)):
        batch.state = ImportBatch.State.UPLOADED
        batch.row_errors = {}
        return []
    rows = check_rows(batch, mapping)
    batch.row_errors = {str(row.line): row.errors for row in rows if row.errors}
    batch.state = ImportBatch.State.CHECKED
    batch.error_message = ""
    return rows


def parse_line_numbers(text: str) -> set[int]:
    """ "3, 8-10 ; 12" → {3, 8, 9, 10, 12}. Raises ValidationError on anything else."""
    lines: set[int] = set()
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise ValidationError(
                _("« %(value)s » n'est pas un numéro de ligne (exemple : 3, 8-10).")
                % {"value": part}
            )
        first = int(match[1])
        last = int(match[2] or first)
        if last < first or last - first > MAX_ROWS:
            raise ValidationError(_("Plage de lignes invalide : « %(value)s ».") % {"value": part})
        lines.update(range(first, last + 1))
    return lines


def _format_lines(lines: Iterable[int], limit: int = 20) -> str:
    lines = sorted(lines)
    text = ", ".join(str(n) for n in lines[:limit])
    return text + ("…" if len(lines) > limit else "")


def import_start(
    *, batch: ImportBatch, by: AbstractBaseUser, mode: str, skipped: Iterable[int] = ()
) -> ImportBatch:
    """Validate the animator's choice, claim the batch and queue the import.

    All or nothing is refused while a row has an error; in "skip" mode every erroneous
    row must be among the skipped ones (valid rows may be skipped too)."""
    if not can_animate(by, batch.network_id):
        raise PermissionDenied
    if batch.state != ImportBatch.State.CHECKED:
        raise ValidationError(_("Cet import a déjà été lancé, ou sa correspondance est à revoir."))
    error_lines = {int(line) for line in batch.row_errors}
    file_lines = {line for line, _cells in batch.rows}
    skipped = set(skipped)
    if mode == ImportBatch.Mode.ALL_OR_NOTHING:
        if error_lines:
            raise ValidationError(
                ngettext(
                    "Une ligne contient des erreurs : corrigez le fichier, ou choisissez "
                    "d'ignorer les lignes en erreur.",
                    "%(count)s lignes contiennent des erreurs : corrigez le fichier, ou "
                    "choisissez d'ignorer les lignes en erreur.",
                    len(error_lines),
                )
                % {"count": len(error_lines)}
            )
        if skipped:
            raise ValidationError(
                _(
                    "« Tout ou rien » importe toutes les lignes : pour en ignorer, choisissez "
                    "« Ignorer les lignes choisies »."
                )
            )
    elif mode == ImportBatch.Mode.SKIP_CHOSEN:
        if len(error_lines) > MAX_LISTED_ERRORS:
            raise ValidationError(
                _(
                    "Trop de lignes en erreur (%(count)s) pour les choisir une à une : "
                    "corrigez le fichier."
                )
                % {"count": len(error_lines)}
            )
        unknown = skipped - file_lines
        if unknown:
            raise ValidationError(
                _("Ces lignes n'existent pas dans le fichier : %(lines)s.")
                % {"lines": _format_lines(unknown)}
            )
        kept_errors = error_lines - skipped
        if kept_errors:
            raise ValidationError(
                _("Les lignes en erreur doivent être ignorées : ligne(s) %(lines)s.")
                % {"lines": _format_lines(kept_errors)}
            )
    else:
        raise ValidationError(_("Choisissez un mode d'import."))
    to_import = len(file_lines - skipped)
    if not to_import:
        raise ValidationError(_("Aucune ligne à importer."))
    # Conditional update: a double click or a second animator does not start it twice.
    claimed = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.CHECKED).update(
        state=ImportBatch.State.RUNNING,
        mode=mode,
        skipped_rows=sorted(skipped),
        total=to_import,
        processed=0,
        created_count=0,
        error_message="",
    )
    if not claimed:
        raise ValidationError(_("Cet import a déjà été lancé."))
    queue_on_commit("directory.tasks.imports.run_import", batch.pk)
    batch.refresh_from_db()
    return batch


class _ProgressWriter:
    """Writes `processed` where a polling page can read it while the import's transaction
    is still open.

    The import holds one transaction so that a failure leaves nothing behind (committing
    each batch and deleting them on failure would show half an import to readers, and a
    killed worker could not delete anything). Its own writes are invisible to others until
    the commit, so the progress goes through a second database connection in autocommit:
    on PostgreSQL a nested `transaction.atomic()` is a savepoint of the same transaction,
    not a separate one. On SQLite (the embedded default) the import runs inline in the
    request, nobody polls meanwhile, and a second connection would wait for the single
    writer's lock: the progress is then only written at the end.

    The import's transaction must not lock the batch row before its last progress write,
    or the two connections would wait for each other.
    """

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.connection = None
        if connection.vendor == "postgresql":
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def write(self, processed: int) -> None:
        if self.connection is None:
            return
        table = self.connection.ops.quote_name(ImportBatch._meta.db_table)
        try:
            with self.connection.cursor() as cursor:
                # Should a caller's outer transaction hold the batch row, waiting for it
                # would wait for ourselves: give up on the progress instead.
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute(
                    f"UPDATE {table} SET processed = %s WHERE id = %s", [processed, self.batch_id]
                )
        except DatabaseError:
            logger.warning("Import %s: progress not written", self.batch_id, exc_info=True)
            self.close()
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def import_run(batch_id: int) -> None:
    """Create the draft actors of a claimed batch: all its chosen rows, or none.

    Idempotent: a batch that is not running (done, failed, or never claimed) is left
    alone; a worker killed half-way leaves it running with nothing created (the transaction
    is rolled back), and the redelivered task runs it again from the start."""
    batch = ImportBatch.objects.select_related("network", "created_by").get(pk=batch_id)
    if batch.state != ImportBatch.State.RUNNING:
        return
    progress = _ProgressWriter(batch.pk)
    try:
        rows = check_rows(batch)
        skipped = set(batch.skipped_rows)
        chosen = [row for row in rows if row.line not in skipped]
        new_errors = {str(row.line): row.errors for row in chosen if row.errors}
        if new_errors:
            # Something changed since the check (an actor created meanwhile…): back to the
            # preview with the new errors, nothing imported.
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.CHECKED,
                row_errors={str(r.line): r.errors for r in rows if r.errors},
                processed=0,
                error_message=_(
                    "De nouvelles erreurs sont apparues depuis la vérification : rien n'a été "
                    "importé. Vérifiez les lignes signalées puis relancez l'import."
                ),
            )
            return
        with transaction.atomic():
            invitation_ids = _create_actors(batch, chosen, progress)
            # Only now does this transaction touch the batch row (see _ProgressWriter).
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.DONE,
                processed=len(chosen),
                created_count=len(chosen),
                finished_at=timezone.now(),
                error_message="",
            )
            _owe_invitations(invitation_ids)
    except Exception:
        # Never a half import nor a 500: the transaction is rolled back, the page says so.
        logger.exception("Import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED,
            processed=0,
            created_count=0,
            finished_at=timezone.now(),
            error_message=_(
                "L'import a échoué et aucune fiche n'a été créée. Réessayez plus tard ; si "
                "l'erreur persiste, contactez l'administrateur de la plateforme."
            ),
        )
    finally:
        progress.close()


def _create_actors(
    batch: ImportBatch, rows: list[CheckedRow], progress: _ProgressWriter
) -> list[int]:
    """Insert the rows as draft actors of the network, through the same function as every
    new actor (services.actors.actors_insert); returns the invitations' ids."""
    by = batch.created_by
    invitation_ids: list[int] = []
    done = 0
    for chunk_rows in chunks(rows, BATCH_SIZE):
        actors = actors_insert(
            actors=[_actor_of(batch, row) for row in chunk_rows],
            sectors=[row.sectors for row in chunk_rows],
            by=by,
            source=ActorChange.Source.IMPORT,
            note=batch.filename,
        )
        # Imported by the network's animator, not by a member: the per-hour cap of
        # services.members.invitation_create (which stops a member from spamming through
        # the platform) would stop a network of 300 structures at 20. These go to the
        # addresses of the network's own spreadsheet, once per new actor.
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(actor=actor, email=email.lower(), role=Role.OWNER, invited_by=by)
                for actor, row in zip(actors, chunk_rows, strict=True)
                if (email := (row.values.get("contact_email") or row.values.get("email", "")))
            ],
            batch_size=BATCH_SIZE,
        )
        invitation_ids.extend(invitation.pk for invitation in invitations)
        done += len(actors)
        progress.write(done)
    return invitation_ids


def _actor_of(batch: ImportBatch, row: CheckedRow) -> Actor:
    values = row.values
    description = values.get("description", "")
    short = values.get("short_description", "") or _summary(description)
    return Actor(
        network=batch.network,
        name=values["name"],
        legal_form=row.legal_form,
        siret=row.siret,
        short_description=short,
        description=description,
        keywords=values.get("keywords", ""),
        website=row.website,
        email=values.get("email", "").lower(),
        phone=values.get("phone", ""),
        address=values.get("address", ""),
        postcode=row.postcode,
        commune=row.commune,
        # The commune's point: geocoding thousands of addresses would take the import
        # past a minute and hammer the geocoder; the member places the pin when completing.
        lat=row.commune.lat,
        lon=row.commune.lon,
        status=Status.DRAFT,
        # Nobody who knows the structure has confirmed these details yet (a network's
        # spreadsheet may be years old): the clock starts when a member confirms or edits
        # them, or when the animator publishes the profile (services._set_confirmed).
        last_confirmed_at=None,
    )


def _summary(description: str) -> str:
    """The short presentation a long description begins with, cut at a word."""
    limit = max_length("short_description")
    if len(description) <= limit:
        return description
    return description[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _owe_invitations(invitation_ids: list[int]) -> int:
    """Record, in the import's transaction, the e-mail inviting each row's contact to
    confirm and complete the profile; the outbox sends them once the import is committed,
    each once, whatever happens to the worker."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "actor__network", "invited_by"
    )
    return owe_many(
        [
            Owed(
                key=f"directory.invitation:{invitation.pk}",
                to=[invitation.email],
                template="directory/imports/emails/invitation",
                context={
                    "invitation": invitation,
                    "actor": invitation.actor,
                    "network": invitation.actor.network,
                    "url": members.invitation_url(invitation),
                    "valid_days": members.INVITATION_MAX_AGE.days,
                },
            )
            for invitation in invitations
        ]
    )
