//! The `steward policy` commands, run as a user would run them.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn steward(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn check_accepts_the_shipped_policy() {
    let o = steward(&["policy", "check"], "");
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 error(s), 0 warning(s)"));
}

#[test]
fn check_reports_every_error_with_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    let mut text = steward_policy::DEFAULT_POLICY.to_string();
    // Two independent mistakes: an unknown category in a purpose and a bad date.
    text = text.replacen(
        "categories = [\"survey_answer\", \"name\", \"email\"]",
        "categories = [\"survey_answer\", \"nmae\", \"email\"]",
        1,
    );
    text = text.replacen(
        "effective = \"2020-01-17\"",
        "effective = \"2020-13-17\"",
        1,
    );
    std::fs::write(&p, &text).unwrap();
    let o = steward(&["policy", "check", p.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let date_line = line_of("effective = \"2020-13-17\"");
    let cat_line = line_of("\"nmae\"");
    assert!(out.contains(&format!("bad.toml:{date_line}:")), "{out}");
    assert!(out.contains("error[BAD_DATE]"), "{out}");
    assert!(out.contains(&format!("bad.toml:{cat_line}:")), "{out}");
    assert!(
        out.contains("error[UNKNOWN_CATEGORY]") && out.contains("`nmae`"),
        "{out}"
    );
    assert!(out.contains("help:"), "{out}");
}

#[test]
fn check_reports_syntax_errors_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("syntax.toml");
    std::fs::write(&p, "[policy]\nname = \"x\"\nversion = \n").unwrap();
    let o = steward(
        &["policy", "check", p.to_str().unwrap(), "--format", "json"],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["diagnostics"][0]["code"], "SYNTAX");
    assert_eq!(v["diagnostics"][0]["line"], 3);
}

#[test]
fn eval_answers_each_line_and_reports_bad_lines_with_their_number() {
    let input = concat!(
        r#"{"op":"can_use","category":"usps_regulatory_data","purpose":"security_fraud","context":{"now":"2024-03-04T17:00:00Z"}}"#,
        "\n{not json\n",
        r#"{"op":"can_use","category":"voice_recording","purpose":"support"}"#,
        "\n",
        r#"{"op":"can_use","purpose":"support"}"#,
        "\n"
    );
    let o = steward(&["policy", "eval", "--now", "2024-03-04T17:00:00Z"], input);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["reason"], "USPS_PURPOSE_LOCK");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "BAD_JSON");
    assert_eq!(lines[2]["reason"], "UNREGISTERED_CATEGORY");
    assert_eq!(lines[3]["line"], 4);
    assert_eq!(lines[3]["error"]["code"], "MISSING_FIELD");
}

#[test]
fn explain_shows_the_evaluation_path() {
    let req = r#"{"op":"can_disclose","subject":{"jurisdiction":"US-TX"},"categories":["email"],"recipient":"SP_NOSUCH","purpose":"support","context":{"now":"2024-03-04T17:00:00Z"}}"#;
    let o = steward(&["policy", "explain", "--json"], req);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["reason"], "NO_RULE");
    assert_eq!(v["path"][0]["step"], "registry");
    assert_eq!(v["path"][0]["ok"], false);
}

#[test]
fn shipped_cases_pass_through_the_cli() {
    let o = steward(&["policy", "test"], "");
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(" 0 failed"));
}

#[test]
fn render_produces_markdown_and_html() {
    let md = steward(&["policy", "render"], "");
    assert!(stdout(&md).starts_with("# Stamps.com Privacy Policy"));
    let html = steward(&["policy", "render", "--format", "html"], "");
    assert!(stdout(&html).contains("<table>"));
}

#[test]
fn diff_of_a_policy_with_itself_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    std::fs::write(&p, steward_policy::DEFAULT_POLICY).unwrap();
    let o = steward(
        &["policy", "diff", p.to_str().unwrap(), p.to_str().unwrap()],
        "",
    );
    assert!(stdout(&o).contains("no changes"));
}

#[test]
fn committed_json_schemas_match_the_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
    for k in ["policy", "request", "decision"] {
        let o = steward(&["policy", "schema", k], "");
        let committed = std::fs::read_to_string(root.join(format!("{k}.schema.json"))).unwrap();
        assert_eq!(
            stdout(&o),
            committed,
            "docs/schema/{k}.schema.json is stale: regenerate with `steward policy schema {k} > docs/schema/{k}.schema.json`"
        );
    }
}

/// The second example policy (a newsletter) through every policy command an operator uses.
#[test]
fn the_newsletter_example_checks_tests_and_renders() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let policy = root.join("policies/examples/newsletter.toml");
    let tests = root.join("policies/examples/newsletter-tests");
    let policy = policy.to_str().unwrap();
    let o = steward(&["policy", "check", policy], "");
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        stdout(&o)
    );

    let o = steward(
        &[
            "policy",
            "test",
            "--policy",
            policy,
            "--fixtures",
            tests.join("fixtures.toml").to_str().unwrap(),
            tests.join("cases.toml").to_str().unwrap(),
        ],
        "",
    );
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(" 0 failed"), "{}", stdout(&o));

    let md = steward(&["policy", "render", "--policy", policy], "");
    assert!(md.status.success());
    assert!(stdout(&md).starts_with("# Northwind Letters Privacy Notice"));
    let html = steward(
        &["policy", "render", "--policy", policy, "--format", "html"],
        "",
    );
    assert!(stdout(&html).contains("<h1>Northwind Letters Privacy Notice</h1>"));
    assert!(!stdout(&html).contains("Stamps.com"));
    let req = r#"{"op":"can_use","subject":{"jurisdiction":"DE"},"category":"reading_activity","purpose":"audience_measurement","context":{"now":"2024-06-03T10:00:00Z"}}"#;
    let o = steward(&["policy", "eval", "--policy", policy], req);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["reason"], "CONSENT_REQUIRED");
    assert_eq!(v["clause"], "law: ePrivacy Directive Art. 5(3)", "{v}");
}

/// `policy check` compares the notice with the engine: a recipient the notice lists but the
/// engine can never send anything to (its contract is gone) is an error at its line.
#[test]
fn check_reports_a_notice_that_contradicts_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nocontract.toml");
    let text = steward_policy::DEFAULT_POLICY;
    let at = text.find("id = \"MP1\"").unwrap();
    let start = at + text[at..].find("contract = {").unwrap();
    let end = start + text[start..].find('\n').unwrap() + 1;
    let text = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(&p, &text).unwrap();
    let o = steward(&["policy", "check", p.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let line = text.lines().position(|l| l == "id = \"MP1\"").unwrap() + 1;
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "nocontract.toml:{line}:6: error[NOTICE_CONTRADICTS_ENGINE]: the notice says recipient `MP1` for purpose `third_party_promotional_mail` receives `name` (NO_CONTRACT)"
        )),
        "{out}"
    );
    assert!(!out.contains(": ok —"), "{out}");
}

#[test]
fn a_reader_that_leaves_early_ends_the_command_quietly() {
    // `steward policy render | head -1`: the notice is larger than a pipe's buffer, so the
    // command writes into a pipe whose reader has gone.
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["policy", "render"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // As `cat` or `grep` would: ended by SIGPIPE, nothing on stderr (no panic, no error).
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&out.status),
        Some(13),
        "{:?}",
        out.status
    );
}
