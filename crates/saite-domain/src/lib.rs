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
//! - **spec**: what a collection is, written once: fields, rules, lists ([`spec`]).
//! - **fold**: the normalisation shared by the search index and queries ([`fold`]).
//! - **clock**: the injected source of wall time ([`Clock`]).

mod clock;
pub mod fold;
pub mod hlc;
mod ids;
pub mod records;
pub mod reference;
pub mod spec;
pub mod upgrade;
pub mod validate;

pub use clock::{Clock, ManualClock, SystemClock, iso_date_of_ms};
pub use hlc::{Hlc, HlcGenerator};
pub use ids::*;
pub use records::{
    Collection, RecordKind, ValidDocument, ValidText, check_document, check_fields, content_address, default_document,
    is_content_address, validate_document, validate_document_text,
};
pub use reference::{CodeList, ReferenceData};
pub use spec::{CollectionSpec, FieldKind, FieldSpec, ListSpec, ReportNumber, ScreenFilter, ScreenSpec};
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
        fresh::<crate::spec::CollectionSpec>();
        fresh::<crate::spec::FieldSpec>();
        fresh::<crate::spec::FieldKind>();
        fresh::<crate::spec::ListSpec>();
        fresh::<crate::spec::ScreenSpec>();
        fresh::<crate::spec::ScreenFilter>();
    }

    /// docs/collections.md: the collections and code lists a client writes.
    #[test]
    fn generated_collections_doc_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/collections.md");
        saite_ts_bindings::assert_fresh(&path, &crate::spec::collections_markdown());
    }

    /// The specs themselves, as data the UI's forms and lists are built from.
    #[test]
    fn generated_collection_specs_are_fresh() {
        // In the order of `Collection::ALL`, which the UI keeps (a JSON map would sort them).
        let entries: Vec<String> = Collection::ALL
            .into_iter()
            .map(|c| {
                let spec = serde_json::to_string_pretty(c.spec()).expect("specs serialise");
                format!("  \"{c}\": {}", spec.replace('\n', "\n  "))
            })
            .collect();
        let json = format!("{{\n{}\n}}", entries.join(",\n"));
        let with_screen: Vec<String> = Collection::ALL
            .into_iter()
            .filter(|c| c.spec().list.screen.is_some())
            .map(|c| format!("\"{c}\""))
            .collect();
        let content = format!(
            "// Generated from saite-domain's collection specs by `cargo xtask gen`; never edit.\n\
             import type {{ Collection }} from \"./Collection\";\n\
             import type {{ CollectionSpec }} from \"./CollectionSpec\";\n\n\
             export const COLLECTION_SPECS: Record<Collection, CollectionSpec> = {json};\n\n\
             /** The collections with their own list, page and form: those whose spec has a screen. */\n\
             export type ScreenCollection = {};\n",
            with_screen.join(" | ")
        );
        saite_ts_bindings::assert_fresh(&saite_ts_bindings::generated_dir().join("collectionSpecs.ts"), &content);
    }
}
