//! Payment card numbers (PANs): detection to refuse them at rest (SEC-03) and to mask them in
//! chat transcripts (CHAT-03).
//!
//! A probable PAN is 13 to 19 digits, optionally grouped by single spaces or dashes, that
//! passes the Luhn check. Detection is heuristic by nature: one random digit string in ten
//! passes Luhn, so callers refuse or mask, they do not classify.

use std::collections::BTreeSet;

/// Fewest digits of a PAN.
const PAN_MIN: usize = 13;
/// Most digits of a PAN.
const PAN_MAX: usize = 19;

/// Whether the digit values (0..=9) pass the Luhn check.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        if d > 9 {
            return false;
        }
        let d = u32::from(d);
        sum += if i % 2 == 1 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Whether `value` looks like a card number: only digits, spaces and dashes (surrounding
/// whitespace ignored), 13 to 19 digits, Luhn-valid (SEC-03: refuse it as a raw value).
pub fn is_probable_pan(value: &str) -> bool {
    let mut digits = Vec::with_capacity(PAN_MAX);
    for c in value.trim().chars() {
        match c {
            '0'..='9' => {
                if digits.len() == PAN_MAX {
                    return false;
                }
                digits.push(c as u8 - b'0');
            }
            ' ' | '-' => {}
            _ => return false,
        }
    }
    digits.len() >= PAN_MIN && luhn_valid(&digits)
}

/// The result of [`redact_pans`].
#[derive(Clone, PartialEq, Eq)]
pub struct PanRedaction {
    /// The text with every probable PAN masked but its last four digits.
    pub text: String,
    /// How many PANs were masked.
    pub count: usize,
}

impl std::fmt::Debug for PanRedaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text may hold other personal data.
        write!(
            f,
            "PanRedaction {{ count: {}, text: [redacted] }}",
            self.count
        )
    }
}

/// Masks probable PANs in free text (CHAT-03): `my card is 4111 1111 1111 1111` becomes
/// `my card is **** **** **** 1111`. Digits are grouped by single spaces or dashes.
pub fn redact_pans(text: &str) -> PanRedaction {
    let bytes = text.as_bytes();
    let mut masked: BTreeSet<usize> = BTreeSet::new();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        // A candidate: digit groups joined by single separators. Groups are (start, end).
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((start, j));
            let joined = j + 1 < bytes.len()
                && matches!(bytes[j], b' ' | b'-')
                && bytes[j + 1].is_ascii_digit();
            if joined {
                j += 1;
            } else {
                break;
            }
        }
        let mut g = 0;
        while g < groups.len() {
            if let Some(end) = longest_pan_from(bytes, &groups, g) {
                let positions: Vec<usize> =
                    groups[g..=end].iter().flat_map(|&(s, e)| s..e).collect();
                let keep = positions.len().saturating_sub(4);
                masked.extend(positions.iter().take(keep).copied());
                count += 1;
                g = end + 1;
            } else {
                g += 1;
            }
        }
        i = j.max(i + 1);
    }
    let text = text
        .char_indices()
        .map(|(pos, c)| if masked.contains(&pos) { '*' } else { c })
        .collect();
    PanRedaction { text, count }
}

/// The last group index `end` such that groups `first..=end` hold 13 to 19 Luhn-valid
/// digits, preferring the longest. Printed card numbers group their digits by 4 to 6 (4-4-4-4,
/// 4-6-5, 4-4-4-4-3), so every group but the last must have at least 4 digits: a short
/// number written before a card number is not swallowed into it.
fn longest_pan_from(bytes: &[u8], groups: &[(usize, usize)], first: usize) -> Option<usize> {
    let mut digits: Vec<u8> = Vec::with_capacity(PAN_MAX);
    let mut best = None;
    let mut previous_len = usize::MAX;
    for (idx, &(s, e)) in groups.iter().enumerate().skip(first) {
        if digits.len() + (e - s) > PAN_MAX || previous_len < 4 {
            break;
        }
        previous_len = e - s;
        digits.extend(bytes[s..e].iter().map(|b| b - b'0'));
        if digits.len() >= PAN_MIN && luhn_valid(&digits) {
            best = Some(idx);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sec_03_probable_pans() {
        for pan in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            " 5500 0000 0000 0004 ",
            "378282246310005",     // Amex, 15 digits
            "6011111111111117",    // Discover
            "4222222222222",       // 13 digits
            "6304000000000000018", // 19 digits (Luhn-valid)
        ] {
            assert!(is_probable_pan(pan), "{pan}");
        }
        for not in [
            "4111111111111112",     // Luhn fails
            "411111111111",         // 12 digits
            "41111111111111111111", // 20 digits
            "tok_4111111111111111", // a processor token
            "4111.1111.1111.1111",
            "",
        ] {
            assert!(!is_probable_pan(not), "{not}");
        }
        assert!(luhn_valid(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn_valid(&[]));
        assert!(!luhn_valid(&[10]));
    }

    #[test]
    fn chat_03_masks_all_but_last_four() {
        let r = redact_pans("my card is 4111 1111 1111 1111");
        assert_eq!(r.text, "my card is **** **** **** 1111");
        assert_eq!(r.count, 1);

        let r = redact_pans("order 12345 card 4111111111111111, and 5500-0000-0000-0004.");
        assert_eq!(
            r.text,
            "order 12345 card ************1111, and ****-****-****-0004."
        );
        assert_eq!(r.count, 2);

        // a short number joined to a PAN by a space is not swallowed
        let r = redact_pans("ref 42 4111 1111 1111 1111 ok");
        assert_eq!(r.text, "ref 42 **** **** **** 1111 ok");

        let r = redact_pans("call 415-555-0100 or order 4111111111111112 é");
        assert_eq!(r.count, 0);
        assert_eq!(r.text, "call 415-555-0100 or order 4111111111111112 é");
        assert!(!format!("{r:?}").contains("415"));
    }
}
