// Typed calls to the shell's commands (src-tauri/src/commands.rs). The types come from
// Rust through ts-rs; only the command names are spelled here.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./generated/AppInfo";
import type { CommandError } from "./generated/CommandError";
import type { ErrorCode } from "./generated/ErrorCode";
import type { Locale } from "./generated/Locale";
import type { MessageId } from "./generated/MessageId";
import type { Preferences } from "./generated/Preferences";
import type { DemoSummary } from "./generated/DemoSummary";
import type { StoreState } from "./generated/StoreState";
import type { AccountSummary } from "./generated/AccountSummary";
import type { SyncStatus } from "./generated/SyncStatus";
import type { TextConflict } from "./generated/TextConflict";
import type { AttachmentFile } from "./generated/AttachmentFile";
import type { RecordId } from "./generated/RecordId";
import type { ExportFormat } from "./generated/ExportFormat";
import type { Table } from "./generated/Table";
import type { ListQuery } from "./generated/ListQuery";
import type { Progress } from "./generated/Progress";
import type { PrintedReport } from "./generated/PrintedReport";
import type { SourceSummary } from "./generated/SourceSummary";
import type { ImportKind } from "./generated/ImportKind";
import type { PreviewRow } from "./generated/PreviewRow";
import type { RowDecision } from "./generated/RowDecision";
import type { ImportReport } from "./generated/ImportReport";
import type { AuditQuery } from "./generated/AuditQuery";
import type { AuditVerdict } from "./generated/AuditVerdict";
import type { AuditView } from "./generated/AuditView";
import type { DeviceId } from "./generated/DeviceId";
import type { DeviceView } from "./generated/DeviceView";
import type { NewUserRequest } from "./generated/NewUserRequest";
import type { OfficeSettings } from "./generated/OfficeSettings";
import type { OneTimePassword } from "./generated/OneTimePassword";
import type { Role } from "./generated/Role";
import type { ServerHealth } from "./generated/ServerHealth";
import type { UserId } from "./generated/UserId";
import type { UserView } from "./generated/UserView";
import type { BackupFound } from "./generated/BackupFound";
import type { BackupMade } from "./generated/BackupMade";
import type { BackupPlace } from "./generated/BackupPlace";
import type { FollowUpReminder } from "./generated/FollowUpReminder";

