"""The outbox: every e-mail the platform owes is recorded before it is sent.

- `models.OwedEmail`, an abstract model (recipients, sent_at, last_error): a domain record
  that owes an e-mail (the freshness notices and digests) inherits it;
- `models.OutboxMessage`, the outbox of every other e-mail (invitations, decisions,
  alerts): a unique key per recipient and occasion, so that a rerun or a redelivered task
  sends nothing twice, and digest lines gathered into one e-mail per recipient and day;
- `sending`: `owe()` records a message in the caller's transaction and queues the sender
  on commit; `lock_unsent()` + `deliver()` are the one way to send an owed e-mail (row
  locked, sent, closed, committed: at most one message sent twice after a crash);
- `tasks.send_outbox` (Celery, and beat every few minutes as a sweep) and
  `manage.py send_outbox` (cron, for the embedded setup) send what is owed.
"""
