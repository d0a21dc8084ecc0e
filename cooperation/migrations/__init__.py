"""Schema migrations of the cooperation app, written by makemigrations."""
