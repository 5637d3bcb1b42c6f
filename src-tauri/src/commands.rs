//! The commands the UI invokes. Each is a line or two over [`SessionState`] or the
//! store; each is listed in `build.rs` so it gets a permission, and granted in
//! `capabilities/main.json`. Every command that may touch the store or the disk runs
//! off the main thread ([`off_main`]), so the window paints while it waits.

use saite_appdata::{BackupPlace, Preferences};
use saite_domain::{Collection, DeviceId, RecordId, ReferenceData};
use saite_export::{ExportFormat, PrintedReport, Progress, Table};
use saite_i18n::Locale;
use saite_import::{ImportKind, ImportReport, Mapping, PreviewRow, RowDecision, SourceSummary};
use saite_protocol::{
    Role, TrailEntry, UserId,
    admin::{AuditQuery, AuditVerdict, AuditView, DeviceView, NewUserRequest, OneTimePassword, ServerHealth, UserView},
    office::OfficeSettings,
};
use saite_store::{
    AttachmentFile, Created, DemoSummary, DuplicateCandidate, FollowUpReminder, HistoryEntry, ListPage, ListQuery,
    MergePreview, Report, ReportQuery, SearchHit, StoredRecord, TextConflict,
    backup::{BackupFound, BackupMade},
};
use saite_sync::{AccountSummary, SyncStatus};
use serde_json::{Map, Value};
use tauri::{AppHandle, Manager, State, ipc::Channel};

use crate::{AppInfo, CommandError, SessionState, state::StoreState};

type Session<'a> = State<'a, SessionState>;
type Reply<T> = Result<T, CommandError>;

/// Runs `f` on a blocking thread: store calls wait for the store (which the sync loop
/// holds while it writes a pulled page) and unlocking runs Argon2, and neither may hold
/// up the main thread, which paints the window.
async fn off_main<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&SessionState) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<SessionState>()))
        .await
        .map_err(|e| CommandError::new(crate::ShellErrorCode::Internal, e.to_string()))?
}

#[tauri::command]
pub fn app_info(session: Session<'_>) -> AppInfo {
    session.app_info()
}

#[tauri::command]
pub fn get_preferences(session: Session<'_>) -> Preferences {
    session.preferences()
}

#[tauri::command]
pub async fn set_language(app: AppHandle, language: Locale) -> Reply<Preferences> {
    off_main(app, move |session| session.set_language(language)).await
}

#[tauri::command]
pub async fn set_auto_lock(app: AppHandle, minutes: u32) -> Reply<Preferences> {
    off_main(app, move |session| session.set_auto_lock_minutes(minutes)).await
}

#[tauri::command]
pub async fn set_about(app: AppHandle, hotline: String, office_address: String) -> Reply<Preferences> {
    off_main(app, move |session| session.set_about(&hotline, &office_address)).await
}

#[tauri::command]
pub async fn set_user_name(app: AppHandle, name: String) -> Reply<Preferences> {
    off_main(app, move |session| session.set_user_name(&name)).await
}

#[tauri::command]
pub async fn store_state(app: AppHandle) -> Reply<StoreState> {
    off_main(app, move |session| Ok(session.store_state())).await
}

#[tauri::command]
pub async fn create_store(app: AppHandle, passphrase: String, load_demo: bool) -> Reply<StoreState> {
    off_main(app, move |session| session.create_store(&passphrase, load_demo)).await
}

#[tauri::command]
pub async fn unlock_store(app: AppHandle, passphrase: String) -> Reply<StoreState> {
    off_main(app, move |session| session.unlock_store(&passphrase)).await
}

#[tauri::command]
pub async fn restore_backup(app: AppHandle, path: String, passphrase: String) -> Reply<StoreState> {
    off_main(app, move |session| session.restore_backup(&path, &passphrase)).await
}

#[tauri::command]
pub async fn back_up(app: AppHandle, folder: String, passphrase: String) -> Reply<BackupMade> {
    off_main(app, move |session| session.back_up(&folder, &passphrase)).await
}

