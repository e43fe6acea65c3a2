//! The `claimdb` command: see [`claimdb::shell`].

fn main() -> std::process::ExitCode {
    claimdb::shell::main()
}
