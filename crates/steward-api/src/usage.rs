//! The rest of the automatically collected data (docs/events.md): location samples (GEO-01,
//! GEO-02, GEO-03), USPS tracking scans and derived datasets (USPS-03, USPS-04, USPS-05),
//! chat transcripts and ticket closure (CHAT-01, CHAT-02, CHAT-04), surveys (SURVEY-01,
//! SURVEY-02, SURVEY-05), the retention sweep (RET-01, RET-02, RET-03) and the partner
//! signals of a subject or a device (GPC, US Privacy, GPP).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most samples, scans or messages in one call.
pub const MAX_SAMPLES: usize = 10_000;

/// One GPS fix.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GpsIn {
    /// Latitude, degrees (−90 to 90).
    pub lat: f64,
    /// Longitude, degrees (−180 to 180).
    pub lon: f64,
    /// Accuracy radius, metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
}

/// One motion reading.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotionIn {
    /// Acceleration on the x axis, m/s².
    pub x: f64,
    /// Y axis.
    pub y: f64,
    /// Z axis.
    pub z: f64,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
}

/// Location samples of one subject.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationIn {
    /// GPS fixes.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub gps: Vec<GpsIn>,
    /// Motion readings.
    #[serde(default)]
    #[schema(max_items = 10000)]
    pub motion: Vec<MotionIn>,
}

/// What happened to the samples.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocationReport {
    /// Items stored.
    pub stored: usize,
    /// Samples refused.
    pub refused: usize,
    /// Why they were refused (`NOT_ENABLED`: location services are off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A GPS fix as read (coarsened when the purpose does not need precision: GEO-03).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GpsOut {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Accuracy radius, metres.
    pub accuracy_m: Option<f64>,
    /// When.
    pub at: String,
}

/// GPS fixes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Locations {
    /// The fixes.
    pub samples: Vec<GpsOut>,
}

/// A tracking scan as the USPS feed delivers it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanIn {
    /// The package identification code.
    #[schema(max_length = 40)]
    pub pic: String,
    /// The scan event (`accepted`, `in_transit`, `delivered`, or a USPS code).
    #[schema(max_length = 64)]
    pub event: String,
    /// When (RFC 3339; default: when received).
    #[serde(default)]
    pub at: Option<String>,
    /// The facility's ZIP code (only its first three digits are kept).
    #[serde(default)]
    #[schema(max_length = 10)]
    pub zip: Option<String>,
    /// The subject whose package it is.
    #[serde(default)]
    pub subject_id: Option<String>,
    /// The account that bought the postage.
    #[serde(default)]
    pub account_id: Option<String>,
}

/// A batch of scans.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScansIn {
    /// The scans (at most 10 000); each is checked on its own.
    #[schema(max_items = 10000)]
    pub scans: Vec<ScanIn>,
}

/// A scan as shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScanOut {
    /// When.
    pub at: String,
    /// The event.
    pub event: String,
    /// The facility's ZIP3.
    pub zip3: Option<String>,
}

/// Scans.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Scans {
    /// Oldest first.
    pub scans: Vec<ScanOut>,
}

/// How to group scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanGroupDto {
    /// By facility ZIP3.
    Zip3,
    /// By scan event.
    Event,
}

/// A scan aggregate's window and grouping.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScanAggregateParams {
    /// `zip3` or `event`.
    pub group_by: ScanGroupDto,
    /// Received at or after (RFC 3339; default: 30 days before `until`).
    #[serde(default)]
    pub from: Option<String>,
    /// Received before (RFC 3339; default: now).
    #[serde(default)]
    pub until: Option<String>,
}

/// A derived dataset to register (`POST /v1/datasets`; not a connector to a database).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DerivedDatasetIn {
    /// Its name (`[a-z0-9_:.-]{1,64}`).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub name: String,
    /// The categories it reads directly.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub categories: Vec<String>,
    /// The registered datasets it is derived from.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub parents: Vec<uuid::Uuid>,
}

