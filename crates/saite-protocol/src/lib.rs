//! The sync protocol between a laptop and `saite-server`, version [`PROTOCOL_VERSION`].
//!
//! Glossary:
//! - **record change**: fields of one record set to values, each stamped with the HLC of
//!   the device that made it (usually one stamp for all), and numbered by that device's
//!   outbox (`device_seq`).
//! - **push**: a device sends its outbox oldest first, in batches; `after_seq` says
//!   which of its changes it knows the server has (the last acknowledged seq). The
//!   server applies a batch in one transaction, skips seqs it already applied, and
//!   answers with the highest seq it has applied ([`PushResponse::applied_seq`]).
//! - **server seq**: the server numbers every record change it stores, and a record
//!   carries the number of its last one; a pull asks for the records changed after a
//!   cursor, whole, page by page, and a page's `end_cursor` is where the next one
//!   starts. The client stores a page and its cursor in one transaction.
//! - **own echo**: the values a push stored, as a pull would send them back to the device
//!   that pushed them. A push answers with the server seqs they took
//!   ([`PushResponse::stored`]), so a device whose cursor stood just before them skips
//!   them instead of pulling back what it already holds.
//! - **merge rule**: per field, the later HLC wins ([`merge::incoming_wins`]); the
//!   device id inside the HLC breaks ties, so every replica picks the same winner.
//! - **checksum**: per collection, the count of stamped fields and an order-free digest
//!   of (record, field, HLC) ([`merge::FieldDigest`]): equal on both sides means equal
//!   data, whatever order the changes arrived in.
//!
//! - **push plan**: what a push stores and answers, decided by [`push::plan_push`] from
//!   the records it names as stored; the server's backends only read and write.
//!
//! - **pull rules**: how a laptop takes a pulled record in: which field replaces the
//!   value held, when a record is taken whole, when it is in the trash ([`pull`]).
//!
//! Every type here is serialised as JSON with camelCase names; the server's OpenAPI
//! document is generated from these definitions.

pub mod admin;
pub mod check;
pub mod clock;
pub mod erasure;
pub mod merge;
pub mod office;
pub mod pull;
pub mod push;
pub mod stored;
pub mod wire;

pub use wire::*;

/// The protocol version this build speaks (2: long text changes carry `expect`; 3: a
/// push carries record changes with one stamp each, and a pull whole records; 4: the
/// collections and fields of the reports' domain, which a laptop of 3 cannot read). Sent
/// by clients in [`VERSION_HEADER`]; a
/// server answers a different major version with [`ApiErrorCode::VersionMismatch`].
pub const PROTOCOL_VERSION: u32 = 4;

/// The HTTP header carrying the client's protocol version.
pub const VERSION_HEADER: &str = "saite-protocol";

/// The HTTP header of a laptop's requests carrying the app's version (`0.1.0`), which
/// the Administration section lists beside each laptop.
pub const APP_VERSION_HEADER: &str = "saite-app-version";

/// The HTTP header of a laptop's requests carrying the highest seq of the changes it has
/// made: beside the server's applied seq, the changes still waiting on the laptop.
pub const OUTBOX_SEQ_HEADER: &str = "saite-outbox-seq";

/// The HTTP header of every server answer carrying the server's clock (ms since the
/// epoch), by which a laptop sees that its own clock is wrong.
pub const SERVER_TIME_HEADER: &str = "saite-server-time";
