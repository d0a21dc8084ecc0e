"""Commands of the tenders app; every periodic task has one (cron-able)."""
