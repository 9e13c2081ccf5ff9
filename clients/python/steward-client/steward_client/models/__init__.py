"""Contains all the data models used in inputs/outputs"""

from .accept_agreement import AcceptAgreement
from .acceptance_out import AcceptanceOut
from .account_detail import AccountDetail
from .account_out import AccountOut
from .actor_facts import ActorFacts
from .actor_out import ActorOut
from .add_member import AddMember
from .affected_people import AffectedPeople
from .affected_person_out import AffectedPersonOut
from .agent_in import AgentIn
from .agent_out import AgentOut
from .agent_permission_in import AgentPermissionIn
from .aggregate_out import AggregateOut
from .agreement_list import AgreementList
from .agreement_status_out import AgreementStatusOut
from .alert_out import AlertOut
from .alerts import Alerts
from .answer_change_of_control_notice import AnswerChangeOfControlNotice
from .approve_in import ApproveIn
from .assess_incident import AssessIncident
from .assessment_out import AssessmentOut
from .audit_entry_out import AuditEntryOut
from .audit_kind_dto import AuditKindDto
from .audit_page import AuditPage
from .basis_dto import BasisDto
from .batch_audit import BatchAudit
from .batch_error import BatchError
from .batch_explanation import BatchExplanation
from .batch_in import BatchIn
from .batch_out import BatchOut
from .batch_record import BatchRecord
from .batch_record_by_reason import BatchRecordByReason
from .batch_report import BatchReport
from .batch_summary import BatchSummary
from .break_out import BreakOut
from .carrier_list import CarrierList
from .carrier_selection_out import CarrierSelectionOut
from .case_failure import CaseFailure
from .change_of_control_notice_list import ChangeOfControlNoticeList
from .change_of_control_notice_out import ChangeOfControlNoticeOut
from .chat_message_in import ChatMessageIn
from .choice_facts import ChoiceFacts
from .choice_facts_cookies import ChoiceFactsCookies
from .choice_facts_marketing import ChoiceFactsMarketing
from .choice_facts_marketing_additional_property import ChoiceFactsMarketingAdditionalProperty
from .choice_in import ChoiceIn
from .choice_with_provenance import ChoiceWithProvenance
from .clock_out import ClockOut
from .close_ticket_in import CloseTicketIn
from .closed_ticket import ClosedTicket
from .code_answer import CodeAnswer
from .code_in import CodeIn
from .complaint_channel_dto import ComplaintChannelDto
from .complaint_list import ComplaintList
from .complaint_out import ComplaintOut
from .complaint_text_out import ComplaintTextOut
from .compute_affected import ComputeAffected
from .confirm_body import ConfirmBody
from .connectors_response_200 import ConnectorsResponse200
from .context_facts import ContextFacts
from .correction_in import CorrectionIn
from .create_account import CreateAccount
from .create_grant import CreateGrant
from .create_key import CreateKey
from .create_subject import CreateSubject
from .created_key import CreatedKey
from .dataset_connector_in import DatasetConnectorIn
from .dataset_kind_dto import DatasetKindDto
from .dataset_out import DatasetOut
from .dataset_use_in import DatasetUseIn
from .dead_letters import DeadLetters
from .decision_answer import DecisionAnswer
from .decision_json import DecisionJson
from .delivery_out import DeliveryOut
from .denial_out import DenialOut
from .deny_in import DenyIn
from .derived_dataset_in import DerivedDatasetIn
from .device_kind_dto import DeviceKindDto
from .device_ref import DeviceRef
from .disable_connector_response_200 import DisableConnectorResponse200
from .disclose_under_legal_request import DiscloseUnderLegalRequest
from .disclosure_list import DisclosureList
from .disclosure_out import DisclosureOut
from .done import Done
from .due_item import DueItem
from .effective_choices import EffectiveChoices
from .effective_choices_choices import EffectiveChoicesChoices
from .error_body import ErrorBody
from .event_outcome import EventOutcome
from .event_result import EventResult
from .explanation import Explanation
from .extend_in import ExtendIn
from .extension_out import ExtensionOut
from .failure_out import FailureOut
from .file_complaint import FileComplaint
from .forward_in import ForwardIn
from .gpc_resource import GpcResource
from .gpp_region_dto import GppRegionDto
from .gps_in import GpsIn
from .gps_out import GpsOut
from .grant_list import GrantList
from .grant_out import GrantOut
from .group_out import GroupOut
from .health import Health
from .hold_in import HoldIn
from .hold_out import HoldOut
from .identity_in import IdentityIn
from .identity_kind_dto import IdentityKindDto
from .ignored_entry import IgnoredEntry
from .incident_list import IncidentList
from .incident_out import IncidentOut
from .incident_out_affected import IncidentOutAffected
from .index import Index
from .index_links import IndexLinks
from .instrument_dto import InstrumentDto
from .intake_answer import IntakeAnswer
from .item_list import ItemList
from .item_out import ItemOut
from .item_value import ItemValue
from .item_written import ItemWritten
from .key_list import KeyList
from .key_out import KeyOut
from .ledger import Ledger
from .ledger_entry import LedgerEntry
from .ledger_entry_out import LedgerEntryOut
from .legal_disclosure_out import LegalDisclosureOut
from .legal_report_out import LegalReportOut
from .legal_report_row import LegalReportRow
from .legal_request_facts import LegalRequestFacts
from .legal_request_list import LegalRequestList
from .legal_request_out import LegalRequestOut
from .lifecycle_event_kind import LifecycleEventKind
from .lifecycle_event_out import LifecycleEventOut
from .lifecycle_events import LifecycleEvents
from .lifecycle_in import LifecycleIn
from .lifecycle_recorded import LifecycleRecorded
from .link import Link
from .link_identity import LinkIdentity
from .location_in import LocationIn
from .location_report import LocationReport
from .locations import Locations
from .login_in import LoginIn
from .login_out import LoginOut
from .login_recorded import LoginRecorded
from .logins import Logins
from .lookup import Lookup
from .lookup_out import LookupOut
from .mark_notice_sent import MarkNoticeSent
from .member_out import MemberOut
from .message_out import MessageOut
from .more_information_in import MoreInformationIn
from .motion_in import MotionIn
from .named import Named
from .notice_format import NoticeFormat
from .notice_out import NoticeOut
from .notify_people import NotifyPeople
from .obligations_json import ObligationsJson
from .openapi_response_200 import OpenapiResponse200
from .outcome_out import OutcomeOut
from .overdue_hold import OverdueHold
from .path_step import PathStep
from .people_notices_out import PeopleNoticesOut
from .people_notified import PeopleNotified
from .people_notified_queued import PeopleNotifiedQueued
from .permission_dto import PermissionDto
from .policy_change_facts import PolicyChangeFacts
from .policy_change_out import PolicyChangeOut
from .policy_notice_list import PolicyNoticeList
from .policy_notice_out import PolicyNoticeOut
from .policy_notices_queued import PolicyNoticesQueued
from .policy_out import PolicyOut
from .policy_tests import PolicyTests
from .policy_version_detail import PolicyVersionDetail
from .policy_version_list import PolicyVersionList
from .policy_version_out import PolicyVersionOut
from .policy_version_status import PolicyVersionStatus
from .problem import Problem
from .put_dataset_response_200 import PutDatasetResponse200
from .put_webhook_response_200 import PutWebhookResponse200
from .queue_cursor import QueueCursor
from .receipt_response_200 import ReceiptResponse200
from .record_change_of_control_notice import RecordChangeOfControlNotice
from .record_choices import RecordChoices
from .record_disclosure import RecordDisclosure
from .record_incident import RecordIncident
from .record_incident_affected import RecordIncidentAffected
from .recorded import Recorded
from .recourse_out import RecourseOut
from .redactions import Redactions
from .register_legal_request import RegisterLegalRequest
from .repeat_out import RepeatOut
from .request import Request
from .request_counts import RequestCounts
from .request_out import RequestOut
from .request_out_plan_type_0 import RequestOutPlanType0
from .request_page import RequestPage
from .request_row import RequestRow
from .requester_dto import RequesterDto
from .requests_report_response_200 import RequestsReportResponse200
from .resolution_dto import ResolutionDto
from .resolve_complaint import ResolveComplaint
from .respond_complaint import RespondComplaint
from .retention_change import RetentionChange
from .retention_report import RetentionReport
from .retention_report_items import RetentionReportItems
from .review_decision_dto import ReviewDecisionDto
from .review_legal_request import ReviewLegalRequest
from .revoke_grant import RevokeGrant
from .risk_dto import RiskDto
from .run_response_200 import RunResponse200
from .scan_group_dto import ScanGroupDto
from .scan_in import ScanIn
from .scan_out import ScanOut
from .scans import Scans
from .scans_in import ScansIn
from .scope_dto import ScopeDto
from .select_carrier import SelectCarrier
from .signals import Signals
from .step_out import StepOut
from .step_out_detail_type_0 import StepOutDetailType0
from .subject_facts import SubjectFacts
from .subject_kind_dto import SubjectKindDto
from .subject_out import SubjectOut
from .submit_in import SubmitIn
from .survey_answers_in import SurveyAnswersIn
from .survey_answers_in_answers import SurveyAnswersInAnswers
from .survey_form import SurveyForm
from .survey_in import SurveyIn
from .survey_stored import SurveyStored
from .sweep_count import SweepCount
from .template_facts import TemplateFacts
from .transcript_in import TranscriptIn
from .transcript_out import TranscriptOut
from .transport_dto import TransportDto
from .unsubscribe_link import UnsubscribeLink
from .unsubscribe_link_request import UnsubscribeLinkRequest
from .update_subject import UpdateSubject
from .usage_event import UsageEvent
from .usage_group_dto import UsageGroupDto
from .verification_out import VerificationOut
from .verification_out_required import VerificationOutRequired
from .verify_out import VerifyOut
from .webhook_in import WebhookIn
from .withdraw_carrier import WithdrawCarrier
from .withdraw_choices import WithdrawChoices
from .write_item import WriteItem

