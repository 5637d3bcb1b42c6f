//! The OpenAPI 3 document, generated from the handlers' annotations and the protocol
//! types; served at `/openapi.json` and written to docs/openapi.json by a test.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{blobs, desk_endpoints, handlers};

#[derive(OpenApi)]
#[openapi(
    info(title = "saite-server"),
    paths(
        handlers::health, handlers::sign_in, handlers::me, handlers::push, handlers::events, handlers::pull, handlers::checksums,
        desk_endpoints::users, desk_endpoints::add_user, desk_endpoints::disable_user, desk_endpoints::enable_user,
        desk_endpoints::set_role, desk_endpoints::reset_password, desk_endpoints::devices,
        desk_endpoints::revoke_device, desk_endpoints::audit, desk_endpoints::verify_audit,
        desk_endpoints::server_health, desk_endpoints::office, desk_endpoints::set_office, desk_endpoints::record_trail, blobs::put_blob, blobs::blob_status, blobs::get_blob
    ),
    components(schemas(saite_protocol::ApiErrorCode, saite_protocol::Role)),
    modifiers(&DeviceToken, &Description)
)]
pub struct ApiDoc;

struct DeviceToken;

/// The description, naming the protocol version this build speaks.
struct Description;

impl Modify for Description {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let v = saite_protocol::PROTOCOL_VERSION;
        openapi.info.description = Some(format!(
            "Saite's sync server: sign-in, push, pull, checksums, attached files, administration. Protocol version \
             {v}: every /v1 request carries the `{}: {v}` header; all but sign-in a device token (Bearer). Every \
             answer carries the server's clock in ms since the epoch (`{}`). See docs/server.md for the rules.",
            saite_protocol::VERSION_HEADER,
            saite_protocol::SERVER_TIME_HEADER
        ));
        // The records a push carries: the collections, their fields and code lists.
        let collections = saite_domain::spec::collections_markdown();
        if let Some(description) = &mut openapi.info.description {
            description.push_str("\n\n");
            description.push_str(&collections);
        }
    }
}

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as pretty JSON.
pub fn document_json() -> String {
    ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serialises")
}

#[cfg(test)]
mod tests {
    /// docs/openapi.json is the generated document, committed so it can be read and
    /// diffed without running the server; `cargo xtask gen` rewrites it.
    #[test]
    fn generated_openapi_document_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        saite_ts_bindings::assert_fresh(&path, &(super::document_json() + "\n"));
    }
}
