//! Regions from a MaxMind-format database ([`steward_core::ingest::GeoLookup`], IPPS-03):
//! GeoIP2 / GeoLite2 City or Country, or any database with `country.iso_code` and
//! `subdivisions[].iso_code`. The core looks up truncated prefixes only (the /24 of an IPv4
//! address, the /48 of an IPv6 one), never a full address.

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;
use steward_core::ingest::GeoLookup;
use steward_vault::IpPrefix;

/// A MaxMind-format database, loaded into memory.
pub struct GeoDb {
    reader: maxminddb::Reader<Vec<u8>>,
}

impl std::fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoDb")
            .field("database_type", &self.reader.metadata().database_type)
            .finish_non_exhaustive()
    }
}

/// The database could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the MaxMind database `{path}`: {reason}")]
pub struct GeoDbError {
    /// The file.
    pub path: String,
    /// Why.
    pub reason: String,
}

#[derive(Deserialize)]
struct Iso<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
}

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    country: Option<Iso<'a>>,
    #[serde(borrow, default)]
    subdivisions: Option<Vec<Iso<'a>>>,
}

impl GeoDb {
    /// Opens a `.mmdb` file.
    ///
    /// # Errors
    /// When the file cannot be read or is not a MaxMind database.
    pub fn open(path: &Path) -> Result<GeoDb, GeoDbError> {
        let reader = maxminddb::Reader::open_readfile(path).map_err(|e| GeoDbError {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(GeoDb { reader })
    }

    /// From the bytes of a database.
    ///
    /// # Errors
    /// When the bytes are not a MaxMind database.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<GeoDb, GeoDbError> {
        let reader = maxminddb::Reader::from_source(bytes).map_err(|e| GeoDbError {
            path: "<memory>".into(),
            reason: e.to_string(),
        })?;
        Ok(GeoDb { reader })
    }
}

impl GeoLookup for GeoDb {
    /// The region of a network prefix: `US-CA` (country and first subdivision), `DE`
    /// (country only), or `None` when the database does not know it. Lookup failures (an
    /// IPv6 prefix in an IPv4-only database, a corrupt record) are "unknown", never errors.
    fn region(&self, prefix: IpPrefix) -> Option<steward_store::Jurisdiction> {
        let network: IpAddr = prefix.network();
        let found = self.reader.lookup(network).ok()?;
        let rec: Record<'_> = found.decode().ok()??;
        let country = rec.country.and_then(|c| c.iso_code)?;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let sub = rec
            .subdivisions
            .as_ref()
            .and_then(|s| s.first())
            .and_then(|s| s.iso_code)
            .filter(|s| {
                (1..=3).contains(&s.len())
                    && s.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            });
        let code = match sub {
            Some(s) => format!("{country}-{s}"),
            None => country.to_string(),
        };
        steward_store::Jurisdiction::new(code).ok()
    }
}
