//! The commands the UI invokes. Each is a line or two over [`SessionState`]; each is
//! listed in `build.rs` so it gets a permission, and granted in `capabilities/main.json`.

use saite_appdata::Preferences;
use saite_i18n::Locale;
use tauri::State;

use crate::{AppInfo, CommandError, SessionState};

#[tauri::command]
pub fn app_info(session: State<'_, SessionState>) -> AppInfo {
    session.app_info()
}

#[tauri::command]
pub fn get_preferences(session: State<'_, SessionState>) -> Preferences {
    session.preferences()
}

#[tauri::command]
pub fn set_language(session: State<'_, SessionState>, language: Locale) -> Result<Preferences, CommandError> {
    session.set_language(language)
}
