//! Batch decisions with one audit entry per batch (AUD-01 at batch scale).
//!
//! [`Steward::decide_batch`](crate::Steward::decide_batch) appends one audit event per
//! decision; the durable audit log takes roughly 100k events/s on this hardware, which caps a
//! batch endpoint far below the engine's speed (~75 ns a decision). Here a batch is one
//! audit event (`action = decide_batch`, kind `decision`) whose id is the batch id; decision
//! `i` of the batch has the id `<batch-id>:<i>`. The event carries the SHA-256 of the request
//! body as received and of the decisions exactly as returned, the counts of allows, denies and
//! errors, and the number of denies per reason — so the log proves which answers were given,
//! and a client holding a response can show it was not altered (hash it and compare).
//!
//! What is given up: the log does not hold each decision's inputs, so `explain` of
//! `<batch-id>:<i>` reports the batch, not a replayed path, and a disclosure cannot be
//! recorded against a batch decision. Callers that need either ask with per-decision audit.
//!
//! The output is rendered straight to bytes: identical decisions in a batch (the common case:
//! a few distinct outcomes over thousands of subjects) are serialized once and copied.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use steward_policy::Decision;
use steward_policy::wire::{Outcome, Request};
use steward_store::ids::{AuditSeq, EventId, SubjectId};
use steward_store::model::audit::{Attribute, AuditKind, NamedDigest};
use steward_store::values::{AttrValue, Digest, FieldName};

use crate::error::CoreError;
use crate::facts::Resolved;
use crate::{Caller, Steward};

/// At most this many distinct decisions are kept rendered per batch.
const MEMO_CAP: usize = 64;
/// At most this many per-reason counters are recorded on the audit event.
const REASON_ATTRS_CAP: usize = 32;

