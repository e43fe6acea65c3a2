//! One line per request on standard error: when, from where, what, the
//! status and how long it took. The query string is left out: statements
//! can hold what a desk would rather not have in a log file.

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::time::Instant;

/// Logs the request once it is answered.
pub async fn request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let peer = match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => addr.to_string(),
        None => "local".to_string(),
    };
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    eprintln!(
        "{now} {peer} {method} {path} {} {}",
        response.status().as_u16(),
        crate::shell::runner::elapsed_text(started.elapsed())
    );
    response
}
