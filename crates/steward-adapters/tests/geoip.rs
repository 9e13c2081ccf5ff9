//! The MaxMind adapter against a real MaxMind DB file written by the test (IPPS-03): regions
//! from the truncated address, unknown networks and IPv6 prefixes in an IPv4 database are
//! unknown, not errors; a file that is not a database is refused.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

#[path = "support/mmdb.rs"]
mod mmdb;

use steward_adapters::GeoDb;
use steward_core::ingest::GeoLookup;
use steward_vault::{IpPrefix, parse_ip, truncate_prefix};

fn geo_db() -> Vec<u8> {
    mmdb::build(&[
        mmdb::Net {
            addr: [203, 0, 113, 0],
            len: 24,
            country: "US",
            subdivision: Some("CA"),
        },
        mmdb::Net {
            addr: [198, 51, 100, 0],
            len: 24,
            country: "DE",
            subdivision: None,
        },
    ])
}

fn prefix(ip: &str) -> IpPrefix {
    truncate_prefix(parse_ip(ip).unwrap())
}

#[test]
fn ipps_03_regions_come_from_the_truncated_address_in_a_maxmind_database() {
    let db = GeoDb::from_bytes(geo_db()).unwrap();
    assert_eq!(db.region(prefix("203.0.113.7")).unwrap().as_str(), "US-CA");
    assert_eq!(
        db.region(prefix("203.0.113.250")).unwrap().as_str(),
        "US-CA"
    );
    assert_eq!(db.region(prefix("198.51.100.9")).unwrap().as_str(), "DE");
    assert_eq!(db.region(prefix("192.0.2.1")), None, "unknown network");
    assert_eq!(
        db.region(prefix("2001:db8::1")),
        None,
        "IPv6 in an IPv4 database is unknown, not an error"
    );
    assert!(GeoDb::from_bytes(b"not a database".to_vec()).is_err());
}

#[test]
fn a_database_file_opens_and_a_missing_one_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("regions.mmdb");
    std::fs::write(&path, geo_db()).unwrap();
    let db = GeoDb::open(&path).unwrap();
    assert_eq!(db.region(prefix("198.51.100.1")).unwrap().as_str(), "DE");
    let e = GeoDb::open(&dir.path().join("missing.mmdb")).unwrap_err();
    assert!(e.to_string().contains("missing.mmdb"), "{e}");
}
