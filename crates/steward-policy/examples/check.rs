//! Loads and compiles the shipped policy and prints its diagnostics: a minimal use of the
//! policy crate's API.

fn main() {
    match steward_policy::load(
        steward_policy::DEFAULT_POLICY_NAME,
        steward_policy::DEFAULT_POLICY,
    ) {
        Ok(l) => {
            print!("{}", l.report);
            println!("ok: {} categories", l.engine.categories.len());
        }
        Err(r) => print!("{r}"),
    }
}
