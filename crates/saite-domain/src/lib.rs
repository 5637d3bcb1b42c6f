//! Saite's domain: what a consultant records, the rules it must satisfy, and the
//! clocks that order changes. No I/O: the store and the sync engine build on this.
//!
//! Glossary:
//! - **record**: one seminar, organisation, person, material, distribution, campaign,
//!   follow-up, attachment or link, stored as a JSON *document* ([`records`]).
//! - **collection**: a kind of record ([`Collection`]).
//! - **reference data**: regions, municipalities and code lists shipped as data files
//!   ([`reference`]).
//! - **HLC**: hybrid logical clock stamp on every changed field; the later stamp wins
//!   ([`hlc`]).
//! - **fold**: the normalisation shared by the search index and queries ([`fold`]).
//! - **clock**: the injected source of wall time ([`Clock`]).

mod clock;
pub mod fold;
pub mod hlc;
mod ids;
pub mod records;
pub mod reference;
pub mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use hlc::{Hlc, HlcGenerator};
pub use ids::*;
pub use records::{
    Collection, RecordKind, ValidDocument, ValidText, check_document, check_fields, content_address, default_document,
    is_content_address, validate_document, validate_document_text,
};
pub use reference::{CodeList, ReferenceData};
pub use validate::{FieldError, ValidationCode};

#[cfg(test)]
mod generated_typescript {
    use crate::{ids::*, records::*, reference::*, validate::*};

    #[test]
    fn generated_typescript_is_fresh() {
        use saite_ts_bindings::assert_ts_fresh as fresh;
        fresh::<Collection>();
        fresh::<CodeList>();
        fresh::<ReferenceData>();
        fresh::<Municipality>();
        fresh::<MunicipalityKind>();
        fresh::<FieldError>();
        fresh::<ValidationCode>();
        fresh::<Seminar>();
        fresh::<Organisation>();
        fresh::<Person>();
        fresh::<Material>();
        fresh::<MaterialVersion>();
        fresh::<Distribution>();
        fresh::<Campaign>();
        fresh::<FollowUp>();
        fresh::<Attachment>();
        fresh::<SeminarOrganisation>();
        fresh::<SeminarPerson>();
        fresh::<MaterialCampaign>();
        fresh::<RecordId>();
        fresh::<DeviceId>();
        fresh::<SeminarId>();
        fresh::<OrganisationId>();
        fresh::<PersonId>();
        fresh::<MaterialId>();
        fresh::<MaterialVersionId>();
        fresh::<DistributionId>();
        fresh::<CampaignId>();
        fresh::<FollowUpId>();
        fresh::<AttachmentId>();
    }
}
