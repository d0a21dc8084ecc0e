"""Commands of the cooperation app; every periodic task has one (cron-able)."""
