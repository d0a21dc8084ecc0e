"""Tasks of the imports feature."""
