"""Tasks of the corrections feature."""
