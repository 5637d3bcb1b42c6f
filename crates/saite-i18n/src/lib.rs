//! Saite's user-facing text, Rust side.
//!
//! Glossary:
//! - **locale**: one of the languages Saite speaks ([`Locale`]); Latvian first, and the
//!   fallback for any message a translation lacks.
//! - **message id**: the key of a Fluent message (`nav-seminars`); the UI and Rust look
//!   up the same ids in the same `locales/<lang>/*.ftl` files.
//! - **catalogue**: every embedded `.ftl` file parsed into one Fluent bundle per locale
//!   ([`Catalogue`]).
//! - **audit**: the check that every locale defines the same ids and that the UI uses no
//!   id the files lack ([`audit`]).

pub mod audit;
mod catalogue;
mod locale;

pub use catalogue::{Catalogue, FluentArgs, FluentValue};
pub use locale::{Locale, UnknownLocale};

include!(concat!(env!("OUT_DIR"), "/embedded_ftl.rs"));
