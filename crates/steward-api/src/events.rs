//! Usage events at the door (`POST /v1/events`, `steward events import`), the log-in
//! security log (IPPS-05) and k-anonymous usage aggregates (IPPS-04).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One usage event as a caller sends it: one element of the JSON array of `POST /v1/events`,
/// or one line of `steward events import`. Unknown fields reject that event only.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageEvent {
    /// What happened: `page_view`, `click` …
    #[serde(rename = "type")]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub kind: String,
    /// The tracker it came through (`analytics_uid`, `session_cookie`, `ads_pixel_3p` …).
    pub tracker: String,
    /// When (RFC 3339; default: when received).
    #[serde(default)]
    pub at: Option<String>,
    /// The browser's cookie id (stored as its blind-index token).
    #[serde(default)]
    pub cookie_id: Option<String>,
    /// The app's device id (stored as its blind-index token).
    #[serde(default)]
    pub device_id: Option<String>,
    /// The client address: used for the coarse region, then pseudonymized; never stored.
    #[serde(default)]
    pub ip: Option<String>,
    /// The page (a URL or a path; query string and fragment dropped).
    #[serde(default)]
    pub page: Option<String>,
    /// The link clicked (a URL or a path; query string and fragment dropped).
    #[serde(default)]
    pub link: Option<String>,
    /// The browser family (`firefox`), not the user agent.
    #[serde(default)]
    pub browser: Option<String>,
    /// The visitor was signed in.
    #[serde(default)]
    pub registered: bool,
    /// The request that produced the event carried `Sec-GPC: 1` (GPC-01).
    #[serde(default)]
    pub gpc: bool,
    /// Where the edge located the visitor (`US-CA`, `FR`), used when the device is not linked
    /// to a subject with a known residency (DM-04).
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

/// Decode one element of an event batch (its raw JSON text): the event, or what is wrong
/// with it (the element is then rejected on its own; the rest of the batch is kept).
///
/// # Errors
/// The decoding error's message, without a position (it is relative to the element).
pub fn decode_event(raw: &str) -> Result<UsageEvent, String> {
    serde_json::from_str::<UsageEvent>(raw).map_err(|e| {
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(i) if e.line() > 0 => text[..i].to_string(),
            _ => text,
        }
    })
}

/// What happened to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventOutcome {
    /// Stored (the address only as its pseudonym).
    Accepted,
    /// Stored without the fields its purpose may not use.
    Stripped,
    /// Not stored: the policy does not allow it.
    Dropped,
    /// Not stored: malformed.
    Rejected,
}

/// What happened to one event not stored exactly as sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventResult {
    /// Position in the batch.
    pub index: usize,
    /// `stripped`, `dropped` or `rejected`.
    pub outcome: EventOutcome,
    /// Why (`CONSENT_REQUIRED`, `OPTED_OUT`, `NO_RULE`, `PURPOSE_NOT_ALLOWED`, `BAD_IP`,
    /// `MALFORMED_EVENT` …).
    pub reason: String,
    /// For a rejected event: what is wrong (no personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For a stripped event: the fields removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub stripped: Vec<Cow<'static, str>>,
}

/// The answer to a batch of events (or of USPS scans).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct BatchReport {
    /// Events stored as sent (less the raw address).
    pub accepted: u64,
    /// Events stored without some fields.
    pub stripped: u64,
    /// Events not stored by policy (counted and audited by reason).
    pub dropped: u64,
    /// Malformed events.
    pub rejected: u64,
    /// Every event not stored exactly as sent, in batch order.
    pub results: Vec<EventResult>,
}

/// A log-in to record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// Who logged in.
    pub subject_id: uuid::Uuid,
    /// From which address (sealed, for log-in security only; purged after 90 days).
    #[schema(max_length = 64)]
    pub ip: String,
    /// The device id, if any (stored as its blind-index token).
    #[serde(default)]
    #[schema(max_length = 512)]
    pub device_id: Option<String>,
}

/// A recorded log-in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRecorded {
    /// The record id.
    pub id: String,
}

/// The purpose of a read.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PurposeParams {
    /// The declared purpose (`login_security`, `security_fraud` …).
    #[param(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub purpose: String,
}

/// A log-in record.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginOut {
    /// Id.
    pub id: String,
    /// When.
    pub at: String,
    /// The address.
    pub ip: String,
    /// When it will be purged.
    pub retain_until: String,
}

/// Log-in records.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Logins {
    /// Newest first.
    pub logins: Vec<LoginOut>,
}

/// How to group usage events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageGroupDto {
    /// By coarse region (`location_traffic_monitoring`).
    Geo,
    /// By page (`audience_measurement`).
    Page,
    /// By tracker (`audience_measurement`).
    Tracker,
}

/// An aggregate's window and grouping.
#[derive(Debug, Clone, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageAggregateParams {
    /// `geo`, `page` or `tracker`.
    pub group_by: UsageGroupDto,
    /// Received at or after (RFC 3339; default: 30 days before `until`).
    #[serde(default)]
    pub from: Option<String>,
    /// Received before (RFC 3339; default: now).
    #[serde(default)]
    pub until: Option<String>,
}

/// One group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupOut {
    /// The key (`null`: unknown, e.g. a region without a geo database).
    pub key: Option<String>,
    /// Distinct units (visitors, accounts): at least the policy's minimum group size.
    pub units: u64,
    /// Events.
    pub events: u64,
}

