//! The GPP header segment (GPP-02): `Type` Int(6) = 3, `Version` Int(6) = 1, and the section
//! ids as a Fibonacci-coded integer range.
//!
//! Range encoding matches the reference library (`FibonacciIntegerRangeEncoder`): ids are
//! strictly ascending; a 12-bit group count; each group is `0` + Fibonacci(delta) for a
//! single id, or `1` + Fibonacci(start delta) + Fibonacci(end − start) for a run of
//! consecutive ids, where deltas are taken from the previous group's last id.

use super::bits::{BitReader, BitWriter};
use super::{GppError, MAX_SECTIONS, SectionId};

const HEADER_TYPE: u32 = 3;
const HEADER_VERSION: u32 = 1;
/// Longest Fibonacci code accepted (ids fit in u16, whose codes are ≤ 24 bits + terminator).
const MAX_FIB_BITS: u32 = 26;

/// Encodes a header for these section ids (GPP-02), e.g. `[8]` → `DBABBg`.
///
/// The ids must be strictly ascending (the order sections appear in the string), and there
/// may be at most 64 of them.
pub fn encode_header(ids: &[SectionId]) -> Result<String, GppError> {
    let mut out = String::with_capacity(8);
    write_header(&mut out, ids)?;
    Ok(out)
}

pub(crate) fn write_header(out: &mut String, ids: &[SectionId]) -> Result<(), GppError> {
    if ids.len() > MAX_SECTIONS {
        return Err(GppError::TooManySections);
    }
    if ids.windows(2).any(|w| matches!(w, [a, b] if a >= b)) {
        return Err(GppError::SectionsNotAscending);
    }
    let groups = ids
        .iter()
        .enumerate()
        .filter(|&(i, id)| i == 0 || ids.get(i - 1).map(|p| p.get() + 1) != Some(id.get()))
        .count();
    let mut w = BitWriter::new(out);
    w.write(HEADER_TYPE, 6);
    w.write(HEADER_VERSION, 6);
    // groups ≤ MAX_SECTIONS < 4096.
    w.write(groups as u32, 12);
    let mut offset = 0u32;
    let mut i = 0;
    while let Some(start) = ids.get(i) {
        let mut j = i;
        while let (Some(a), Some(b)) = (ids.get(j), ids.get(j + 1)) {
            if a.get() + 1 != b.get() {
                break;
            }
            j += 1;
        }
        let start = u32::from(start.get());
        if j == i {
            w.write_bool(false);
            write_fibonacci(&mut w, start - offset);
            offset = start;
        } else {
            let end = ids.get(j).map_or(start, |e| u32::from(e.get()));
            w.write_bool(true);
            write_fibonacci(&mut w, start - offset);
            write_fibonacci(&mut w, end - start);
            offset = end;
        }
        i = j + 1;
    }
    w.finish();
    Ok(())
}

/// Decodes a header segment (GPP-02) into its section ids, e.g. `DBACNYA` → `[2, 6]`.
///
/// Accepts both byte-boundary and 6-bit padding (GPP-06). Errors: bad base64, truncated data,
/// `Type` ≠ 3, `Version` ≠ 1, malformed Fibonacci codes, more than 64 sections.
pub fn decode_header(s: &str) -> Result<Vec<SectionId>, GppError> {
    let mut ids = Vec::new();
    read_header(s, &mut ids)?;
    Ok(ids)
}

pub(crate) fn read_header(s: &str, ids: &mut Vec<SectionId>) -> Result<(), GppError> {
    let mut r = BitReader::new(s)?;
    let ty = r.read(6)?;
    if ty != HEADER_TYPE {
        return Err(GppError::InvalidHeaderType { found: ty as u8 });
    }
    let version = r.read(6)?;
    if version != HEADER_VERSION {
        return Err(GppError::UnknownHeaderVersion {
            found: version as u8,
        });
    }
    let groups = r.read(12)?;
    let mut offset = 0u32;
    for _ in 0..groups {
        let is_range = r.read_bool()?;
        let start = offset + read_fibonacci(&mut r)?;
        let end = if is_range {
            start + read_fibonacci(&mut r)?
        } else {
            start
        };
        for id in start..=end {
            if ids.len() >= MAX_SECTIONS {
                return Err(GppError::TooManySections);
            }
            let id = u16::try_from(id).map_err(|_| GppError::SectionIdOutOfRange)?;
            ids.push(SectionId::new(id)?);
        }
        offset = end;
    }
    Ok(())
}

/// Zeckendorf code, least significant first, terminated by an extra `1` (so it ends `11`).
/// `value` ≥ 1.
fn write_fibonacci(w: &mut BitWriter<'_>, value: u32) {
    let mut fibs = [0u32; 32];
    let mut n = 0;
    let (mut a, mut b) = (1u32, 2u32);
    while a <= value && n < fibs.len() {
        fibs[n] = a;
        n += 1;
        (a, b) = (b, a.saturating_add(b));
    }
    let mut rem = value;
    let mut code = 0u32;
    for i in (0..n).rev() {
        if fibs[i] <= rem {
            code |= 1 << i;
            rem -= fibs[i];
        }
    }
    for i in 0..n {
        w.write((code >> i) & 1, 1);
    }
    w.write(1, 1);
}