#[tauri::command]
pub async fn backup_places(app: AppHandle) -> Reply<Vec<BackupPlace>> {
    off_main(app, move |session| Ok(session.backup_places())).await
}

#[tauri::command]
pub async fn backups_found(app: AppHandle, folder: Option<String>) -> Reply<Vec<BackupFound>> {
    off_main(app, move |session| Ok(session.backups_found(folder.as_deref()))).await
}

/// The follow-ups due on `today` (the UI's local date) for the sidebar's count; raises
/// the day's desktop notification when [`FollowUpReminder::notify`] says so.
#[tauri::command]
pub async fn follow_up_reminder(app: AppHandle, today: String) -> Reply<FollowUpReminder> {
    let handle = app.clone();
    let (reminder, locale) =
        off_main(app, move |session| Ok((session.follow_up_reminder(&today)?, session.preferences().language))).await?;
    if reminder.notify {
        crate::notify_follow_ups(&handle, &reminder, locale);
    }
    Ok(reminder)
}

#[tauri::command]
pub async fn lock_store(app: AppHandle) -> Reply<StoreState> {
    off_main(app, move |session| Ok(session.lock_store())).await
}

#[tauri::command]
pub async fn change_passphrase(app: AppHandle, old: String, new: String) -> Reply<()> {
    off_main(app, move |session| session.with_store(|s| s.change_passphrase(&old, &new))).await
}

#[tauri::command]
pub async fn load_demo_data(app: AppHandle) -> Reply<DemoSummary> {
    off_main(app, move |session| session.load_demo_data()).await
}

#[tauri::command]
pub fn reference_data() -> ReferenceData {
    ReferenceData::shipped().clone()
}

#[tauri::command]
pub async fn create_record(app: AppHandle, collection: Collection, document: Map<String, Value>) -> Reply<Created> {
    off_main(app, move |session| session.change_store(|s| s.create(collection, document))).await
}

