//! IP address pseudonyms (IPPS-01, IPPS-02, IPPS-03, IPPS-07, GDPR-29) and coarse network prefixes.
//!
//! A pseudonym is `HMAC-SHA256(k_epoch, canonical(ip))` truncated to 128 bits, where
//! `k_epoch = HKDF(ip root key, "epoch:" | epoch)`. The root key is its own secret, kept apart
//! from the KEKs, the blind-index key and the analytics data (GDPR Art. 4(5)); a process that
//! only ingests events can be given this key alone. Tokens are stable within an epoch and
//! unrelated across epochs, so long-term tracking of an address needs the root key.
//!
//! Canonical form (IPPS-07): the binary address, so every textual spelling of an IPv6
//! address gives the same token; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is hashed as
//! its IPv4 address. The hashed message is `4 | 4 bytes` or `6 | 16 bytes`.
//!
//! Coarse geography (IPPS-03) is derived from the address *before* it is pseudonymized:
//! [`truncate_prefix`] keeps the /24 of an IPv4 address and the /48 of an IPv6 address.
//!
//! There is no fallback: without the root key there is no [`IpPseudonymizer`], and ingestion
//! must stop with the key ring's `Missing` error rather than store a raw address.
//!
//! 128 bits are plenty for a pseudonym: the input space is at most 2^128 addresses, and a
//! collision among even 2^40 distinct addresses has probability about 2^-49.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ring::hmac;

use crate::secret::{SecretKey, hkdf_expand32, hkdf_extract, to_hex};

/// Length of an IP pseudonym in bytes.
pub const IP_TOKEN_LEN: usize = 16;

/// A pseudonymization epoch: keys rotate when the epoch changes (IPPS-02).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct IpEpoch(u32);

impl IpEpoch {
    /// Epoch number `n`.
    pub const fn new(n: u32) -> Self {
        Self(n)
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The epoch containing the instant `unix_seconds` when epochs last `period_seconds`
    /// (counted from the Unix epoch). `None` before 1970, for a zero period, or past
    /// epoch `u32::MAX`.
    pub fn containing(unix_seconds: i64, period_seconds: u32) -> Option<Self> {
        if unix_seconds < 0 || period_seconds == 0 {
            return None;
        }
        let n = unix_seconds / i64::from(period_seconds);
        u32::try_from(n).ok().map(Self)
    }
}

impl fmt::Display for IpEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A text is not an IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an IP address")]
pub struct IpParseError;

/// Parses an address the way it arrives in headers and logs: surrounding whitespace, IPv6 in
/// brackets (`[2001:db8::1]`) and an IPv6 zone (`fe80::1%eth0`, dropped) are accepted.
pub fn parse_ip(text: &str) -> Result<IpAddr, IpParseError> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(t);
    let t = match t.split_once('%') {
        Some((addr, _zone)) if addr.contains(':') => addr,
        Some(_) => return Err(IpParseError),
        None => t,
    };
    t.parse::<IpAddr>().map_err(|_| IpParseError)
}

/// The canonical address: an IPv4-mapped IPv6 address becomes its IPv4 address (IPPS-07).
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
    }
}

/// A coarse network prefix: the /24 of an IPv4 address or the /48 of an IPv6 address.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IpPrefix {
    /// An IPv4 /24 (the first three octets).
    V4([u8; 3]),
    /// An IPv6 /48 (the first three 16-bit groups).
    V6([u16; 3]),
}

impl IpPrefix {
    /// The network address of the prefix.
    pub fn network(&self) -> IpAddr {
        match *self {
            IpPrefix::V4([a, b, c]) => IpAddr::V4(Ipv4Addr::new(a, b, c, 0)),
            IpPrefix::V6([a, b, c]) => IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0)),
        }
    }

    /// The prefix length (24 or 48).
    pub const fn prefix_len(&self) -> u8 {
        match self {
            IpPrefix::V4(_) => 24,
            IpPrefix::V6(_) => 48,
        }
    }
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix_len())
    }
}

impl fmt::Debug for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IpPrefix({self})")
    }
}

/// The coarse prefix of `ip` (IPPS-03): /24 for IPv4 (and IPv4-mapped IPv6), /48 for IPv6.
pub fn truncate_prefix(ip: IpAddr) -> IpPrefix {
    match canonical_ip(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpPrefix::V4([a, b, c])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpPrefix::V6([s[0], s[1], s[2]])
        }
    }
}