/// A derived dataset with its lineage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DatasetOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Every category it derives from, transitively (its locks are inherited).
    pub lineage: Vec<String>,
    /// Its parent datasets.
    pub parents: Vec<String>,
    /// Registered.
    pub created_at: String,
    /// The strictest retention deadline of its inputs.
    pub retain_until: Option<String>,
}

/// A use to decide.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetUseIn {
    /// The purpose (`service_improvement`, `usps_regulatory_oversight` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// How a chat was transmitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TransportDto {
    /// Plain HTTP (refused: CHAT-01).
    #[serde(rename = "http")]
    Http,
    /// TLS 1.2.
    #[serde(rename = "tls1.2")]
    Tls12,
    /// TLS 1.3.
    #[serde(rename = "tls1.3")]
    Tls13,
}

/// One chat message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessageIn {
    /// `customer` or `agent`.
    #[schema(max_length = 64)]
    pub from: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// The text (card numbers and government ids are masked before storage).
    #[schema(max_length = 100000)]
    pub text: String,
}

/// A chat transcript.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranscriptIn {
    /// Whose chat.
    pub subject_id: uuid::Uuid,
    /// The support ticket.
    #[schema(max_length = 64)]
    pub ticket: String,
    /// `tls1.2`, `tls1.3` (`http` is refused).
    pub transport: TransportDto,
    /// The minimization notice was shown (CHAT-02).
    pub minimization_notice_shown: bool,
    /// The messages.
    #[schema(max_items = 10000)]
    pub messages: Vec<ChatMessageIn>,
}

/// Values masked in free text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Redactions {
    /// Payment card numbers.
    pub pan: usize,
    /// US Social Security numbers.
    pub ssn: usize,
    /// US Individual Taxpayer Identification Numbers.
    pub itin: usize,
}

/// A stored transcript.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TranscriptOut {
    /// The `chat_transcript` item.
    pub item_id: String,
    /// The decision that allowed the collection.
    pub decision_id: String,
    /// What was masked.
    pub redactions: Redactions,
}

/// A ticket's closure.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseTicketIn {
    /// When it closed (RFC 3339; default: now).
    #[serde(default)]
    pub closed_at: Option<String>,
}

/// Items whose deadline was set.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClosedTicket {
    /// The ticket's transcript items (kept through `closed_at + 365 days`).
    pub items: Vec<String>,
}

/// A survey as the company defines it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyIn {
    /// Its id.
    #[schema(max_length = 64)]
    pub id: String,
    /// The purpose notice shown with it (SURVEY-02).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub notice: Option<String>,
    /// Must be `false` (SURVEY-01).
    #[serde(default)]
    pub required: bool,
    /// The minimization hint of free-text fields (SURVEY-05).
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub free_text_hint: Option<String>,
}

/// A survey ready to show.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyForm {
    /// Its id.
    pub id: String,
    /// The purpose notice.
    pub notice: String,
    /// Always `true`.
    pub optional: bool,
    /// The hint of free-text fields.
    pub free_text_hint: String,
}

/// Survey answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswersIn {
    /// Who answered.
    pub subject_id: uuid::Uuid,
    /// The survey.
    pub survey: SurveyIn,
    /// Question id → answer (empty: a decline, nothing stored).
    pub answers: BTreeMap<String, String>,
}

/// What was stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyStored {
    /// Whether anything was stored (empty answers store nothing).
    pub stored: bool,
    /// The `survey_answer` item.
    pub item_id: Option<String>,
    /// What was masked.
    pub redactions: Option<Redactions>,
}

/// How to run the sweep.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RetentionParams {
    /// Count only; change nothing.
    #[serde(default)]
    pub dry_run: Option<bool>,
    /// Rows per store call (default 1000).
    #[serde(default)]
    #[param(minimum = 1, maximum = 100000)]
    pub batch: Option<u32>,
}

/// Counts for one category or stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SweepCount {
    /// Erased, deleted or anonymized (in a dry run: would be).
    pub done: u64,
    /// Kept because of a legal hold.
    pub held: u64,
}