/// Creates many records in one transaction, all or none (imports, bulk entry).
#[tauri::command]
pub async fn create_records(app: AppHandle, records: Vec<(Collection, Map<String, Value>)>) -> Reply<Vec<RecordId>> {
    off_main(app, move |session| session.change_store(|s| s.create_batch(records))).await
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
pub async fn attach_file(app: AppHandle, request: tauri::ipc::Request<'_>) -> Reply<RecordId> {
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
    let bytes = bytes.clone();
    off_main(app, move |session| {
        session.change_store(|s| s.attach(meta.owner, &meta.file_name, &meta.media_type, &bytes))
    })
    .await
}

/// Opens an attachment with the system's default program, fetching its file from the
/// server first if it is not on this laptop yet. The file is written, decrypted, to the
/// data folder's `open/` folder, which is emptied on lock and start.
#[tauri::command]
pub async fn open_attachment(app: AppHandle, id: RecordId) -> Reply<()> {
    if !off_main(app.clone(), move |session| session.with_store(|s| s.has_attachment_file(id))).await? {
        app.state::<SessionState>().sync().fetch_attachment(id).await?;
    }
    let path = off_main(app, move |session| session.materialize_attachment(id)).await?;
    opener::open(&path).map_err(|e| CommandError::new(crate::ShellErrorCode::Internal, e.to_string()))
}

#[tauri::command]
pub async fn update_record(app: AppHandle, id: RecordId, patch: Map<String, Value>) -> Reply<bool> {
    off_main(app, move |session| session.change_store(|s| s.update(id, patch))).await
}

#[tauri::command]
pub async fn delete_record(app: AppHandle, id: RecordId) -> Reply<()> {
    off_main(app, move |session| session.change_store(|s| s.delete(id))).await
}

#[tauri::command]
pub async fn restore_record(app: AppHandle, id: RecordId) -> Reply<()> {
    off_main(app, move |session| session.change_store(|s| s.restore(id))).await
}

#[tauri::command]
pub async fn get_record(app: AppHandle, id: RecordId) -> Reply<Option<StoredRecord>> {
    off_main(app, move |session| session.read_store(|s| s.get(id))).await
}

#[tauri::command]
pub async fn get_records(app: AppHandle, ids: Vec<RecordId>) -> Reply<Vec<StoredRecord>> {
    off_main(app, move |session| session.read_store(|s| s.get_many(&ids))).await
}

#[tauri::command]
pub async fn referrers(app: AppHandle, id: RecordId, collection: Option<Collection>) -> Reply<Vec<StoredRecord>> {
    off_main(app, move |session| session.read_store(|s| s.referrers(id, collection))).await
}

#[tauri::command]
pub async fn material_on_hand(app: AppHandle, id: RecordId) -> Reply<i64> {
    off_main(app, move |session| session.read_store(|s| s.material_on_hand(id))).await
}

#[tauri::command]
pub async fn list_records(app: AppHandle, query: ListQuery) -> Reply<ListPage> {
    off_main(app, move |session| session.read_store(|s| s.list(&query))).await
}

#[tauri::command]
pub async fn report(app: AppHandle, query: ReportQuery) -> Reply<Report> {
    off_main(app, move |session| session.read_store(|s| s.report(&query))).await
}

#[tauri::command]
pub async fn export_table(app: AppHandle, table: Table, format: ExportFormat) -> Reply<String> {
    off_main(app, move |session| session.export_table(&table, format).map(|p| p.display().to_string())).await
}

/// Writes every record a list shows (its filters and order) to a file in the export
/// folder, as `format` or, when it is `None`, as vCards (people only); reports progress
/// on `progress` as it goes. `job` names it for [`cancel_export`].
#[tauri::command]
pub async fn export_list(
    app: AppHandle,
    query: ListQuery,
    format: Option<ExportFormat>,
    job: String,
    progress: Channel<Progress>,
) -> Reply<String> {
    off_main(app, move |session| {
        session.export_list(&query, format, &job, |p| drop(progress.send(p))).map(|p| p.display().to_string())
    })
    .await
}

/// Writes a report the UI composed as a PDF in the export folder; returns its path.
#[tauri::command]
pub async fn export_pdf(app: AppHandle, report: PrintedReport) -> Reply<String> {
    off_main(app, move |session| session.export_pdf(&report).map(|p| p.display().to_string())).await
}

/// Stops the export or import `job`; it ends with `export-cancelled` or
/// `import-cancelled`.
#[tauri::command]
pub fn cancel_job(session: Session<'_>, job: String) {
    session.cancel_job(&job);
}

/// Reads a file to import, sent as the raw request body; returns its header, a few rows
/// and the guessed mappings.
#[tauri::command]
pub async fn read_import_file(app: AppHandle, request: tauri::ipc::Request<'_>) -> Reply<SourceSummary> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::new(crate::ShellErrorCode::Internal, "import body is not raw bytes".to_owned()));
    };
    let bytes = bytes.clone();
    off_main(app, move |session| session.read_import_file(&bytes)).await
}

/// Checks every row of the file read last as `kind` would import it.
#[tauri::command]
pub async fn preview_import(
    app: AppHandle,
    kind: ImportKind,
    mapping: Mapping,
    defaults: Map<String, Value>,
    job: String,
    progress: Channel<Progress>,
) -> Reply<Vec<PreviewRow>> {
    off_main(app, move |session| {
        session
            .preview_import(kind, &mapping, &defaults, &job, |p| drop(progress.send(p)))
            .map(|rows| rows.as_ref().clone())
    })
    .await
}

/// Forgets the file being imported: the import screen was left.
#[tauri::command]
pub fn forget_import(session: Session<'_>) {
    session.forget_import();
}

