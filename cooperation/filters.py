"""FilterSets of the cooperation app: one per list, shared by the page and the API."""
