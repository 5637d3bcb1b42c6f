//! The real `locales/` and `ui/src/` pass the audit, and the generated `MessageId`
//! TypeScript type matches the `.ftl` files.

use std::path::{Path, PathBuf};

use saite_i18n::{Locale, audit};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

#[test]
fn shipped_locales_and_ui_pass_the_audit() {
    let problems = audit::audit(&repo().join("locales"), &repo().join("ui/src"));
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "locale audit failed:\n{}", report.join("\n"));
}

#[test]
fn generated_message_id_type_is_fresh() {
    let (ids, _) = audit::audit_locales(&repo().join("locales"));
    let expected = audit::message_id_typescript(&ids[&Locale::FALLBACK]);
    saite_ts_bindings::assert_fresh(&saite_ts_bindings::generated_dir().join("MessageId.ts"), &expected);
}

#[test]
fn generated_locale_type_is_fresh() {
    saite_ts_bindings::assert_ts_fresh::<Locale>();
}