/// A hold past its review date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OverdueHold {
    /// The hold.
    pub hold: String,
    /// Its subject.
    pub subject: String,
    /// When it should have been reviewed.
    pub review_at: String,
    /// Always `HOLD_REVIEW_OVERDUE`.
    pub alert: String,
}

/// What a retention sweep did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RetentionReport {
    /// The sweep time.
    pub at: String,
    /// Whether nothing was changed.
    pub dry_run: bool,
    /// Vault items erased, per category.
    pub items: BTreeMap<String, SweepCount>,
    /// Usage events deleted (received before `usage_cutoff`).
    pub usage_events: SweepCount,
    /// The usage-event cut-off.
    pub usage_cutoff: Option<String>,
    /// Log-in security records deleted.
    pub logins: SweepCount,
    /// USPS scans anonymized (received before `scan_cutoff`).
    pub usps_scans: SweepCount,
    /// The USPS-scan cut-off.
    pub scan_cutoff: Option<String>,
    /// Holds past their review date met during the sweep.
    pub overdue_holds: Vec<OverdueHold>,
    /// In a dry run: each item that would go or is held, and why (at most 10 000).
    pub due: Vec<DueItem>,
    /// Whether `due` was cut at its maximum (the counts are complete).
    pub due_truncated: bool,
}

/// An item a sweep would erase or keeps for a hold.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DueItem {
    /// The item.
    pub item_id: String,
    /// Its subject.
    pub subject_id: String,
    /// Its category.
    pub category: String,
    /// The category's retention (`P3Y`), or `with_source` for an item derived from one that
    /// goes (RET-06).
    pub rule: String,
    /// What started the clock: `collected`, `account_closed`, `last_activity`,
    /// `contract_end`, `ticket_closed`, or `source_erased`.
    pub clock: String,
    /// When the clock started, when known.
    pub clock_at: Option<String>,
    /// The deadline it passed.
    pub retain_until: Option<String>,
    /// The item it was derived from, when it goes with it.
    pub derived_from: Option<String>,
    /// The legal hold that keeps it (`null`: it goes).
    pub held_by: Option<String>,
    /// The hold's reason.
    pub hold_reason: Option<String>,
}

/// Where a consumer is, as far as GPP is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GppRegionDto {
    /// A California consumer.
    California,
    /// A consumer in another US state.
    OtherUsState,
    /// Outside the US: nothing US-specific is emitted.
    OutsideUs,
}

/// The partner signals of a subject or device.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Signals {
    /// The GPP string (`DBABBg~BUUAAACA.YA`).
    pub gpp: String,
    /// The applicable GPP sections.
    pub gpp_sid: Vec<u16>,
    /// The US Privacy string (send only to partners flagged `legacy_usp`).
    pub us_privacy: String,
    /// GPC applies (now or persisted).
    pub gpc: bool,
    /// Effective opt-out of sale.
    pub sale_opt_out: bool,
    /// Effective opt-out of sharing.
    pub share_opt_out: bool,
    /// `california`, `other_us_state` or `outside_us`.
    pub region: GppRegionDto,
}