/// The result of a batch.
#[derive(Debug, Clone)]
pub struct BatchOutput {
    /// The batch id (the audit event id); decision `i` is `<batch_id>:<i>`.
    pub batch_id: EventId,
    /// The audit sequence number of the batch entry.
    pub audit_seq: AuditSeq,
    /// Requests answered.
    pub count: u64,
    /// Allows.
    pub allowed: u64,
    /// Denies.
    pub denied: u64,
    /// Requests that could not be decided (an error object in their place).
    pub errors: u64,
    /// SHA-256 of the JSON array appended to the caller's buffer, as recorded in the log.
    pub decisions_sha256: Digest,
    /// Decisions per (reason code, allowed), most frequent first.
    pub reasons: Vec<(&'static str, bool, u64)>,
}

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        // INVARIANT: n % 10 < 10, so the cast cannot truncate.
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn error_item(out: &mut Vec<u8>, index: u64, id: Option<&str>, code: &str, message: &str) {
    out.extend_from_slice(b"{\"index\":");
    push_u64(out, index);
    if let Some(id) = id {
        out.extend_from_slice(b",\"id\":");
        push_json_str(out, id);
    }
    out.extend_from_slice(b",\"error\":{\"code\":");
    push_json_str(out, code);
    out.extend_from_slice(b",\"message\":");
    push_json_str(out, message);
    out.extend_from_slice(b"}}");
}

fn attr(name: &str, value: &str) -> Option<Attribute> {
    Some(Attribute {
        name: FieldName::new(name).ok()?,
        value: AttrValue::new(value).ok()?,
    })
}

/// Whether a stored-subject request also carries facts (not allowed).
fn facts_with_id(r: &Request) -> bool {
    let s = &r.subject;
    s.kind.is_some()
        || s.jurisdiction.is_some()
        || s.age.is_some()
        || s.eu_protected.is_some()
        || s.choices.is_some()
        || !s.ledger.is_empty()
}

impl Steward {
    /// Decide many requests with one audit entry for the whole batch (see the module docs).
    ///
    /// `reqs` are the requests as JSON texts (each decoded on its own: a request that does not
    /// fit yields an error object in its place, the rest is answered). The results are
    /// appended to `out` as one JSON array, in request order. `requests_sha256` is the digest
    /// of the request body as received (recorded in the log). `visible` says whether the
    /// caller may ask about a stored subject; an invisible or unknown subject yields a
    /// `NOT_FOUND` error object in place of its decision.
    ///
    /// # Errors
    /// When the store cannot be read or the audit log written (then nothing may be returned
    /// to the client: the decisions are not audited).
    pub async fn decide_batch_compact(
        &self,
        caller: &Caller,
        reqs: &[&str],
        requests_sha256: Option<Digest>,
        visible: &(dyn Fn(SubjectId) -> bool + Sync),
        out: &mut Vec<u8>,
    ) -> Result<BatchOutput, CoreError> {
        let engine = self.engine();
        let now = self.clock.now();
        let now_str = now.to_string();
        let batch_id = EventId::generate();
        let batch_str = batch_id.to_string();
        let mut subjects: HashMap<SubjectId, Option<Arc<Resolved>>> = HashMap::new();
        let mut memo: Vec<(Decision, Vec<u8>)> = Vec::new();
        let mut reasons: Vec<(&'static str, bool, u64)> = Vec::new();
        let (mut allowed, mut denied, mut errors) = (0u64, 0u64, 0u64);
        out.reserve(reqs.len() * 400 + 2);
        let start = out.len();
        out.push(b'[');
        for (i, raw) in reqs.iter().enumerate() {
            let index = i as u64;
            if i > 0 {
                out.push(b',');
            }
            let mut req: Request = match serde_json::from_str(raw) {
                Ok(r) => r,
                Err(e) => {
                    errors += 1;
                    error_item(out, index, None, "BAD_JSON", &e.to_string());
                    continue;
                }
            };
            let known = match req.subject.id.as_deref() {
                None => None,
                Some(_) if facts_with_id(&req) => {
                    errors += 1;
                    error_item(
                        out,
                        index,
                        req.id.as_deref(),
                        "SUBJECT_FACTS_WITH_ID",
                        "give either `subject.id` or the subject's facts, not both",
                    );
                    continue;
                }
                Some(id) => {
                    let resolved = match SubjectId::from_str(id) {
                        Err(_) => {
                            errors += 1;
                            let msg = format!(
                                "`subject.id`: `{}` is not a subject id",
                                id.chars().take(64).collect::<String>()
                            );
                            error_item(out, index, req.id.as_deref(), "BAD_SUBJECT_ID", &msg);
                            continue;
                        }
                        Ok(sid) if !visible(sid) => None,
                        Ok(sid) => match subjects.get(&sid) {
                            Some(r) => r.clone(),
                            None => {
                                let r = match self.resolve(sid, now).await {
                                    Ok(r) => Some(r),
                                    Err(CoreError::NotFound(_)) => None,
                                    Err(e) => return Err(e),
                                };
                                subjects.insert(sid, r.clone());
                                r
                            }
                        },
                    };
                    match resolved {
                        Some(r) => Some((r.subject, None)),
                        None => {
                            errors += 1;
                            error_item(
                                out,
                                index,
                                req.id.as_deref(),
                                "NOT_FOUND",
                                "subject not found",
                            );
                            continue;
                        }
                    }
                }
            };
            req.context.now = Some(now_str.clone());
            let decoded = match engine.decode_with(&req, known) {
                Ok(d) => d,
                Err(e) => {
                    errors += 1;
                    error_item(out, index, req.id.as_deref(), e.code, &e.message);
                    continue;
                }
            };
            match engine.decide(&decoded) {
                Outcome::Decision(d) => {
                    if d.allow {
                        allowed += 1;
                    } else {
                        denied += 1;
                    }
                    let code = d.reason.code();
                    match reasons
                        .iter_mut()
                        .find(|(c, a, _)| *c == code && *a == d.allow)
                    {
                        Some(slot) => slot.2 += 1,
                        None => reasons.push((code, d.allow, 1)),
                    }
                    out.extend_from_slice(b"{\"index\":");
                    push_u64(out, index);
                    out.extend_from_slice(b",\"decision_id\":\"");
                    out.extend_from_slice(batch_str.as_bytes());
                    out.push(b':');
                    push_u64(out, index);
                    out.extend_from_slice(b"\",\"op\":\"");
                    out.extend_from_slice(decoded.op.as_str().as_bytes());
                    out.push(b'"');
                    if let Some(id) = &decoded.id {
                        out.extend_from_slice(b",\"id\":");
                        push_json_str(out, id);
                    }
                    out.push(b',');
                    match memo.iter().find(|(m, _)| *m == d) {
                        Some((_, b)) => out.extend_from_slice(b),
                        None => {
                            let mut b = Vec::with_capacity(256);
                            let _ = serde_json::to_writer(&mut b, &engine.decision_json(&d));
                            // `{…}` without its braces, to splice after the fields above.
                            let inner = b.get(1..b.len().saturating_sub(1)).unwrap_or_default();
                            out.extend_from_slice(inner);
                            if memo.len() < MEMO_CAP {
                                memo.push((d, inner.to_vec()));
                            }
                        }
                    }
                    out.push(b'}');
                }
                o @ Outcome::Choices(_) => {
                    allowed += 1;
                    let mut v = engine.response(&decoded, &o, None);
                    if let serde_json::Value::Object(m) = &mut v {
                        m.insert("index".into(), index.into());
                        m.insert("decision_id".into(), format!("{batch_str}:{i}").into());
                    }
                    let _ = serde_json::to_writer(&mut *out, &v);
                }
            }
        }
        out.push(b']');
        let count = allowed + denied + errors;
        let decisions_sha256 = Digest::sha256(out.get(start..).unwrap_or_default());

        // One audit entry for the batch.
        let mut e = self.event(AuditKind::Decision, "decide_batch", caller);
        e.id = batch_id;
        let mut digests = Vec::with_capacity(2);
        if let Some(d) = requests_sha256
            && let Ok(n) = FieldName::new("requests")
        {
            digests.push(NamedDigest { name: n, digest: d });
        }
        if let Ok(n) = FieldName::new("decisions") {
            digests.push(NamedDigest {
                name: n,
                digest: decisions_sha256,
            });
        }
        e.digests = digests;
        let mut attrs = vec![
            attr("count", &count.to_string()),
            attr("allowed", &allowed.to_string()),
            attr("denied", &denied.to_string()),
            attr("errors", &errors.to_string()),
        ];
        reasons.sort_by_key(|r| std::cmp::Reverse(r.2));
        for (code, allow, n) in reasons.iter().take(REASON_ATTRS_CAP) {
            let name = format!(
                "{}:{}",
                if *allow { "allow" } else { "deny" },
                code.to_ascii_lowercase()
            );
            attrs.push(attr(&name, &n.to_string()));
        }
        e.attributes = attrs.into_iter().flatten().collect();
        let audit_seq = self.audit.append_one(e).await?;
        Ok(BatchOutput {
            batch_id,
            audit_seq,
            count,
            allowed,
            denied,
            errors,
            decisions_sha256,
            reasons,
        })
    }

    /// The audit entry of a batch (for `explain` of `<batch-id>:<index>`).
    ///
    /// # Errors
    /// `NotFound` when the id is not a batch, or the index is past its end.
    pub async fn explain_batch_decision(
        &self,
        batch: EventId,
        index: u64,
    ) -> Result<serde_json::Value, CoreError> {
        let entry = self.store.audit_event(batch).await?;
        let e = &entry.event;
        if e.kind != AuditKind::Decision || e.action.as_str() != "decide_batch" {
            return Err(CoreError::NotFound("decision"));
        }
        let get = |n: &str| {
            e.attributes
                .iter()
                .find(|a| a.name.as_str() == n)
                .map(|a| a.value.as_str().to_string())
        };
        let count: u64 = get("count").and_then(|c| c.parse().ok()).unwrap_or(0);
        if index >= count {
            return Err(CoreError::NotFound("decision"));
        }
        let hex = |d: &Digest| d.0.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let digest = |n: &str| {
            e.digests
                .iter()
                .find(|d| d.name.as_str() == n)
                .map(|d| hex(&d.digest))
        };
        let reasons: serde_json::Map<String, serde_json::Value> = e
            .attributes
            .iter()
            .filter(|a| a.name.as_str().contains(':'))
            .map(|a| {
                (
                    a.name.as_str().to_string(),
                    a.value.as_str().parse::<u64>().unwrap_or(0).into(),
                )
            })
            .collect();
        Ok(serde_json::json!({
            "decision_id": format!("{batch}:{index}"),
            "batch_id": batch.to_string(),
            "index": index,
            "op": "decide_batch",
            "at": e.at.to_string(),
            "audit_seq": entry.seq.get(),
            "policy_version": e.policy_version.as_ref().map(|p| p.as_str().to_string()),
            "engine_version": e.engine_version.as_ref().map(|p| p.as_str().to_string()),
            "batch": {
                "count": count,
                "allowed": get("allowed").and_then(|c| c.parse::<u64>().ok()),
                "denied": get("denied").and_then(|c| c.parse::<u64>().ok()),
                "errors": get("errors").and_then(|c| c.parse::<u64>().ok()),
                "by_reason": reasons,
                "requests_sha256": digest("requests"),
                "decisions_sha256": digest("decisions"),
            },
            "note": "decided in a batch audited as one entry: the log proves the answers (SHA-256 of the response's `decisions` array) but keeps no per-decision inputs; ask with `audit: each` or the single endpoint for a replayable path",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_render_like_display() {
        for n in [0u64, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut v = Vec::new();
            push_u64(&mut v, n);
            assert_eq!(String::from_utf8(v).unwrap(), n.to_string());
        }
    }
}