/// An IP pseudonym: 128 bits of keyed HMAC, with the epoch it belongs to.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpToken {
    epoch: IpEpoch,
    bytes: [u8; IP_TOKEN_LEN],
}

impl IpToken {
    /// Reassembles a stored token.
    pub const fn from_parts(epoch: IpEpoch, bytes: [u8; IP_TOKEN_LEN]) -> Self {
        Self { epoch, bytes }
    }

    /// Its epoch (tokens of different epochs are not comparable).
    pub const fn epoch(&self) -> IpEpoch {
        self.epoch
    }

    /// The token bytes.
    pub const fn as_bytes(&self) -> &[u8; IP_TOKEN_LEN] {
        &self.bytes
    }

    /// Lowercase hex of the bytes.
    pub fn to_hex(&self) -> String {
        to_hex(&self.bytes)
    }
}

impl fmt::Debug for IpToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IpToken(epoch {}, {}…)",
            self.epoch,
            to_hex(&self.bytes[..4])
        )
    }
}

/// Derives per-epoch pseudonymization keys from the IP root key.
#[derive(Clone)]
pub struct IpPseudonymizer {
    prk: hmac::Key,
}

impl IpPseudonymizer {
    /// From the IP pseudonymization root key.
    pub fn new(root: &SecretKey) -> Self {
        Self {
            prk: hkdf_extract(b"steward-vault/ip-pseudonym/v1", root.expose()),
        }
    }

    /// The key of `epoch`, prepared once (keep it for the epoch; it is cheap to clone).
    pub fn for_epoch(&self, epoch: IpEpoch) -> EpochKey {
        let k = hkdf_expand32(&self.prk, &[b"epoch:", &epoch.0.to_be_bytes()]);
        EpochKey {
            epoch,
            key: hmac::Key::new(hmac::HMAC_SHA256, k.expose()),
        }
    }
}

impl Drop for IpPseudonymizer {
    fn drop(&mut self) {
        crate::secret::wipe_hmac_key(&mut self.prk);
    }
}

impl fmt::Debug for IpPseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IpPseudonymizer([redacted])")
    }
}

/// The pseudonymization key of one epoch. Gives tokens; never exposes the key.
#[derive(Clone)]
pub struct EpochKey {
    epoch: IpEpoch,
    key: hmac::Key,
}

impl EpochKey {
    /// The epoch.
    pub const fn epoch(&self) -> IpEpoch {
        self.epoch
    }

    /// The pseudonym of `ip` (canonicalized first: IPv4-mapped IPv6 hashes as IPv4).
    pub fn token(&self, ip: IpAddr) -> IpToken {
        let mut msg = [0u8; 17];
        let used = match canonical_ip(ip) {
            IpAddr::V4(v4) => {
                msg[0] = 4;
                msg[1..5].copy_from_slice(&v4.octets());
                5
            }
            IpAddr::V6(v6) => {
                msg[0] = 6;
                msg[1..17].copy_from_slice(&v6.octets());
                17
            }
        };
        let tag = hmac::sign(&self.key, &msg[..used]);
        let mut bytes = [0u8; IP_TOKEN_LEN];
        bytes.copy_from_slice(&tag.as_ref()[..IP_TOKEN_LEN]);
        IpToken {
            epoch: self.epoch,
            bytes,
        }
    }

    /// Parses `text` (see [`parse_ip`]) and returns its pseudonym.
    pub fn token_str(&self, text: &str) -> Result<IpToken, IpParseError> {
        parse_ip(text).map(|ip| self.token(ip))
    }
}

impl Drop for EpochKey {
    fn drop(&mut self) {
        crate::secret::wipe_hmac_key(&mut self.key);
    }
}

