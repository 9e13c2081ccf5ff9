//! Coarse location from a truncated address (IPPS-03): the /24 of an IPv4 address or the /48
//! of an IPv6 address is looked up behind [`GeoLookup`], giving a region such as `US-CA` or
//! `DE`. The full address is never looked up, so the result is the same for every host of
//! the network. The binary wires in a MaxMind-format database (`steward-adapters`,
//! `geoip`); without one every region is unknown (`None`), and aggregates put those events
//! in one "unknown" group (still subject to the minimum group size).

use steward_store::Jurisdiction;
use steward_vault::IpPrefix;

/// Regions of network prefixes.
pub trait GeoLookup: Send + Sync + std::fmt::Debug {
    /// The region of a network prefix: `US-CA` (country and first subdivision), `DE`
    /// (country only), or `None` when unknown. Never an error: a lookup that fails is
    /// "unknown".
    fn region(&self, prefix: IpPrefix) -> Option<Jurisdiction>;
}
