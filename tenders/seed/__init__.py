"""Demo data of the tenders app for the embedded run."""
