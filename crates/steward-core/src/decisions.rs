//! The decision service: resolve the subject's facts (a stored subject by id,
//! or facts given inline), ask the engine, audit the decision with an id
//! (AUD-01), answer with the decision and its id; explain a past decision by
//! its id (AUD-07). The JSON shapes of these answers belong to the HTTP edge
//! (`steward-api`); here they are typed values.

use std::str::FromStr;
use std::sync::Arc;
use steward_errors::ErrorCode;

use steward_policy::choices::{Effective, Provenance};
use steward_policy::decision::Trace;
use steward_policy::wire::{DecisionJson, Op, Outcome, Request};
use steward_policy::{Decision, Engine};
use steward_store::ids::{EventId, SubjectId};
use steward_store::model::audit::{
    Attribute, AuditEntry, AuditEvent, AuditKind, Outcome as AuditOutcome,
};
use steward_store::values::{
    AttrValue, CategoryKey, FieldName, Jurisdiction, PurposeKey, ReasonCode, RecipientKey, RuleId,
};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// What the engine answered.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A decision (allow or deny, reason, clause, obligations).
    Decision(Decision),
    /// Effective choices with provenance (`effective_choices`).
    Choices {
        /// The fold of the ledger, with provenance per field.
        effective: Box<Effective>,
        /// Whether the subject is treated as an EU data subject (the defaults differ).
        eu: bool,
    },
}

/// A decision as the core returns it.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The audit event (and decision) id.
    pub event_id: EventId,
    /// Allowed? (`true` for effective-choices answers)
    pub allow: bool,
    /// The operation asked.
    pub op: Op,
    /// The caller's correlation id, echoed.
    pub id: Option<String>,
    /// The answer.
    pub answer: Answer,
    /// The engine that decided (its names render the answer).
    engine: Arc<Engine>,
}

impl Decided {
    /// Reason code (`OK`, `OPTED_OUT` …; a purpose lock answers the code its policy declares).
    #[must_use]
    pub fn reason(&self) -> &str {
        match &self.answer {
            Answer::Decision(d) => self.engine.reason_code(d),
            Answer::Choices { .. } => "OK",
        }
    }

    /// The engine that decided.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The decision, unless this is an effective-choices answer.
    #[must_use]
    pub fn decision(&self) -> Option<&Decision> {
        match &self.answer {
            Answer::Decision(d) => Some(d),
            Answer::Choices { .. } => None,
        }
    }

    /// The engine's decision JSON (reason, clause, requirement ids, obligations), borrowing
    /// the engine's names; `None` for an effective-choices answer.
    #[must_use]
    pub fn decision_json(&self) -> Option<DecisionJson<'_>> {
        self.decision().map(|d| self.engine.decision_json(d))
    }

    /// For an effective-choices answer: every choice as `(key, value, provenance)`.
    #[must_use]
    pub fn choices(&self) -> Option<Vec<(String, String, Provenance)>> {
        match &self.answer {
            Answer::Choices { effective, eu } => Some(steward_policy::choices::describe(
                &self.engine,
                effective,
                *eu,
            )),
            Answer::Decision(_) => None,
        }
    }

    /// Turn a deny into the `Denied` error the edge reports.
    #[must_use]
    pub fn into_denied(self) -> CoreError {
        CoreError::Denied {
            reason: self.reason().to_string(),
            decision_id: self.event_id.to_string(),
            decision: Box::new(self),
        }
    }
}

/// A request of a batch that could not be decided, in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered {
    /// Stable code (`NOT_FOUND`, `BAD_SUBJECT_ID`, `MISSING_FIELD` …).
    pub code: ErrorCode,
    /// What is wrong.
    pub message: String,
}

/// A past decision explained (AUD-07).
#[derive(Debug, Clone)]
pub struct Explained {
    /// Its audit entry: the recorded inputs and outcome.
    pub entry: AuditEntry,
    /// For a stored subject: the evaluation replayed from the ledger as it was then.
    pub replay: Option<Replayed>,
}

/// A decision evaluated again from the ledger as it was at the decision's time.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// The DEC-00 path.
    pub path: Trace,
    /// The clause the replayed decision rests on (none for effective choices).
    pub clause: Option<String>,
    /// The replay reached the recorded outcome.
    pub matches: bool,
    /// The policy changed since: the replay used the policy in force now.
    pub with_current_policy: bool,
}

fn field(name: &str) -> Option<FieldName> {
    FieldName::new(name).ok()
}

fn attr(name: &str, value: &str) -> Option<Attribute> {
    Some(Attribute {
        name: field(name)?,
        value: AttrValue::new(value).ok()?,
    })
}

