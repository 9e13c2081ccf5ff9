//! The California section `usca` (section id 8, version 1) with its optional GPC sub-section
//! (GPP-04, GPP-05, GPP-08).
//!
//! Core fields, in order: `Version` Int(6)=1, `SaleOptOutNotice`, `SharingOptOutNotice`,
//! `SensitiveDataLimitUseNotice`, `SaleOptOut`, `SharingOptOut` (Int(2) each),
//! `SensitiveDataProcessing` N-Bitfield(2,9), `KnownChildSensitiveDataConsents`
//! N-Bitfield(2,2), `PersonalDataConsents`, `MspaCoveredTransaction`, `MspaOptOutOptionMode`,
//! `MspaServiceProviderMode` (Int(2) each): 46 bits, 8 characters. Codes follow the latest
//! spec and iabgpp-rs (`1` = opted out / no consent).

use serde::{Deserialize, Serialize};

use super::bits::{BitReader, BitWriter};
use super::fields::{
    read_mspa_covered, read_optional_segments, write_gpc_segment, write_mspa_covered,
};
use super::{Consent, GppError, MspaMode, Notice, OptOut, SectionId};

/// A decoded `usca` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct UsCa {
    /// Notice of the opportunity to opt out of sale.
    pub sale_opt_out_notice: Notice,
    /// Notice of the opportunity to opt out of sharing.
    pub sharing_opt_out_notice: Notice,
    /// Notice of the opportunity to limit use of sensitive personal information.
    pub sensitive_data_limit_use_notice: Notice,
    /// Opt-out of sale.
    pub sale_opt_out: OptOut,
    /// Opt-out of sharing (cross-context behavioral advertising).
    pub sharing_opt_out: OptOut,
    /// Limit-use opt-outs, in spec order: (1) identification documents, (2) financial /
    /// account log-in, (3) precise geolocation, (4) origin, beliefs or union membership,
    /// (5) mail, email and text contents, (6) genetic data, (7) biometric identification,
    /// (8) health, (9) sex life or sexual orientation.
    pub sensitive_data_processing: [OptOut; 9],
    /// For a consumer known to be under 16: `[0]` consent to sell, `[1]` consent to share.
    pub known_child_sensitive_data_consents: [Consent; 2],
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

impl UsCa {
    /// Section id (GPP-03).
    pub const ID: SectionId = SectionId::USCA;
    /// The section version this crate reads and writes.
    pub const VERSION: u8 = 1;

    /// Decodes a `usca` section string such as `BUUAAACA.YA` (without the header).
    /// Never panics; see [`GppError`] for the failures.
    pub fn decode(s: &str) -> Result<Self, GppError> {
        let section = Self::ID;
        let mut segments = s.split('.');
        let core = segments.next().unwrap_or_default();
        let mut r = BitReader::new(core)?;
        let version = r.read(6)?;
        if version != u32::from(Self::VERSION) {
            return Err(GppError::UnknownSegmentVersion {
                section,
                version: version as u8,
            });
        }
        let sale_opt_out_notice = Notice::read(&mut r, section, "SaleOptOutNotice")?;
        let sharing_opt_out_notice = Notice::read(&mut r, section, "SharingOptOutNotice")?;
        let sensitive_data_limit_use_notice =
            Notice::read(&mut r, section, "SensitiveDataLimitUseNotice")?;
        let sale_opt_out = OptOut::read(&mut r, section, "SaleOptOut")?;
        let sharing_opt_out = OptOut::read(&mut r, section, "SharingOptOut")?;
        let mut sensitive_data_processing = [OptOut::NotApplicable; 9];
        for v in &mut sensitive_data_processing {
            *v = OptOut::read(&mut r, section, "SensitiveDataProcessing")?;
        }
        let mut known_child_sensitive_data_consents = [Consent::NotApplicable; 2];
        for v in &mut known_child_sensitive_data_consents {
            *v = Consent::read(&mut r, section, "KnownChildSensitiveDataConsents")?;
        }
        let personal_data_consents = Consent::read(&mut r, section, "PersonalDataConsents")?;
        let mspa_covered_transaction = read_mspa_covered(&mut r, section)?;
        let mspa_opt_out_option_mode = MspaMode::read(&mut r, section, "MspaOptOutOptionMode")?;
        let mspa_service_provider_mode =
            MspaMode::read(&mut r, section, "MspaServiceProviderMode")?;
        let gpc = read_optional_segments(segments, section)?;
        Ok(Self {
            sale_opt_out_notice,
            sharing_opt_out_notice,
            sensitive_data_limit_use_notice,
            sale_opt_out,
            sharing_opt_out,
            sensitive_data_processing,
            known_child_sensitive_data_consents,
            personal_data_consents,
            mspa_covered_transaction,
            mspa_opt_out_option_mode,
            mspa_service_provider_mode,
            gpc,
        })
    }

