//! The locale audit: every locale defines the same message ids (and attributes), every
//! file parses, and the UI uses no id that the files lack.
//!
//! Run by this crate's tests against the real `locales/` and `ui/src/`, and by
//! `cargo xtask test` through them, so a missing translation fails the build.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt, fs,
    path::{Path, PathBuf},
};

use fluent_syntax::{ast, parser};
use regex::Regex;

use crate::Locale;

/// One thing the audit found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `locales/<tag>/` is absent or holds no `.ftl` file.
    MissingLocale { locale: Locale },
    /// A folder under `locales/` that is not a known locale.
    UnknownLocaleFolder { folder: PathBuf },
    /// A file Fluent cannot parse.
    Unparsable { file: PathBuf, detail: String },
    /// The same id defined twice within one locale.
    DuplicateId { locale: Locale, id: String },
    /// An id (or `id.attribute`) defined in some locales and not in `missing_in`.
    MissingTranslation { id: String, missing_in: Locale },
    /// The UI calls `t('id')` with an id no `.ftl` file defines.
    UndefinedInUi { id: String, file: PathBuf, line: usize },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingLocale { locale } => write!(f, "locales/{locale}/ has no .ftl file"),
            Problem::UnknownLocaleFolder { folder } => write!(f, "{} is not a locale Saite knows", folder.display()),
            Problem::Unparsable { file, detail } => write!(f, "{} does not parse: {detail}", file.display()),
            Problem::DuplicateId { locale, id } => write!(f, "locales/{locale}/ defines {id} twice"),
            Problem::MissingTranslation { id, missing_in } => {
                write!(f, "{id} is defined in another locale but not in locales/{missing_in}/")
            }
            Problem::UndefinedInUi { id, file, line } => {
                write!(f, "{}:{line} uses message id {id}, which no .ftl file defines", file.display())
            }
        }
    }
}

/// The ids each locale defines: messages as `id`, their attributes as `id.attr`, terms
/// as `-term`.
pub type IdsByLocale = BTreeMap<Locale, BTreeSet<String>>;

/// Reads and checks `locales_dir`; returns the ids found and every problem.
pub fn audit_locales(locales_dir: &Path) -> (IdsByLocale, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut ids = IdsByLocale::new();

    let mut folders: Vec<PathBuf> = match fs::read_dir(locales_dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect(),
        Err(_) => Vec::new(),
    };
    folders.sort();
    for folder in folders {
        let tag = folder.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let Ok(locale) = tag.parse::<Locale>() else {
            problems.push(Problem::UnknownLocaleFolder { folder });
            continue;
        };
        let set = ids.entry(locale).or_default();
        for file in ftl_files(&folder) {
            let text = match fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(Problem::Unparsable { file, detail: e.to_string() });
                    continue;
                }
            };
            let resource = match parser::parse(text.as_str()) {
                Ok(r) => r,
                Err((_, errors)) => {
                    problems.push(Problem::Unparsable { file, detail: format!("{errors:?}") });
                    continue;
                }
            };
            for id in defined_ids(&resource) {
                if !set.insert(id.clone()) {
                    problems.push(Problem::DuplicateId { locale, id });
                }
            }
        }
    }

    for locale in Locale::ALL {
        if ids.get(&locale).is_none_or(BTreeSet::is_empty) {
            problems.push(Problem::MissingLocale { locale });
        }
    }
    let all: BTreeSet<&String> = ids.values().flatten().collect();
    for locale in Locale::ALL {
        let Some(have) = ids.get(&locale).filter(|s| !s.is_empty()) else { continue };
        for id in &all {
            if !have.contains(*id) {
                problems.push(Problem::MissingTranslation { id: (*id).clone(), missing_in: locale });
            }
        }
    }
    (ids, problems)
}