impl Steward {
    /// Decide one request. With `subject.id`, the stored subject's facts and
    /// ledger are used (and no other subject field may be given). The time is
    /// always the service clock's.
    ///
    /// # Errors
    /// `Invalid` for a request that does not decode, `NotFound` for an unknown subject.
    pub async fn decide(
        &self,
        caller: &Caller,
        req: Request,
        gpc_header: bool,
    ) -> Result<Decided, CoreError> {
        let (event, decided) = self.decide_unaudited(caller, req, gpc_header).await?;
        if let Some(e) = event {
            self.audit.append_one(e).await?;
        }
        Ok(decided)
    }

    /// Decide many requests; every decision gets an id and one audit entry, written
    /// together. A request that does not decode is answered with why, in its place.
    ///
    /// # Errors
    /// When the audit log cannot be written.
    pub async fn decide_batch(
        &self,
        caller: &Caller,
        reqs: Vec<Request>,
    ) -> Result<Vec<Result<Decided, Unanswered>>, CoreError> {
        let mut out = Vec::with_capacity(reqs.len());
        let mut events = Vec::with_capacity(reqs.len());
        for r in reqs {
            match self.decide_unaudited(caller, r, false).await {
                Ok((event, d)) => {
                    if let Some(e) = event {
                        events.push(e);
                    }
                    out.push(Ok(d));
                }
                Err(CoreError::Invalid { code, message }) => {
                    out.push(Err(Unanswered { code, message }));
                }
                Err(CoreError::NotFound(what)) => {
                    out.push(Err(Unanswered {
                        code: ErrorCode::NotFound,
                        message: format!("{what} not found"),
                    }));
                }
                Err(e) => return Err(e),
            }
        }
        self.audit.append(events).await?;
        Ok(out)
    }

