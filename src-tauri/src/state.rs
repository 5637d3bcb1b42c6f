use std::{
    collections::HashMap,
    ops::ControlFlow,
    path::PathBuf,
    pin::Pin,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, Ordering},
    },
};

use saite_appdata::{AppDataError, BackupPlace, DataDir, DataDirSource, InstanceLock, Preferences};
use saite_domain::Clock;
use saite_i18n::Locale;
use saite_store::{
    DemoSummary, FollowUpReminder, Store, StoreReader, StoreStatus,
    backup::{BackupFound, BackupMade},
    key::KdfParams,
};
use saite_sync::{AccountSummary, BackgroundSync, SyncCadence, SyncHost, SyncStatus, WipeReason, account};
use serde::Serialize;
use ts_rs::TS;

use crate::{CommandError, error::ShellErrorCode};

/// The open store, shared with the sync loop; `None` while locked.
pub type StoreSlot = Arc<Mutex<Option<Store>>>;

/// A reader beside the open store ([`StoreReader`]): the screens read through it, so a
/// list or a search never waits while the sync loop writes a pulled page. `None` while
/// locked; it goes with the store.
type ReaderSlot = Arc<Mutex<Option<StoreReader>>>;

type SyncLoop = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What the shell holds while the app runs: the locked data folder, the current
/// preferences and, once unlocked, the store.
///
/// Invariants: the in-memory preferences equal the file's contents after every
/// successful save, and a failed save changes neither; the store is `Some` only while
/// unlocked, and locking drops it (and with it the data key).
pub struct SessionState {
    data_dir: DataDir,
    preferences: Mutex<Preferences>,
    notices: Notices,
    store: StoreSlot,
    reader: ReaderSlot,
    sync: BackgroundSync<StoreSlot>,
    /// The sync loop, until the app's runtime takes it ([`SessionState::take_sync_loop`]).
    sync_loop: Mutex<Option<SyncLoop>>,
    clock: Arc<dyn Clock>,
    kdf: KdfParams,
    /// `--demo-data`: load the demo sample as soon as the store is open.
    demo_pending: AtomicBool,
    jobs: Jobs,
    pending_import: PendingImportSlot,
    _lock: InstanceLock,
}

/// The exports and imports running, by the job name the UI gave each, and whether each
/// has been cancelled. A cancel may arrive before its export starts (the UI asks at once): it
/// is kept, and the export stops at its first progress report.
#[derive(Default)]
struct Jobs(Mutex<HashMap<String, bool>>);

impl Jobs {
    fn jobs(&self) -> MutexGuard<'_, HashMap<String, bool>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn is_cancelled(&self, job: &str) -> bool {
        self.jobs().get(job).copied().unwrap_or(false)
    }

    fn cancel(&self, job: &str) {
        self.jobs().insert(job.to_owned(), true);
    }

    fn finish(&self, job: &str) {
        self.jobs().remove(job);
    }
}

fn no_import() -> CommandError {
    CommandError::new(ShellErrorCode::ImportNothingRead, "no file has been read for an import".to_owned())
}

/// The file being imported: read (its table), then checked (its rows as `kind` would
/// import them); a new file or a commit starts afresh. It holds a partner's contacts
/// and the names of matching records, so locking, a wipe and leaving the import screen
/// forget it.
#[derive(Default)]
struct PendingImport {
    table: Option<Arc<saite_import::SourceTable>>,
    previewed: Option<(saite_import::ImportKind, Arc<Vec<saite_import::PreviewRow>>)>,
}

/// The pending import, shared with the sync host (which forgets it when it wipes).
type PendingImportSlot = Arc<Mutex<PendingImport>>;

/// Start-up and wipe notices, shared with the sync host (which adds one when it wipes).
type Notices = Arc<Mutex<Vec<CommandError>>>;

/// What the sync loop asks of the shell: destroy the data when the device is revoked or
/// the no-contact policy falls due, and log failures.
struct ShellSyncHost {
    slot: StoreSlot,
    reader: ReaderSlot,
    pending_import: PendingImportSlot,
    data_dir: PathBuf,
    notices: Notices,
    last_failure_at: Mutex<Option<u64>>,
}

impl SyncHost for ShellSyncHost {
    fn status_changed(&self, status: &SyncStatus) {
        if let Some(failure) = status.phase.failure() {
            let mut last = self.last_failure_at.lock().unwrap_or_else(|p| p.into_inner());
            if *last != Some(failure.at_ms) {
                *last = Some(failure.at_ms);
                eprintln!("saite: sync failed ({:?}): {}", failure.code, failure.detail);
            }
        }
    }

