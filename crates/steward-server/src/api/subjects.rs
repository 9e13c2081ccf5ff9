//! Subjects: create, read, update, look up by identity (through the blind index), link
//! devices, cookies and other identities (DM-03, GPC-04).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_store::ids::SubjectId;
use steward_store::model::account::AdminPermission;
use steward_store::model::subject::{SubjectKind, SubjectRecord};
use steward_vault::Sensitive;
use utoipa::ToSchema;

use super::{Done, IdentityKindDto, ots, ts};
use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

/// The kinds of data subject (§0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKindDto {
    /// A customer who holds an account.
    CustomerAccountHolder,
    /// Someone granted administrator or other access to an account.
    AuthorizedUser,
    /// A Customer's customer (ship-to party, address-book entry).
    Recipient,
    /// An employee or contractor.
    Staff,
    /// A contact at a supplier.
    SupplierContact,
    /// An unregistered browser.
    Visitor,
    /// A survey respondent.
    SurveyRespondent,
    /// A chat participant without an account.
    ChatGuest,
}

impl From<SubjectKindDto> for SubjectKind {
    fn from(k: SubjectKindDto) -> Self {
        match k {
            SubjectKindDto::CustomerAccountHolder => SubjectKind::CustomerAccountHolder,
            SubjectKindDto::AuthorizedUser => SubjectKind::AuthorizedUser,
            SubjectKindDto::Recipient => SubjectKind::Recipient,
            SubjectKindDto::Staff => SubjectKind::Staff,
            SubjectKindDto::SupplierContact => SubjectKind::SupplierContact,
            SubjectKindDto::Visitor => SubjectKind::Visitor,
            SubjectKindDto::SurveyRespondent => SubjectKind::SurveyRespondent,
            SubjectKindDto::ChatGuest => SubjectKind::ChatGuest,
        }
    }
}

/// An identity given in clear (blind-indexed before storage).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityIn {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value: an e-mail address, a phone number, a cookie id …
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
}

/// A subject to create.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubject {
    /// Kind; default `customer_account_holder`.
    #[serde(default)]
    pub kind: Option<SubjectKindDto>,
    /// Residency (DM-04): `US-CA`, `DE`, `GB` …
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
    pub jurisdiction: Option<String>,
    /// Known to be an EU data subject (EU-01; sticky once set).
    #[serde(default)]
    pub eu_protected: bool,
    /// Known age in years.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 255)]
    pub age: Option<u8>,
    /// Identities to attach (at most 32).
    #[serde(default)]
    #[schema(max_items = 32)]
    pub identities: Vec<IdentityIn>,
}

/// Facts to change (absent fields stay as they are).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubject {
    /// New residency.
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")]
    pub jurisdiction: Option<String>,
    /// Set the EU flag (it cannot be cleared: EU-01).
    #[serde(default)]
    pub eu_protected: Option<bool>,
    /// New age.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 255)]
    pub age: Option<u8>,
}

/// A stored subject (no identities: they are kept only as blind-index tokens).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectOut {
    /// The id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Residency.
    pub jurisdiction: Option<String>,
    /// EU data subject since this time.
    pub eu_protected_since: Option<String>,
    /// Age band: `under_13`, `13_15`, `16_17`, `adult`.
    pub age_band: Option<String>,
    /// Age in years, when known.
    pub age: Option<u8>,
    /// Revision (1 at creation).
    pub revision: u64,
    /// Created.
    pub created_at: String,
    /// Last updated.
    pub updated_at: String,
    /// Erased (its data is gone).
    pub erased_at: Option<String>,
}

impl From<&SubjectRecord> for SubjectOut {
    fn from(r: &SubjectRecord) -> Self {
        SubjectOut {
            id: r.id.to_string(),
            kind: r.facts.kind.as_str().to_string(),
            jurisdiction: r.facts.residency.as_ref().map(|j| j.as_str().to_string()),
            eu_protected_since: ots(r.facts.eu_protected_since),
            age_band: r.facts.age.as_ref().map(|a| a.band.as_str().to_string()),
            age: r.facts.age.as_ref().and_then(|a| a.years),
            revision: r.revision,
            created_at: ts(r.created_at),
            updated_at: ts(r.updated_at),
            erased_at: ots(r.erased_at),
        }
    }
}

