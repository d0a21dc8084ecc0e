"""Read API of the cooperation app: DRF serializers, views and urls."""
