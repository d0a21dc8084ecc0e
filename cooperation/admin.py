"""Django admin of the cooperation app, writing through the same services as the site."""
