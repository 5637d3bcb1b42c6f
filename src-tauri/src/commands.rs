//! The commands the UI invokes. Each is a line or two over [`SessionState`] or the
//! store; each is listed in `build.rs` so it gets a permission, and granted in
//! `capabilities/main.json`.

use saite_appdata::Preferences;
use saite_domain::{Collection, RecordId, ReferenceData};
use saite_i18n::Locale;
use saite_store::{
    AttachmentFile, Created, DemoSummary, DuplicateCandidate, HistoryEntry, ListPage, ListQuery, MergePreview,
    SearchHit, StoredRecord, TextConflict,
};
use saite_sync::{AccountSummary, SyncStatus};
use serde_json::{Map, Value};
use tauri::State;

use crate::{AppInfo, CommandError, SessionState, state::StoreState};

type Session<'a> = State<'a, SessionState>;
type Reply<T> = Result<T, CommandError>;

#[tauri::command]
pub fn app_info(session: Session<'_>) -> AppInfo {
    session.app_info()
}

#[tauri::command]
pub fn get_preferences(session: Session<'_>) -> Preferences {
    session.preferences()
}

#[tauri::command]
pub fn set_language(session: Session<'_>, language: Locale) -> Reply<Preferences> {
    session.set_language(language)
}

#[tauri::command]
pub fn set_auto_lock(session: Session<'_>, minutes: u32) -> Reply<Preferences> {
    session.set_auto_lock_minutes(minutes)
}

#[tauri::command]
pub fn set_about(session: Session<'_>, hotline: String, office_address: String) -> Reply<Preferences> {
    session.set_about(&hotline, &office_address)
}

#[tauri::command]
pub fn set_user_name(session: Session<'_>, name: String) -> Reply<Preferences> {
    session.set_user_name(&name)
}

#[tauri::command]
pub fn store_state(session: Session<'_>) -> StoreState {
    session.store_state()
}

#[tauri::command]
pub fn create_store(session: Session<'_>, passphrase: String, load_demo: bool) -> Reply<StoreState> {
    session.create_store(&passphrase, load_demo)
}

#[tauri::command]
pub fn unlock_store(session: Session<'_>, passphrase: String) -> Reply<StoreState> {
    session.unlock_store(&passphrase)
}

#[tauri::command]
pub fn lock_store(session: Session<'_>) -> StoreState {
    session.lock_store()
}

#[tauri::command]
pub fn change_passphrase(session: Session<'_>, old: String, new: String) -> Reply<()> {
    session.with_store(|s| s.change_passphrase(&old, &new))
}

#[tauri::command]
pub fn load_demo_data(session: Session<'_>) -> Reply<DemoSummary> {
    session.load_demo_data()
}

#[tauri::command]
pub fn reference_data() -> ReferenceData {
    ReferenceData::shipped().clone()
}

#[tauri::command]
pub fn create_record(session: Session<'_>, collection: Collection, document: Map<String, Value>) -> Reply<Created> {
    session.change_store(|s| s.create(collection, document))
}

/// Creates many records in one transaction, all or none (imports, bulk entry).
#[tauri::command]
pub fn create_records(session: Session<'_>, records: Vec<(Collection, Map<String, Value>)>) -> Reply<Vec<RecordId>> {
    session.change_store(|s| s.create_batch(records))
}

/// What travels with an attachment's bytes, as ASCII JSON in the
/// `x-saite-attachment` header (the body is the raw file).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentHeader {
    owner: RecordId,
    file_name: String,
    #[serde(default)]
    media_type: String,
}

/// Attaches a file to a record. The UI sends the bytes as the raw request body, so a
/// large file is not inflated into a JSON array on its way.
#[tauri::command]
pub fn attach_file(session: Session<'_>, request: tauri::ipc::Request<'_>) -> Reply<RecordId> {
    let bad = |detail: &str| CommandError::new(crate::ShellErrorCode::Internal, detail.to_owned());
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(bad("attachment body is not raw bytes"));
    };
    let header = request
        .headers()
        .get("x-saite-attachment")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad("attachment header missing"))?;
    let meta: AttachmentHeader = serde_json::from_str(header).map_err(|e| bad(&e.to_string()))?;
    session.change_store(|s| s.attach(meta.owner, &meta.file_name, &meta.media_type, bytes))
}

/// Opens an attachment with the system's default program, fetching its file from the
/// server first if it is not on this laptop yet. The file is written, decrypted, to the
/// data folder's `open/` folder, which is emptied on lock and start.
#[tauri::command]
pub async fn open_attachment(session: Session<'_>, id: RecordId) -> Reply<()> {
    if !session.with_store(|s| s.has_attachment_file(id))? {
        session.sync().fetch_attachment(id).await?;
    }
    let path = session.materialize_attachment(id)?;
    opener::open(&path).map_err(|e| CommandError::new(crate::ShellErrorCode::Internal, e.to_string()))
}

#[tauri::command]
pub fn update_record(session: Session<'_>, id: RecordId, patch: Map<String, Value>) -> Reply<bool> {
    session.change_store(|s| s.update(id, patch))
}

#[tauri::command]
pub fn delete_record(session: Session<'_>, id: RecordId) -> Reply<()> {
    session.change_store(|s| s.delete(id))
}

