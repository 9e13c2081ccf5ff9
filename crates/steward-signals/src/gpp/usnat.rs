//! The US National section `usnat` (section id 7) with its optional GPC sub-section
//! (GPP-03, GPP-05, GPP-08).
//!
//! Version 2 (the latest, and what the encoder writes by default) has 16
//! `SensitiveDataProcessing` entries and 3 `KnownChildSensitiveDataConsents`; version 1 has
//! 12 and 2. Both decode into the same struct; for version 1 the extra entries are
//! "not applicable" and the encoder writes the version-1 layout, as the reference library
//! does. Core fields, in order: `Version` Int(6), `SharingNotice`, `SaleOptOutNotice`,
//! `SharingOptOutNotice`, `TargetedAdvertisingOptOutNotice`,
//! `SensitiveDataProcessingOptOutNotice`, `SensitiveDataLimitUseNotice`, `SaleOptOut`,
//! `SharingOptOut`, `TargetedAdvertisingOptOut`, `SensitiveDataProcessing`,
//! `KnownChildSensitiveDataConsents`, `PersonalDataConsents`, `MspaCoveredTransaction`,
//! `MspaOptOutOptionMode`, `MspaServiceProviderMode`.

use serde::{Deserialize, Serialize};

use super::bits::{BitReader, BitWriter};
use super::fields::{
    read_mspa_covered, read_optional_segments, write_gpc_segment, write_mspa_covered,
};
use super::{Consent, GppError, MspaMode, Notice, OptOut, SectionId};

/// Version of a `usnat` core segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum UsNatVersion {
    /// Version 1: 12 sensitive-data entries, 2 known-child entries.
    V1 = 1,
    /// Version 2 (latest): 16 sensitive-data entries, 3 known-child entries.
    #[default]
    V2 = 2,
}

impl UsNatVersion {
    fn sensitive_len(self) -> usize {
        match self {
            UsNatVersion::V1 => 12,
            UsNatVersion::V2 => 16,
        }
    }

    fn known_child_len(self) -> usize {
        match self {
            UsNatVersion::V1 => 2,
            UsNatVersion::V2 => 3,
        }
    }
}

/// A decoded `usnat` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct UsNat {
    /// Core segment version.
    pub version: UsNatVersion,
    /// Notice of sharing (disclosure to third parties).
    pub sharing_notice: Notice,
    /// Notice of the opportunity to opt out of sale.
    pub sale_opt_out_notice: Notice,
    /// Notice of the opportunity to opt out of sharing.
    pub sharing_opt_out_notice: Notice,
    /// Notice of the opportunity to opt out of targeted advertising.
    pub targeted_advertising_opt_out_notice: Notice,
    /// Notice of the opportunity to opt out of sensitive-data processing.
    pub sensitive_data_processing_opt_out_notice: Notice,
    /// Notice of the opportunity to limit use of sensitive data.
    pub sensitive_data_limit_use_notice: Notice,
    /// Opt-out of sale.
    pub sale_opt_out: OptOut,
    /// Opt-out of sharing.
    pub sharing_opt_out: OptOut,
    /// Opt-out of targeted advertising.
    pub targeted_advertising_opt_out: OptOut,
    /// Sensitive-data processing, in spec order: racial or ethnic origin, religious or
    /// philosophical beliefs, health, sex life or orientation, citizenship or immigration
    /// status, genetic, biometric, precise geolocation, identification documents, financial,
    /// union membership, mail/email/text contents; version 2 adds general health, crime
    /// victim status, national origin, transgender or non-binary status. Entries 12..16 are
    /// "not applicable" in version 1.
    pub sensitive_data_processing: [Consent; 16],
    /// Known-child consents: `[0]` ages 13 to 16, `[1]` under 13, `[2]` (version 2 only)
    /// personal data of ages 16 to 17.
    pub known_child_sensitive_data_consents: [Consent; 3],
    /// Consent to use personal data for purposes incompatible with collection.
    pub personal_data_consents: Consent,
    /// MSPA covered transaction (`1` yes / `2` no on the wire).
    pub mspa_covered_transaction: bool,
    /// MSPA opt-out option mode.
    pub mspa_opt_out_option_mode: MspaMode,
    /// MSPA service provider mode.
    pub mspa_service_provider_mode: MspaMode,
    /// The GPC sub-section: `None` when absent, else the `Gpc` bit.
    pub gpc: Option<bool>,
}

impl UsNat {
    /// Section id (GPP-03).
    pub const ID: SectionId = SectionId::USNAT;