/// A k-anonymous aggregate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AggregateOut {
    /// Groups at or above the minimum group size.
    pub groups: Vec<GroupOut>,
    /// Groups suppressed.
    pub suppressed_groups: u64,
    /// Events in suppressed groups.
    pub suppressed_events: u64,
}

#[cfg(feature = "core")]
mod convert {
    use steward_core::ingest::events::LoginView;
    use steward_core::ingest::{
        BatchReport as CoreReport, EventOutcome as CoreOutcome, EventResult as CoreResult,
        EventSlot, LoginInput, UsageEventInput,
    };
    use steward_store::ids::SubjectId;
    use steward_store::model::event::{Aggregate, UsageGroup};
    use steward_vault::Sensitive;

    use super::{
        AggregateOut, BatchReport, EventOutcome, EventResult, GroupOut, LoginIn, LoginOut,
        UsageEvent, UsageGroupDto, decode_event,
    };
    use crate::common::ts;

    impl From<UsageEvent> for UsageEventInput {
        fn from(e: UsageEvent) -> Self {
            UsageEventInput {
                kind: e.kind,
                tracker: e.tracker,
                at: e.at,
                cookie_id: e.cookie_id,
                device_id: e.device_id,
                ip: e.ip,
                page: e.page,
                link: e.link,
                browser: e.browser,
                registered: e.registered,
                gpc: e.gpc,
                jurisdiction: e.jurisdiction,
            }
        }
    }

    /// One element of an event batch, from its raw JSON text, as the ingest takes it.
    #[must_use]
    pub fn event_slot(raw: &str) -> EventSlot {
        match decode_event(raw) {
            Ok(e) => EventSlot::Event(e.into()),
            Err(message) => EventSlot::Malformed(message),
        }
    }

    impl From<CoreOutcome> for EventOutcome {
        fn from(o: CoreOutcome) -> Self {
            match o {
                CoreOutcome::Accepted => EventOutcome::Accepted,
                CoreOutcome::Stripped => EventOutcome::Stripped,
                CoreOutcome::Dropped => EventOutcome::Dropped,
                CoreOutcome::Rejected => EventOutcome::Rejected,
            }
        }
    }

    impl From<CoreResult> for EventResult {
        fn from(r: CoreResult) -> Self {
            EventResult {
                index: r.index,
                outcome: r.outcome.into(),
                reason: r.reason,
                message: r.message,
                stripped: r.stripped.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<CoreReport> for BatchReport {
        fn from(r: CoreReport) -> Self {
            BatchReport {
                accepted: r.accepted,
                stripped: r.stripped,
                dropped: r.dropped,
                rejected: r.rejected,
                results: r.results.into_iter().map(Into::into).collect(),
            }
        }
    }

    impl From<LoginIn> for LoginInput {
        fn from(b: LoginIn) -> Self {
            LoginInput {
                subject: SubjectId::from_uuid(b.subject_id),
                ip: Sensitive::new(b.ip),
                device_id: b.device_id.map(Sensitive::new),
            }
        }
    }

    impl From<&LoginView> for LoginOut {
        fn from(r: &LoginView) -> Self {
            LoginOut {
                id: r.id.to_string(),
                at: ts(r.at),
                ip: r.ip.expose().to_string(),
                retain_until: ts(r.retain_until),
            }
        }
    }

    impl From<UsageGroupDto> for UsageGroup {
        fn from(g: UsageGroupDto) -> Self {
            match g {
                UsageGroupDto::Geo => UsageGroup::Geo,
                UsageGroupDto::Page => UsageGroup::Page,
                UsageGroupDto::Tracker => UsageGroup::Tracker,
            }
        }
    }

    impl From<Aggregate> for AggregateOut {
        fn from(a: Aggregate) -> Self {
            AggregateOut {
                groups: a
                    .groups
                    .into_iter()
                    .map(|g| GroupOut {
                        key: g.key,
                        units: g.units,
                        events: g.events,
                    })
                    .collect(),
                suppressed_groups: a.suppressed_groups,
                suppressed_events: a.suppressed_events,
            }
        }
    }
}

#[cfg(feature = "core")]
pub use convert::event_slot;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_element_decodes_on_its_own_and_a_bad_one_says_why() {
        let raws: Vec<&serde_json::value::RawValue> = serde_json::from_str(
            r#"[{"type":"page_view","tracker":"analytics_uid","jurisdiction":"US"},{"type":7},{"nope":1},42]"#,
        )
        .unwrap();
        let out: Vec<Result<UsageEvent, String>> =
            raws.iter().map(|r| decode_event(r.get())).collect();
        let ok = out[0].as_ref().unwrap();
        assert_eq!(
            (ok.kind.as_str(), ok.tracker.as_str()),
            ("page_view", "analytics_uid")
        );
        assert_eq!(ok.jurisdiction.as_deref(), Some("US"));
        assert!(out[1].as_ref().unwrap_err().contains("invalid type"));
        assert!(
            out[2]
                .as_ref()
                .unwrap_err()
                .contains("unknown field `nope`")
        );
        assert!(
            out[3]
                .as_ref()
                .unwrap_err()
                .contains("expected struct UsageEvent")
        );
        for e in out.iter().skip(1) {
            assert!(!e.as_ref().unwrap_err().contains(" at line "), "{e:?}");
        }
    }
}
