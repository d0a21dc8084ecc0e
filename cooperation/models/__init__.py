"""Models and QuerySets of the cooperation app by feature; every read is a QuerySet method."""
