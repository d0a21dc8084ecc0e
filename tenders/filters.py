"""FilterSets of the tenders app: one per list, shared by the page and the API."""
