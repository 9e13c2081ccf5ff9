//! Bit packing for GPP segments: a writer that emits base64url characters directly and a
//! reader over base64url text (GPP-01, GPP-06).
//!
//! Padding follows the IAB reference library (`CompressedBase64UrlEncoder`): the bit string
//! is padded with zeros to a byte boundary, then to a whole number of 6-bit characters, and
//! no `=` is written. The reader accepts any length, so strings padded only to 6 bits decode
//! too; bits after the last field are ignored, as the reference decoders do.

use super::GppError;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INVALID: u8 = 0xFF;

const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Whether `b` is in the base64url alphabet.
pub(crate) fn is_base64url(b: u8) -> bool {
    DECODE[usize::from(b)] != INVALID
}

/// Returns `Err` at the first byte that is not base64url.
pub(crate) fn check_base64url(s: &[u8]) -> Result<(), GppError> {
    match s.iter().position(|&b| DECODE[usize::from(b)] == INVALID) {
        Some(offset) => Err(GppError::InvalidBase64 { offset }),
        None => Ok(()),
    }
}

/// Writes bits most-significant first, emitting one base64url character per 6 bits.
pub(crate) struct BitWriter<'a> {
    out: &'a mut String,
    acc: u32,
    acc_bits: u32,
    total_bits: usize,
}

impl<'a> BitWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        Self {
            out,
            acc: 0,
            acc_bits: 0,
            total_bits: 0,
        }
    }

    /// Writes the low `bits` bits of `value` (`bits` ≤ 24).
    pub(crate) fn write(&mut self, value: u32, bits: u32) {
        debug_assert!(bits <= 24);
        let bits = bits.min(24);
        let mask = (1u32 << bits) - 1;
        // INVARIANT: acc_bits < 6 between calls, so the accumulator holds < 30 bits.
        self.acc = (self.acc << bits) | (value & mask);
        self.acc_bits += bits;
        self.total_bits += bits as usize;
        while self.acc_bits >= 6 {
            self.acc_bits -= 6;
            let idx = (self.acc >> self.acc_bits) & 0x3F;
            self.out.push(char::from(ALPHABET[idx as usize]));
            self.acc &= (1u32 << self.acc_bits) - 1;
        }
    }

    pub(crate) fn write_bool(&mut self, b: bool) {
        self.write(u32::from(b), 1);
    }

    /// Pads to a byte boundary, then to a whole base64url character (GPP-06).
    pub(crate) fn finish(mut self) {
        let byte_aligned = self.total_bits.div_ceil(8) * 8;
        let char_aligned = byte_aligned.div_ceil(6) * 6;
        let pad = char_aligned - self.total_bits;
        // pad ≤ 7 + 4, well under the 24-bit write limit.
        self.write(0, pad as u32);
    }
}

/// Reads bits most-significant first from base64url text validated up front.
pub(crate) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    /// Fails with [`GppError::InvalidBase64`] if any character is outside the alphabet.
    pub(crate) fn new(s: &'a str) -> Result<Self, GppError> {
        check_base64url(s.as_bytes())?;
        Ok(Self {
            data: s.as_bytes(),
            pos: 0,
        })
    }

    /// Reads `bits` bits (≤ 24) as an unsigned integer.
    pub(crate) fn read(&mut self, bits: u32) -> Result<u32, GppError> {
        debug_assert!(bits <= 24);
        if self.pos + bits as usize > self.data.len() * 6 {
            return Err(GppError::UnexpectedEnd);
        }
        let mut v = 0u32;
        for _ in 0..bits.min(24) {
            v = (v << 1) | self.read_raw_bit()?;
        }
        Ok(v)
    }

    /// Reads one bit.
    pub(crate) fn read_bool(&mut self) -> Result<bool, GppError> {
        Ok(self.read_raw_bit()? == 1)
    }

    /// Reads a 2-bit field.
    pub(crate) fn read2(&mut self) -> Result<u8, GppError> {
        // Two bits always fit in a u8.
        Ok((self.read(2)? & 0b11) as u8)
    }

    fn read_raw_bit(&mut self) -> Result<u32, GppError> {
        let c = *self.data.get(self.pos / 6).ok_or(GppError::UnexpectedEnd)?;
        let sextet = u32::from(DECODE[usize::from(c)]);
        let bit = (sextet >> (5 - (self.pos % 6))) & 1;
        self.pos += 1;
        Ok(bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_to_b64(fields: &[(u32, u32)]) -> String {
        let mut s = String::new();
        let mut w = BitWriter::new(&mut s);
        for &(v, n) in fields {
            w.write(v, n);
        }
        w.finish();
        s
    }

    #[test]
    fn gpp_06_pads_to_byte_then_char() {
        // 30 bits → 32 → 36 bits = 6 chars (the usnat header `DBABLA`).
        assert_eq!(
            bits_to_b64(&[(3, 6), (1, 6), (1, 12), (0b001011, 6)]).len(),
            6
        );
        // 3 bits (GPC sub-section) → 8 → 12 bits = 2 chars.
        assert_eq!(bits_to_b64(&[(0b011, 3)]), "YA");
        assert_eq!(bits_to_b64(&[(0b010, 3)]), "QA");
        // 48 bits are byte- and char-aligned: no padding.
        assert_eq!(bits_to_b64(&[(0, 24), (0, 24)]).len(), 8);
        assert_eq!(bits_to_b64(&[]), "");
    }

    #[test]
    fn gpp_01_reader_round_trips_and_rejects_bad_chars() {
        let s = bits_to_b64(&[(5, 3), (0x1234, 16), (1, 1)]);
        let mut r = BitReader::new(&s).unwrap();
        assert_eq!(r.read(3).unwrap(), 5);
        assert_eq!(r.read(16).unwrap(), 0x1234);
        assert!(r.read_bool().unwrap());
        assert_eq!(
            BitReader::new("AB=").err(),
            Some(GppError::InvalidBase64 { offset: 2 })
        );
        assert_eq!(
            BitReader::new("A+").err(),
            Some(GppError::InvalidBase64 { offset: 1 })
        );
        let mut r = BitReader::new("A").unwrap();
        assert_eq!(r.read(7), Err(GppError::UnexpectedEnd));
    }
}
