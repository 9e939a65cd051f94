"""The vocabulary of performance-point indicators (履职积分指标).

Every app that produces points names its indicator with one of these keys; the scoring app
holds the rules (points, caps) and the calculators keyed by the same names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    SESSION_HALF_DAY = "session_half_day", _("Congress session attendance (per half-day)")
    WEEKLY_VISIT = "weekly_visit", _("Weekly community visit")
    CONTACT_DAY = "contact_day", _("Monthly contact day")
    STATION_RECEPTION = "station_reception", _("Liaison station reception shift")
    INSPECTION = "inspection", _("Inspection, research or law-enforcement check")
    TRAINING = "training", _("Training")
    REPORT_TO_VOTERS = "report_to_voters", _("Report to voters")
    OPINION = "opinion", _("Opinion collected and accepted")
    PROPOSAL_LEAD = "proposal_lead", _("Proposal as lead")
    PROPOSAL_COSIGN = "proposal_cosign", _("Proposal co-signed")
    PROPOSAL_EXCELLENT = "proposal_excellent", _("Excellent proposal")
    RESEARCH_REPORT = "research_report", _("Research report")
    RESEARCH_REPORT_EXCELLENT = "research_report_excellent", _("Excellent research report")
    OTHER = "other", _("Other approved duty")
    UNEXCUSED_ABSENCE = "unexcused_absence", _("Unexcused absence")
    ADJUSTMENT = "adjustment", _("Manual adjustment")
