"""Models and QuerySets of the tenders app by feature; every read is a QuerySet method."""
