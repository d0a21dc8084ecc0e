from .alerts import AlertKinds, AlertPreference, Frequency
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
from .conversations import Block, Conversation, ConversationRead, ConversationReport, Message
from .cooperations import Cooperation, CooperationStatus, Evaluation
from .joint_needs import JointParticipation
from .listings import (
    Audience,
    ExchangeMode,
    Listing,
    ListingChange,
    ListingKind,
    ListingPhoto,
    ListingStatus,
    Nature,
    PriceKind,
    Visibility,
)
from .reviews import Assignment, CriterionOpinion, Opinion, Verdict, Visit
from .territory_needs import Support, TerritoryNeed, TerritoryNeedStatus

__all__ = [
    "Admission",
    "AdmissionPolicy",
    "AlertKinds",
    "AlertPreference",
    "Answer",
    "Application",
    "ApplicationChange",
    "ApplicationStatus",
    "Assignment",
    "Audience",
    "Block",
    "CharterVersion",
    "College",
    "ConflictOfInterest",
    "Conversation",
    "ConversationRead",
    "ConversationReport",
    "Cooperation",
    "CooperationStatus",
    "Criterion",
    "CriterionAnswer",
    "CriterionKind",
    "CriterionOpinion",
    "Evaluation",
    "ExchangeMode",
    "Frequency",
    "JointParticipation",
    "Listing",
    "ListingChange",
    "ListingKind",
    "ListingPhoto",
    "ListingStatus",
    "Message",
    "Nature",
    "Opinion",
    "PriceKind",
    "ProgressCommitment",
    "Reviewer",
    "Stakeholder",
    "Support",
    "TerritoryNeed",
    "TerritoryNeedStatus",
    "Verdict",
    "Visibility",
    "Visit",
]