    fn wipe(&self, reason: WipeReason) {
        eprintln!("saite: destroying this laptop's data ({reason:?})");
        let taken = self.slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        self.reader.lock().unwrap_or_else(|p| p.into_inner()).take();
        *self.pending_import.lock().unwrap_or_else(|p| p.into_inner()) = PendingImport::default();
        let shredded = match taken {
            Some(store) => store.shred(),
            None => Store::shred_folder(&self.data_dir),
        };
        if let Err(e) = shredded {
            // The key file is gone first; a database file left behind is unreadable.
            eprintln!("saite: wiping left files behind: {e}");
        }
        let _ = std::fs::remove_dir_all(opened_dir(&self.data_dir));
        self.notices.lock().unwrap_or_else(|p| p.into_inner()).push(wipe_notice(reason));
    }
}

fn wipe_notice(reason: WipeReason) -> CommandError {
    let code = match reason {
        WipeReason::DeviceRevoked => ShellErrorCode::WipedDeviceRevoked,
        WipeReason::NoContact => ShellErrorCode::WipedNoContact,
    };
    CommandError::new(code, format!("{reason:?}"))
}

fn opened_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("open")
}

/// The name the office sees for this laptop in its device list.
fn device_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "Saite".to_owned())
}

/// Facts about this installation that the UI shows (Settings, About).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub data_dir_source: DataDirSource,
    /// Problems met at start-up that the user should know of (an unreadable
    /// preferences file replaced by defaults, a wrong `SAITE_PASSPHRASE`).
    pub notices: Vec<CommandError>,
}

/// Where the store stands: the UI shows first-run, unlock or the app accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum StoreState {
    NotCreated,
    Locked,
    Unlocked,
}

/// The author recorded in history: the name set in Settings, else the OS user.
fn author_of(preferences: &Preferences) -> String {
    if !preferences.user_name.trim().is_empty() {
        return preferences.user_name.trim().to_owned();
    }
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "—".to_owned())
}