/// A browser or device.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeviceSignalParams {
    /// The browser's cookie id (exactly one of `cookie_id` and `device_id`).
    #[serde(default)]
    pub cookie_id: Option<String>,
    /// The app's device id.
    #[serde(default)]
    pub device_id: Option<String>,
    /// Where the edge located it (`US-CA`, `FR`), for a device not linked to a subject.
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::ingest::chat::{
        ChatMessage, Redactions as CoreRedactions, TranscriptInput, Transport,
    };
    use steward_core::ingest::location::{
        GpsSample, LocationBatch, LocationReport as CoreLocation, MotionSample,
    };
    use steward_core::ingest::survey::{
        SurveyAnswers, SurveyDefinition, SurveyForm as CoreSurveyForm,
    };
    use steward_core::ingest::usps::{DatasetInput, ScanInput, ScanView};
    use steward_core::partner_signals::PartnerSignals;
    use steward_core::retention::{
        OverdueHold as CoreHold, RetentionReport as CoreRetention, SweepCount as CoreCount,
    };
    use steward_signals::GppRegion;
    use steward_store::ids::SubjectId;
    use steward_store::model::event::{DatasetId, DatasetRecord, ScanGroup};

    use super::{
        ChatMessageIn, DatasetOut, DerivedDatasetIn, GppRegionDto, GpsOut, LocationIn,
        LocationReport, OverdueHold, Redactions, RetentionReport, ScanGroupDto, ScanIn, ScanOut,
        Signals, SurveyAnswersIn, SurveyForm, SurveyIn, SweepCount, TranscriptIn, TransportDto,
    };
    use crate::common::{InputError, ots, parse_ts, ts};

    impl TryFrom<LocationIn> for LocationBatch {
        type Error = InputError;

        fn try_from(b: LocationIn) -> Result<Self, InputError> {
            Ok(LocationBatch {
                gps: b
                    .gps
                    .into_iter()
                    .map(|g| {
                        Ok(GpsSample {
                            lat: g.lat,
                            lon: g.lon,
                            accuracy_m: g.accuracy_m,
                            at: parse_ts(&g.at, "at")?,
                        })
                    })
                    .collect::<Result<_, InputError>>()?,
                motion: b
                    .motion
                    .into_iter()
                    .map(|m| {
                        Ok(MotionSample {
                            x: m.x,
                            y: m.y,
                            z: m.z,
                            at: parse_ts(&m.at, "at")?,
                        })
                    })
                    .collect::<Result<_, InputError>>()?,
            })
        }
    }

    impl From<CoreLocation> for LocationReport {
        fn from(r: CoreLocation) -> Self {
            LocationReport {
                stored: r.stored,
                refused: r.refused,
                reason: r.reason,
            }
        }
    }

    impl From<&GpsSample> for GpsOut {
        fn from(s: &GpsSample) -> Self {
            GpsOut {
                lat: s.lat,
                lon: s.lon,
                accuracy_m: s.accuracy_m,
                at: ts(s.at),
            }
        }
    }

    impl From<ScanIn> for ScanInput {
        fn from(s: ScanIn) -> Self {
            ScanInput {
                pic: s.pic,
                event: s.event,
                at: s.at,
                zip: s.zip,
                subject_id: s.subject_id,
                account_id: s.account_id,
            }
        }
    }

    impl From<ScanView> for ScanOut {
        fn from(s: ScanView) -> Self {
            ScanOut {
                at: ts(s.at),
                event: s.event,
                zip3: s.zip3,
            }
        }
    }

    impl From<ScanGroupDto> for ScanGroup {
        fn from(g: ScanGroupDto) -> Self {
            match g {
                ScanGroupDto::Zip3 => ScanGroup::Zip3,
                ScanGroupDto::Event => ScanGroup::Event,
            }
        }
    }

    impl From<DerivedDatasetIn> for DatasetInput {
        fn from(b: DerivedDatasetIn) -> Self {
            DatasetInput {
                name: b.name,
                categories: b.categories,
                parents: b.parents.into_iter().map(DatasetId::from_uuid).collect(),
            }
        }
    }

    impl From<&DatasetRecord> for DatasetOut {
        fn from(d: &DatasetRecord) -> Self {
            DatasetOut {
                id: d.id.to_string(),
                name: d.name.to_string(),
                lineage: d.lineage.iter().map(|c| c.as_str().to_string()).collect(),
                parents: d.parents.iter().map(ToString::to_string).collect(),
                created_at: ts(d.created_at),
                retain_until: ots(d.retain_until),
            }
        }
    }

    impl From<TransportDto> for Transport {
        fn from(t: TransportDto) -> Self {
            match t {
                TransportDto::Http => Transport::Http,
                TransportDto::Tls12 => Transport::Tls12,
                TransportDto::Tls13 => Transport::Tls13,
            }
        }
    }

    impl From<ChatMessageIn> for ChatMessage {
        fn from(m: ChatMessageIn) -> Self {
            ChatMessage {
                from: m.from,
                at: m.at,
                text: m.text,
            }
        }
    }

    impl From<TranscriptIn> for TranscriptInput {
        fn from(b: TranscriptIn) -> Self {
            TranscriptInput {
                subject: SubjectId::from_uuid(b.subject_id),
                ticket: b.ticket,
                transport: b.transport.into(),
                minimization_notice_shown: b.minimization_notice_shown,
                messages: b.messages.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<CoreRedactions> for Redactions {
        fn from(r: CoreRedactions) -> Self {
            Redactions {
                pan: r.pan,
                ssn: r.ssn,
                itin: r.itin,
            }
        }
    }

    impl From<SurveyIn> for SurveyDefinition {
        fn from(s: SurveyIn) -> Self {
            SurveyDefinition {
                id: s.id,
                notice: s.notice,
                required: s.required,
                free_text_hint: s.free_text_hint,
            }
        }
    }

    impl From<CoreSurveyForm> for SurveyForm {
        fn from(f: CoreSurveyForm) -> Self {
            SurveyForm {
                id: f.id,
                notice: f.notice,
                optional: f.optional,
                free_text_hint: f.free_text_hint,
            }
        }
    }

    impl From<SurveyAnswersIn> for SurveyAnswers {
        fn from(b: SurveyAnswersIn) -> Self {
            SurveyAnswers {
                subject: SubjectId::from_uuid(b.subject_id),
                survey: b.survey.into(),
                answers: b.answers,
            }
        }
    }

    impl From<CoreCount> for SweepCount {
        fn from(c: CoreCount) -> Self {
            SweepCount {
                done: c.done,
                held: c.held,
            }
        }
    }

    impl From<&CoreHold> for OverdueHold {
        fn from(h: &CoreHold) -> Self {
            OverdueHold {
                hold: h.hold.clone(),
                subject: h.subject.to_string(),
                review_at: ts(h.review_at),
                alert: h.alert.to_string(),
            }
        }
    }

    impl From<&CoreRetention> for RetentionReport {
        fn from(r: &CoreRetention) -> Self {
            RetentionReport {
                at: ts(r.at),
                dry_run: r.dry_run,
                items: r
                    .items
                    .iter()
                    .map(|(k, v)| (k.clone(), (*v).into()))
                    .collect(),
                usage_events: r.usage_events.into(),
                usage_cutoff: ots(r.usage_cutoff),
                logins: r.logins.into(),
                usps_scans: r.usps_scans.into(),
                scan_cutoff: ots(r.scan_cutoff),
                overdue_holds: r.overdue_holds.iter().map(Into::into).collect(),
                due: r
                    .due
                    .iter()
                    .map(|d| super::DueItem {
                        item_id: d.item.to_string(),
                        subject_id: d.subject.to_string(),
                        category: d.category.clone(),
                        rule: d.rule.clone(),
                        clock: d.clock.clone(),
                        clock_at: ots(d.clock_at),
                        retain_until: ots(d.retain_until),
                        derived_from: d.derived_from.map(|i| i.to_string()),
                        held_by: d.held_by.as_ref().map(|h| h.0.clone()),
                        hold_reason: d.held_by.as_ref().map(|h| h.1.clone()),
                    })
                    .collect(),
                due_truncated: r.due_truncated,
            }
        }
    }

    impl From<GppRegion> for GppRegionDto {
        fn from(r: GppRegion) -> Self {
            match r {
                GppRegion::California => GppRegionDto::California,
                GppRegion::OtherUsState => GppRegionDto::OtherUsState,
                GppRegion::OutsideUs => GppRegionDto::OutsideUs,
            }
        }
    }

    impl From<PartnerSignals> for Signals {
        fn from(s: PartnerSignals) -> Self {
            Signals {
                gpp: s.gpp,
                gpp_sid: s.gpp_sid,
                us_privacy: s.us_privacy,
                gpc: s.gpc,
                sale_opt_out: s.sale_opt_out,
                share_opt_out: s.share_opt_out,
                region: s.region.into(),
            }
        }
    }
}
