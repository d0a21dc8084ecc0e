"""Django admin of the tenders app, writing through the same services as the site."""