/// Reads bits up to and including the first `11`; returns the coded value (≥ 1).
fn read_fibonacci(r: &mut BitReader<'_>) -> Result<u32, GppError> {
    let (mut weight, mut next) = (1u32, 2u32);
    let mut value = 0u32;
    let mut prev = false;
    for _ in 0..MAX_FIB_BITS {
        let bit = r.read_bool()?;
        if bit && prev {
            return Ok(value);
        }
        if bit {
            value += weight;
            if value > u32::from(u16::MAX) {
                return Err(GppError::SectionIdOutOfRange);
            }
        }
        prev = bit;
        (weight, next) = (next, weight + next);
    }
    Err(GppError::InvalidFibonacci)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u16]) -> Vec<SectionId> {
        v.iter().map(|&i| SectionId::new(i).unwrap()).collect()
    }
    fn raw(v: &[SectionId]) -> Vec<u16> {
        v.iter().map(|i| i.get()).collect()
    }

    #[test]
    fn gpp_02_decode_spec_vectors() {
        assert_eq!(raw(&decode_header("DBABMA").unwrap()), [2]);
        assert_eq!(raw(&decode_header("DBACNYA").unwrap()), [2, 6]);
        assert_eq!(raw(&decode_header("DBABBg").unwrap()), [8]);
        assert_eq!(raw(&decode_header("DBABLA").unwrap()), [7]);
        assert_eq!(raw(&decode_header("DBABTA").unwrap()), [6]);
        assert_eq!(raw(&decode_header("DBAA").unwrap()), [] as [u16; 0]);
    }

    #[test]
    fn gpp_02_encode_spec_vectors() {
        assert_eq!(encode_header(&[]).unwrap(), "DBAA");
        assert_eq!(encode_header(&ids(&[8])).unwrap(), "DBABBg");
        assert_eq!(encode_header(&ids(&[7])).unwrap(), "DBABLA");
        assert_eq!(encode_header(&ids(&[2, 6])).unwrap(), "DBACNYA");
        assert_eq!(encode_header(&ids(&[6, 7])).unwrap(), "DBABzw");
        assert_eq!(encode_header(&ids(&[7, 8])).unwrap(), "DBABrw");
    }

    #[test]
    fn gpp_06_header_accepts_six_bit_padding() {
        assert_eq!(
            decode_header("DBABL").unwrap(),
            decode_header("DBABLA").unwrap()
        );
        assert_eq!(raw(&decode_header("DBABL").unwrap()), [7]);
    }

    #[test]
    fn gpp_02_encoder_rejects_unordered_or_duplicate_ids() {
        assert_eq!(
            encode_header(&ids(&[8, 7])),
            Err(GppError::SectionsNotAscending)
        );
        assert_eq!(
            encode_header(&ids(&[7, 7])),
            Err(GppError::SectionsNotAscending)
        );
        let many: Vec<u16> = (1..=65).collect();
        assert_eq!(encode_header(&ids(&many)), Err(GppError::TooManySections));
    }

    #[test]
    fn gpp_12_header_errors() {
        assert_eq!(decode_header(""), Err(GppError::UnexpectedEnd));
        assert_eq!(decode_header("DB"), Err(GppError::UnexpectedEnd));
        assert_eq!(
            decode_header("CBABBg"),
            Err(GppError::InvalidHeaderType { found: 2 })
        );
        assert_eq!(
            decode_header("DCABBg"),
            Err(GppError::UnknownHeaderVersion { found: 2 })
        );
        assert_eq!(
            decode_header("DB~A"),
            Err(GppError::InvalidBase64 { offset: 2 })
        );
        // A range from 1 to a large id expands past the section limit.
        let mut big_range = String::new();
        let mut w = BitWriter::new(&mut big_range);
        w.write(HEADER_TYPE, 6);
        w.write(HEADER_VERSION, 6);
        w.write(1, 12);
        w.write_bool(true);
        write_fibonacci(&mut w, 1);
        write_fibonacci(&mut w, 60_000);
        w.finish();
        assert_eq!(decode_header(&big_range), Err(GppError::TooManySections));
        // 4095 groups of nothing: truncated, not a hang.
        assert_eq!(decode_header("DB__"), Err(GppError::UnexpectedEnd));
        // A Fibonacci code that never terminates within the limit.
        assert_eq!(
            decode_header("DBABAAAAAAAAAA"),
            Err(GppError::InvalidFibonacci)
        );
    }

    #[test]
    fn gpp_02_fibonacci_round_trip_large_ids() {
        for v in [1u16, 2, 3, 4, 100, 1000, 4095, 40000, u16::MAX] {
            let h = encode_header(&ids(&[v])).unwrap();
            assert_eq!(raw(&decode_header(&h).unwrap()), [v], "{v}");
        }
    }
}
