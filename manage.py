#!/usr/bin/env python
import os
import sys

from django.core.management import ManagementUtility


class Utility(ManagementUtility):
    """Django's command line, saying what is wrong with the settings: Django keeps that
    error for its help text and answers "Unknown command" for the project's commands."""

    def fetch_command(self, subcommand):
        if self.settings_exception is not None:
            sys.exit(f"Configuration error: {self.settings_exception}")
        return super().fetch_command(subcommand)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_platform.settings")
    Utility(sys.argv).execute()