impl SessionState {
    /// Takes the data folder's instance lock and reads the preferences. An unreadable
    /// preferences file does not stop the app: defaults apply and a notice says so.
    pub fn open(data_dir: DataDir, clock: Arc<dyn Clock>, kdf: KdfParams) -> Result<SessionState, CommandError> {
        let lock = data_dir.lock()?;
        let mut notices = Vec::new();
        let preferences = match Preferences::load(data_dir.path()) {
            Ok(p) => p,
            Err(e @ (AppDataError::Corrupt { .. } | AppDataError::Read { .. })) => {
                eprintln!("saite: {e}; using default preferences");
                notices.push(CommandError::from(e));
                Preferences::default()
            }
            Err(e) => return Err(e.into()),
        };
        let notices: Notices = Arc::new(Mutex::new(notices));
        let store: StoreSlot = Arc::default();
        let reader: ReaderSlot = Arc::default();
        let pending_import: PendingImportSlot = Arc::default();
        let host = ShellSyncHost {
            slot: store.clone(),
            reader: reader.clone(),
            pending_import: pending_import.clone(),
            data_dir: data_dir.path().to_owned(),
            notices: notices.clone(),
            last_failure_at: Mutex::new(None),
        };
        let (sync, sync_loop) =
            BackgroundSync::new(store.clone(), clock.clone(), Arc::new(host), SyncCadence::default());
        Ok(SessionState {
            data_dir,
            preferences: Mutex::new(preferences),
            notices,
            store,
            reader,
            sync,
            sync_loop: Mutex::new(Some(Box::pin(sync_loop))),
            clock,
            kdf,
            demo_pending: AtomicBool::new(false),
            jobs: Jobs::default(),
            pending_import: pending_import.clone(),
            _lock: lock,
        })
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    /// Writes `table` as `format` into the export folder (`saite_appdata::export_dir`),
    /// named by its title and today's date; returns the file's path.
    pub fn export_table(
        &self,
        table: &saite_export::Table,
        format: saite_export::ExportFormat,
    ) -> Result<PathBuf, CommandError> {
        let path = saite_export::write_file(&self.export_dir(), table, format, &self.today())?;
        let rows = Some(table.rows.len() as u64);
        self.note_export(&path, saite_protocol::EventDetail { rows, ..Default::default() });
        Ok(path)
    }

    /// Notes a file written for the office's audit (sent with the next round): its
    /// name and format beside `detail`. The file stays written if the note fails; the
    /// failure is logged.
    fn note_export(&self, path: &std::path::Path, detail: saite_protocol::EventDetail) {
        let clip =
            |s: std::borrow::Cow<'_, str>| s.chars().take(saite_protocol::MAX_EVENT_TEXT_CHARS).collect::<String>();
        let detail = saite_protocol::EventDetail {
            file: path.file_name().map(|n| clip(n.to_string_lossy())),
            format: path.extension().map(|e| clip(e.to_string_lossy())),
            ..detail
        };
        let noted = self.with_store(|s| s.note_event(saite_protocol::DeviceEventAction::Export, &detail));
        match noted {
            Ok(()) => self.sync.changed(),
            Err(e) => eprintln!("saite: the export of {} was not noted for the audit: {e:?}", path.display()),
        }
    }

    /// Writes the records `query` lists (its window aside) into the export folder as
    /// `format`, or as vCards when `format` is `None` (people only), named by the
    /// list and today's date; `progress` hears how far it has come. Returns the file's
    /// path, or `export-cancelled` once [`SessionState::cancel_job`] names its `job`.
    ///
    /// Reads on a connection of its own, so the list screens and the sync loop go on
    /// meanwhile.
    pub fn export_list(
        &self,
        query: &saite_store::ListQuery,
        format: Option<saite_export::ExportFormat>,
        job: &str,
        progress: impl Fn(saite_export::Progress),
    ) -> Result<PathBuf, CommandError> {
        let result = self.export_list_as(query, format, job, progress);
        self.jobs.finish(job);
        if let Ok(path) = &result {
            let collection = Some(query.collection.as_str().to_owned());
            self.note_export(path, saite_protocol::EventDetail { collection, ..Default::default() });
        }
        result
    }

    fn export_list_as(
        &self,
        query: &saite_store::ListQuery,
        format: Option<saite_export::ExportFormat>,
        job: &str,
        progress: impl Fn(saite_export::Progress),
    ) -> Result<PathBuf, CommandError> {
        let reader = self.with_store(|s| s.reader())?;
        let stamp = self.today();
        let language = self.preferences().language;
        let dir = self.export_dir();
        let mut report = |p: saite_export::Progress| self.job_progress(job, &progress, p.done, p.total);
        Ok(match format {
            Some(format) => saite_export::export_list(&reader, query, language, format, &dir, &stamp, &mut report)?,
            None => saite_export::export_cards(&reader, query, language, &dir, &stamp, &mut report)?,
        })
    }

    /// Writes `report` as a PDF into the export folder, its page footers in the user's
    /// language; returns the file's path.
    pub fn export_pdf(&self, report: &saite_export::PrintedReport) -> Result<PathBuf, CommandError> {
        let path = saite_export::write_pdf(&self.export_dir(), report, self.preferences().language, &self.today())?;
        self.note_export(&path, saite_protocol::EventDetail::default());
        Ok(path)
    }

    /// Reads a file to import and keeps it for [`SessionState::preview_import`]; returns
    /// what the user maps it from.
    pub fn read_import_file(&self, bytes: &[u8]) -> Result<saite_import::SourceSummary, CommandError> {
        let table = saite_import::read_source(bytes)?;
        let summary = table.summary();
        *self.pending_import() = PendingImport { table: Some(Arc::new(table)), previewed: None };
        Ok(summary)
    }

    /// Forgets the file being imported (the import screen was left).
    pub fn forget_import(&self) {
        *self.pending_import() = PendingImport::default();
    }

    fn pending_import(&self) -> MutexGuard<'_, PendingImport> {
        self.pending_import.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The file read last, row by row as `kind` would import it; kept for
    /// [`SessionState::commit_import`]. Reads on a connection of its own.
    pub fn preview_import(
        &self,
        kind: saite_import::ImportKind,
        mapping: &saite_import::Mapping,
        defaults: &serde_json::Map<String, serde_json::Value>,
        job: &str,
        progress: impl Fn(saite_export::Progress),
    ) -> Result<Arc<Vec<saite_import::PreviewRow>>, CommandError> {
        let table = self.pending_import().table.clone().ok_or_else(no_import)?;
        let reader = self.with_store(|s| s.reader())?;
        let rows = saite_import::preview(&reader, kind, &table, mapping, defaults, &mut |done, total| {
            self.job_progress(job, &progress, done, total)
        });
        self.jobs.finish(job);
        let rows = Arc::new(rows?);
        self.pending_import().previewed = Some((kind, rows.clone()));
        Ok(rows)
    }

    /// Writes the rows checked last as `decisions` say, in one transaction; the file is
    /// forgotten once written.
    pub fn commit_import(
        &self,
        decisions: &[saite_import::RowDecision],
        job: &str,
        progress: impl Fn(saite_export::Progress),
    ) -> Result<saite_import::ImportReport, CommandError> {
        let (kind, rows) = self.pending_import().previewed.clone().ok_or_else(no_import)?;
        let report = {
            let mut slot = self.store_slot();
            let store = slot.as_mut().ok_or_else(CommandError::store_locked)?;
            saite_import::commit(store, kind, &rows, decisions, &mut |done, total| {
                self.job_progress(job, &progress, done, total)
            })
        };
        self.jobs.finish(job);
        let report = report?;
        *self.pending_import() = PendingImport::default();
        self.sync.changed();
        Ok(report)
    }

    /// Tells `progress` and answers whether `job` goes on.
    fn job_progress(
        &self,
        job: &str,
        progress: &impl Fn(saite_export::Progress),
        done: u64,
        total: u64,
    ) -> ControlFlow<()> {
        progress(saite_export::Progress { done, total });
        if self.jobs.is_cancelled(job) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }

    /// Stops the export or import `job` (at its next progress report).
    pub fn cancel_job(&self, job: &str) {
        self.jobs.cancel(job);
    }

    /// Today's date on this laptop's clock, as ISO: what a saved file's name carries.
    fn today(&self) -> String {
        saite_domain::iso_date_of_ms(self.clock.now_ms())
    }

    /// The export folder: `SAITE_EXPORT_DIR`, else Downloads ([`saite_appdata::export_dir`]).
    fn export_dir(&self) -> PathBuf {
        saite_appdata::export_dir(std::env::var_os(saite_appdata::EXPORT_DIR_ENV), self.data_dir.path())
    }

    /// Whether `path` is a file this app could have exported: in the export folder,
    /// ending in .csv, .xlsx, .vcf or .pdf. Only such files may be opened on the UI's word.
    pub fn is_export(&self, path: &std::path::Path) -> bool {
        path.parent() == Some(self.export_dir().as_path())
            && path.extension().is_some_and(|e| ["csv", "xlsx", "vcf", "pdf"].iter().any(|x| e == *x))
            && path.is_file()
    }

    pub fn preferences(&self) -> Preferences {
        self.preferences.lock().expect("preferences lock").clone()
    }

    fn update_preferences(&self, change: impl FnOnce(&mut Preferences)) -> Result<Preferences, CommandError> {
        let mut current = self.preferences.lock().expect("preferences lock");
        let mut next = current.clone();
        change(&mut next);
        next.save(self.data_dir.path())?;
        *current = next.clone();
        Ok(next)
    }

    /// Saves the new language, then adopts it.
    pub fn set_language(&self, language: Locale) -> Result<Preferences, CommandError> {
        self.update_preferences(|p| p.language = language)
    }

    pub fn set_auto_lock_minutes(&self, minutes: u32) -> Result<Preferences, CommandError> {
        self.update_preferences(|p| p.auto_lock_minutes = minutes)
    }

    /// The hotline and office address shown in About; trimmed, at most 200 characters.
    pub fn set_about(&self, hotline: &str, office_address: &str) -> Result<Preferences, CommandError> {
        let clip = |s: &str| s.trim().chars().take(200).collect::<String>();
        self.update_preferences(|p| {
            p.hotline = clip(hotline);
            p.office_address = clip(office_address);
        })
    }

    /// Saves the consultant's name and makes it the author of the next changes.
    pub fn set_user_name(&self, name: &str) -> Result<Preferences, CommandError> {
        let name: String = name.trim().chars().take(120).collect();
        let next = self.update_preferences(|p| p.user_name = name)?;
        if let Some(store) = self.store_slot().as_mut() {
            store.set_author(&author_of(&next));
        }
        Ok(next)
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.path().display().to_string(),
            data_dir_source: self.data_dir.source(),
            notices: self.notices.lock().expect("notices lock").clone(),
        }
    }

