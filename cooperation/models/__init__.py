from .applications import (
    Admission,
    Answer,
    Application,
    ApplicationChange,
    ApplicationStatus,
    CriterionAnswer,
    ProgressCommitment,
)
from .charters import CharterVersion, Criterion, CriterionKind
from .colleges import AdmissionPolicy, College, ConflictOfInterest, Reviewer, Stakeholder
from .reviews import Assignment, CriterionOpinion, Opinion, Verdict, Visit

__all__ = [
    "Admission",
    "AdmissionPolicy",
    "Answer",
    "Application",
    "ApplicationChange",
    "ApplicationStatus",
    "Assignment",
    "CharterVersion",
    "College",
    "ConflictOfInterest",
    "Criterion",
    "CriterionAnswer",
    "CriterionKind",
    "CriterionOpinion",
    "Opinion",
    "ProgressCommitment",
    "Reviewer",
    "Stakeholder",
    "Verdict",
    "Visit",
]
