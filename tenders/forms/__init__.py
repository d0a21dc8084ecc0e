"""Forms of the tenders app by feature: they parse input, the services hold the rules."""