impl fmt::Debug for EpochKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EpochKey(epoch {}, [redacted])", self.epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudonymizer(b: u8) -> IpPseudonymizer {
        IpPseudonymizer::new(&SecretKey::from_bytes([b; 32]))
    }

    #[test]
    fn ipps_02_keyed_deterministic_per_epoch_and_not_an_unkeyed_hash() {
        let p = pseudonymizer(1);
        let e7 = p.for_epoch(IpEpoch::new(7));
        let a = e7.token_str("203.0.113.7").unwrap();
        assert_eq!(
            a,
            p.for_epoch(IpEpoch::new(7))
                .token_str("203.0.113.7")
                .unwrap()
        );
        assert_eq!(a.epoch(), IpEpoch::new(7));
        let e8 = p
            .for_epoch(IpEpoch::new(8))
            .token_str("203.0.113.7")
            .unwrap();
        assert_ne!(a.as_bytes(), e8.as_bytes());
        for unkeyed in [
            ring::digest::digest(&ring::digest::SHA256, b"203.0.113.7"),
            ring::digest::digest(&ring::digest::SHA256, &[203, 0, 113, 7]),
            ring::digest::digest(&ring::digest::SHA256, &[4, 203, 0, 113, 7]),
        ] {
            assert_ne!(a.as_bytes().as_slice(), &unkeyed.as_ref()[..IP_TOKEN_LEN]);
        }
        // another root key, another token
        let other = pseudonymizer(2)
            .for_epoch(IpEpoch::new(7))
            .token_str("203.0.113.7")
            .unwrap();
        assert_ne!(a, other);
        assert_ne!(a, e7.token_str("203.0.113.8").unwrap());
    }

    #[test]
    fn ipps_07_ipv4_mapped_hashes_as_ipv4_and_ipv6_spellings_agree() {
        let k = pseudonymizer(1).for_epoch(IpEpoch::new(3));
        assert_eq!(
            k.token_str("::ffff:203.0.113.7").unwrap(),
            k.token_str("203.0.113.7").unwrap()
        );
        assert_eq!(
            k.token_str("::FFFF:cb00:7107").unwrap(),
            k.token_str("203.0.113.7").unwrap()
        );
        let canonical = k.token_str("2001:db8::1").unwrap();
        for spelling in [
            "2001:0DB8:0000:0000:0000:0000:0000:0001",
            "2001:db8:0::0:1",
            "[2001:db8::1]",
            " 2001:db8::1 ",
        ] {
            assert_eq!(k.token_str(spelling).unwrap(), canonical, "{spelling}");
        }
        // IPv4-compatible (deprecated) and NAT64 forms are different addresses
        assert_ne!(
            k.token_str("::203.0.113.7").unwrap(),
            k.token_str("203.0.113.7").unwrap()
        );
        assert_eq!(
            k.token_str("fe80::1%eth0").unwrap(),
            k.token_str("fe80::1").unwrap()
        );
    }

    #[test]
    fn parse_errors_are_typed() {
        for bad in [
            "",
            "203.0.113",
            "203.0.113.256",
            "example.com",
            "1.2.3.4%eth0",
            "[1.2.3.4",
        ] {
            assert_eq!(parse_ip(bad), Err(IpParseError), "{bad:?}");
        }
    }

    #[test]
    fn ipps_03_coarse_prefixes() {
        let p = truncate_prefix(parse_ip("203.0.113.7").unwrap());
        assert_eq!(p.to_string(), "203.0.113.0/24");
        assert_eq!(truncate_prefix(parse_ip("::ffff:203.0.113.7").unwrap()), p);
        let p6 = truncate_prefix(parse_ip("2001:db8:abcd:12::1").unwrap());
        assert_eq!(p6.to_string(), "2001:db8:abcd::/48");
        assert_eq!(p6.prefix_len(), 48);
    }

    #[test]
    fn epoch_from_time() {
        assert_eq!(IpEpoch::containing(0, 86_400), Some(IpEpoch::new(0)));
        assert_eq!(IpEpoch::containing(86_399, 86_400), Some(IpEpoch::new(0)));
        assert_eq!(
            IpEpoch::containing(86_400 * 30, 86_400),
            Some(IpEpoch::new(30))
        );
        assert_eq!(IpEpoch::containing(-1, 86_400), None);
        assert_eq!(IpEpoch::containing(5, 0), None);
        assert_eq!(IpEpoch::containing(i64::MAX, 1), None);
    }

    #[test]
    fn debug_is_redacted() {
        let p = pseudonymizer(1);
        assert_eq!(format!("{p:?}"), "IpPseudonymizer([redacted])");
        assert_eq!(
            format!("{:?}", p.for_epoch(IpEpoch::new(2))),
            "EpochKey(epoch 2, [redacted])"
        );
    }
}