/// Finds `t('id')` / `t("id")` calls in the UI sources whose id is not in `defined`.
///
/// Ids passed through variables are checked by the TypeScript compiler instead: `t`
/// takes the generated `MessageId` union type (see [`message_id_typescript`]).
pub fn audit_ui(ui_src: &Path, defined: &BTreeSet<String>) -> Vec<Problem> {
    let call = Regex::new(r#"\bt\(\s*['"`]([^'"`$]+)['"`]"#).expect("static regex");
    let mut problems = Vec::new();
    for file in source_files(ui_src) {
        let Ok(text) = fs::read_to_string(&file) else { continue };
        for (n, line) in text.lines().enumerate() {
            for cap in call.captures_iter(line) {
                let id = &cap[1];
                if !defined.contains(id) {
                    problems.push(Problem::UndefinedInUi { id: id.to_owned(), file: file.clone(), line: n + 1 });
                }
            }
        }
    }
    problems
}

/// The whole audit: the locale files, then the UI against the fallback locale's ids.
pub fn audit(locales_dir: &Path, ui_src: &Path) -> Vec<Problem> {
    let (ids, mut problems) = audit_locales(locales_dir);
    let defined = ids.get(&Locale::FALLBACK).cloned().unwrap_or_default();
    problems.extend(audit_ui(ui_src, &defined));
    problems
}

/// A TypeScript module declaring `MessageId`, the union of every message id (not
/// attributes or terms) of the fallback locale, so `t()` rejects unknown ids at
/// compile time.
pub fn message_id_typescript(ids: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "// Generated from locales/lv/*.ftl by `cargo xtask gen`; do not edit.\n\
         // The crate saite-i18n's tests fail when this file is stale.\n\n\
         export type MessageId =\n",
    );
    let messages: Vec<&String> = ids.iter().filter(|id| !id.starts_with('-') && !id.contains('.')).collect();
    for (i, id) in messages.iter().enumerate() {
        let end = if i + 1 == messages.len() { ";" } else { "" };
        out.push_str(&format!("  | \"{id}\"{end}\n"));
    }
    if messages.is_empty() {
        out.push_str("  never;\n");
    }
    out
}

fn defined_ids(resource: &ast::Resource<&str>) -> Vec<String> {
    let mut ids = Vec::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(m) => {
                ids.push(m.id.name.to_owned());
                ids.extend(m.attributes.iter().map(|a| format!("{}.{}", m.id.name, a.id.name)));
            }
            ast::Entry::Term(t) => {
                ids.push(format!("-{}", t.id.name));
                ids.extend(t.attributes.iter().map(|a| format!("-{}.{}", t.id.name, a.id.name)));
            }
            _ => {}
        }
    }
    ids
}

fn ftl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "ftl"));
    files.sort();
    files
}

fn source_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "node_modules") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "svelte" || x == "ts") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn complete_tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for l in ["lv", "ru", "en"] {
            write(d.path(), &format!("locales/{l}/app.ftl"), "a = A\nb = B\n    .title = T\n-brand = Saite\n");
        }
        write(d.path(), "ui/App.svelte", "<p>{t('a')}</p>\n<p title={t(\"b\")}></p>\n");
        d
    }

    #[test]
    fn a_complete_tree_passes() {
        let d = complete_tree();
        assert_eq!(audit(&d.path().join("locales"), &d.path().join("ui")), vec![]);
    }

    #[test]
    fn finds_an_id_missing_in_one_locale() {
        let d = complete_tree();
        write(d.path(), "locales/ru/app.ftl", "a = A\nb = B\n-brand = Saite\n");
        let problems = audit(&d.path().join("locales"), &d.path().join("ui"));
        assert_eq!(problems, vec![Problem::MissingTranslation { id: "b.title".into(), missing_in: Locale::Ru }]);
    }

    #[test]
    fn finds_a_missing_locale_and_an_unknown_folder() {
        let d = complete_tree();
        fs::remove_dir_all(d.path().join("locales/en")).unwrap();
        write(d.path(), "locales/de/app.ftl", "a = A\n");
        let problems = audit(&d.path().join("locales"), &d.path().join("ui"));
        assert!(problems.contains(&Problem::MissingLocale { locale: Locale::En }), "{problems:?}");
        assert!(problems.iter().any(|p| matches!(p, Problem::UnknownLocaleFolder { .. })), "{problems:?}");
    }

    #[test]
    fn finds_unparsable_files_and_duplicates() {
        let d = complete_tree();
        write(d.path(), "locales/lv/broken.ftl", "this is not fluent\n");
        write(d.path(), "locales/en/more.ftl", "a = again\n");
        let problems = audit(&d.path().join("locales"), &d.path().join("ui"));
        assert!(problems.iter().any(|p| matches!(p, Problem::Unparsable { .. })), "{problems:?}");
        assert!(problems.contains(&Problem::DuplicateId { locale: Locale::En, id: "a".into() }), "{problems:?}");
    }

    #[test]
    fn finds_an_id_the_ui_uses_but_no_file_defines() {
        let d = complete_tree();
        write(d.path(), "ui/lib/x.ts", "const s = t('nope');\nconst u = t(`a`);\n");
        let problems = audit(&d.path().join("locales"), &d.path().join("ui"));
        assert_eq!(
            problems,
            vec![Problem::UndefinedInUi { id: "nope".into(), file: d.path().join("ui/lib/x.ts"), line: 1 }]
        );
    }

    #[test]
    fn typescript_union_lists_messages_only() {
        let ids: BTreeSet<String> = ["a", "b", "b.title", "-brand"].into_iter().map(String::from).collect();
        let ts = message_id_typescript(&ids);
        assert!(ts.contains("  | \"a\"\n  | \"b\";\n"), "{ts}");
        assert!(!ts.contains("title") && !ts.contains("brand"), "{ts}");
    }
}
