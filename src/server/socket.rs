//! The server's marks in the database directory while it runs: the Unix
//! socket (`server.sock`, readable and writable by its owner only) that
//! local `claimdb` processes talk to, and `server.json`, which records the
//! process and its addresses. Both are removed when the server stops; a
//! server killed without warning leaves them behind, and the next one
//! (which holds the database's lock, so no other server is running)
//! replaces them.

use super::protocol::{Address, ADDRESS_FILE, SOCKET_FILE};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The longest socket path the operating system takes (`sun_path`, less
/// its terminating zero).
const MAX_SOCKET_PATH: usize = 107;

/// Binds the Unix socket in `dir`. `Ok(None)` with a note when the path is
/// too long for a socket: the server then answers over TCP only.
pub fn bind(dir: &Path) -> std::io::Result<Option<(tokio::net::UnixListener, PathBuf)>> {
    let path = std::path::absolute(dir.join(SOCKET_FILE))?;
    if path.as_os_str().len() > MAX_SOCKET_PATH {
        eprintln!(
            "claimdb serve: note: no Unix socket, since {} is longer than a socket path may be; local claimdb \
             commands cannot use this server",
            path.display()
        );
        return Ok(None);
    }
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(Some((listener, path)))
}

/// Writes `server.json` in `dir` (whole, through a temporary file).
pub fn record(dir: &Path, address: &Address) -> std::io::Result<()> {
    let temp = dir.join(format!(".{ADDRESS_FILE}.partial"));
    let text = serde_json::to_string_pretty(address).map_err(std::io::Error::other)?;
    std::fs::write(&temp, text + "\n")?;
    std::fs::rename(&temp, dir.join(ADDRESS_FILE))
}

/// The address a server recorded in `dir`, if one did.
pub fn recorded(dir: &Path) -> Option<Address> {
    let text = std::fs::read_to_string(dir.join(ADDRESS_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Removes the marks of a server that stops.
pub fn remove(dir: &Path, socket: Option<&Path>) {
    let _ = std::fs::remove_file(dir.join(ADDRESS_FILE));
    if let Some(socket) = socket {
        let _ = std::fs::remove_file(socket);
    }
}