/// An identity to look up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value (sent in the body, never in a URL, so it stays out of access logs).
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
}

/// Subjects holding an identity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LookupOut {
    /// Their ids (at most one for e-mail, phone and account references).
    pub subject_ids: Vec<String>,
}

/// An identity to link to a subject.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIdentity {
    /// What kind.
    pub kind: IdentityKindDto,
    /// The value.
    #[schema(min_length = 1, max_length = 512)]
    pub value: String,
    /// Where the link comes from (`login`, `user`, `support` …); default `login`.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub source: Option<String>,
}

/// Create a subject with its identities.
#[utoipa::path(post, path = "/v1/subjects", tag = "subjects",
    request_body = CreateSubject,
    responses((status = 201, description = "Created", body = SubjectOut)))]
pub async fn create(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<CreateSubject>,
) -> ApiResult<(StatusCode, Json<SubjectOut>)> {
    auth.require("write")?;
    auth.service_wide()?;
    if body.identities.len() > 32 {
        return Err(ApiError::invalid(
            "TOO_MANY_IDENTITIES",
            "at most 32 identities per subject",
        ));
    }
    let input = SubjectInput {
        kind: body.kind.map(Into::into),
        jurisdiction: body.jurisdiction,
        eu_protected: body.eu_protected,
        age: body.age,
        identities: body
            .identities
            .into_iter()
            .map(|i| IdentityInput {
                kind: i.kind.into(),
                value: Sensitive::new(i.value),
            })
            .collect(),
    };
    let r = st.steward().create_subject(&auth.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(SubjectOut::from(&r))))
}

/// Read a subject.
#[utoipa::path(get, path = "/v1/subjects/{id}", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    responses((status = 200, description = "The subject", body = SubjectOut)))]
pub async fn get(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SubjectOut>> {
    auth.require("read_pii")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ViewPi).await?;
    let r = st.steward().read_subject(&caller, id).await?;
    Ok(Json(SubjectOut::from(&r)))
}

/// Update a subject's facts.
#[utoipa::path(patch, path = "/v1/subjects/{id}", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    request_body = UpdateSubject,
    responses((status = 200, description = "The updated subject", body = SubjectOut)))]
pub async fn update(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateSubject>,
) -> ApiResult<Json<SubjectOut>> {
    auth.require("write")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ChangePi).await?;
    let r = st
        .steward()
        .update_subject(
            &caller,
            id,
            body.jurisdiction.as_deref(),
            body.eu_protected,
            body.age,
        )
        .await?;
    Ok(Json(SubjectOut::from(&r)))
}

/// Find the subjects holding an identity (blind-index lookup; audited as a read).
#[utoipa::path(post, path = "/v1/subjects/lookup", tag = "subjects",
    request_body = Lookup,
    responses((status = 200, description = "Matching subjects (possibly none)", body = LookupOut)))]
pub async fn lookup(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<Lookup>,
) -> ApiResult<Json<LookupOut>> {
    auth.require("read_pii")?;
    let ids = st
        .steward()
        .find_subjects(&auth.caller(), body.kind.into(), &body.value)
        .await?;
    let mut visible = Vec::with_capacity(ids.len());
    for id in ids {
        match auth.access(&st, id, AdminPermission::ViewPi).await {
            Ok(_) => visible.push(id.to_string()),
            Err(e) if e.status == StatusCode::NOT_FOUND => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Json(LookupOut {
        subject_ids: visible,
    }))
}

/// Link an identity (a device, cookie, e-mail …) to a subject. A device that sent GPC before
/// opts the subject out too (GPC-04).
#[utoipa::path(post, path = "/v1/subjects/{id}/identities", tag = "subjects",
    params(("id" = String, Path, format = Uuid, description = "Subject id")),
    request_body = LinkIdentity,
    responses((status = 200, description = "Linked", body = Done)))]
pub async fn link(
    State(st): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<LinkIdentity>,
) -> ApiResult<Json<Done>> {
    auth.require("write")?;
    let id: SubjectId = parse_id(&id, "subject")?;
    let caller = auth.access(&st, id, AdminPermission::ChangePi).await?;
    st.steward()
        .link_identity(
            &caller,
            id,
            body.kind.into(),
            &body.value,
            body.source.as_deref().unwrap_or("login"),
        )
        .await?;
    Ok(Json(Done { ok: true }))
}