#[tauri::command]
pub fn restore_record(session: Session<'_>, id: RecordId) -> Reply<()> {
    session.change_store(|s| s.restore(id))
}

#[tauri::command]
pub fn get_record(session: Session<'_>, id: RecordId) -> Reply<Option<StoredRecord>> {
    session.with_store(|s| s.get(id))
}

#[tauri::command]
pub fn get_records(session: Session<'_>, ids: Vec<RecordId>) -> Reply<Vec<StoredRecord>> {
    session.with_store(|s| s.get_many(&ids))
}

#[tauri::command]
pub fn referrers(session: Session<'_>, id: RecordId, collection: Option<Collection>) -> Reply<Vec<StoredRecord>> {
    session.with_store(|s| s.referrers(id, collection))
}

#[tauri::command]
pub fn material_on_hand(session: Session<'_>, id: RecordId) -> Reply<i64> {
    session.with_store(|s| s.material_on_hand(id))
}

#[tauri::command]
pub fn list_records(session: Session<'_>, query: ListQuery) -> Reply<ListPage> {
    session.with_store(|s| s.list(&query))
}

#[tauri::command]
pub fn search_records(session: Session<'_>, query: String, limit: u32) -> Reply<Vec<SearchHit>> {
    session.with_store(|s| s.search(&query, limit))
}

#[tauri::command]
pub fn record_history(session: Session<'_>, id: RecordId) -> Reply<Vec<HistoryEntry>> {
    session.with_store(|s| s.history(id))
}

#[tauri::command]
pub fn trash(session: Session<'_>, limit: u32) -> Reply<Vec<StoredRecord>> {
    session.with_store(|s| s.trash(limit))
}

#[tauri::command]
pub fn duplicate_candidates(
    session: Session<'_>,
    collection: Collection,
    document: Map<String, Value>,
    exclude: Option<RecordId>,
) -> Reply<Vec<DuplicateCandidate>> {
    session.with_store(|s| s.duplicate_candidates(collection, &document, exclude))
}

#[tauri::command]
pub fn merge_preview(session: Session<'_>, keep: RecordId, remove: RecordId) -> Reply<MergePreview> {
    session.with_store(|s| s.merge_preview(keep, remove))
}

#[tauri::command]
pub fn merge_records(session: Session<'_>, keep: RecordId, remove: RecordId) -> Reply<()> {
    session.change_store(|s| s.merge(keep, remove))
}

/// Where each of a record's attachments' files is (here, waiting to upload, on the server).
#[tauri::command]
pub fn attachment_files(session: Session<'_>, owner: RecordId) -> Reply<Vec<AttachmentFile>> {
    session.with_store(|s| s.attachment_files(owner))
}

/// Attachments up to `bytes` come with each sync (0: only when opened).
#[tauri::command]
pub fn set_auto_download(session: Session<'_>, bytes: u64) -> Reply<SyncStatus> {
    session.sync().set_auto_download_bytes(bytes)?;
    Ok(session.sync().status())
}

/// Long texts edited in the same lines on two laptops, waiting for the user.
#[tauri::command]
pub fn text_conflicts(session: Session<'_>) -> Reply<Vec<TextConflict>> {
    session.with_store(|s| s.text_conflicts())
}

/// Settles a text conflict with the chosen or combined text.
#[tauri::command]
pub fn resolve_text_conflict(session: Session<'_>, id: RecordId, field: String, text: String) -> Reply<()> {
    session.change_store(|s| s.resolve_text_conflict(id, &field, &text))
}

/// What the Sync screen and the status-bar indicator show.
#[tauri::command]
pub fn sync_status(session: Session<'_>) -> SyncStatus {
    session.sync().status()
}

#[tauri::command]
pub fn sync_now(session: Session<'_>) {
    session.sync().sync_now();
}

#[tauri::command]
pub async fn connect_server(
    session: Session<'_>,
    server: String,
    email: String,
    password: String,
) -> Reply<AccountSummary> {
    session.connect_server(&server, &email, &password).await
}

#[tauri::command]
pub fn disconnect_server(session: Session<'_>) -> Reply<()> {
    Ok(session.sync().disconnect()?)
}

/// The user looked at the deletions a pull stopped at and accepts them.
#[tauri::command]
pub fn allow_mass_delete(session: Session<'_>) {
    session.sync().allow_mass_delete();
}

/// Sets (days > 0) or lifts (`null`) the lost-laptop policy.
#[tauri::command]
pub fn set_wipe_policy(session: Session<'_>, days: Option<u32>) -> Reply<SyncStatus> {
    session.sync().set_wipe_after_days(days)?;
    Ok(session.sync().status())
}

/// The server address and e-mail last used, to prefill the sign-in form.
#[tauri::command]
pub fn last_used_server(session: Session<'_>) -> Reply<(String, String)> {
    session.last_used_server()
}

#[cfg(test)]
mod tests {
    const COMMANDS: &[&str] = include!("../command_names.rs");

    #[test]
    fn the_window_is_granted_exactly_the_listed_commands() {
        let caps: serde_json::Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let mut granted: Vec<String> =
            caps["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect();
        let mut expected: Vec<String> = COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        granted.sort();
        expected.sort();
        assert_eq!(granted, expected);
    }
}
