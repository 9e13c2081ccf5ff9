//! Policy test cases: facts + request → expected decision.
//!
//! A case file (TOML, documented in `docs/policy-tests.md`) holds `[[case]]`
//! entries; a fixtures file names the catalog's subjects (`S_US`, `S_EU`, …)
//! and may carry a policy patch that adds test-only recipients
//! (`SP_NOCONTRACT`, `MP2`, …). Each case may patch the policy further. The
//! runner is pure: the caller reads the files and passes their text.

use crate::compile::load;
use crate::engine::Engine;
use crate::patch;
use crate::wire::{Request, SubjectFacts};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The fixtures file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// Named subjects.
    #[serde(default)]
    pub subjects: BTreeMap<String, SubjectFacts>,
    /// A patch applied to the policy for every case (test-only recipients).
    #[serde(default)]
    pub policy_patch: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    #[serde(default)]
    now: Option<String>,
    #[serde(default)]
    patch: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum SubjectRef {
    Fixture(String),
    Inline(Box<SubjectFacts>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    #[serde(default)]
    requirements: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    patch: Option<String>,
    #[serde(default)]
    subject: Option<SubjectRef>,
    /// Overrides applied on top of the fixture subject.
    #[serde(default)]
    with: Option<SubjectFacts>,
    request: Request,
    expect: Expect,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    allow: Option<bool>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    /// The clause the decision must cite, exactly.
    #[serde(default)]
    clause: Option<String>,
    #[serde(default)]
    requirements: Vec<String>,
    #[serde(default)]
    obligations: Vec<String>,
    #[serde(default)]
    no_obligations: Vec<String>,
    #[serde(default)]
    redact: Option<Vec<String>>,
    #[serde(default)]
    allowed: Option<Vec<String>>,
    #[serde(default)]
    excluded: Option<Vec<String>>,
    #[serde(default)]
    choices: BTreeMap<String, toml::Value>,
    #[serde(default)]
    path: Option<Vec<String>>,
    /// `effective_choices`: codes of the ledger entries the fold ignored, in order.
    #[serde(default)]
    ignored: Option<Vec<String>>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    case: Vec<Case>,
}

/// A suite that cannot run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuiteError {
    /// A case or fixtures file does not parse.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        /// File.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Message.
        message: String,
    },
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case file.
    pub file: String,
    /// The case id.
    pub id: String,
    /// Requirement ids the case covers.
    pub requirements: Vec<String>,
    /// The case's description, if it has one.
    pub description: Option<String>,
    /// Passed?
    pub passed: bool,
    /// Why it failed (empty when it passed).
    pub failures: Vec<String>,
    /// The response the engine gave.
    pub response: serde_json::Value,
}

/// The outcome of a suite.
#[derive(Debug, Clone, Default)]
pub struct SuiteReport {
    /// Every case, in file order.
    pub results: Vec<CaseResult>,
}

impl SuiteReport {
    /// Cases that failed.
    pub fn failed(&self) -> impl Iterator<Item = &CaseResult> {
        self.results.iter().filter(|r| !r.passed)
    }
    /// Requirement ids covered by at least one passing case.
    #[must_use]
    pub fn covered(&self) -> BTreeSet<String> {
        self.results
            .iter()
            .filter(|r| r.passed)
            .flat_map(|r| r.requirements.iter().cloned())
            .collect()
    }
}

