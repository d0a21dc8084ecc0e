"""Management commands of the tenders app."""