    pub fn add_notice(&self, notice: CommandError) {
        self.notices.lock().expect("notices lock").push(notice);
    }

    /// The sync loop, once: the app spawns it on its async runtime.
    pub fn take_sync_loop(&self) -> Option<SyncLoop> {
        self.sync_loop.lock().expect("sync loop lock").take()
    }

    /// The sync loop's handle (status, "Sync now", the mass-delete answer...).
    pub fn sync(&self) -> &BackgroundSync<StoreSlot> {
        &self.sync
    }

    /// Signs this laptop in to the office server; the first round follows at once.
    pub async fn connect_server(
        &self,
        server: &str,
        email: &str,
        password: &str,
    ) -> Result<AccountSummary, CommandError> {
        Ok(self.sync.connect(server, email, password, &device_name()).await?)
    }

    /// The server address and e-mail last used, to prefill the sign-in form.
    pub fn last_used_server(&self) -> Result<(String, String), CommandError> {
        self.with_store(|s| account::last_used(s))
    }

    fn store_slot(&self) -> MutexGuard<'_, Option<Store>> {
        self.store.lock().expect("store lock")
    }

    fn reader_slot(&self) -> MutexGuard<'_, Option<StoreReader>> {
        self.reader.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs a read on the reader beside the store: it does not wait for the sync loop's
    /// writing.
    pub fn read_store<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, saite_store::StoreError>,
    ) -> Result<T, CommandError> {
        let reader = self.reader_slot();
        let reader = reader.as_ref().ok_or_else(CommandError::store_locked)?;
        f(reader).map_err(CommandError::from)
    }

    pub fn store_state(&self) -> StoreState {
        if self.store_slot().is_some() {
            return StoreState::Unlocked;
        }
        match Store::status(self.data_dir.path()) {
            StoreStatus::NotCreated => StoreState::NotCreated,
            StoreStatus::Locked => StoreState::Locked,
        }
    }

    /// First run: creates the store under a new passphrase (and loads the demo sample
    /// when asked).
    pub fn create_store(&self, passphrase: &str, load_demo: bool) -> Result<StoreState, CommandError> {
        let mut slot = self.store_slot();
        let mut store = Store::initialize(
            self.data_dir.path(),
            passphrase,
            self.kdf,
            self.clock.clone(),
            &author_of(&self.preferences()),
        )?;
        if load_demo || self.demo_pending.swap(false, Ordering::SeqCst) {
            store.load_demo_data()?;
        }
        *self.reader_slot() = Some(store.reader()?);
        *slot = Some(store);
        drop(slot);
        self.sync.store_opened();
        Ok(StoreState::Unlocked)
    }

    /// Opens the store. If the lost-laptop policy fell due while it was closed (too many
    /// days without contact with the server), the data is destroyed instead, nothing of
    /// it is shown, and the app returns to first run with a notice saying why.
    pub fn unlock_store(&self, passphrase: &str) -> Result<StoreState, CommandError> {
        let mut slot = self.store_slot();
        if slot.is_none() {
            let mut store =
                Store::open(self.data_dir.path(), passphrase, self.clock.clone(), &author_of(&self.preferences()))?;
            if account::wipe_due(&store, self.clock.now_ms())? {
                drop(slot);
                let shredded = store.shred();
                self.clear_opened_files();
                self.add_notice(wipe_notice(WipeReason::NoContact));
                shredded?;
                return Ok(self.store_state());
            }
            if self.demo_pending.swap(false, Ordering::SeqCst) {
                store.load_demo_data()?;
            }
            *self.reader_slot() = Some(store.reader()?);
            *slot = Some(store);
        }
        drop(slot);
        self.sync.store_opened();
        Ok(StoreState::Unlocked)
    }

    /// Restores a backup on a laptop without a store (first run, or after a wipe): the
    /// restored store is a new device, signed out, and opens at once.
    pub fn restore_backup(&self, backup: &str, passphrase: &str) -> Result<StoreState, CommandError> {
        let mut slot = self.store_slot();
        let now = self.clock.now_ms();
        let store = Store::restore_backup(
            self.data_dir.path(),
            std::path::Path::new(backup),
            passphrase,
            self.kdf,
            self.clock.clone(),
            &author_of(&self.preferences()),
            |s| account::restored(s, now),
        )?;
        *self.reader_slot() = Some(store.reader()?);
        *slot = Some(store);
        drop(slot);
        self.sync.store_opened();
        Ok(StoreState::Unlocked)
    }

    /// The follow-ups due on `today` of this laptop's user (by the name set in Settings),
    /// noting today as notified when the notification is to be raised.
    pub fn follow_up_reminder(&self, today: &str) -> Result<FollowUpReminder, CommandError> {
        let owner = self.preferences().user_name;
        self.with_store(|s| s.follow_up_reminder(today, Some(owner.as_str())))
    }

    /// "Back up now": the whole store into `folder`, sealed under `passphrase`. The store
    /// is held only to copy it and to note the backup; the file is written meanwhile.
    pub fn back_up(&self, folder: &str, passphrase: &str) -> Result<BackupMade, CommandError> {
        let copy = self.with_store(|s| s.backup_copy(account::LEFT_OUT_OF_BACKUPS))?;
        let made = copy.write_to(std::path::Path::new(folder), passphrase, self.kdf)?;
        self.with_store(|s| s.note_backup(&made))?;
        self.sync.refresh_status();
        Ok(made)
    }

    /// The drives and folders offered for backups (`SAITE_BACKUP_DIR` first when set).
    pub fn backup_places(&self) -> Vec<BackupPlace> {
        saite_appdata::backup_places(std::env::var_os(saite_appdata::BACKUP_DIR_ENV))
    }

    /// The backups in the offered places and in `folder`, newest first.
    pub fn backups_found(&self, folder: Option<&str>) -> Vec<BackupFound> {
        let mut folders: Vec<String> = self.backup_places().into_iter().map(|p| p.path).collect();
        folders.extend(folder.map(str::to_owned));
        saite_store::backup::backups_in(folders)
    }

    /// Closes the store; the data key leaves memory with it, and files opened from
    /// attachments are deleted. A sync round in flight stops at its next step and
    /// resumes after unlocking.
    pub fn lock_store(&self) -> StoreState {
        self.store_slot().take();
        self.reader_slot().take();
        self.forget_import();
        self.sync.store_closed();
        self.clear_opened_files();
        self.store_state()
    }

    fn opened_dir(&self) -> PathBuf {
        opened_dir(self.data_dir.path())
    }

    /// Deletes the decrypted copies of opened attachments.
    pub fn clear_opened_files(&self) {
        let _ = std::fs::remove_dir_all(self.opened_dir());
    }

    /// Writes an attachment's decrypted bytes to `open/<id>/<file name>` and returns the
    /// path. The file name is reduced to its last component so it cannot escape.
    pub fn materialize_attachment(&self, id: saite_domain::RecordId) -> Result<std::path::PathBuf, CommandError> {
        let (name, bytes) = self.with_store(|s| s.attachment_file(id))?;
        let safe = std::path::Path::new(&name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
            .unwrap_or_else(|| "attachment".to_owned());
        let dir = self.opened_dir().join(id.to_string());
        let io = |e: std::io::Error| CommandError::new(ShellErrorCode::Internal, e.to_string());
        std::fs::create_dir_all(&dir).map_err(io)?;
        let path = dir.join(safe);
        std::fs::write(&path, bytes).map_err(io)?;
        Ok(path)
    }

    /// Loads the demo sample when the store is next opened (`--demo-data`).
    pub fn request_demo_data(&self) {
        self.demo_pending.store(true, Ordering::SeqCst);
    }

    /// Runs `f` on the open store, or fails with `store-locked`.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, saite_store::StoreError>,
    ) -> Result<T, CommandError> {
        let mut slot = self.store_slot();
        let store = slot.as_mut().ok_or_else(CommandError::store_locked)?;
        f(store).map_err(CommandError::from)
    }

    /// [`SessionState::with_store`] for a change: on success, the sync loop is told, and
    /// syncs after its debounce time.
    pub fn change_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, saite_store::StoreError>,
    ) -> Result<T, CommandError> {
        let changed = self.with_store(f)?;
        self.sync.changed();
        Ok(changed)
    }

    pub fn load_demo_data(&self) -> Result<DemoSummary, CommandError> {
        self.change_store(Store::load_demo_data)
    }
}

