"""Schema migrations of the tenders app, written by makemigrations."""
