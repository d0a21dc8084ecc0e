"""Routes of the joint_needs feature (namespace "cooperation")."""

urlpatterns: list = []