#[cfg(test)]
mod tests {
    use saite_domain::ManualClock;
    use saite_store::StoreErrorCode;

    use super::*;
    use crate::ErrorCode;

    fn dir(tmp: &tempfile::TempDir) -> DataDir {
        DataDir::resolve(Some(tmp.path().join("data")), None).unwrap()
    }

    fn session(tmp: &tempfile::TempDir) -> SessionState {
        SessionState::open(dir(tmp), Arc::new(ManualClock::at(1_700_000_000_000)), KdfParams::FAST_FOR_TESTS).unwrap()
    }

    #[test]
    fn language_choice_persists_into_the_next_session() {
        let tmp = tempfile::tempdir().unwrap();
        let first = session(&tmp);
        assert_eq!(first.preferences().language, Locale::Lv);
        first.set_language(Locale::Ru).unwrap();
        first.set_auto_lock_minutes(5).unwrap();
        first.set_about(" +371 28612120 ", "Lāčplēša iela 75 - 1 B, Rīga").unwrap();
        drop(first);
        let second = session(&tmp);
        assert_eq!(second.preferences().language, Locale::Ru);
        assert_eq!(second.preferences().auto_lock_minutes, 5);
        assert_eq!(second.preferences().hotline, "+371 28612120");
        assert_eq!(second.preferences().office_address, "Lāčplēša iela 75 - 1 B, Rīga");
    }

