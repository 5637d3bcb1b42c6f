//! Reference data shipped with the app as data files (`data/*.csv`): planning regions,
//! Latvia's 43 local governments after the 2021 administrative reform (7 state cities
//! and 36 municipalities, "novadi") with their planning regions, and the code lists
//! records use (organisation kinds, target groups, event kinds, ...).
//!
//! Only codes live here; every name a user sees is the Fluent message
//! [`message_id`](ReferenceData::message_id) in `locales/<lang>/reference.ftl`.
//! Planning regions follow Cabinet Regulation No. 418 of 22 June 2021 (Tukums
//! municipality in Kurzeme; Limbaži, Ogre and Sigulda in Vidzeme).
//! One more region, [`ABROAD`], holds no municipality: the place of an organisation
//! with a country and no municipality (an embassy), or of a hotline caller abroad.

use std::{collections::BTreeMap, sync::OnceLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The region of what is outside Latvia: no municipality is in it.
pub const ABROAD: &str = "abroad";

/// A list of codes a record field takes its value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum CodeList {
    Region,
    Municipality,
    OrganisationKind,
    TargetGroup,
    EventKind,
    MaterialKind,
    DistributionMethod,
    LegalBasis,
    CampaignKind,
    SeminarRole,
    MaterialLanguage,
    HotlineChannel,
    HotlineTopic,
    FunderKind,
    Country,
}

impl CodeList {
    pub const ALL: [CodeList; 15] = [
        CodeList::Region,
        CodeList::Municipality,
        CodeList::OrganisationKind,
        CodeList::TargetGroup,
        CodeList::EventKind,
        CodeList::MaterialKind,
        CodeList::DistributionMethod,
        CodeList::LegalBasis,
        CodeList::CampaignKind,
        CodeList::SeminarRole,
        CodeList::MaterialLanguage,
        CodeList::HotlineChannel,
        CodeList::HotlineTopic,
        CodeList::FunderKind,
        CodeList::Country,
    ];

    /// The list's name in data files and message ids.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeList::Region => "region",
            CodeList::Municipality => "municipality",
            CodeList::OrganisationKind => "organisation-kind",
            CodeList::TargetGroup => "target-group",
            CodeList::EventKind => "event-kind",
            CodeList::MaterialKind => "material-kind",
            CodeList::DistributionMethod => "distribution-method",
            CodeList::LegalBasis => "legal-basis",
            CodeList::CampaignKind => "campaign-kind",
            CodeList::SeminarRole => "seminar-role",
            CodeList::MaterialLanguage => "material-language",
            CodeList::HotlineChannel => "hotline-channel",
            CodeList::HotlineTopic => "hotline-topic",
            CodeList::FunderKind => "funder-kind",
            CodeList::Country => "country",
        }
    }

    fn parse(s: &str) -> Option<CodeList> {
        CodeList::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum MunicipalityKind {
    /// Valstspilsēta: one of the 7 state cities.
    StateCity,
    /// Novads: one of the 36 municipalities.
    Novads,
}

/// A local government and the planning region it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Municipality {
    pub code: String,
    pub kind: MunicipalityKind,
    pub region: String,
}

