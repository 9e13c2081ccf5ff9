//! Deep-merge a TOML patch into a policy file.
//!
//! Used by policy test cases to describe a variant of the policy ("`MP1` with
//! no transfer mechanism", "a contract that expires 2024-06-30") without
//! copying the whole file. Tables merge key by key; arrays of tables whose
//! elements carry an `id` merge element by element (an element with
//! `remove = true` removes the entry); anything else is replaced.

use toml::{Table, Value};

/// A patch that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The base or the patch is not valid TOML.
    #[error("invalid TOML in the {which}: {message}")]
    Syntax {
        /// `policy` or `patch`.
        which: &'static str,
        /// Parser message.
        message: String,
    },
    /// The merged document could not be written back.
    #[error("cannot serialize the patched policy: {0}")]
    Serialize(String),
}

/// Apply `patch` (TOML text) to `base` (TOML text) and return the merged text.
///
/// # Errors
/// When either text is not TOML.
pub fn apply(base: &str, patch: &str) -> Result<String, PatchError> {
    let mut b: Table = base
        .parse()
        .map_err(|e: toml::de::Error| PatchError::Syntax {
            which: "policy",
            message: e.message().to_string(),
        })?;
    let p: Table = patch
        .parse()
        .map_err(|e: toml::de::Error| PatchError::Syntax {
            which: "patch",
            message: e.message().to_string(),
        })?;
    merge_table(&mut b, p);
    toml::to_string(&b).map_err(|e| PatchError::Serialize(e.to_string()))
}

fn merge_table(base: &mut Table, patch: Table) {
    for (k, v) in patch {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(bt)), Value::Table(pt)) => merge_table(bt, pt),
            (Some(Value::Array(ba)), Value::Array(pa)) if is_id_array(ba) && is_id_array(&pa) => {
                merge_by_id(ba, pa)
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.as_table()?.get("id")?.as_str()
}

fn is_id_array(a: &[Value]) -> bool {
    a.iter().all(|v| id_of(v).is_some())
}

fn merge_by_id(base: &mut Vec<Value>, patch: Vec<Value>) {
    for pv in patch {
        let Some(id) = id_of(&pv).map(str::to_string) else {
            continue;
        };
        let remove = pv
            .as_table()
            .and_then(|t| t.get("remove"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let pos = base.iter().position(|bv| id_of(bv) == Some(id.as_str()));
        match (pos, remove) {
            (Some(i), true) => {
                base.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                if let (Value::Table(bt), Value::Table(pt)) = (&mut base[i], pv) {
                    merge_table(bt, pt);
                }
            }
            (None, false) => base.push(pv),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_by_id_and_removes() {
        let base = "[[recipient]]\nid = \"A\"\nx = 1\ny = [1]\n[[recipient]]\nid = \"B\"\n";
        let patch = "[[recipient]]\nid = \"A\"\nx = 2\n[[recipient]]\nid = \"B\"\nremove = true\n[[recipient]]\nid = \"C\"\n";
        let out: Table = apply(base, patch).unwrap().parse().unwrap();
        let r = out["recipient"].as_array().unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["x"].as_integer(), Some(2));
        assert_eq!(r[0]["y"].as_array().unwrap().len(), 1);
        assert_eq!(id_of(&r[1]), Some("C"));
    }

    #[test]
    fn bad_patch_is_an_error() {
        assert!(matches!(
            apply("a = 1", "b = "),
            Err(PatchError::Syntax { which: "patch", .. })
        ));
    }
}
