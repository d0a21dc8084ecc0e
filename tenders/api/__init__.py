"""Read API of the tenders app: DRF serializers, views and urls."""
