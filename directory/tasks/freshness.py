"""Tasks of the freshness feature."""
