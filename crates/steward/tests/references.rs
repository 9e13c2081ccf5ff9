//! The repository's own text points at things a reader can find in it: no "issue 11"-style
//! references to a tracker that is not in the repository (say what is meant instead), and no
//! citation of a design document the repository does not hold.

#![allow(clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

/// Directories that are not the project's own text.
const SKIP: &[&str] = &[
    "target",
    "node_modules",
    ".venv",
    ".git",
    "fuzz/target",
    "corpus",
    "artifacts",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the workspace root")
        .to_path_buf()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP.contains(&name.as_str()) && !name.starts_with('.') || name == ".ci" {
                walk(&path, out);
            }
        } else if ["rs", "md", "mjs", "toml", "sh", "py", "html", "yml", "yaml"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
            || dir
                .file_name()
                .is_some_and(|d| d == "scripts" || d == ".ci")
        {
            out.push(path);
        }
    }
}

/// "issue 12", "Issue 11 speed work", "(issue 15)": a number in a tracker the reader cannot
/// open. Word boundaries, so "tissue 3" or an "issue" not followed by a number pass.
fn tracker_references(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("issue ") {
        let at = from + i;
        from = at + 6;
        if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        let digits = lower[from..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let line_start = lower[..at].rfind('\n').map_or(0, |n| n + 1);
            let line_end = lower[at..].find('\n').map_or(lower.len(), |n| at + n);
            found.push(text[line_start..line_end].trim().to_string());
        }
    }
    found
}

#[test]
fn the_tracker_check_finds_what_it_should() {
    assert_eq!(tracker_references("see issue 12 for why").len(), 1);
    assert_eq!(tracker_references("(Issue 11)").len(), 1);
    assert!(tracker_references("an issue with tissue 3; issue a token").is_empty());
}

#[test]
fn the_repository_cites_no_tracker_it_does_not_hold() {
    let root = root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("BENCHMARKS.md")),
        "the walk reaches the repository's text"
    );
    let me = Path::new(file!()).file_name().expect("this file's name");
    let mut bad = Vec::new();
    for f in files {
        if f.file_name() == Some(me) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for line in tracker_references(&text) {
            bad.push(format!(
                "{}: {line}",
                f.strip_prefix(&root).unwrap_or(&f).display()
            ));
        }
        if text.contains("DESIGN.md") && !root.join("DESIGN.md").exists() {
            bad.push(format!(
                "{}: cites DESIGN.md, which is not in the repository",
                f.strip_prefix(&root).unwrap_or(&f).display()
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "say what is meant instead of a tracker number:\n{}",
        bad.join("\n")
    );
}
