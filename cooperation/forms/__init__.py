"""Forms of the cooperation app by feature: they parse input, the services hold the rules."""
