//! Data subject requests: the pure parts — which regimes apply, the erasure
//! plan (what is deleted, what is kept under which named exception, who is
//! notified) and the access and portability reports built from what is
//! actually stored. The workflow around them (intake, verification, execution,
//! receipts) builds on these.

pub mod plan;
pub mod report;

use steward_deadlines::Regime;
use steward_policy::{Engine, Subject};

/// The regimes whose request rules apply to a subject (SCOPE-07, DL-03).
#[must_use]
pub fn regimes_for(engine: &Engine, subject: &Subject) -> Vec<Regime> {
    let mut out = Vec::new();
    if engine.is_eu(subject) {
        let uk = subject.jurisdiction.is_some_and(|j| j.country() == "GB");
        out.push(if uk { Regime::UkGdpr } else { Regime::Gdpr });
    }
    if let Some(j) = &subject.jurisdiction {
        if j.is_california() {
            out.push(Regime::Ccpa);
        }
        if j.is_nevada() {
            out.push(Regime::Nevada);
        }
    }
    if out.is_empty() {
        out.push(Regime::Policy);
    }
    out
}