    /// Decodes a `usnat` section string (version 1 or 2) such as `CVQVAAAAAACA.YA`.
    /// Never panics; see [`GppError`] for the failures.
    pub fn decode(s: &str) -> Result<Self, GppError> {
        let section = Self::ID;
        let mut segments = s.split('.');
        let core = segments.next().unwrap_or_default();
        let mut r = BitReader::new(core)?;
        let version = match r.read(6)? {
            1 => UsNatVersion::V1,
            2 => UsNatVersion::V2,
            v => {
                return Err(GppError::UnknownSegmentVersion {
                    section,
                    version: v as u8,
                });
            }
        };
        let sharing_notice = Notice::read(&mut r, section, "SharingNotice")?;
        let sale_opt_out_notice = Notice::read(&mut r, section, "SaleOptOutNotice")?;
        let sharing_opt_out_notice = Notice::read(&mut r, section, "SharingOptOutNotice")?;
        let targeted_advertising_opt_out_notice =
            Notice::read(&mut r, section, "TargetedAdvertisingOptOutNotice")?;
        let sensitive_data_processing_opt_out_notice =
            Notice::read(&mut r, section, "SensitiveDataProcessingOptOutNotice")?;
        let sensitive_data_limit_use_notice =
            Notice::read(&mut r, section, "SensitiveDataLimitUseNotice")?;
        let sale_opt_out = OptOut::read(&mut r, section, "SaleOptOut")?;
        let sharing_opt_out = OptOut::read(&mut r, section, "SharingOptOut")?;
        let targeted_advertising_opt_out =
            OptOut::read(&mut r, section, "TargetedAdvertisingOptOut")?;
        let mut sensitive_data_processing = [Consent::NotApplicable; 16];
        for v in sensitive_data_processing
            .iter_mut()
            .take(version.sensitive_len())
        {
            *v = Consent::read(&mut r, section, "SensitiveDataProcessing")?;
        }
        let mut known_child_sensitive_data_consents = [Consent::NotApplicable; 3];
        for v in known_child_sensitive_data_consents
            .iter_mut()
            .take(version.known_child_len())
        {
            *v = Consent::read(&mut r, section, "KnownChildSensitiveDataConsents")?;
        }
        let personal_data_consents = Consent::read(&mut r, section, "PersonalDataConsents")?;
        let mspa_covered_transaction = read_mspa_covered(&mut r, section)?;
        let mspa_opt_out_option_mode = MspaMode::read(&mut r, section, "MspaOptOutOptionMode")?;
        let mspa_service_provider_mode =
            MspaMode::read(&mut r, section, "MspaServiceProviderMode")?;
        let gpc = read_optional_segments(segments, section)?;
        Ok(Self {
            version,
            sharing_notice,
            sale_opt_out_notice,
            sharing_opt_out_notice,
            targeted_advertising_opt_out_notice,
            sensitive_data_processing_opt_out_notice,
            sensitive_data_limit_use_notice,
            sale_opt_out,
            sharing_opt_out,
            targeted_advertising_opt_out,
            sensitive_data_processing,
            known_child_sensitive_data_consents,
            personal_data_consents,
            mspa_covered_transaction,
            mspa_opt_out_option_mode,
            mspa_service_provider_mode,
            gpc,
        })
    }

    /// GPP-08 consistency: a sale, sharing or targeted-advertising notice that is not
    /// "provided" forces the matching opt-out to "not applicable". For version 1, the
    /// entries version 1 does not have must be "not applicable".
    pub fn validate(&self) -> Result<(), GppError> {
        let section = Self::ID;
        let pairs = [
            (
                self.sale_opt_out_notice,
                self.sale_opt_out,
                "SaleOptOut must be 0 unless SaleOptOutNotice is 1",
            ),
            (
                self.sharing_opt_out_notice,
                self.sharing_opt_out,
                "SharingOptOut must be 0 unless SharingOptOutNotice is 1",
            ),
            (
                self.targeted_advertising_opt_out_notice,
                self.targeted_advertising_opt_out,
                "TargetedAdvertisingOptOut must be 0 unless TargetedAdvertisingOptOutNotice is 1",
            ),
        ];
        for (notice, opt_out, reason) in pairs {
            if notice != Notice::Provided && opt_out != OptOut::NotApplicable {
                return Err(GppError::InconsistentFields { section, reason });
            }
        }
        let v = self.version;
        let extra_sensitive = self
            .sensitive_data_processing
            .get(v.sensitive_len()..)
            .unwrap_or_default();
        let extra_child = self
            .known_child_sensitive_data_consents
            .get(v.known_child_len()..)
            .unwrap_or_default();
        if extra_sensitive
            .iter()
            .chain(extra_child)
            .any(|c| *c != Consent::NotApplicable)
        {
            return Err(GppError::InconsistentFields {
                section,
                reason: "version 1 has 12 SensitiveDataProcessing and 2 KnownChildSensitiveDataConsents entries",
            });
        }
        Ok(())
    }

    /// Encodes the section (core, plus `.` and the GPC sub-section when `gpc` is `Some`),
    /// byte-for-byte as `@iabgpp/cmpapi` does. Fails if [`validate`](Self::validate) fails.
    pub fn encode(&self) -> Result<String, GppError> {
        let mut out = String::with_capacity(16);
        self.write(&mut out)?;
        Ok(out)
    }

