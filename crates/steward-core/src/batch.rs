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
//! Two forms: a list of requests ([`Steward::decide_batch_compact`]), each decoded on its own,
//! or one question for many stored subjects ([`Steward::decide_batch_template`]), decoded
//! once. The output is rendered straight to bytes: identical decisions in a batch (the common
//! case: a few distinct outcomes over thousands of subjects) are serialized once and copied.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use steward_errors::ErrorCode;

use steward_policy::wire::{Decoded, Outcome, Request};
use steward_policy::{Decision, Engine};
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
    pub reasons: Vec<(String, bool, u64)>,
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

fn error_item(out: &mut Vec<u8>, index: u64, id: Option<&str>, code: ErrorCode, message: &str) {
    out.extend_from_slice(b"{\"index\":");
    push_u64(out, index);
    if let Some(id) = id {
        out.extend_from_slice(b",\"id\":");
        push_json_str(out, id);
    }
    out.extend_from_slice(b",\"error\":{\"code\":");
    push_json_str(out, code.as_str());
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

/// The running state of a batch: counts, per-reason tallies, rendered decisions.
struct Tally {
    batch_id: EventId,
    batch_str: String,
    memo: Vec<(Decision, Vec<u8>)>,
    reasons: Vec<(String, bool, u64)>,
    allowed: u64,
    denied: u64,
    errors: u64,
    start: usize,
}

impl Tally {
    fn new(out: &mut Vec<u8>, n: usize) -> Tally {
        let batch_id = EventId::generate();
        out.reserve(n * 400 + 2);
        let start = out.len();
        out.push(b'[');
        Tally {
            batch_id,
            batch_str: batch_id.to_string(),
            memo: Vec::new(),
            reasons: Vec::new(),
            allowed: 0,
            denied: 0,
            errors: 0,
            start,
        }
    }

    fn error(
        &mut self,
        out: &mut Vec<u8>,
        index: u64,
        id: Option<&str>,
        code: ErrorCode,
        msg: &str,
    ) {
        self.errors += 1;
        error_item(out, index, id, code, msg);
    }

    /// Render one decision: index, id, op, correlation id, subject, then the decision JSON
    /// (serialized once per distinct decision and copied).
    #[expect(
        clippy::too_many_arguments,
        reason = "the arguments are the independent inputs of one step; a parameter struct would only rename them"
    )]
    fn decision(
        &mut self,
        engine: &Engine,
        out: &mut Vec<u8>,
        index: u64,
        op: &str,
        id: Option<&str>,
        subject: Option<&str>,
        d: &Decision,
    ) {
        if d.allow {
            self.allowed += 1;
        } else {
            self.denied += 1;
        }
        // A purpose lock reports the code its policy declares.
        let code = engine.reason_code(d);
        match self
            .reasons
            .iter_mut()
            .find(|(c, a, _)| c == code && *a == d.allow)
        {
            Some(slot) => slot.2 += 1,
            None => self.reasons.push((code.to_string(), d.allow, 1)),
        }
        out.extend_from_slice(b"{\"index\":");
        push_u64(out, index);
        out.extend_from_slice(b",\"decision_id\":\"");
        out.extend_from_slice(self.batch_str.as_bytes());
        out.push(b':');
        push_u64(out, index);
        out.extend_from_slice(b"\",\"op\":\"");
        out.extend_from_slice(op.as_bytes());
        out.push(b'"');
        if let Some(id) = id {
            out.extend_from_slice(b",\"id\":");
            push_json_str(out, id);
        }
        if let Some(s) = subject {
            out.extend_from_slice(b",\"subject_id\":");
            push_json_str(out, s);
        }
        out.push(b',');
        match self.memo.iter().find(|(m, _)| m == d) {
            Some((_, b)) => out.extend_from_slice(b),
            None => {
                let mut b = Vec::with_capacity(256);
                let _ = serde_json::to_writer(&mut b, &engine.decision_json(d));
                // `{…}` without its braces, to splice after the fields above.
                let inner = b.get(1..b.len().saturating_sub(1)).unwrap_or_default();
                out.extend_from_slice(inner);
                if self.memo.len() < MEMO_CAP {
                    self.memo.push((*d, inner.to_vec()));
                }
            }
        }
        out.push(b'}');
    }

    /// Effective choices (rare in batches): through the engine's JSON value.
    fn choices(
        &mut self,
        engine: &Engine,
        out: &mut Vec<u8>,
        index: u64,
        decoded: &Decoded,
        o: &Outcome,
    ) {
        self.allowed += 1;
        let mut v = engine.response(decoded, o, None);
        if let serde_json::Value::Object(m) = &mut v {
            m.insert("index".into(), index.into());
            m.insert(
                "decision_id".into(),
                format!("{}:{index}", self.batch_str).into(),
            );
        }
        let _ = serde_json::to_writer(&mut *out, &v);
    }
}