    async fn decide_unaudited(
        &self,
        caller: &Caller,
        mut req: Request,
        gpc_header: bool,
    ) -> Result<(Option<AuditEvent>, Decided), CoreError> {
        let engine = self.engine();
        let now = self.clock.now();
        check_client_now(&req)?;
        self.fill_legal_request(&mut req).await?;
        req.context.now = Some(now.to_string());
        req.context.gpc |= gpc_header;
        let stored: Option<SubjectId> = match req.subject.id.as_deref() {
            Some(id) => {
                let s = &req.subject;
                if s.kind.is_some()
                    || s.jurisdiction.is_some()
                    || s.age.is_some()
                    || s.eu_protected.is_some()
                    || s.choices.is_some()
                    || !s.ledger.is_empty()
                {
                    return Err(CoreError::invalid(
                        ErrorCode::SubjectFactsWithId,
                        "give either `subject.id` or the subject's facts, not both",
                    ));
                }
                Some(SubjectId::from_str(id).map_err(|_| {
                    CoreError::invalid(
                        ErrorCode::BadSubjectId,
                        format!("`subject.id`: `{id}` is not a subject id"),
                    )
                })?)
            }
            None => None,
        };
        let mut stored_records = None;
        let mut provided = None;
        let mut held_by_record = false;
        let known = match stored {
            Some(id) => {
                let r = self.resolve(id, now).await?;
                stored_records = Some(crate::agreements::Recorded {
                    agreements: r.agreements,
                    carriers: r.carriers,
                });
                provided = Some(r.provided);
                held_by_record = r.change_of_control_prompt_pending;
                // Effective choices answer with provenance: fold the ledger again, keeping it.
                let eff = (req.op == Some(steward_policy::wire::Op::EffectiveChoices)).then(|| {
                    steward_policy::choices::fold(
                        &engine,
                        r.subject.jurisdiction.as_ref(),
                        &crate::facts::to_policy_entries(&engine, &r.ledger),
                        now,
                    )
                });
                Some((r.subject, eff))
            }
            None => None,
        };
        let recorded = self.recorded_facts(&engine, &req, stored_records).await?;
        let mut decoded = engine
            .decode_with(&req, known)
            .map_err(|e| CoreError::invalid(e.code, e.message))?;
        if let Some(r) = recorded {
            // CUST-01, USPSPA-01, CARRIER-01, CARRIER-02: the records decide, not an assertion.
            r.apply(&mut decoded.context);
        }
        if let Some(p) = provided {
            // USPS-07: what a stored subject has provided is what it has items of.
            decoded.context.provided = p;
        }
        // CHG-03: for stored data, the recorded versions and the notices the subject was sent
        // decide what changed since collection, not an assertion.
        if let (Some(id), Some(v)) = (stored, req.context.collected_under.as_deref()) {
            decoded.context.policy_change = self.policy_change_since(&engine, id, v, now).await?;
        }
        // BIZ-03: a stored subject's undelivered change-of-control notice holds promotions.
        decoded.context.change_of_control_prompt_pending |= held_by_record;
        let outcome = engine.decide(&decoded);
        let event_id = EventId::generate();
        let (allow, reason) = match &outcome {
            Outcome::Decision(d) => (d.allow, engine.reason_code(d)),
            Outcome::Choices(_) => (true, "OK"),
        };
        let mut e = self.event(AuditKind::Decision, decoded.op.as_str(), caller);
        e.id = event_id;
        e.subject = stored;
        e.outcome = Some(AuditOutcome {
            allow,
            reason: ReasonCode::new(reason)
                .map_err(|e| CoreError::invalid(ErrorCode::BadReason, e.to_string()))?,
        });
        if let Outcome::Decision(d) = &outcome {
            let rule = engine.rule(d.rule);
            e.rules = rule
                .requirements
                .iter()
                .filter_map(|r| RuleId::new(r.clone()).ok())
                .collect();
        }
        let mut cats: Vec<&str> = req.categories.iter().map(String::as_str).collect();
        if let Some(c) = &req.category {
            cats.push(c);
        }
        // Unknown names are recorded only if they are valid keys (they never hold free text).
        e.categories = cats
            .iter()
            .filter_map(|c| CategoryKey::new(*c).ok())
            .collect();
        e.purpose = req.purpose.as_deref().and_then(|p| PurposeKey::new(p).ok());
        e.recipient = req
            .recipient
            .as_deref()
            .and_then(|r| RecipientKey::new(r).ok());
        e.jurisdiction = decoded
            .subject
            .jurisdiction
            .and_then(|j| Jurisdiction::new(j.to_string()).ok());
        let mut attrs = vec![attr("subject_kind", decoded.subject.kind.as_str())];
        if stored.is_none() {
            attrs.push(attr("facts", "inline"));
        }
        // CARRIER-01: whether this carrier was selected (asserted, or by a record), so a replay
        // decides as the decision did.
        let carrier_selected = decoded.context.carrier_selected
            || decoded
                .recipient()
                .is_some_and(|r| decoded.context.carriers.contains(r));
        for (name, on) in [
            ("gpc", req.context.gpc),
            ("carrier_selected", carrier_selected),
            ("justification", req.context.justification),
            ("business_transfer", req.context.business_transfer),
            ("ticket", req.context.ticket),
            ("project", req.context.project),
        ] {
            if on {
                attrs.push(attr(name, "true"));
            }
        }
        if let Some(v) = &req.context.collected_under {
            attrs.push(attr("collected_under", v));
        }
        if let Some(l) = &req.context.legal_request {
            attrs.push(attr("legal_basis", &l.basis));
        }
        // The agreements the records accepted, so a replay decides as the decision did.
        if recorded.is_some() {
            for id in decoded.context.agreements.iter() {
                attrs.push(attr("agreement", &engine.agreement_info(id).key));
            }
        }
        // USPS-07: of the categories the purpose requires, those provided (for the replay).
        if let Some(p) = decoded.purpose() {
            for c in engine
                .required_categories(p)
                .intersect(&decoded.context.provided)
                .iter()
            {
                attrs.push(attr("provided", &engine.categories[c.index()].key));
            }
        }
        for v in [&req.tracker, &req.source, &req.message_kind, &req.channel]
            .into_iter()
            .flatten()
        {
            attrs.push(attr("arg", v));
        }
        e.attributes = attrs.into_iter().flatten().collect();
        let answer = match outcome {
            Outcome::Decision(d) => Answer::Decision(d),
            Outcome::Choices(effective) => Answer::Choices {
                effective,
                eu: engine.is_eu(&decoded.subject),
            },
        };
        Ok((
            Some(e),
            Decided {
                event_id,
                allow,
                op: decoded.op,
                id: decoded.id,
                answer,
                engine,
            },
        ))
    }

    /// Explain a past decision (AUD-07): its recorded inputs and outcome, and, for a
    /// stored subject, the evaluation path recomputed from the ledger as it was then.
    ///
    /// # Errors
    /// `NotFound` for an unknown id or an event that is not a decision.
    pub async fn explain_decision(&self, id: EventId) -> Result<Explained, CoreError> {
        let entry = self.store.audit_event(id).await?;
        if entry.event.kind != AuditKind::Decision {
            return Err(CoreError::NotFound("decision"));
        }
        let replay = self.replay(&entry.event).await;
        Ok(Explained { entry, replay })
    }

