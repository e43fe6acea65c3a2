//! Who may do what. With a token (`--token-file`), every write needs it,
//! and with `--private` every read too: API clients send
//! `Authorization: Bearer TOKEN`, the web page sends it in a cookie set by
//! its sign-in form. Forms carry a CSRF token as well, so another site
//! cannot make a signed-in browser write. A server on loopback accepts
//! only loopback host names, so a web page elsewhere cannot reach it by
//! pointing its own name at 127.0.0.1 (DNS rebinding).

use super::error::ApiError;
use super::state::State;
use axum::http::{header, HeaderMap};

/// The cookie that carries the token for the web page.
pub const COOKIE: &str = "claimdb_token";

/// A fresh random secret, as 32 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness there is no safe token; the server cannot run.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token a request presents: the bearer header, else the cookie.
fn presented(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).unwrap_or("");
        return Some(token.trim().to_string());
    }
    cookie(headers, COOKIE)
}

/// The value of cookie `name`, if the request has it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// Whether the request carries the right token (true when none is set).
pub fn signed_in(state: &State, headers: &HeaderMap) -> bool {
    match &state.settings().token {
        None => true,
        Some(token) => presented(headers).is_some_and(|p| same_secret(&p, token)),
    }
}

/// Checks that the request may read.
pub fn may_read(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    if state.settings().options.private {
        return need_token(state, headers, "this server is private: reading needs the token");
    }
    Ok(())
}

/// Checks that the request may write.
pub fn may_write(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    if state.read_only() {
        return Err(ApiError::forbidden(
            "this server is read-only: the statement would change the database",
            "ask whoever runs the server to start it without --read-only",
        ));
    }
    need_token(state, headers, "writing needs the server's token")
}

fn need_token(state: &State, headers: &HeaderMap, why: &str) -> Result<(), ApiError> {
    let Some(token) = &state.settings().token else { return Ok(()) };
    match presented(headers) {
        None => Err(ApiError::unauthorized(why)),
        Some(p) if same_secret(&p, token) => Ok(()),
        Some(_) => Err(ApiError::forbidden("the token given is not this server's", "check the token file")),
    }
}

/// Checks a form's CSRF token.
pub fn check_csrf(state: &State, given: Option<&str>) -> Result<(), ApiError> {
    match given {
        Some(g) if same_secret(g, state.csrf()) => Ok(()),
        _ => Err(ApiError::forbidden(
            "the form's security token is missing or out of date",
            "reload the page and submit the form again",
        )),
    }
}

/// Whether the Host header is one that a server listening on loopback
/// may answer: a loopback address or `localhost`, any port.
pub fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return true };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert_eq!(random_token().len(), 32);
        assert_ne!(random_token(), random_token());
    }

    #[test]
    fn tokens_come_from_the_header_or_the_cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(presented(&h), None);
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; claimdb_token=sekret"));
        assert_eq!(presented(&h).as_deref(), Some("sekret"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer t0ken"));
        assert_eq!(presented(&h).as_deref(), Some("t0ken"));
    }

    #[test]
    fn only_loopback_host_names_pass() {
        let mut h = HeaderMap::new();
        for (host, ok) in [
            ("127.0.0.1:7700", true),
            ("localhost:7700", true),
            ("[::1]:7700", true),
            ("localhost", true),
            ("evil.example:7700", false),
            ("10.0.0.1:7700", false),
        ] {
            h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            assert_eq!(loopback_host(&h), ok, "{host}");
        }
    }
}