__all__ = (
    "AcceptAgreement",
    "AcceptanceOut",
    "AccountDetail",
    "AccountOut",
    "ActorFacts",
    "ActorOut",
    "AddMember",
    "AffectedPeople",
    "AffectedPersonOut",
    "AgentIn",
    "AgentOut",
    "AgentPermissionIn",
    "AggregateOut",
    "AgreementList",
    "AgreementStatusOut",
    "AlertOut",
    "Alerts",
    "AnswerChangeOfControlNotice",
    "ApproveIn",
    "AssessIncident",
    "AssessmentOut",
    "AuditEntryOut",
    "AuditKindDto",
    "AuditPage",
    "BasisDto",
    "BatchAudit",
    "BatchError",
    "BatchExplanation",
    "BatchIn",
    "BatchOut",
    "BatchRecord",
    "BatchRecordByReason",
    "BatchReport",
    "BatchSummary",
    "BreakOut",
    "CarrierList",
    "CarrierSelectionOut",
    "CaseFailure",
    "ChangeOfControlNoticeList",
    "ChangeOfControlNoticeOut",
    "ChatMessageIn",
    "ChoiceFacts",
    "ChoiceFactsCookies",
    "ChoiceFactsMarketing",
    "ChoiceFactsMarketingAdditionalProperty",
    "ChoiceIn",
    "ChoiceWithProvenance",
    "ClockOut",
    "ClosedTicket",
    "CloseTicketIn",
    "CodeAnswer",
    "CodeIn",
    "ComplaintChannelDto",
    "ComplaintList",
    "ComplaintOut",
    "ComplaintTextOut",
    "ComputeAffected",
    "ConfirmBody",
    "ConnectorsResponse200",
    "ContextFacts",
    "CorrectionIn",
    "CreateAccount",
    "CreatedKey",
    "CreateGrant",
    "CreateKey",
    "CreateSubject",
    "DatasetConnectorIn",
    "DatasetKindDto",
    "DatasetOut",
    "DatasetUseIn",
    "DeadLetters",
    "DecisionAnswer",
    "DecisionJson",
    "DeliveryOut",
    "DenialOut",
    "DenyIn",
    "DerivedDatasetIn",
    "DeviceKindDto",
    "DeviceRef",
    "DisableConnectorResponse200",
    "DiscloseUnderLegalRequest",
    "DisclosureList",
    "DisclosureOut",
    "Done",
    "DueItem",
    "EffectiveChoices",
    "EffectiveChoicesChoices",
    "ErrorBody",
    "EventOutcome",
    "EventResult",
    "Explanation",
    "ExtendIn",
    "ExtensionOut",
    "FailureOut",
    "FileComplaint",
    "ForwardIn",
    "GpcResource",
    "GppRegionDto",
    "GpsIn",
    "GpsOut",
    "GrantList",
    "GrantOut",
    "GroupOut",
    "Health",
    "HoldIn",
    "HoldOut",
    "IdentityIn",
    "IdentityKindDto",
    "IgnoredEntry",
    "IncidentList",
    "IncidentOut",
    "IncidentOutAffected",
    "Index",
    "IndexLinks",
    "InstrumentDto",
    "IntakeAnswer",
    "ItemList",
    "ItemOut",
    "ItemValue",
    "ItemWritten",
    "KeyList",
    "KeyOut",
    "Ledger",
    "LedgerEntry",
    "LedgerEntryOut",
    "LegalDisclosureOut",
    "LegalReportOut",
    "LegalReportRow",
    "LegalRequestFacts",
    "LegalRequestList",
    "LegalRequestOut",
    "LifecycleEventKind",
    "LifecycleEventOut",
    "LifecycleEvents",
    "LifecycleIn",
    "LifecycleRecorded",
    "Link",
    "LinkIdentity",
    "LocationIn",
    "LocationReport",
    "Locations",
    "LoginIn",
    "LoginOut",
    "LoginRecorded",
    "Logins",
    "Lookup",
    "LookupOut",
    "MarkNoticeSent",
    "MemberOut",
    "MessageOut",
    "MoreInformationIn",
    "MotionIn",
    "Named",
    "NoticeFormat",
    "NoticeOut",
    "NotifyPeople",
    "ObligationsJson",
    "OpenapiResponse200",
    "OutcomeOut",
    "OverdueHold",
    "PathStep",
    "PeopleNoticesOut",
    "PeopleNotified",
    "PeopleNotifiedQueued",
    "PermissionDto",
    "PolicyChangeFacts",
    "PolicyChangeOut",
    "PolicyNoticeList",
    "PolicyNoticeOut",
    "PolicyNoticesQueued",
    "PolicyOut",
    "PolicyTests",
    "PolicyVersionDetail",
    "PolicyVersionList",
    "PolicyVersionOut",
    "PolicyVersionStatus",
    "Problem",
    "PutDatasetResponse200",
    "PutWebhookResponse200",
    "QueueCursor",
    "ReceiptResponse200",
    "RecordChangeOfControlNotice",
    "RecordChoices",
    "RecordDisclosure",
    "Recorded",
    "RecordIncident",
    "RecordIncidentAffected",
    "RecourseOut",
    "Redactions",
    "RegisterLegalRequest",
    "RepeatOut",
    "Request",
    "RequestCounts",
    "RequesterDto",
    "RequestOut",
    "RequestOutPlanType0",
    "RequestPage",
    "RequestRow",
    "RequestsReportResponse200",
    "ResolutionDto",
    "ResolveComplaint",
    "RespondComplaint",
    "RetentionChange",
    "RetentionReport",
    "RetentionReportItems",
    "ReviewDecisionDto",
    "ReviewLegalRequest",
    "RevokeGrant",
    "RiskDto",
    "RunResponse200",
    "ScanGroupDto",
    "ScanIn",
    "ScanOut",
    "Scans",
    "ScansIn",
    "ScopeDto",
    "SelectCarrier",
    "Signals",
    "StepOut",
    "StepOutDetailType0",
    "SubjectFacts",
    "SubjectKindDto",
    "SubjectOut",
    "SubmitIn",
    "SurveyAnswersIn",
    "SurveyAnswersInAnswers",
    "SurveyForm",
    "SurveyIn",
    "SurveyStored",
    "SweepCount",
    "TemplateFacts",
    "TranscriptIn",
    "TranscriptOut",
    "TransportDto",
    "UnsubscribeLink",
    "UnsubscribeLinkRequest",
    "UpdateSubject",
    "UsageEvent",
    "UsageGroupDto",
    "VerificationOut",
    "VerificationOutRequired",
    "VerifyOut",
    "WebhookIn",
    "WithdrawCarrier",
    "WithdrawChoices",
    "WriteItem",
)