/// Imports the rows checked last as `decisions` say, in one transaction.
#[tauri::command]
pub async fn commit_import(
    app: AppHandle,
    decisions: Vec<RowDecision>,
    job: String,
    progress: Channel<Progress>,
) -> Reply<ImportReport> {
    off_main(app, move |session| session.commit_import(&decisions, &job, |p| drop(progress.send(p)))).await
}

/// Opens an exported file with the system's program for it (a spreadsheet).
#[tauri::command]
pub async fn open_export(app: AppHandle, path: String) -> Reply<()> {
    let path = std::path::PathBuf::from(path);
    if !off_main(app, {
        let path = path.clone();
        move |session| Ok(session.is_export(&path))
    })
    .await?
    {
        return Err(CommandError::new(crate::ShellErrorCode::Internal, format!("{} is not an export", path.display())));
    }
    opener::open(&path).map_err(|e| CommandError::new(crate::ShellErrorCode::Internal, e.to_string()))
}

#[tauri::command]
pub async fn search_records(app: AppHandle, query: String, limit: u32) -> Reply<Vec<SearchHit>> {
    off_main(app, move |session| session.read_store(|s| s.search(&query, limit))).await
}

#[tauri::command]
pub async fn record_history(app: AppHandle, id: RecordId) -> Reply<Vec<HistoryEntry>> {
    off_main(app, move |session| session.read_store(|s| s.history(id))).await
}

#[tauri::command]
pub async fn trash(app: AppHandle, limit: u32) -> Reply<Vec<StoredRecord>> {
    off_main(app, move |session| session.read_store(|s| s.trash(limit))).await
}

#[tauri::command]
pub async fn duplicate_candidates(
    app: AppHandle,
    collection: Collection,
    document: Map<String, Value>,
    exclude: Option<RecordId>,
) -> Reply<Vec<DuplicateCandidate>> {
    off_main(app, move |session| session.read_store(|s| s.duplicate_candidates(collection, &document, exclude))).await
}

#[tauri::command]
pub async fn merge_preview(app: AppHandle, keep: RecordId, remove: RecordId) -> Reply<MergePreview> {
    off_main(app, move |session| session.read_store(|s| s.merge_preview(keep, remove))).await
}

#[tauri::command]
pub async fn merge_records(app: AppHandle, keep: RecordId, remove: RecordId) -> Reply<()> {
    off_main(app, move |session| session.change_store(|s| s.merge(keep, remove))).await
}

/// Where each of a record's attachments' files is (here, waiting to upload, on the server).
#[tauri::command]
pub async fn attachment_files(app: AppHandle, owner: RecordId) -> Reply<Vec<AttachmentFile>> {
    off_main(app, move |session| session.read_store(|s| s.attachment_files(owner))).await
}

/// Attachments up to `bytes` come with each sync (0: only when opened).
#[tauri::command]
pub async fn set_auto_download(app: AppHandle, bytes: u64) -> Reply<SyncStatus> {
    off_main(app, move |session| {
        session.sync().set_auto_download_bytes(bytes)?;
        Ok(session.sync().status())
    })
    .await
}

/// Long texts edited in the same lines on two laptops, waiting for the user.
#[tauri::command]
pub async fn text_conflicts(app: AppHandle) -> Reply<Vec<TextConflict>> {
    off_main(app, move |session| session.read_store(|s| s.text_conflicts())).await
}

/// Settles a text conflict with the chosen or combined text.
#[tauri::command]
pub async fn resolve_text_conflict(app: AppHandle, id: RecordId, field: String, text: String) -> Reply<()> {
    off_main(app, move |session| session.change_store(|s| s.resolve_text_conflict(id, &field, &text))).await
}

