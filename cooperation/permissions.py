"""Who may do what in the cooperation app: small named rules such as can_<verb>_<entity>."""