    #[test]
    fn a_second_session_on_one_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let _first = session(&tmp);
        let clock = Arc::new(ManualClock::at(0));
        let second = SessionState::open(dir(&tmp), clock, KdfParams::FAST_FOR_TESTS).err().expect("refused");
        assert_eq!(second.code, ErrorCode::Shell(ShellErrorCode::DataDirInUse));
    }

    #[test]
    fn a_corrupt_preferences_file_gives_defaults_and_a_notice() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dir(&tmp);
        std::fs::create_dir_all(d.path()).unwrap();
        std::fs::write(Preferences::path_in(d.path()), "not json").unwrap();
        let s = session(&tmp);
        assert_eq!(s.preferences(), Preferences::default());
        let notices = s.app_info().notices;
        assert_eq!(
            notices.iter().map(|n| n.code).collect::<Vec<_>>(),
            vec![ErrorCode::Shell(ShellErrorCode::PreferencesUnreadable)]
        );
    }

    #[test]
    fn a_failed_save_keeps_the_previous_language() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        s.set_language(Locale::En).unwrap();
        std::fs::create_dir(dir(&tmp).path().join("preferences.json.tmp")).unwrap();
        let err = s.set_language(Locale::Ru).unwrap_err();
        assert_eq!(err.code, ErrorCode::Shell(ShellErrorCode::PreferencesUnwritable));
        assert_eq!(s.preferences().language, Locale::En);
    }

    #[test]
    fn the_store_goes_from_first_run_to_unlocked_to_locked() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        assert_eq!(s.store_state(), StoreState::NotCreated);
        let locked = s.with_store(|st| st.outbox_len()).unwrap_err();
        assert_eq!(locked.code, ErrorCode::Shell(ShellErrorCode::StoreLocked));
        assert_eq!(s.create_store("parole", true).unwrap(), StoreState::Unlocked);
        assert!(s.with_store(|st| st.search("daugavpils", 5)).unwrap().len() > 1, "demo data loaded");
        assert!(s.read_store(|st| st.search("daugavpils", 5)).unwrap().len() > 1, "the reader sees it too");
        assert_eq!(s.lock_store(), StoreState::Locked);
        let locked = s.read_store(|st| st.search("daugavpils", 5)).unwrap_err();
        assert_eq!(locked.code, ErrorCode::Shell(ShellErrorCode::StoreLocked), "the reader goes with the store");
        let wrong = s.unlock_store("nē").unwrap_err();
        assert_eq!(wrong.code, ErrorCode::Store(StoreErrorCode::WrongPassphrase));
        assert_eq!(s.store_state(), StoreState::Locked);
        assert_eq!(s.unlock_store("parole").unwrap(), StoreState::Unlocked);
        assert!(s.read_store(|st| st.search("daugavpils", 5)).unwrap().len() > 1, "a reader again after unlocking");
        let again = s.create_store("x", false).unwrap_err();
        assert_eq!(again.code, ErrorCode::Store(StoreErrorCode::AlreadyExists));
    }

    #[test]
    fn an_opened_attachment_is_written_inside_the_data_folder_and_deleted_on_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        s.create_store("parole", false).unwrap();
        let sem = s
            .with_store(|st| {
                let doc =
                    serde_json::json!({"title": "S", "kind": "seminar", "date": "2014-01-01", "municipality": "riga"});
                st.create(saite_domain::Collection::Seminar, doc.as_object().unwrap().clone())
            })
            .unwrap()
            .id;
        let a = s.with_store(|st| st.attach(sem, "../../etc/evil.txt", "text/plain", b"saturs")).unwrap();
        let path = s.materialize_attachment(a).unwrap();
        assert!(path.starts_with(dir(&tmp).path().join("open")), "{}", path.display());
        assert!(path.ends_with("evil.txt"));
        assert_eq!(std::fs::read(&path).unwrap(), b"saturs");
        s.lock_store();
        assert!(!path.exists(), "decrypted copies go when the store locks");
    }

    #[test]
    fn the_name_set_in_settings_authors_the_history() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        s.create_store("parole", false).unwrap();
        s.set_user_name("  Inese Kalniņa ").unwrap();
        let doc = serde_json::json!({"name": "X", "kind": "ngo"});
        let id = s
            .with_store(|st| st.create(saite_domain::Collection::Organisation, doc.as_object().unwrap().clone()))
            .unwrap()
            .id;
        let history = s.with_store(|st| st.history(id)).unwrap();
        assert!(history.iter().all(|h| h.author == "Inese Kalniņa"), "{history:?}");
    }

    #[test]
    fn demo_data_requested_on_the_command_line_loads_at_first_unlock() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        s.request_demo_data();
        s.create_store("parole", false).unwrap();
        assert!(!s.with_store(|st| st.search("drosa maja", 5)).unwrap().is_empty());
    }

    const DAY: u64 = 24 * 60 * 60 * 1000;

    #[test]
    fn unlocking_after_the_no_contact_limit_destroys_the_data_and_says_why() {
        let tmp = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let s = SessionState::open(dir(&tmp), clock.clone(), KdfParams::FAST_FOR_TESTS).unwrap();
        s.create_store("parole", true).unwrap();
        s.sync().set_wipe_after_days(Some(30)).unwrap();
        s.lock_store();
        clock.advance(29 * DAY);
        assert_eq!(s.unlock_store("parole").unwrap(), StoreState::Unlocked, "within the limit");
        s.lock_store();
        clock.advance(31 * DAY);
        let wrong = s.unlock_store("nē").unwrap_err();
        assert_eq!(
            wrong.code,
            ErrorCode::Store(StoreErrorCode::WrongPassphrase),
            "a stranger's guess learns nothing, wipes nothing"
        );
        assert_eq!(s.store_state(), StoreState::Locked);
        assert_eq!(s.unlock_store("parole").unwrap(), StoreState::NotCreated);
        assert_eq!(s.store_state(), StoreState::NotCreated);
        let notices: Vec<_> = s.app_info().notices.iter().map(|n| n.code).collect();
        assert_eq!(notices, vec![ErrorCode::Shell(ShellErrorCode::WipedNoContact)]);
        assert!(Store::open(dir(&tmp).path(), "parole", clock.clone(), "x").is_err());
        // First run again: a new store on the same folder.
        assert_eq!(s.create_store("jauna parole", false).unwrap(), StoreState::Unlocked);
    }

    #[test]
    fn the_sync_hosts_wipe_shreds_the_open_store_and_leaves_a_notice() {
        let tmp = tempfile::tempdir().unwrap();
        let s = session(&tmp);
        s.create_store("parole", true).unwrap();
        let path = s.materialize_attachment_for_test();
        let host = ShellSyncHost {
            slot: s.store.clone(),
            reader: s.reader.clone(),
            pending_import: s.pending_import.clone(),
            data_dir: dir(&tmp).path().to_owned(),
            notices: s.notices.clone(),
            last_failure_at: Mutex::new(None),
        };
        host.wipe(WipeReason::DeviceRevoked);
        assert_eq!(s.store_state(), StoreState::NotCreated);
        assert!(s.read_store(|st| st.trash(1)).is_err(), "the reader went with the store");
        assert!(!path.exists(), "decrypted copies go too");
        let notices: Vec<_> = s.app_info().notices.iter().map(|n| n.code).collect();
        assert_eq!(notices, vec![ErrorCode::Shell(ShellErrorCode::WipedDeviceRevoked)]);
        let files: Vec<_> = std::fs::read_dir(dir(&tmp).path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(files.iter().all(|f| !f.to_string_lossy().starts_with("store")), "no store files left: {files:?}");
    }

    impl SessionState {
        /// An attachment opened (decrypted to `open/`), as the UI would.
        fn materialize_attachment_for_test(&self) -> PathBuf {
            let doc =
                serde_json::json!({"title": "S", "kind": "seminar", "date": "2014-01-01", "municipality": "riga"});
            let sem = self
                .with_store(|st| st.create(saite_domain::Collection::Seminar, doc.as_object().unwrap().clone()))
                .unwrap()
                .id;
            let a = self.with_store(|st| st.attach(sem, "saraksts.txt", "text/plain", b"Jana 2912")).unwrap();
            self.materialize_attachment(a).unwrap()
        }
    }

    #[test]
    fn app_info_reports_version_and_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let info = session(&tmp).app_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.data_dir_source, DataDirSource::Flag);
        assert!(info.data_dir.ends_with("data"));
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<AppInfo>();
        saite_ts_bindings::assert_ts_fresh::<StoreState>();
    }
}
