use std::path::PathBuf;

use clap::Parser;

/// Saite: prevention work records for anti-trafficking consultants.
#[derive(Debug, Parser)]
#[command(name = "saite", version, about)]
pub struct Cli {
    /// The folder holding this installation's data (overrides SAITE_DATA_DIR; default:
    /// the operating system's per-user app-data folder).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Load the demo sample (built from the NGO's published figures) as soon as the
    /// store is open. Loads once; later starts load nothing more.
    #[arg(long)]
    pub demo_data: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_data_dir() {
        let cli = Cli::try_parse_from(["saite", "--data-dir", "/tmp/x"]).unwrap();
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/x")));
        assert!(Cli::try_parse_from(["saite", "--bogus"]).is_err());
    }

    #[test]
    fn version_flag_is_handled_by_clap() {
        let err = Cli::try_parse_from(["saite", "--version"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayVersion);
        assert!(err.to_string().contains(env!("CARGO_PKG_VERSION")));
    }
}