/// Every shipped code list, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReferenceData {
    /// Codes per list, in the order the data file gives (the order pickers show).
    pub codes: BTreeMap<CodeList, Vec<String>>,
    pub municipalities: Vec<Municipality>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReferenceDataError {
    #[error("reference data file {file}: {source}")]
    Csv { file: &'static str, source: csv::Error },
    #[error("reference data file {file}: unknown list {list:?}")]
    UnknownList { file: &'static str, list: String },
    #[error("reference data: {0}")]
    Inconsistent(String),
}

const MUNICIPALITIES_CSV: &str = include_str!("../data/municipalities.csv");
const CODES_CSV: &str = include_str!("../data/codes.csv");

impl ReferenceData {
    /// The data compiled into this binary.
    pub fn shipped() -> &'static ReferenceData {
        static SHIPPED: OnceLock<ReferenceData> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            ReferenceData::parse(CODES_CSV, MUNICIPALITIES_CSV).expect("shipped reference data is valid (tested)")
        })
    }

    pub fn parse(codes_csv: &str, municipalities_csv: &str) -> Result<ReferenceData, ReferenceDataError> {
        #[derive(Deserialize)]
        struct Row {
            list: String,
            code: String,
        }
        let mut codes: BTreeMap<CodeList, Vec<String>> = BTreeMap::new();
        for row in csv::Reader::from_reader(codes_csv.as_bytes()).deserialize::<Row>() {
            let row = row.map_err(|source| ReferenceDataError::Csv { file: "codes.csv", source })?;
            let list = CodeList::parse(&row.list)
                .filter(|l| *l != CodeList::Municipality)
                .ok_or_else(|| ReferenceDataError::UnknownList { file: "codes.csv", list: row.list.clone() })?;
            codes.entry(list).or_default().push(row.code);
        }
        let mut municipalities = Vec::new();
        for row in csv::Reader::from_reader(municipalities_csv.as_bytes()).deserialize::<Municipality>() {
            municipalities.push(row.map_err(|source| ReferenceDataError::Csv { file: "municipalities.csv", source })?);
        }
        codes.insert(CodeList::Municipality, municipalities.iter().map(|m| m.code.clone()).collect());

        let data = ReferenceData { codes, municipalities };
        data.check()?;
        Ok(data)
    }

    fn check(&self) -> Result<(), ReferenceDataError> {
        for list in CodeList::ALL {
            let codes = self.codes(list);
            if codes.is_empty() {
                return Err(ReferenceDataError::Inconsistent(format!("list {} is empty", list.as_str())));
            }
            let mut seen = std::collections::BTreeSet::new();
            for code in codes {
                if !seen.insert(code) {
                    return Err(ReferenceDataError::Inconsistent(format!("{} {code} appears twice", list.as_str())));
                }
            }
        }
        for m in &self.municipalities {
            if !self.contains(CodeList::Region, &m.region) {
                return Err(ReferenceDataError::Inconsistent(format!("{} has unknown region {}", m.code, m.region)));
            }
        }
        Ok(())
    }

    pub fn codes(&self, list: CodeList) -> &[String] {
        self.codes.get(&list).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn contains(&self, list: CodeList, code: &str) -> bool {
        self.codes(list).iter().any(|c| c == code)
    }

    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The planning region of a municipality code.
    pub fn region_of(&self, municipality: &str) -> Option<&str> {
        self.municipality(municipality).map(|m| m.region.as_str())
    }

    /// The Fluent message naming `code` of `list`, e.g. `municipality-daugavpils`.
    pub fn message_id(list: CodeList, code: &str) -> String {
        format!("{}-{code}", list.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_has_the_reformed_local_governments() {
        let r = ReferenceData::shipped();
        assert_eq!(r.municipalities.len(), 43);
        let cities = r.municipalities.iter().filter(|m| m.kind == MunicipalityKind::StateCity).count();
        assert_eq!(cities, 7);
        assert_eq!(r.region_of("daugavpils"), Some("latgale"));
        assert_eq!(r.region_of("rezeknes-novads"), Some("latgale"));
        assert_eq!(r.region_of("liepaja"), Some("kurzeme"));
        assert_eq!(r.region_of("valmieras-novads"), Some("vidzeme"));
        assert_eq!(r.region_of("jelgava"), Some("zemgale"));
        assert_eq!(r.region_of("riga"), Some("riga"));
        assert_eq!(r.region_of("tukuma-novads"), Some("kurzeme"));
        assert_eq!(r.region_of("nowhere"), None);
        let per_region = |region: &str| r.municipalities.iter().filter(|m| m.region == region).count();
        assert_eq!(
            [
                per_region("riga"),
                per_region("kurzeme"),
                per_region("latgale"),
                per_region("vidzeme"),
                per_region("zemgale")
            ],
            [9, 8, 10, 10, 6]
        );
    }

    #[test]
    fn every_code_has_a_name_in_every_locale() {
        let catalogue = saite_i18n::Catalogue::embedded();
        let r = ReferenceData::shipped();
        for list in CodeList::ALL {
            for code in r.codes(list) {
                let id = ReferenceData::message_id(list, code);
                for locale in saite_i18n::Locale::ALL {
                    assert!(catalogue.has_message(locale, &id), "{id} has no name in {locale}");
                }
            }
        }
    }

    #[test]
    fn bad_data_is_rejected() {
        assert!(matches!(
            ReferenceData::parse("list,code\nplanet,mars\n", MUNICIPALITIES_CSV),
            Err(ReferenceDataError::UnknownList { .. })
        ));
        let dup = format!("{CODES_CSV}region,riga\n");
        assert!(matches!(ReferenceData::parse(&dup, MUNICIPALITIES_CSV), Err(ReferenceDataError::Inconsistent(_))));
        let bad_region = "code,kind,region\nx,novads,atlantis\n";
        assert!(matches!(ReferenceData::parse(CODES_CSV, bad_region), Err(ReferenceDataError::Inconsistent(_))));
        let bad_kind = "code,kind,region\nx,village,riga\n";
        assert!(matches!(ReferenceData::parse(CODES_CSV, bad_kind), Err(ReferenceDataError::Csv { .. })));
    }
}
