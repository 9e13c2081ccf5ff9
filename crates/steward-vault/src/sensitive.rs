//! `Sensitive<T>`: a wrapper for anything that holds personal data, so it never reaches a log.
//!
//! `Debug` and `Display` print `[redacted]`; serde is transparent (the value is serialized as
//! is, because API bodies and exports must carry it); the value is reached only through an
//! explicit [`Sensitive::expose`], which makes every read greppable in review.

use std::fmt;

/// Personal data or a secret, redacted in `Debug` and `Display`.
///
/// ```
/// use steward_vault::Sensitive;
/// let email = Sensitive::new("ada@example.com".to_owned());
/// assert_eq!(format!("{email:?}"), "[redacted]");
/// assert_eq!(email.expose(), "ada@example.com");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The value. Every call is a deliberate disclosure: keep it out of logs.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// The value, mutably.
    pub fn expose_mut(&mut self) -> &mut T {
        &mut self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }

    /// Applies `f` to the value, keeping the result wrapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sensitive<U> {
        Sensitive(f(self.0))
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact_but_serde_is_transparent() {
        let s = Sensitive::new("ada@example.com".to_owned());
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&s)), "Some([redacted])");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"ada@example.com\"");
        let back: Sensitive<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.map(|v| v.len()).into_inner(), 15);
    }
}
