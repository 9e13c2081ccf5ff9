//! The client's address behind reverse proxies (`[server] trusted_proxies`,
//! `STEWARD_TRUSTED_PROXIES`).
//!
//! The public routes are rate limited per client address. Behind a load balancer or a
//! reverse proxy every connection comes from the proxy, so all clients would share one
//! bucket; the proxy names the real client in `X-Forwarded-For`. That header is written by
//! whoever sends the request, so it is believed only as far as the chain of proxies is
//! trusted:
//!
//! - when the TCP peer is not a trusted proxy, the header is ignored and the peer is the
//!   client (a client cannot choose its own address by sending the header);
//! - when it is, the addresses of `X-Forwarded-For` are read right to left (each proxy
//!   appends the address it saw), trusted proxies are skipped, and the first untrusted
//!   address is the client. An entry that is not an address stops the walk: the nearest
//!   address known so far is used, never something written further left.
//!
//! With no trusted proxies configured (the default) the header is always ignored.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderValue;

/// An address range: `10.0.0.0/8`, `fd00::/8`, or one address (`192.0.2.7`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

/// A range that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an address or a CIDR range such as 10.0.0.0/8 or fd00::/8")]
pub struct CidrError(pub String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let bad = || CidrError(s.chars().take(64).collect());
        let t = s.trim();
        let (addr, prefix) = match t.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (t, None),
        };
        let net = addr.parse::<IpAddr>().map_err(|_| bad())?.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|n| *n <= max).ok_or_else(bad)?
            }
            Some(_) => return Err(bad()),
        };
        Ok(Cidr {
            net: mask(net, prefix),
            prefix,
        })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((bits & m).into())
        }
    }
}

impl Cidr {
    /// Whether `ip` is in the range (an IPv4-mapped IPv6 address counts as its IPv4 address).
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.net.is_ipv4() && mask(ip, self.prefix) == self.net
    }
}

/// The proxies whose `X-Forwarded-For` is believed (empty: none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Parse a list of ranges.
    ///
    /// # Errors
    /// The first entry that is not an address or a range.
    pub fn parse<S: AsRef<str>>(list: &[S]) -> Result<TrustedProxies, CidrError> {
        list.iter()
            .map(|s| s.as_ref().parse::<Cidr>())
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// The configured ranges.
    #[must_use]
    pub fn ranges(&self) -> &[Cidr] {
        &self.0
    }

    /// Whether `ip` is a trusted proxy.
    #[must_use]
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address: `peer` unless `peer` is a trusted proxy, then the right-most
    /// address of the `X-Forwarded-For` headers (in the order received) that is not a
    /// trusted proxy.
    #[must_use]
    pub fn client_addr<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl DoubleEndedIterator<Item = &'a HeaderValue>,
    ) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.is_trusted(client) {
            return client;
        }
        for value in forwarded_for.rev() {
            // A header that is not visible ASCII cannot be read: stop at what is known.
            let Ok(text) = value.to_str() else {
                return client;
            };
            for entry in text.rsplit(',') {
                let Some(ip) = parse_entry(entry) else {
                    return client;
                };
                client = ip;
                if !self.is_trusted(ip) {
                    return ip;
                }
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, optionally `[v6]`, `[v6]:port` or `v4:port`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    if let Ok(ip) = e.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(rest) = e.strip_prefix('[') {
        let (inner, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        return inner.parse::<IpAddr>().ok().map(|i| i.to_canonical());
    }
    let (host, port) = e.rsplit_once(':')?;
    if !is_port(port) {
        return None;
    }
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    #[test]
    fn ranges_parse_and_contain() {
        let c: Cidr = "10.1.2.3/8".parse().unwrap();
        assert_eq!(c.to_string(), "10.0.0.0/8");
        assert!(c.contains(ip("10.255.0.1")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(
            c.contains(ip("::ffff:10.0.0.9")),
            "IPv4-mapped counts as IPv4"
        );
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.5")) && !all.contains(ip("::1")));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "::/129",
            "ten",
            "10.0.0/8",
            "10.0.0.0/8/8",
            "10.0.0.0 /8x",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        // The spoofing case: a client sends its own X-Forwarded-For.
        let t = proxies(&["10.0.0.0/8"]);
        let h = [hv("198.51.100.1")];
        assert_eq!(
            t.client_addr(ip("203.0.113.9"), h.iter()),
            ip("203.0.113.9")
        );
        // Nothing trusted at all (the default): the header is never read.
        let none = TrustedProxies::default();
        assert_eq!(none.client_addr(ip("10.0.0.1"), h.iter()), ip("10.0.0.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client() {
        let t = proxies(&["10.0.0.0/8", "fd00::/8"]);
        // One proxy.
        let h = [hv("203.0.113.9")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("203.0.113.9"));
        // The client prepended a forged address; the proxy appended the real one.
        let h = [hv("198.51.100.1, 203.0.113.9")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("203.0.113.9"));
        // Two proxies (the inner one is trusted and skipped), several headers in order.
        let h = [hv("198.51.100.1"), hv("203.0.113.9 , 10.1.1.1")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("203.0.113.9"));
        // Ports and brackets as some proxies write them; IPv6 clients.
        let h = [hv("[2001:db8::7]:4711, 10.1.1.1:80")];
        assert_eq!(t.client_addr(ip("fd00::1"), h.iter()), ip("2001:db8::7"));
        let h = [hv("203.0.113.9:5000")];
        assert_eq!(
            t.client_addr(ip("::ffff:10.0.0.2"), h.iter()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_missing_or_broken_header_never_yields_an_address_from_further_left() {
        let t = proxies(&["10.0.0.0/8"]);
        // No header: the proxy itself.
        assert_eq!(t.client_addr(ip("10.0.0.2"), [].iter()), ip("10.0.0.2"));
        // Garbage right of the forged address stops the walk at the nearest known hop.
        let h = [hv("198.51.100.1, not-an-ip, 10.1.1.1")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("10.1.1.1"));
        let h = [hv("")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("10.0.0.2"));
        let h = [hv("198.51.100.1:99999999")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("10.0.0.2"));
        let h = [HeaderValue::from_bytes(b"203.0.113.9\xff").unwrap()];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("10.0.0.2"));
        // Every hop trusted: the left-most one.
        let h = [hv("10.9.9.9, 10.1.1.1")];
        assert_eq!(t.client_addr(ip("10.0.0.2"), h.iter()), ip("10.9.9.9"));
    }
}