fn position(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let mut i = offset;
    while i > 0 && !src.is_char_boundary(i) {
        i -= 1;
    }
    let before = &src[..i];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, src: &str) -> Result<T, SuiteError> {
    toml::from_str(src).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| position(src, s.start));
        SuiteError::Parse {
            file: file.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// Parse a fixtures file.
///
/// # Errors
/// A parse error with its position.
pub fn parse_fixtures(file: &str, src: &str) -> Result<Fixtures, SuiteError> {
    parse(file, src)
}

fn overlay(base: &mut SubjectFacts, w: &SubjectFacts) {
    if w.kind.is_some() {
        base.kind.clone_from(&w.kind);
    }
    if w.jurisdiction.is_some() {
        base.jurisdiction.clone_from(&w.jurisdiction);
    }
    if w.eu_protected.is_some() {
        base.eu_protected = w.eu_protected;
    }
    if w.age.is_some() {
        base.age = w.age;
    }
    if w.choices.is_some() {
        base.choices.clone_from(&w.choices);
    }
    base.ledger.extend(w.ledger.iter().cloned());
}

/// Run case files against a policy.
///
/// `policy` is the base policy text, `fixtures` the parsed fixtures, and
/// `files` the case files as (name, text).
///
/// # Errors
/// When a case file does not parse. Policy patches that do not compile make
/// the affected cases fail with the diagnostics, they do not stop the suite.
pub fn run(
    policy_name: &str,
    policy: &str,
    fixtures: &Fixtures,
    files: &[(String, String)],
) -> Result<SuiteReport, SuiteError> {
    let mut engines: HashMap<String, Result<Engine, String>> = HashMap::new();
    let mut report = SuiteReport::default();
    for (file, src) in files {
        let cf: CaseFile = parse(file, src)?;
        for case in cf.case {
            let patches: Vec<&str> = [
                fixtures.policy_patch.as_deref(),
                cf.defaults.patch.as_deref(),
                case.patch.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let key = patches.join("\n#---\n");
            let engine = engines.entry(key).or_insert_with(|| {
                let mut text = policy.to_string();
                for p in &patches {
                    text = patch::apply(&text, p).map_err(|e| e.to_string())?;
                }
                load(policy_name, &text)
                    .map(|l| l.engine)
                    .map_err(|r| r.to_string())
            });
            let result = match engine {
                Ok(engine) => run_case(engine, file, &cf.defaults, fixtures, &case),
                Err(diag) => CaseResult {
                    file: file.clone(),
                    id: case.id.clone(),
                    requirements: case.requirements.clone(),
                    description: case.description.clone(),
                    passed: false,
                    failures: vec![format!("the patched policy does not compile:\n{diag}")],
                    response: serde_json::Value::Null,
                },
            };
            report.results.push(result);
        }
    }
    Ok(report)
}

fn run_case(
    engine: &Engine,
    file: &str,
    defaults: &Defaults,
    fixtures: &Fixtures,
    case: &Case,
) -> CaseResult {
    let mut failures = Vec::new();
    let mut req = case.request.clone();
    let mut subject = match &case.subject {
        Some(SubjectRef::Fixture(name)) => match fixtures.subjects.get(name) {
            Some(s) => s.clone(),
            None => {
                failures.push(format!("unknown fixture subject `{name}`"));
                SubjectFacts::default()
            }
        },
        Some(SubjectRef::Inline(s)) => (**s).clone(),
        None => req.subject.clone(),
    };
    if let Some(w) = &case.with {
        overlay(&mut subject, w);
    }
    req.subject = subject;
    if req.context.now.is_none() {
        req.context.now.clone_from(&defaults.now);
    }
    if req.id.is_none() {
        req.id = Some(case.id.clone());
    }
    let response = match engine.decode(&req) {
        Ok(d) => {
            let (o, trace) = engine.explain(&d);
            engine.response(&d, &o, Some(&trace))
        }
        Err(e) => crate::wire::error_json(req.id.as_deref(), None, &e),
    };
    check(&case.expect, &response, &mut failures);
    CaseResult {
        file: file.to_string(),
        id: case.id.clone(),
        requirements: case.requirements.clone(),
        description: case.description.clone(),
        passed: failures.is_empty(),
        failures,
        response,
    }
}

fn names(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn check(e: &Expect, r: &serde_json::Value, f: &mut Vec<String>) {
    if let Some(code) = &e.error {
        let got = r.pointer("/error/code").and_then(|v| v.as_str());
        if got != Some(code.as_str()) {
            f.push(format!("expected decode error `{code}`, got {r}"));
        }
        return;
    }
    if let Some(err) = r.get("error") {
        f.push(format!("request did not decode: {err}"));
        return;
    }
    if let Some(a) = e.allow
        && r.get("allow").and_then(serde_json::Value::as_bool) != Some(a)
    {
        f.push(format!(
            "expected allow={a}, got allow={} ({})",
            r["allow"], r["reason"]
        ));
    }
    if let Some(reason) = &e.reason
        && r.get("reason").and_then(|v| v.as_str()) != Some(reason.as_str())
    {
        f.push(format!("expected reason {reason}, got {}", r["reason"]));
    }
    if let Some(detail) = &e.detail
        && r.get("detail").and_then(|v| v.as_str()) != Some(detail.as_str())
    {
        f.push(format!(
            "expected detail `{detail}`, got {}",
            r.get("detail").unwrap_or(&serde_json::Value::Null)
        ));
    }
    if let Some(clause) = &e.clause
        && r.get("clause").and_then(|v| v.as_str()) != Some(clause.as_str())
    {
        f.push(format!("expected clause `{clause}`, got {}", r["clause"]));
    }
    let reqs = names(&r["requirements"]);
    for q in &e.requirements {
        if !reqs.contains(q) {
            f.push(format!(
                "expected the decision to cite {q}, it cites {reqs:?}"
            ));
        }
    }
    for o in &e.obligations {
        if r.pointer(&format!("/obligations/{o}"))
            .is_none_or(|v| v == &serde_json::Value::Bool(false))
        {
            f.push(format!(
                "expected obligation `{o}`, got {}",
                r["obligations"]
            ));
        }
    }
    for o in &e.no_obligations {
        if r.pointer(&format!("/obligations/{o}"))
            .is_some_and(|v| v != &serde_json::Value::Bool(false))
        {
            f.push(format!(
                "expected no obligation `{o}`, got {}",
                r["obligations"]
            ));
        }
    }
    for (field, want) in [("allowed", &e.allowed), ("excluded", &e.excluded)] {
        if let Some(want) = want {
            let got = names(r.get(field).unwrap_or(&serde_json::Value::Null));
            let want: BTreeSet<String> = want.iter().cloned().collect();
            if got != want {
                f.push(format!("expected {field} {want:?}, got {got:?}"));
            }
        }
    }
    if let Some(want) = &e.redact {
        let got = names(
            r.pointer("/obligations/redact")
                .unwrap_or(&serde_json::Value::Null),
        );
        let want: BTreeSet<String> = want.iter().cloned().collect();
        if got != want {
            f.push(format!("expected redact {want:?}, got {got:?}"));
        }
    }
    for (k, want) in &e.choices {
        let got = r.pointer(&format!("/choices/{}/value", k.replace('/', "~1")));
        let ok = match (want, got) {
            (toml::Value::Boolean(b), Some(serde_json::Value::Bool(g))) => b == g,
            (toml::Value::String(s), Some(serde_json::Value::String(g))) => s == g,
            _ => false,
        };
        if !ok {
            f.push(format!(
                "expected choice `{k}` = {want}, got {}",
                got.unwrap_or(&serde_json::Value::Null)
            ));
        }
    }
    if let Some(want) = &e.ignored {
        let got: Vec<String> = r["ignored"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["code"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if &got != want {
            f.push(format!("expected ignored entries {want:?}, got {got:?}"));
        }
    }
    if let Some(want) = &e.path {
        let got: Vec<String> = r["path"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        format!(
                            "{}:{}",
                            s["step"].as_str().unwrap_or("?"),
                            if s["ok"] == true { "ok" } else { "fail" }
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !got.starts_with(want) {
            f.push(format!("expected path to start with {want:?}, got {got:?}"));
        }
    }
}