/// Requests of a batch decoded at a time: each is decoded once, and the stored subjects of a
/// chunk are resolved together before its requests are decided (bounded memory for the
/// decoded requests; a remote store still answers many lookups at once).
const CHUNK: usize = 512;

impl Steward {
    /// Resolve the distinct visible subjects of a batch: the cached ones from the facts cache,
    /// the others read together (one store call per `FACTS_CHUNK` subjects: one query on
    /// PostgreSQL). Unknown, erased and invisible subjects map to `None`.
    async fn resolve_many(
        &self,
        ids: impl IntoIterator<Item = SubjectId>,
        visible: &(dyn Fn(SubjectId) -> bool + Sync),
        now: jiff::Timestamp,
    ) -> Result<HashMap<SubjectId, Option<Arc<Resolved>>>, CoreError> {
        let mut todo: Vec<SubjectId> = ids.into_iter().filter(|s| visible(*s)).collect();
        todo.sort_unstable();
        todo.dedup();
        let mut found = self.resolve_all(&todo, now).await?;
        Ok(todo.into_iter().map(|id| (id, found.remove(&id))).collect())
    }

    /// Resolve a stored subject once per batch; `None` when unknown, erased or invisible.
    async fn batch_subject(
        &self,
        cache: &mut HashMap<SubjectId, Option<Arc<Resolved>>>,
        sid: SubjectId,
        visible: &(dyn Fn(SubjectId) -> bool + Sync),
        now: jiff::Timestamp,
    ) -> Result<Option<Arc<Resolved>>, CoreError> {
        if !visible(sid) {
            return Ok(None);
        }
        if let Some(r) = cache.get(&sid) {
            return Ok(r.clone());
        }
        let r = match self.resolve(sid, now).await {
            Ok(r) => Some(r),
            Err(CoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        cache.insert(sid, r.clone());
        Ok(r)
    }

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
        let mut subjects: HashMap<SubjectId, Option<Arc<Resolved>>> = HashMap::new();
        let mut t = Tally::new(out, reqs.len());
        let mut parsed: Vec<Result<Request, serde_json::Error>> =
            Vec::with_capacity(CHUNK.min(reqs.len()));
        for (c, chunk) in reqs.chunks(CHUNK).enumerate() {
            // Each request is decoded once; the chunk's new stored subjects are resolved
            // together before its requests are decided.
            parsed.clear();
            parsed.extend(chunk.iter().map(|raw| serde_json::from_str::<Request>(raw)));
            let ids: Vec<SubjectId> = parsed
                .iter()
                .filter_map(|r| SubjectId::from_str(r.as_ref().ok()?.subject.id.as_deref()?).ok())
                .filter(|id| !subjects.contains_key(id))
                .collect();
            if !ids.is_empty() {
                let found = self.resolve_many(ids, visible, now).await?;
                subjects.extend(found);
            }
            for (k, req) in parsed.drain(..).enumerate() {
                let i = c * CHUNK + k;
                let index = i as u64;
                if i > 0 {
                    out.push(b',');
                }
                let req = match req {
                    Ok(r) => r,
                    Err(e) => {
                        t.error(out, index, None, ErrorCode::BadJson, &e.to_string());
                        continue;
                    }
                };
                if let Err(CoreError::Invalid { code, message }) =
                    crate::decisions::check_client_now(&req)
                {
                    t.error(out, index, req.id.as_deref(), code, &message);
                    continue;
                }
                let mut req = req;
                match self.fill_legal_request(&mut req).await {
                    Ok(()) => {}
                    Err(CoreError::Invalid { code, message }) => {
                        t.error(out, index, req.id.as_deref(), code, &message);
                        continue;
                    }
                    Err(CoreError::NotFound(what)) => {
                        let msg = format!("{what} not found");
                        t.error(
                            out,
                            index,
                            req.id.as_deref(),
                            steward_errors::ErrorCode::NotFound,
                            &msg,
                        );
                        continue;
                    }
                    Err(CoreError::Conflict { code, message }) => {
                        t.error(out, index, req.id.as_deref(), code, &message);
                        continue;
                    }
                    Err(e) => return Err(e),
                }
                let mut stored_records = None;
                let mut provided = None;
                let mut held_by_record = false;
                let known = match req.subject.id.as_deref() {
                    None => None,
                    Some(_) if facts_with_id(&req) => {
                        t.error(
                            out,
                            index,
                            req.id.as_deref(),
                            ErrorCode::SubjectFactsWithId,
                            "give either `subject.id` or the subject's facts, not both",
                        );
                        continue;
                    }
                    Some(id) => {
                        let Ok(sid) = SubjectId::from_str(id) else {
                            let msg = format!(
                                "`subject.id`: `{}` is not a subject id",
                                id.chars().take(64).collect::<String>()
                            );
                            t.error(out, index, req.id.as_deref(), ErrorCode::BadSubjectId, &msg);
                            continue;
                        };
                        match self.batch_subject(&mut subjects, sid, visible, now).await? {
                            Some(r) => {
                                stored_records = Some(crate::agreements::Recorded {
                                    agreements: r.agreements,
                                    carriers: r.carriers,
                                });
                                provided = Some(r.provided);
                                held_by_record = r.change_of_control_prompt_pending;
                                Some((r.subject, None))
                            }
                            None => {
                                t.error(
                                    out,
                                    index,
                                    req.id.as_deref(),
                                    ErrorCode::NotFound,
                                    "subject not found",
                                );
                                continue;
                            }
                        }
                    }
                };
                let recorded = match self.recorded_facts(&engine, &req, stored_records).await {
                    Ok(r) => r,
                    Err(CoreError::Invalid { code, message }) => {
                        t.error(out, index, req.id.as_deref(), code, &message);
                        continue;
                    }
                    Err(CoreError::NotFound(what)) => {
                        let msg = format!("{what} not found");
                        t.error(
                            out,
                            index,
                            req.id.as_deref(),
                            steward_errors::ErrorCode::NotFound,
                            &msg,
                        );
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                // The service's clock decides (`context.now` sent by a client is ignored).
                let mut decoded = match engine.decode_at(&req, known, now) {
                    Ok(d) => d,
                    Err(e) => {
                        t.error(out, index, req.id.as_deref(), e.code, &e.message);
                        continue;
                    }
                };
                if let Some(r) = recorded {
                    r.apply(&mut decoded.context);
                }
                if let Some(p) = provided {
                    decoded.context.provided = p;
                }
                // BIZ-03: an undelivered change-of-control notice holds promotions.
                decoded.context.change_of_control_prompt_pending |= held_by_record;
                match engine.decide(&decoded) {
                    Outcome::Decision(d) => t.decision(
                        &engine,
                        out,
                        index,
                        decoded.op.as_str(),
                        decoded.id.as_deref(),
                        None,
                        &d,
                    ),
                    o @ Outcome::Choices(_) => t.choices(&engine, out, index, &decoded, &o),
                }
            }
        }
        self.finish_batch(caller, t, out, requests_sha256).await
    }

    /// One question for many stored subjects (`template` × `subjects`), with one audit entry
    /// for the batch. The template is decoded once; each subject's facts are resolved once
    /// and the engine decides; results carry `subject_id` and are appended to `out` in order.
    ///
    /// # Errors
    /// `Invalid` when the template does not decode or names a subject itself; otherwise as
    /// [`decide_batch_compact`](Self::decide_batch_compact).
    pub async fn decide_batch_template(
        &self,
        caller: &Caller,
        template: Request,
        subjects: &[&str],
        requests_sha256: Option<Digest>,
        visible: &(dyn Fn(SubjectId) -> bool + Sync),
        out: &mut Vec<u8>,
    ) -> Result<BatchOutput, CoreError> {
        if template.subject.id.is_some() || facts_with_id(&template) {
            return Err(CoreError::invalid(
                ErrorCode::TemplateNamesASubject,
                "the template asks the question; the subjects come from `subjects`",
            ));
        }
        crate::decisions::check_client_now(&template)?;
        let mut template = template;
        self.fill_legal_request(&mut template).await?;
        let engine = self.engine();
        let now = self.clock.now();
        let placeholder =
            steward_policy::Subject::new(steward_policy::SubjectKind::CustomerAccountHolder, None);
        let mut decoded = engine
            .decode_at(&template, Some((placeholder, None)), now)
            .map_err(|e| CoreError::invalid(e.code, e.message))?;
        // Every subject of a template is stored: the records decide (and the account the
        // template names, for all of them).
        let named = self
            .recorded_facts(
                &engine,
                &template,
                Some(crate::agreements::Recorded::default()),
            )
            .await?
            .unwrap_or_default();
        named.apply(&mut decoded.context);
        let template_held = decoded.context.change_of_control_prompt_pending;
        let choices_op = decoded.op == steward_policy::wire::Op::EffectiveChoices;
        let ids: Vec<Option<SubjectId>> = subjects
            .iter()
            .map(|s| SubjectId::from_str(s).ok())
            .collect();
        let mut cache = self
            .resolve_many(ids.iter().flatten().copied(), visible, now)
            .await?;
        let mut t = Tally::new(out, subjects.len());
        for (i, (raw, sid)) in subjects.iter().zip(&ids).enumerate() {
            let index = i as u64;
            if i > 0 {
                out.push(b',');
            }
            let Some(sid) = *sid else {
                let msg = format!(
                    "`subjects[{i}]`: `{}` is not a subject id",
                    raw.chars().take(64).collect::<String>()
                );
                t.error(out, index, None, ErrorCode::BadSubjectId, &msg);
                continue;
            };
            let Some(r) = self.batch_subject(&mut cache, sid, visible, now).await? else {
                t.error(out, index, None, ErrorCode::NotFound, "subject not found");
                continue;
            };
            if choices_op {
                let eff = steward_policy::choices::fold(
                    &engine,
                    r.subject.jurisdiction.as_ref(),
                    &crate::facts::to_policy_entries(&engine, &r.ledger),
                    now,
                );
                match engine.decode_at(&template, Some((r.subject, Some(eff))), now) {
                    Ok(d) => {
                        let o = engine.decide(&d);
                        t.choices(&engine, out, index, &d, &o);
                    }
                    Err(e) => t.error(out, index, None, e.code, &e.message),
                }
                continue;
            }
            decoded.subject = r.subject;
            decoded.context.agreements = r.agreements.union(&named.agreements);
            decoded.context.carriers = r.carriers.union(&named.carriers);
            decoded.context.provided = r.provided;
            decoded.context.change_of_control_prompt_pending =
                template_held || r.change_of_control_prompt_pending;
            match engine.decide(&decoded) {
                Outcome::Decision(d) => t.decision(
                    &engine,
                    out,
                    index,
                    decoded.op.as_str(),
                    decoded.id.as_deref(),
                    Some(raw),
                    &d,
                ),
                o @ Outcome::Choices(_) => t.choices(&engine, out, index, &decoded, &o),
            }
        }
        self.finish_batch(caller, t, out, requests_sha256).await
    }

    /// Close the array, hash it, and append the batch's one audit entry.
    async fn finish_batch(
        &self,
        caller: &Caller,
        mut t: Tally,
        out: &mut Vec<u8>,
        requests_sha256: Option<Digest>,
    ) -> Result<BatchOutput, CoreError> {
        out.push(b']');
        let count = t.allowed + t.denied + t.errors;
        let decisions_sha256 = Digest::sha256(out.get(t.start..).unwrap_or_default());
        let mut e = self.event(AuditKind::Decision, "decide_batch", caller);
        e.id = t.batch_id;
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
            attr("allowed", &t.allowed.to_string()),
            attr("denied", &t.denied.to_string()),
            attr("errors", &t.errors.to_string()),
        ];
        t.reasons.sort_by_key(|r| std::cmp::Reverse(r.2));
        for (code, allow, n) in t.reasons.iter().take(REASON_ATTRS_CAP) {
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
            batch_id: t.batch_id,
            audit_seq,
            count,
            allowed: t.allowed,
            denied: t.denied,
            errors: t.errors,
            decisions_sha256,
            reasons: t.reasons,
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
    ) -> Result<BatchExplanation, CoreError> {
        let entry = self.store.audit_event(batch).await?;
        let e = &entry.event;
        if e.kind != AuditKind::Decision || e.action.as_str() != "decide_batch" {
            return Err(CoreError::NotFound("decision"));
        }
        let get = |n: &str| {
            e.attributes
                .iter()
                .find(|a| a.name.as_str() == n)
                .and_then(|a| a.value.as_str().parse::<u64>().ok())
        };
        let count: u64 = get("count").unwrap_or(0);
        if index >= count {
            return Err(CoreError::NotFound("decision"));
        }
        let digest = |n: &str| {
            e.digests
                .iter()
                .find(|d| d.name.as_str() == n)
                .map(|d| d.digest)
        };
        Ok(BatchExplanation {
            batch,
            index,
            at: e.at,
            audit_seq: entry.seq,
            policy_version: e.policy_version.as_ref().map(|p| p.as_str().to_string()),
            engine_version: e.engine_version.as_ref().map(|p| p.as_str().to_string()),
            count,
            allowed: get("allowed"),
            denied: get("denied"),
            errors: get("errors"),
            by_reason: e
                .attributes
                .iter()
                .filter(|a| a.name.as_str().contains(':'))
                .map(|a| {
                    (
                        a.name.as_str().to_string(),
                        a.value.as_str().parse::<u64>().unwrap_or(0),
                    )
                })
                .collect(),
            requests_sha256: digest("requests"),
            decisions_sha256: digest("decisions"),
        })
    }
}

/// A decision of a batch audited as one entry, explained by that entry: the log proves the
/// answers (the SHA-256 of the `decisions` array) but keeps no per-decision inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchExplanation {
    /// The batch (its audit event id).
    pub batch: EventId,
    /// The decision's position in the batch.
    pub index: u64,
    /// When the batch was decided.
    pub at: jiff::Timestamp,
    /// The batch entry's audit sequence number.
    pub audit_seq: AuditSeq,
    /// Policy version.
    pub policy_version: Option<String>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// Requests answered.
    pub count: u64,
    /// Allows.
    pub allowed: Option<u64>,
    /// Denies.
    pub denied: Option<u64>,
    /// Errors.
    pub errors: Option<u64>,
    /// Decisions per `allow:<reason>` / `deny:<reason>`, as recorded.
    pub by_reason: Vec<(String, u64)>,
    /// SHA-256 of the request body as received.
    pub requests_sha256: Option<Digest>,
    /// SHA-256 of the `decisions` array as returned.
    pub decisions_sha256: Option<Digest>,
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
