"""Demo data of the cooperation app for the embedded run."""
