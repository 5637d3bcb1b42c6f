//! `saite-server`: `serve` runs the HTTP API; `admin ...` works on the database directly
//! (no server needs to run). See docs/server.md.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use saite_domain::{Clock, SystemClock};
use saite_protocol::{Role, TenantId, admin::NewUserRequest};
use saite_server::{
    AppState, Limits,
    desk::{Actor, Desk},
    router,
};
use saite_server_postgres::PostgresStorage;
use saite_server_sqlite::SqliteStorage;
use saite_server_storage::{AuditContext, Dump, ServerStorage};
use serde_json::json;

/// mimalloc, not the system's allocator: a push's changes are parsed into many small
/// maps and strings, freed once stored.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "saite-server", version, about = "Saite's central sync server")]
struct Cli {
    /// Where the server keeps its SQLite database (when --database is not given).
    #[arg(long, global = true, env = "SAITE_SERVER_DATA_DIR", default_value = "/var/lib/saite-server")]
    data_dir: PathBuf,
    /// sqlite://PATH or postgres://USER@HOST:PORT/DB (default: sqlite://DATA_DIR/saite-server.db).
    #[arg(long, global = true, env = "SAITE_SERVER_DATABASE")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve(ServeArgs),
    /// Administration, directly on the database.
    Admin {
        #[command(subcommand)]
        command: Admin,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, env = "SAITE_SERVER_LISTEN", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// The TLS certificate chain (PEM); with --tls-key the server speaks HTTPS.
    #[arg(long, env = "SAITE_SERVER_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The TLS private key (PEM) of --tls-cert.
    #[arg(long, env = "SAITE_SERVER_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Allow plain HTTP on an address other than loopback (behind a TLS proxy only).
    #[arg(long, env = "SAITE_SERVER_INSECURE_HTTP")]
    insecure_http: bool,
    /// PostgreSQL connections per instance.
    #[arg(long, env = "SAITE_SERVER_POOL_SIZE", default_value_t = 16)]
    pool_size: usize,
    /// The largest request body, in bytes.
    #[arg(long, env = "SAITE_SERVER_MAX_BODY", default_value_t = Limits::default().max_body_bytes)]
    max_body: usize,
    /// Sign-in attempts per client address per minute.
    #[arg(long, env = "SAITE_SERVER_SIGN_INS_PER_MINUTE", default_value_t = Limits::default().sign_ins_per_minute)]
    sign_ins_per_minute: u32,
    /// The largest attached file, in bytes (uploaded in parts of at most --max-body).
    #[arg(long, env = "SAITE_SERVER_MAX_BLOB", default_value_t = Limits::default().max_blob_bytes)]
    max_blob: u64,
    /// The most records one pull page carries (a laptop asks for 5 000): lower on a
    /// slow or flaky link, so a cut-off costs less.
    #[arg(long, env = "SAITE_SERVER_MAX_PAGE", default_value_t = Limits::default().max_page, value_parser = clap::value_parser!(u32).range(1..))]
    max_page: u32,
    /// Minutes a pushed stamp may lie ahead of the server's clock; a laptop whose clock
    /// runs further ahead is refused with `stamp-ahead` and corrects its stamps.
    #[arg(long, env = "SAITE_SERVER_MAX_STAMP_AHEAD_MINUTES", default_value_t = Limits::default().max_stamp_ahead.as_secs() / 60)]
    max_stamp_ahead_minutes: u64,
    /// Seconds to let in-flight requests finish after SIGTERM or Ctrl+C.
    #[arg(long, env = "SAITE_SERVER_SHUTDOWN_GRACE", default_value_t = 30)]
    shutdown_grace: u64,
}

#[derive(Subcommand)]
enum Admin {
    /// Organisations (tenants): add one, or list them.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Users: the password is read from the first line of standard input.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Laptops: list them, or revoke a lost one (it destroys its data when it next asks).
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// The audit log: read it, or verify its hash chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Ask every laptop of an organisation to fetch one collection again from the start
    /// (after a repair on the server, or when laptops report checksum mismatches).
    Repull {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
        /// The collection: seminar, organisation, person, material, ...
        #[arg(long, value_parser = parse_collection)]
        collection: saite_domain::Collection,
    },
    /// Write everything to a JSON file (consistent: one transaction).
    Backup {
        /// The file to write.
        file: PathBuf,
    },
    /// Load a backup into an empty database.
    Restore {
        /// The backup file to read.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an organisation; prints its id.
    Add {
        /// The organisation's name, as its people see it.
        name: String,
    },
    /// List the organisations with their ids.
    List,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is the first line of standard input.
    Add {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
        /// The e-mail address the user signs in with.
        #[arg(long)]
        email: String,
        /// The user's name, as the audit log and the laptops show it.
        #[arg(long)]
        name: String,
        /// consultant, coordinator or admin.
        #[arg(long, value_parser = parse_role, default_value = "consultant")]
        role: Role,
    },
    /// List an organisation's users.
    List {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
    },
    /// Stop a user from signing in and syncing.
    Disable {
        /// The user's e-mail address.
        email: String,
    },
    /// Let a disabled user sign in and sync again.
    Enable {
        /// The user's e-mail address.
        email: String,
    },
    /// Change a user's role.
    SetRole {
        /// The user's e-mail address.
        email: String,
        /// consultant, coordinator or admin.
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Set a new password (the first line of standard input); also lifts a lock-out.
    ResetPassword {
        /// The user's e-mail address.
        email: String,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// List an organisation's laptops.
    List {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
    },
    /// Revoke a lost laptop: it is refused from now on and destroys its data.
    Revoke {
        /// The laptop's device id (`admin device list`).
        id: saite_domain::DeviceId,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Print an organisation's audit entries, oldest first.
    Read {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
        /// Only entries after this one.
        #[arg(long, default_value_t = 0)]
        after: u64,
    },
    /// Check that no entry was changed or removed (the hash chain).
    Verify {
        /// The organisation's id (`admin org list`).
        #[arg(long)]
        org: TenantId,
    },
}

fn parse_collection(s: &str) -> Result<saite_domain::Collection, String> {
    saite_domain::Collection::parse(s)
        .ok_or_else(|| format!("one of: {}", saite_domain::Collection::ALL.map(|c| c.as_str()).join(", ")))
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("one of: {}", Role::ALL.map(|r| r.as_str()).join(", ")))
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SAITE_SERVER_LOG").unwrap_or_else(|_| "info".into()),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let url = cli
            .database
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", cli.data_dir.join("saite-server.db").display()));
        let pool_size = match &cli.command {
            Command::Serve(a) => a.pool_size,
            Command::Admin { .. } => 2,
        };
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = PathBuf::from(path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            let storage = SqliteStorage::open(&path).with_context(|| format!("opening {}", path.display()))?;
            run(cli.command, storage).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let storage = PostgresStorage::connect(&url, pool_size).await.context("connecting to PostgreSQL")?;
            run(cli.command, storage).await
        } else {
            bail!("--database must start with sqlite:// or postgres://")
        }
    })
}

async fn run<S: ServerStorage>(command: Command, storage: S) -> Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match command {
        Command::Serve(args) => serve(args, storage, clock).await,
        Command::Admin { command } => admin(command, storage, clock.now_ms()).await,
    }
}

async fn serve<S: ServerStorage>(args: ServeArgs, storage: S, clock: Arc<dyn Clock>) -> Result<()> {
    let tls = matches!((&args.tls_cert, &args.tls_key), (Some(_), Some(_)));
    if !tls && !args.listen.ip().is_loopback() && !args.insecure_http {
        bail!(
            "refusing plain HTTP on {}: give --tls-cert and --tls-key, or --insecure-http behind a TLS proxy",
            args.listen
        );
    }
    let limits = Limits {
        max_body_bytes: args.max_body,
        sign_ins_per_minute: args.sign_ins_per_minute,
        max_blob_bytes: args.max_blob,
        max_page: args.max_page,
        default_page: Limits::default().default_page.min(args.max_page),
        max_stamp_ahead: Duration::from_secs(args.max_stamp_ahead_minutes * 60),
        ..Limits::default()
    };
    let app = router(AppState::new(storage, clock, limits)).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let grace = Duration::from_secs(args.shutdown_grace);
    tokio::spawn({
        let handle = handle.clone();
        async move {
            shutdown_signal().await;
            tracing::info!("shutting down: finishing requests in flight");
            handle.graceful_shutdown(Some(grace));
        }
    });
    tokio::spawn({
        let handle = handle.clone();
        async move {
            if let Some(addr) = handle.listening().await {
                // Tests and scripts read this line to learn the port (with :0).
                println!("listening on {}://{addr}", if tls { "https" } else { "http" });
                tracing::info!(%addr, tls, "listening");
            }
        }
    });
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
            .await
            .context("reading the TLS certificate and key")?;
        axum_server::bind_rustls(args.listen, config).handle(handle).serve(app).await?;
    } else {
        axum_server::bind(args.listen).handle(handle).serve(app).await?;
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}

/// The first line of standard input (the desk checks its length).
fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn user_by_email<S: ServerStorage>(storage: &S, email: &str) -> Result<saite_server_storage::User> {
    storage.user_by_email(email).await?.with_context(|| format!("no user with e-mail {email}"))
}

async fn admin<S: ServerStorage>(command: Admin, storage: S, now: u64) -> Result<()> {
    let ctx = |action: &str, detail: serde_json::Value| AuditContext::admin(now, action, detail);
    let desk = Desk { storage: &storage, actor: Actor::Terminal, now_ms: now };
    match command {
        Admin::Org { command: OrgCommand::Add { name } } => {
            let t = storage
                .create_tenant(TenantId(uuid::Uuid::now_v7()), &name, ctx("org-add", json!({"name": name})))
                .await?;
            println!("{}", t.id);
        }
        Admin::Org { command: OrgCommand::List } => {
            for t in storage.tenants().await? {
                println!("{}\t{}", t.id, t.name);
            }
        }
        Admin::User { command } => match command {
            UserCommand::Add { org, email, name, role } => {
                let password = read_password()?;
                let (user, _) = desk.add_user(org, NewUserRequest { email, name, role }, Some(password)).await?;
                println!("{}", user.id);
            }
            UserCommand::List { org } => {
                for u in desk.users(org).await? {
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!("{}\t{}\t{}\t{}\t{state}", u.id, u.email, u.name, u.role);
                }
            }
            UserCommand::Disable { email } => {
                desk.set_disabled(user_by_email(&storage, &email).await?.id, true).await?;
            }
            UserCommand::Enable { email } => {
                desk.set_disabled(user_by_email(&storage, &email).await?.id, false).await?;
            }
            UserCommand::SetRole { email, role } => {
                desk.set_role(user_by_email(&storage, &email).await?.id, role).await?;
            }
            UserCommand::ResetPassword { email } => {
                let id = user_by_email(&storage, &email).await?.id;
                desk.reset_password(id, Some(read_password()?)).await?;
            }
        },
        Admin::Device { command: DeviceCommand::List { org } } => {
            for d in desk.devices(org).await? {
                let state = if d.revoked_at_ms.is_some() { "revoked" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{state}\tapplied {}\tpulled {}",
                    d.id, d.user, d.name, d.applied_seq, d.pulled_seq
                );
            }
        }
        Admin::Device { command: DeviceCommand::Revoke { id } } => {
            desk.revoke_device(id).await?;
        }
        Admin::Audit { command: AuditCommand::Read { org, after } } => {
            for e in storage.audit_log(org, after, u32::MAX).await? {
                println!("{}", serde_json::to_string(&e)?);
            }
        }
        Admin::Audit { command: AuditCommand::Verify { org } } => match desk.verify_audit(org).await? {
            (entries, None) => println!("audit chain intact: {entries} entries"),
            (_, Some(fault)) => bail!("audit chain broken: {fault}"),
        },
        Admin::Repull { org, collection } => {
            let generation = storage
                .request_repull(org, collection, ctx("repull", json!({"collection": collection.as_str()})))
                .await?;
            println!("laptops will fetch {collection} again (re-pull generation {generation})");
        }
        Admin::Backup { file } => {
            let dump = storage.export().await?;
            let tmp = file.with_extension("partial");
            std::fs::write(&tmp, serde_json::to_vec(&dump)?)?;
            std::fs::rename(&tmp, &file)?;
            println!("backup written: {} organisations, {} values", dump.tenants.len(), dump.fields.len());
        }
        Admin::Restore { file } => {
            let dump: Dump = serde_json::from_slice(&std::fs::read(&file)?).context("reading the backup")?;
            storage.import(&dump).await?;
            println!("restored: {} organisations, {} values", dump.tenants.len(), dump.fields.len());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every subcommand and option says what it is in `--help`.
    #[test]
    fn every_command_and_option_is_documented() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments().filter(|a| !matches!(a.get_id().as_str(), "help" | "version")) {
                if arg.get_help().is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() {
                    missing.push(path.clone());
                }
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "saite-server", &mut missing);
        assert!(missing.is_empty(), "undocumented: {missing:?}");
    }
}
