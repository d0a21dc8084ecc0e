"""Every demo application, in the order the generator takes them to their states."""

from cooperation.seed.demo_applicants_decided import DECIDED
from cooperation.seed.demo_applicants_review import IN_REVIEW

APPLICANTS = [*IN_REVIEW, *DECIDED]
