"""Who may do what in the tenders app: small named rules such as can_<verb>_<entity>."""