    /// The evaluation of a recorded decision about a stored subject, replayed.
    async fn replay(&self, e: &AuditEvent) -> Option<Replayed> {
        // Recompute the path for stored subjects: the ledger is append-only, so its fold at
        // the decision time reproduces the choices the engine saw.
        let subject = e.subject?;
        {
            let engine = self.engine();
            let same_policy = e
                .policy_version
                .as_ref()
                .is_some_and(|v| v.as_str() == engine.meta.version.to_ascii_lowercase());
            let mut req = Request {
                op: serde_json::from_value(serde_json::Value::String(
                    e.action.as_str().to_string(),
                ))
                .ok(),
                purpose: e.purpose.as_ref().map(|p| p.as_str().to_string()),
                recipient: e.recipient.as_ref().map(|r| r.as_str().to_string()),
                ..Request::default()
            };
            let cats: Vec<String> = e
                .categories
                .iter()
                .map(|c| c.as_str().to_string())
                .collect();
            if req.op == Some(steward_policy::wire::Op::CanDisclose) {
                req.categories = cats;
            } else {
                req.category = cats.into_iter().next();
            }
            let has = |n: &str| {
                e.attributes
                    .iter()
                    .any(|a| a.name.as_str() == n && a.value.as_str() == "true")
            };
            req.context.gpc = has("gpc");
            req.context.carrier_selected = has("carrier_selected");
            req.context.justification = has("justification");
            req.context.business_transfer = has("business_transfer");
            req.context.ticket = has("ticket");
            req.context.project = has("project");
            req.context.now = Some(e.at.to_string());
            req.context.provided_categories = e
                .attributes
                .iter()
                .filter(|a| a.name.as_str() == "provided")
                .filter(|a| engine.category(a.value.as_str()).is_some())
                .map(|a| a.value.as_str().to_string())
                .collect();
            req.context.agreements = e
                .attributes
                .iter()
                .filter(|a| a.name.as_str() == "agreement")
                .filter(|a| engine.agreement(a.value.as_str()).is_some())
                .map(|a| a.value.as_str().to_string())
                .collect();
            if let Ok(record) = self.store.get_subject(subject).await {
                let mut parties = vec![steward_store::model::choice::Party::Subject(subject)];
                if let Ok(ids) = self.store.identities_of(subject).await {
                    parties.extend(
                        ids.into_iter()
                            .map(|l| steward_store::model::choice::Party::Identity(l.identity)),
                    );
                }
                let ledger = self.store.list_choices(&parties).await.unwrap_or_default();
                let j = record
                    .facts
                    .residency
                    .as_ref()
                    .and_then(|j| j.as_str().parse::<steward_policy::Jurisdiction>().ok());
                let mut s =
                    steward_policy::Subject::new(crate::facts::policy_kind(record.facts.kind), j);
                s.eu_protected = record.facts.eu_protected_since.is_some_and(|t| t <= e.at);
                s.age = record
                    .facts
                    .age
                    .as_ref()
                    .map(|a| a.years.unwrap_or_else(|| crate::facts::band_age(a.band)));
                let eff = steward_policy::choices::fold(
                    &engine,
                    j.as_ref(),
                    &crate::facts::to_policy_entries(&engine, &ledger),
                    e.at,
                );
                s.choices = eff.choices;
                let collected_under = e
                    .attributes
                    .iter()
                    .find(|a| a.name.as_str() == "collected_under")
                    .map(|a| a.value.as_str().to_owned());
                if let Ok(mut d) = engine.decode_with(&req, Some((s, None))) {
                    // CHG-03: what had changed since collection, and been announced, then.
                    if let Some(v) = collected_under
                        && let Ok(pc) = self.policy_change_since(&engine, subject, &v, e.at).await
                    {
                        d.context.policy_change = pc;
                    }
                    let (o, trace) = engine.explain(&d);
                    let (allow, reason, clause) = match &o {
                        Outcome::Decision(dec) => (
                            Some(dec.allow),
                            Some(engine.reason_code(dec)),
                            Some(engine.rule(dec.rule).clause.clone()),
                        ),
                        // An effective-choices answer has no outcome to compare.
                        Outcome::Choices(_) => (None, None, None),
                    };
                    let matches = allow == e.outcome.as_ref().map(|o| o.allow)
                        && reason == e.outcome.as_ref().map(|o| o.reason.as_str());
                    return Some(Replayed {
                        path: trace,
                        clause,
                        matches,
                        with_current_policy: !same_policy,
                    });
                }
            }
        }
        None
    }
}

/// A `context.now` sent by a client must be an RFC 3339 time, as `steward policy eval`
/// requires (the service's clock decides either way: a valid client time is not used).
///
/// # Errors
/// `Invalid(BAD_FIELD)` naming `context.now`, with the message of the policy decoder.
pub(crate) fn check_client_now(req: &Request) -> Result<(), CoreError> {
    match req.context.now.as_deref() {
        Some(t) if t.parse::<jiff::Timestamp>().is_err() => Err(CoreError::invalid(
            ErrorCode::BadField,
            format!(
                "`context.now`: `{}` is not an RFC 3339 time",
                t.chars().take(64).collect::<String>()
            ),
        )),
        _ => Ok(()),
    }
}
