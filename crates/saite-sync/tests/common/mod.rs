//! The real `saite-server` router for the sync tests: served on a random port (or a
//! chosen one, to come back "after a restart" where the laptops expect it) over a real
//! SQLite file, and one organisation with two consultants.

#![allow(dead_code)] // each test binary uses its own part

use std::{net::SocketAddr, path::Path, sync::Arc};

use saite_domain::{Clock, SystemClock};
use saite_protocol::{Role, TenantId, UserId};
use saite_server::{AppState, Limits, router};
use saite_server_sqlite::SqliteStorage;
use saite_server_storage::{AuditContext, NewUser, ServerStorage};
use serde_json::json;

pub const PASSWORD: &str = "Drošā parole 2026";

pub struct Server {
    pub url: String,
    pub task: tokio::task::JoinHandle<()>,
    pub storage: SqliteStorage,
    shutdown: Arc<tokio::sync::Notify>,
}

impl Server {
    /// Serves the database in `dir` (made on first use) on a new random port.
    pub async fn start(dir: &Path) -> Server {
        Server::start_at(dir, "127.0.0.1:0").await
    }

    /// Serves the database in `dir` on `address` (a port freed by [`Server::stop`] can
    /// be taken again).
    pub async fn start_at(dir: &Path, address: &str) -> Server {
        let storage = SqliteStorage::open(&dir.join("server.db")).unwrap();
        let app = router(AppState::new(storage.clone(), Arc::new(SystemClock), Limits::default()));
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shutdown = Arc::new(tokio::sync::Notify::new());
        let signal = shutdown.clone();
        let task = tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async move { signal.notified().await })
                .await
                .unwrap();
        });
        Server { url, task, storage, shutdown }
    }

    /// Stops serving and returns once the server is gone, its idle keep-alive
    /// connections closed too. (Aborting the accept loop left a pooled connection
    /// answering for a moment: a round "after the server stopped" could still succeed.)
    pub async fn stop(self) {
        self.shutdown.notify_one();
        let _ = self.task.await;
    }
}

/// One organisation with two consultants; returns their e-mails.
pub async fn organisation(storage: &SqliteStorage) -> (TenantId, [String; 2]) {
    let tenant = TenantId(uuid::Uuid::now_v7());
    let admin = |action: &str| AuditContext::admin(SystemClock.now_ms(), action, json!({}));
    storage.create_tenant(tenant, "Biedrība Patvērums", admin("tenant-add")).await.unwrap();
    let hash = saite_server::auth::hash_password(PASSWORD);
    let emails = ["sandra@example.lv", "ilze@example.lv"].map(str::to_owned);
    for email in &emails {
        let user = NewUser {
            id: UserId(uuid::Uuid::now_v7()),
            tenant,
            email: email.clone(),
            name: email.clone(),
            role: Role::Consultant,
            password_hash: hash.clone(),
        };
        storage.create_user(user, admin("user-add")).await.unwrap();
    }
    (tenant, emails)
}
