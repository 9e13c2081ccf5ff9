//! Storage traits named for what the business does, and the record types they exchange.
//! No database driver.
//!
//! - Eleven storage traits: in [`traits`] `SubjectStore`, `AccountStore`, `ItemStore`,
//!   `KeyStore`, `ChoiceLedger`, `DisclosureRegister`, `AuditLog`, `ApiKeyStore`,
//!   `SessionStore`; [`event_store::EventStore`] (usage data) and
//!   [`request_store::RequestStore`] (the request workflow); and `Store`, which is all eleven.
//!   Object-safe, so the server keeps an `Arc<dyn Store>`.
//! - [`model`]: the records (separate from HTTP types and from database rows).
//! - [`ids`] and [`values`]: typed UUIDv7 ids, validated policy vocabulary keys, digests,
//!   blind tokens, ciphertexts.
//! - [`canonical`]: the canonical audit encoding and chain hash, shared by every backend.
//! - [`verify`]: `verify_chain` / `verify_log`, which name the first altered, removed or
//!   reordered audit entry.
//! - `conformance` (feature `conformance`): the suite every backend must pass.
//!
//! See `README.md` in this crate for the design and the reasons behind it.

#![warn(missing_docs)]

pub mod canonical;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod error;
pub mod event_store;
pub mod ids;
pub mod model;
pub mod request_store;
pub mod traits;
pub mod values;
pub mod verify;

pub use error::{BackendError, ConflictReason, Entity, StoreError, ValueError};
pub use event_store::EventStore;
pub use ids::{
    AcceptanceId, AccountId, ApiKeyId, AuditSeq, CaseId, CaseTaskId, ChallengeId, ChoiceId,
    ConnectorId, DecisionId, DeliveryId, DisclosureId, EventId, GrantId, HoldId, HouseholdId,
    ItemId, MessageId, NoticeId, RequestId, RequestStepId, SelectionId, SubjectId,
};
pub use model::account::{
    AccountRecord, AccountStatus, AdminGrant, AdminPermission, AdminPermissions,
    AgreementAcceptance, CarrierSelection, MemberRecord, MemberRole, NewAccount, NewAdminGrant,
};
pub use model::apikey::{ApiKeyRecord, NewApiKey};
pub use model::audit::{
    Actor, Attribute, AuditEntry, AuditEvent, AuditKind, AuditQuery, ChainHead, ChainLink,
    Checkpoint, EventRef, IndexedFields, NamedDigest, Outcome, StoredCheckpoint,
};
pub use model::audited::AuditedWrite;
pub use model::case::{CaseKind, CaseRecord, CaseTask, MAX_CASE_BODY};
pub use model::choice::{ChoiceEntry, ChoiceSource, EffectiveChoice, Party, fold_latest};
pub use model::control::ChangeOfControlNotice;
pub use model::dek::{NewWrappedKey, WrappedKey};
pub use model::disclosure::{DisclosureQuery, DisclosureRecord, DisclosureScope};
pub use model::incident::{AffectedCount, AffectedNotice, AffectedQuery, AffectedSubject};
pub use model::item::{ControllerRole, ItemRecord, NewItem};
pub use model::policy_version::{
    NewPolicyVersion, NoticeAudience, PolicyNoticeCount, PolicyNoticeRecord, PolicyVersionRecord,
};
pub use model::session::{FailureCount, NewSession, SessionKind, SessionRecord};
pub use model::subject::{
    AgeBand, AgeFact, AgeSource, ErasureOutcome, IdentityKind, IdentityLink, IdentityRef,
    NewSubject, StoredFacts, SubjectErasure, SubjectFacts, SubjectKind, SubjectRecord,
};
pub use request_store::RequestStore;
pub use traits::{
    AccountStore, ApiKeyStore, AuditLog, CaseStore, ChoiceLedger, DisclosureRegister, ItemStore,
    KeyStore, PolicyVersionStore, ReadView, SchemaStatus, SessionStore, Store, SubjectStore,
};
pub use values::{
    ActionKey, AgreementKey, AgreementVersion, ApiScope, AttrValue, BlindToken, CaseKey,
    CategoryKey, ChoiceChannelKey, ChoiceKey, Ciphertext, Confidence, Digest, EngineVersion,
    EntityKey, FieldName, Jurisdiction, KekId, PolicyVersion, PurposeKey, ReasonCode, RecipientKey,
    RuleId, ServiceKey, ShipmentRef, SignatureBytes, SigningKeyId, SourceKey, WrappedKeyBytes,
};
pub use verify::{
    BreakKind, ChainBreak, ChainStart, ChainVerifier, SignatureCheck, SignatureVerifier,
    VerifyError, VerifyOptions, VerifyReport, decoded_checkpoints, verify_chain, verify_log,
    verify_log_with,
};
