//! The error-code table of `docs/api.md` is generated from [`ErrorCode`]: this test fails when
//! the two differ and prints the table to paste; `UPDATE_ERROR_CODES=1` rewrites it in place.

use std::path::PathBuf;

use steward_errors::markdown_table;

const BEGIN: &str = "<!-- error-codes:begin -->\n";
const END: &str = "<!-- error-codes:end -->";

#[test]
fn docs_api_md_lists_exactly_the_error_codes_of_the_enum() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/api.md");
    let doc = std::fs::read_to_string(&path).expect("docs/api.md is readable");
    let start = doc
        .find(BEGIN)
        .expect("docs/api.md has the error-codes:begin marker")
        + BEGIN.len();
    let end = doc[start..]
        .find(END)
        .expect("docs/api.md has the error-codes:end marker")
        + start;
    let expected = markdown_table();
    if doc[start..end] == expected {
        return;
    }
    if std::env::var_os("UPDATE_ERROR_CODES").is_some() {
        let updated = format!("{}{}{}", &doc[..start], expected, &doc[end..]);
        std::fs::write(&path, updated).expect("docs/api.md is writable");
        return;
    }
    panic!(
        "the error-code table of docs/api.md differs from steward_errors::ErrorCode; \
         rerun with UPDATE_ERROR_CODES=1 or paste this between the markers:\n\n{expected}"
    );
}
