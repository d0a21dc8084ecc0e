from django.db import models


class SearchWord(models.Model):
    """A word of the actors' normalised search texts (see directory.search)."""

    word = models.CharField(max_length=60, primary_key=True)

    def __str__(self) -> str:
        return self.word