/// What the Sync screen and the status-bar indicator show.
#[tauri::command]
pub async fn sync_status(app: AppHandle) -> Reply<SyncStatus> {
    // Off the main thread: counting what waits reads the store, which a round may hold.
    off_main(app, move |session| Ok(session.sync().status())).await
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
pub async fn disconnect_server(app: AppHandle) -> Reply<()> {
    off_main(app, move |session| Ok(session.sync().disconnect()?)).await
}

/// The user looked at the deletions a pull stopped at and accepts them.
#[tauri::command]
pub fn allow_mass_delete(session: Session<'_>) {
    session.sync().allow_mass_delete();
}

/// Sets (days > 0) or lifts (`null`) the lost-laptop policy.
#[tauri::command]
pub async fn set_wipe_policy(app: AppHandle, days: Option<u32>) -> Reply<SyncStatus> {
    off_main(app, move |session| {
        session.sync().set_wipe_after_days(days)?;
        Ok(session.sync().status())
    })
    .await
}

/// The server address and e-mail last used, to prefill the sign-in form.
#[tauri::command]
pub async fn last_used_server(app: AppHandle) -> Reply<(String, String)> {
    off_main(app, move |session| session.last_used_server()).await
}

/// The organisation's users (coordinators and administrators).
#[tauri::command]
pub async fn desk_users(session: Session<'_>) -> Reply<Vec<UserView>> {
    Ok(session.sync().desk()?.users().await?)
}

/// Adds a user; the answer holds the one-time password to hand over, shown once.
#[tauri::command]
pub async fn desk_add_user(session: Session<'_>, user: NewUserRequest) -> Reply<OneTimePassword> {
    Ok(session.sync().desk()?.add_user(&user).await?)
}

#[tauri::command]
pub async fn desk_set_user_disabled(session: Session<'_>, user: UserId, disabled: bool) -> Reply<UserView> {
    Ok(session.sync().desk()?.set_disabled(user, disabled).await?)
}

#[tauri::command]
pub async fn desk_set_role(session: Session<'_>, user: UserId, role: Role) -> Reply<UserView> {
    Ok(session.sync().desk()?.set_role(user, role).await?)
}

#[tauri::command]
pub async fn desk_reset_password(session: Session<'_>, user: UserId) -> Reply<OneTimePassword> {
    Ok(session.sync().desk()?.reset_password(user).await?)
}

/// The organisation's laptops.
#[tauri::command]
pub async fn desk_devices(session: Session<'_>) -> Reply<Vec<DeviceView>> {
    Ok(session.sync().desk()?.devices().await?)
}

/// Revokes a laptop: it wipes itself at its next contact.
#[tauri::command]
pub async fn desk_revoke_device(session: Session<'_>, device: DeviceId) -> Reply<DeviceView> {
    Ok(session.sync().desk()?.revoke_device(device).await?)
}

#[tauri::command]
pub async fn desk_audit(session: Session<'_>, query: AuditQuery) -> Reply<Vec<AuditView>> {
    Ok(session.sync().desk()?.audit(&query).await?)
}

#[tauri::command]
pub async fn desk_verify_audit(session: Session<'_>) -> Reply<AuditVerdict> {
    Ok(session.sync().desk()?.verify_audit().await?)
}

#[tauri::command]
pub async fn desk_server_health(session: Session<'_>) -> Reply<ServerHealth> {
    Ok(session.sync().desk()?.server_health().await?)
}

/// When a record's changes reached the office (its History), as the server's audit says.
#[tauri::command]
pub async fn record_trail(session: Session<'_>, id: RecordId) -> Reply<Vec<TrailEntry>> {
    Ok(session.sync().record_trail(id).await?)
}

/// The settings every laptop of the organisation applies.
#[tauri::command]
pub async fn desk_office(session: Session<'_>) -> Reply<OfficeSettings> {
    Ok(session.sync().desk()?.office().await?)
}

/// Replaces the office-wide settings; this laptop takes them at once with a sync round
/// (the others at their next).
#[tauri::command]
pub async fn desk_set_office(session: Session<'_>, office: OfficeSettings) -> Reply<OfficeSettings> {
    let stored = session.sync().desk()?.set_office(&office).await?;
    session.sync().sync_now();
    Ok(stored)
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