    /// GPP-08 consistency: a notice that is not "provided" forces the matching opt-out to
    /// "not applicable"; `SensitiveDataLimitUseNotice` = 0 forces every
    /// `SensitiveDataProcessing` entry to 0.
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
        ];
        for (notice, opt_out, reason) in pairs {
            if notice != Notice::Provided && opt_out != OptOut::NotApplicable {
                return Err(GppError::InconsistentFields { section, reason });
            }
        }
        if self.sensitive_data_limit_use_notice == Notice::NotApplicable
            && self
                .sensitive_data_processing
                .iter()
                .any(|v| *v != OptOut::NotApplicable)
        {
            return Err(GppError::InconsistentFields {
                section,
                reason: "SensitiveDataProcessing must be all 0 when SensitiveDataLimitUseNotice is 0",
            });
        }
        Ok(())
    }

    /// Encodes the section (core, plus `.` and the GPC sub-section when `gpc` is `Some`),
    /// byte-for-byte as `@iabgpp/cmpapi` does. Fails if [`validate`](Self::validate) fails.
    pub fn encode(&self) -> Result<String, GppError> {
        let mut out = String::with_capacity(12);
        self.write(&mut out)?;
        Ok(out)
    }

    pub(crate) fn write(&self, out: &mut String) -> Result<(), GppError> {
        self.validate()?;
        let mut w = BitWriter::new(out);
        w.write(u32::from(Self::VERSION), 6);
        self.sale_opt_out_notice.write(&mut w);
        self.sharing_opt_out_notice.write(&mut w);
        self.sensitive_data_limit_use_notice.write(&mut w);
        self.sale_opt_out.write(&mut w);
        self.sharing_opt_out.write(&mut w);
        for v in self.sensitive_data_processing {
            v.write(&mut w);
        }
        for v in self.known_child_sensitive_data_consents {
            v.write(&mut w);
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

impl std::str::FromStr for UsCa {
    type Err = GppError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::decode(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpp_04_decode_opted_out_vector() {
        let ca = UsCa::decode("BVVVVVVY").unwrap();
        assert_eq!(ca.sale_opt_out, OptOut::OptedOut);
        assert_eq!(ca.sharing_opt_out, OptOut::OptedOut);
        assert_eq!(ca.sale_opt_out_notice, Notice::Provided);
        assert_eq!(ca.sharing_opt_out_notice, Notice::Provided);
        assert_eq!(ca.sensitive_data_limit_use_notice, Notice::Provided);
        assert_eq!(ca.sensitive_data_processing, [OptOut::OptedOut; 9]);
        assert_eq!(
            ca.known_child_sensitive_data_consents,
            [Consent::NoConsent; 2]
        );
        assert_eq!(ca.personal_data_consents, Consent::NoConsent);
        assert!(ca.mspa_covered_transaction);
        assert_eq!(ca.mspa_opt_out_option_mode, MspaMode::Yes);
        assert_eq!(ca.mspa_service_provider_mode, MspaMode::No);
        assert_eq!(ca.gpc, None);
    }

    #[test]
    fn gpp_05_decode_gpc_vector() {
        let ca = UsCa::decode("BVqqqqpY.YA").unwrap();
        assert_eq!(ca.gpc, Some(true));
        assert_eq!(ca.sale_opt_out, OptOut::DidNotOptOut);
        assert_eq!(ca.sharing_opt_out, OptOut::DidNotOptOut);
        assert_eq!(
            ca.known_child_sensitive_data_consents,
            [Consent::Consent; 2]
        );
        assert_eq!(ca.personal_data_consents, Consent::Consent);
        assert_eq!(UsCa::decode("BUUAAACA.QA").unwrap().gpc, Some(false));
        // 6-bit padded GPC sub-section (GPP-06).
        assert_eq!(UsCa::decode("BUUAAACA.Y").unwrap().gpc, Some(true));
    }

    #[test]
    fn gpp_05_encode_gpc_sub_section() {
        let ca = UsCa::decode("BUUAAACA").unwrap();
        assert_eq!(ca.encode().unwrap(), "BUUAAACA");
        let on = UsCa {
            gpc: Some(true),
            ..ca
        };
        assert_eq!(on.encode().unwrap(), "BUUAAACA.YA");
        let off = UsCa {
            gpc: Some(false),
            ..ca
        };
        assert_eq!(off.encode().unwrap(), "BUUAAACA.QA");
    }

    #[test]
    fn gpp_12_usca_errors() {
        assert_eq!(UsCa::decode(""), Err(GppError::UnexpectedEnd));
        assert_eq!(
            UsCa::decode("123"),
            Err(GppError::UnknownSegmentVersion {
                section: SectionId::USCA,
                version: 53
            })
        );
        assert_eq!(
            UsCa::decode("CVVVVVVVVWA.YA"),
            Err(GppError::UnknownSegmentVersion {
                section: SectionId::USCA,
                version: 2
            })
        );
        assert_eq!(
            UsCa::decode("BVVVVVVVVWA.AA"),
            Err(GppError::UnknownSegmentType {
                section: SectionId::USCA,
                segment_type: 0
            })
        );
        assert_eq!(
            UsCa::decode("BUUAAACA.YA.YA"),
            Err(GppError::DuplicateSegment {
                section: SectionId::USCA,
                segment_type: 1
            })
        );
        assert_eq!(UsCa::decode("BUUAAACA."), Err(GppError::UnexpectedEnd));
        assert_eq!(UsCa::decode("BUUAAA"), Err(GppError::UnexpectedEnd));
        assert_eq!(
            UsCa::decode("BUUA!ACA"),
            Err(GppError::InvalidBase64 { offset: 4 })
        );
        // MspaCoveredTransaction = 0 (`BUUAAAAA`) is invalid.
        assert_eq!(
            UsCa::decode("BUUAAAAA"),
            Err(GppError::InvalidFieldValue {
                section: SectionId::USCA,
                field: "MspaCoveredTransaction",
                value: 0
            })
        );
        // SaleOptOutNotice = 3.
        assert!(matches!(
            UsCa::decode("B_____AA"),
            Err(GppError::InvalidFieldValue {
                field: "SaleOptOutNotice",
                value: 3,
                ..
            })
        ));
    }

    #[test]
    fn gpp_08_encode_rejects_inconsistent_fields() {
        let ca = UsCa {
            sale_opt_out_notice: Notice::NotProvided,
            sale_opt_out: OptOut::OptedOut,
            mspa_covered_transaction: false,
            ..UsCa::default()
        };
        assert!(matches!(
            ca.encode(),
            Err(GppError::InconsistentFields {
                section: SectionId::USCA,
                ..
            })
        ));
        let sharing = UsCa {
            sharing_opt_out: OptOut::DidNotOptOut,
            ..UsCa::default()
        };
        assert!(matches!(
            sharing.encode(),
            Err(GppError::InconsistentFields { .. })
        ));
        let mut spi = UsCa::default();
        spi.sensitive_data_processing[4] = OptOut::OptedOut;
        assert!(matches!(
            spi.encode(),
            Err(GppError::InconsistentFields { .. })
        ));
        spi.sensitive_data_limit_use_notice = Notice::Provided;
        assert!(spi.encode().is_ok());
    }
}