    pub(crate) fn write(&self, out: &mut String) -> Result<(), GppError> {
        self.validate()?;
        let mut w = BitWriter::new(out);
        w.write(self.version as u32, 6);
        for n in [
            self.sharing_notice,
            self.sale_opt_out_notice,
            self.sharing_opt_out_notice,
            self.targeted_advertising_opt_out_notice,
            self.sensitive_data_processing_opt_out_notice,
            self.sensitive_data_limit_use_notice,
        ] {
            n.write(&mut w);
        }
        for o in [
            self.sale_opt_out,
            self.sharing_opt_out,
            self.targeted_advertising_opt_out,
        ] {
            o.write(&mut w);
        }
        let sensitive = self
            .sensitive_data_processing
            .iter()
            .take(self.version.sensitive_len());
        let child = self
            .known_child_sensitive_data_consents
            .iter()
            .take(self.version.known_child_len());
        for c in sensitive.chain(child) {
            c.write(&mut w);
        }
        self.personal_data_consents.write(&mut w);
        write_mspa_covered(&mut w, self.mspa_covered_transaction);
        self.mspa_opt_out_option_mode.write(&mut w);
        self.mspa_service_provider_mode.write(&mut w);
        w.finish();
        if let Some(gpc) = self.gpc {
            write_gpc_segment(out, gpc);
        }
        Ok(())
    }
}

impl std::str::FromStr for UsNat {
    type Err = GppError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::decode(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpp_05_decode_v1_with_gpc() {
        let n = UsNat::decode("BVVVVVVVVWA.YA").unwrap();
        assert_eq!(n.version, UsNatVersion::V1);
        assert_eq!(n.gpc, Some(true));
        assert_eq!(n.sale_opt_out, OptOut::OptedOut);
        assert_eq!(n.sharing_opt_out, OptOut::OptedOut);
        assert_eq!(n.targeted_advertising_opt_out, OptOut::OptedOut);
        assert_eq!(n.sharing_notice, Notice::Provided);
        assert_eq!(
            &n.sensitive_data_processing[..12],
            &[Consent::NoConsent; 12]
        );
        assert_eq!(
            &n.sensitive_data_processing[12..],
            &[Consent::NotApplicable; 4]
        );
        assert_eq!(
            n.known_child_sensitive_data_consents,
            [
                Consent::NoConsent,
                Consent::NoConsent,
                Consent::NotApplicable
            ]
        );
        assert_eq!(n.personal_data_consents, Consent::NoConsent);
        assert!(n.mspa_covered_transaction);
        assert_eq!(n.mspa_opt_out_option_mode, MspaMode::Yes);
        assert_eq!(n.mspa_service_provider_mode, MspaMode::No);
        // Version 1 re-encodes to the same bytes.
        assert_eq!(n.encode().unwrap(), "BVVVVVVVVWA.YA");
    }

    #[test]
    fn gpp_05_decode_v2_six_bit_padded_gpc() {
        let n = UsNat::decode("CAAAAAAAAAWA.Q").unwrap();
        assert_eq!(n.version, UsNatVersion::V2);
        assert_eq!(n.gpc, Some(false));
        assert_eq!(
            n.known_child_sensitive_data_consents,
            [
                Consent::NotApplicable,
                Consent::NotApplicable,
                Consent::NoConsent
            ]
        );
        assert_eq!(n.personal_data_consents, Consent::NoConsent);
        assert!(!n.mspa_covered_transaction);
        // The encoder pads the GPC sub-section to a byte boundary (GPP-06).
        assert_eq!(n.encode().unwrap(), "CAAAAAAAAAWA.QA");
    }

    #[test]
    fn gpp_12_usnat_errors() {
        assert_eq!(UsNat::decode(""), Err(GppError::UnexpectedEnd));
        assert!(matches!(
            UsNat::decode("123"),
            Err(GppError::UnknownSegmentVersion { version: 53, .. })
        ));
        assert!(matches!(
            UsNat::decode("gqgkgAAAAEA"),
            Err(GppError::UnknownSegmentVersion { version: 32, .. })
        ));
        assert!(matches!(
            UsNat::decode("BVVVVVVVVWA.AA"),
            Err(GppError::UnknownSegmentType {
                segment_type: 0,
                ..
            })
        ));
        // A version-2 core cut to the version-1 length is truncated.
        assert_eq!(UsNat::decode("CVVVVVVVVVV"), Err(GppError::UnexpectedEnd));
    }

    #[test]
    fn gpp_08_usnat_consistency() {
        let n = UsNat {
            targeted_advertising_opt_out: OptOut::OptedOut,
            ..UsNat::default()
        };
        assert!(matches!(
            n.encode(),
            Err(GppError::InconsistentFields { .. })
        ));
        let mut v1 = UsNat {
            version: UsNatVersion::V1,
            ..UsNat::default()
        };
        assert!(v1.encode().is_ok());
        v1.known_child_sensitive_data_consents[2] = Consent::Consent;
        assert!(matches!(
            v1.encode(),
            Err(GppError::InconsistentFields { .. })
        ));
    }
}