export const commands = {
  appInfo: () => invoke<AppInfo>("app_info"),
  getPreferences: () => invoke<Preferences>("get_preferences"),
  setLanguage: (language: Locale) => invoke<Preferences>("set_language", { language }),
  setAutoLock: (minutes: number) => invoke<Preferences>("set_auto_lock", { minutes }),
  setUserName: (name: string) => invoke<Preferences>("set_user_name", { name }),
  setAbout: (hotline: string, officeAddress: string) => invoke<Preferences>("set_about", { hotline, officeAddress }),
  storeState: () => invoke<StoreState>("store_state"),
  createStore: (passphrase: string, loadDemo: boolean) => invoke<StoreState>("create_store", { passphrase, loadDemo }),
  unlockStore: (passphrase: string) => invoke<StoreState>("unlock_store", { passphrase }),
  lockStore: () => invoke<StoreState>("lock_store"),
  followUpReminder: (today: string) => invoke<FollowUpReminder>("follow_up_reminder", { today }),
  restoreBackup: (path: string, passphrase: string) => invoke<StoreState>("restore_backup", { path, passphrase }),
  backUp: (folder: string, passphrase: string) => invoke<BackupMade>("back_up", { folder, passphrase }),
  backupPlaces: () => invoke<BackupPlace[]>("backup_places"),
  backupsFound: (folder: string | null) => invoke<BackupFound[]>("backups_found", { folder }),
  changePassphrase: (old: string, next: string) => invoke<null>("change_passphrase", { old, new: next }),
  loadDemoData: () => invoke<DemoSummary>("load_demo_data"),
  syncStatus: () => invoke<SyncStatus>("sync_status"),
  syncNow: () => invoke<null>("sync_now"),
  connectServer: (server: string, email: string, password: string) =>
    invoke<AccountSummary>("connect_server", { server, email, password }),
  disconnectServer: () => invoke<null>("disconnect_server"),
  allowMassDelete: () => invoke<null>("allow_mass_delete"),
  setWipePolicy: (days: number | null) => invoke<SyncStatus>("set_wipe_policy", { days }),
  lastUsedServer: () => invoke<[string, string]>("last_used_server"),
  attachmentFiles: (owner: RecordId) => invoke<AttachmentFile[]>("attachment_files", { owner }),
  setAutoDownload: (bytes: number) => invoke<SyncStatus>("set_auto_download", { bytes }),
  textConflicts: () => invoke<TextConflict[]>("text_conflicts"),
  resolveTextConflict: (id: RecordId, field: string, text: string) =>
    invoke<null>("resolve_text_conflict", { id, field, text }),
  exportTable: (table: Table, format: ExportFormat) => invoke<string>("export_table", { table, format }),
  openExport: (path: string) => invoke<null>("open_export", { path }),
  /** Every record `query` lists (its window aside) to a file; vCards when `format` is
   * null. `job` names it for `cancelJob`. */
  exportList: (query: ListQuery, format: ExportFormat | null, job: string, onProgress: (p: Progress) => void) => {
    const progress = new Channel<Progress>();
    progress.onmessage = onProgress;
    return invoke<string>("export_list", { query, format, job, progress });
  },
  cancelJob: (job: string) => invoke<null>("cancel_job", { job }),
  deskUsers: () => invoke<UserView[]>("desk_users"),
  deskAddUser: (user: NewUserRequest) => invoke<OneTimePassword>("desk_add_user", { user }),
  deskSetUserDisabled: (user: UserId, disabled: boolean) =>
    invoke<UserView>("desk_set_user_disabled", { user, disabled }),
  deskSetRole: (user: UserId, role: Role) => invoke<UserView>("desk_set_role", { user, role }),
  deskResetPassword: (user: UserId) => invoke<OneTimePassword>("desk_reset_password", { user }),
  deskDevices: () => invoke<DeviceView[]>("desk_devices"),
  deskRevokeDevice: (device: DeviceId) => invoke<DeviceView>("desk_revoke_device", { device }),
  deskAudit: (query: AuditQuery) => invoke<AuditView[]>("desk_audit", { query }),
  deskVerifyAudit: () => invoke<AuditVerdict>("desk_verify_audit"),
  deskServerHealth: () => invoke<ServerHealth>("desk_server_health"),
  deskOffice: () => invoke<OfficeSettings>("desk_office"),
  deskSetOffice: (office: OfficeSettings) => invoke<OfficeSettings>("desk_set_office", { office }),
  /** Reads a file to import; the shell keeps it for the preview. */
  readImportFile: async (file: File) =>
    invoke<SourceSummary>("read_import_file", new Uint8Array(await file.arrayBuffer())),
  previewImport: (
    kind: ImportKind,
    mapping: (string | null)[],
    defaults: Record<string, unknown>,
    job: string,
    onProgress: (p: Progress) => void,
  ) => {
    const progress = new Channel<Progress>();
    progress.onmessage = onProgress;
    return invoke<PreviewRow[]>("preview_import", { kind, mapping, defaults, job, progress });
  },
  forgetImport: () => invoke<null>("forget_import"),
  commitImport: (decisions: RowDecision[], job: string, onProgress: (p: Progress) => void) => {
    const progress = new Channel<Progress>();
    progress.onmessage = onProgress;
    return invoke<ImportReport>("commit_import", { decisions, job, progress });
  },
  exportPdf: (report: PrintedReport) => invoke<string>("export_pdf", { report }),
};

export function isCommandError(value: unknown): value is CommandError {
  return typeof value === "object" && value !== null && "code" in value && "args" in value;
}

/** The message explaining `code`; the compiler checks that every code has one. */
export function errorMessageId(code: ErrorCode): MessageId {
  return `error-${code}`;
}

/** Any rejection as a CommandError, so the UI always has a code and a message. */
export function asCommandError(value: unknown): CommandError {
  if (isCommandError(value)) return value;
  console.error(value);
  return { code: "internal", args: {}, fieldErrors: [] };
}
