//! The audit log: query by subject, kind and time (the query is itself audited, AUD-06), and
//! verify the hash chain and checkpoint signatures (AUD-02).

use axum::extract::State;
use steward_api::audit::{AuditEntryOut, AuditPage, AuditParams, VerifyOut};
use steward_errors::ErrorCode;
use steward_store::ids::{AuditSeq, SubjectId};
use steward_store::model::account::AdminPermission;
use steward_store::model::audit::{AuditKind, AuditQuery};

use crate::auth::Auth;
use crate::extract::{ApiQuery, Json, parse_id};
use crate::problem::{ApiError, ApiResult};
use crate::state::AppState;

fn time(raw: &Option<String>, name: &str) -> Result<Option<jiff::Timestamp>, ApiError> {
    raw.as_deref()
        .map(|t| {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::bad_request(
                    ErrorCode::BadQuery,
                    format!("`{name}` must be an RFC 3339 time"),
                )
            })
        })
        .transpose()
}

/// Query the audit log (the query itself is audited).
#[utoipa::path(get, path = "/v1/audit", tag = "audit",
    params(AuditParams),
    responses((status = 200, description = "A page of entries", body = AuditPage)))]
pub async fn query(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    auth.require("admin")?;
    let subject: Option<SubjectId> = p
        .subject_id
        .as_deref()
        .map(|s| parse_id(s, "subject"))
        .transpose()?;
    let caller = match (auth.key.account, subject) {
        (None, _) => auth.caller(),
        (Some(_), Some(s)) => auth.access(&st, s, AdminPermission::ViewPi).await?,
        (Some(_), None) => {
            return Err(ApiError::invalid(
                ErrorCode::SubjectRequired,
                "a key limited to an account queries the audit log by `subject_id`",
            ));
        }
    };
    let kind = p.kind.map(AuditKind::from);
    let limit = match p.limit {
        None => 100,
        Some(l) if (1..=AuditQuery::MAX_LIMIT).contains(&l) => l,
        Some(_) => {
            return Err(ApiError::bad_request(
                ErrorCode::BadQuery,
                "`limit` is between 1 and 10000",
            ));
        }
    };
    let after = match p.after {
        None | Some(0) => None,
        Some(a) => Some(
            i64::try_from(a)
                .ok()
                .and_then(|_| AuditSeq::new(a).ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        ErrorCode::BadQuery,
                        "`after` is a sequence number (at most 9223372036854775807)",
                    )
                })?,
        ),
    };
    let q = AuditQuery {
        subject,
        kind,
        from: time(&p.from, "from")?,
        until: time(&p.until, "until")?,
        after,
        limit,
    };
    let entries = st.steward().query_audit(&caller, q).await?;
    let next_after = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.seq.get()))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries.iter().map(AuditEntryOut::from).collect(),
        next_after,
    }))
}

/// Verify the whole chain, every checkpoint signature and the signed head kept outside the
/// database; names the first entry altered, removed or reordered, or the first checkpoint
/// malformed or missing (tampering is a 200 with `ok: false`, not an error).
#[utoipa::path(post, path = "/v1/audit/verify", tag = "audit",
    responses((status = 200, description = "The verification result", body = VerifyOut)))]
pub async fn verify(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<VerifyOut>> {
    auth.require("admin")?;
    auth.service_wide()?;
    st.steward().audit().flush().await;
    Ok(Json(VerifyOut::from(st.steward().verify_audit().await?)))
}
