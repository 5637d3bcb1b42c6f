//! The Saite desktop shell: parses the command line, opens the data folder, creates the
//! window and registers the commands the UI calls. Logic lives in the library crates;
//! everything here translates between them and Tauri.
//!
//! Glossary:
//! - **shell**: this crate; it holds no domain logic and no SQL.
//! - **command**: a function the UI calls over Tauri's IPC ([`commands`]); its errors
//!   reach the UI as a [`CommandError`] with a stable code.
//! - **session state**: what the shell holds while the window is open ([`SessionState`]).

mod cli;
pub mod commands;
mod error;
mod state;

use std::{process::ExitCode, sync::Arc};

use clap::Parser;
use saite_appdata::{DataDir, Preferences};
use saite_domain::SystemClock;
use saite_i18n::{Catalogue, Locale};
use saite_store::key::KdfParams;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

pub use cli::Cli;
pub use error::{CommandError, ErrorCode, ShellErrorCode};
pub use state::{AppInfo, SessionState, StoreState};

/// The label of the one main window; capabilities are granted to it by this name.
pub const MAIN_WINDOW: &str = "main";

/// Runs the app; returns when the window closes.
pub fn run() -> ExitCode {
    // `--version` and `--help` print and exit here, before anything touches a display.
    let cli = Cli::parse();
    let data_dir = match DataDir::resolve_from_env(cli.data_dir.clone()) {
        Ok(d) => d,
        Err(e) => return fail(fallback_locale(None), &CommandError::from(e)),
    };
    let session = match SessionState::open(data_dir.clone(), Arc::new(SystemClock), KdfParams::DEFAULT) {
        Ok(s) => s,
        Err(e) => return fail(fallback_locale(Some(&data_dir)), &e),
    };
    if cli.demo_data {
        session.request_demo_data();
    }
    // Decrypted copies left by a crash are removed before anything else happens.
    session.clear_opened_files();
    // Automation (tests, kiosk set-ups) may pass the passphrase in the environment;
    // a wrong one leaves the store locked and says so in the app.
    if let Some(passphrase) = std::env::var("SAITE_PASSPHRASE").ok().filter(|p| !p.is_empty()) {
        let opened = match session.store_state() {
            StoreState::NotCreated => session.create_store(&passphrase, false),
            _ => session.unlock_store(&passphrase),
        };
        if let Err(e) = opened {
            eprintln!("saite: SAITE_PASSPHRASE did not open the store: {e}");
            session.add_notice(e);
        }
    }
    let locale = session.preferences().language;
    let webview_dir = session.data_dir().webview_dir();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(session)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_preferences,
            commands::set_language,
            commands::set_auto_lock,
            commands::set_about,
            commands::set_user_name,
            commands::store_state,
            commands::create_store,
            commands::unlock_store,
            commands::lock_store,
            commands::follow_up_reminder,
            commands::restore_backup,
            commands::back_up,
            commands::backup_places,
            commands::backups_found,
            commands::change_passphrase,
            commands::load_demo_data,
            commands::reference_data,
            commands::create_record,
            commands::create_records,
            commands::attach_file,
            commands::open_attachment,
            commands::update_record,
            commands::delete_record,
            commands::restore_record,
            commands::get_record,
            commands::get_records,
            commands::referrers,
            commands::material_on_hand,
            commands::list_records,
            commands::report,
            commands::export_table,
            commands::open_export,
            commands::export_list,
            commands::cancel_job,
            commands::read_import_file,
            commands::preview_import,
            commands::commit_import,
            commands::forget_import,
            commands::export_pdf,
            commands::search_records,
            commands::record_history,
            commands::trash,
            commands::duplicate_candidates,
            commands::merge_preview,
            commands::merge_records,
            commands::sync_status,
            commands::sync_now,
            commands::connect_server,
            commands::disconnect_server,
            commands::allow_mass_delete,
            commands::set_wipe_policy,
            commands::last_used_server,
            commands::text_conflicts,
            commands::resolve_text_conflict,
            commands::attachment_files,
            commands::set_auto_download,
            commands::desk_users,
            commands::desk_add_user,
            commands::desk_set_user_disabled,
            commands::desk_set_role,
            commands::desk_reset_password,
            commands::desk_devices,
            commands::desk_revoke_device,
            commands::desk_audit,
            commands::desk_verify_audit,
            commands::desk_server_health,
            commands::desk_office,
            commands::desk_set_office,
            commands::record_trail,
        ])
        .setup(move |app| {
            // One sync loop for the app's life, on Tauri's tokio runtime.
            if let Some(sync_loop) = app.state::<SessionState>().take_sync_loop() {
                tauri::async_runtime::spawn(sync_loop);
            }
            let title = Catalogue::embedded().message(locale, "app-title");
            WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
                .title(title)
                // Fits a 1366×768 laptop screen with its panels.
                .inner_size(1240.0, 720.0)
                .min_inner_size(960.0, 600.0)
                // Each data folder has its own web storage, so two instances never share it.
                .data_directory(webview_dir)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let catalogue = Catalogue::embedded();
            eprintln!("{}: {e}", catalogue.message(locale, "error-startup-failed"));
            ExitCode::FAILURE
        }
    }
}

/// Raises the day's desktop notification of due follow-ups, in the app's language: how
/// many, not what (the notification service keeps what it shows outside the encrypted
/// store). A desktop without a notification service shows none; the sidebar's count
/// remains.
fn notify_follow_ups(app: &tauri::AppHandle, reminder: &saite_store::FollowUpReminder, locale: Locale) {
    use tauri_plugin_notification::NotificationExt;
    let catalogue = Catalogue::embedded();
    let mut args = saite_i18n::FluentArgs::new();
    args.set("count", reminder.due);
    let title = catalogue.format(locale, "reminder-follow-ups-title", Some(&args));
    let body = catalogue.message(locale, "reminder-follow-ups-body");
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("saite: the follow-up notification was not shown: {e}");
    }
}

/// The language for messages printed before the window exists: the saved choice if the
/// data folder has one, else the system's `LANG` if Saite speaks it, else Latvian.
fn fallback_locale(data_dir: Option<&DataDir>) -> Locale {
    data_dir
        .and_then(|d| Preferences::load(d.path()).ok())
        .map(|p| p.language)
        .or_else(|| std::env::var("LANG").ok().and_then(|l| l.parse().ok()))
        .unwrap_or_default()
}

fn fail(locale: Locale, error: &CommandError) -> ExitCode {
    let catalogue = Catalogue::embedded();
    eprintln!("{}\n{}", catalogue.message(locale, "error-startup-failed"), error.localized(catalogue, locale));
    ExitCode::from(2)
}
