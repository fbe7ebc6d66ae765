//! `cargo xtask …`: the chores of this repository, in Rust like the rest.
//!
//! - `cargo xtask run`   builds the widget and the server, starts Sammen on
//!   SQLite with the demo data and prints the demo page's URL.
//! - `cargo xtask test`  runs every test: unit, API (SQLite and PostgreSQL),
//!   process; installs or starts what is missing first.
//! - `cargo xtask lint`  the walls between crates and modules (`walls.rs`),
//!   `cargo fmt --check` and clippy with warnings denied.
//! - `cargo xtask build-widget` / `widget-size`  the widget's release build
//!   and the report of its bytes.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod browser;
mod console;
mod language_packs;
mod postgres;
mod schemathesis;
mod walls;
mod widget;

const USAGE: &str = "usage: cargo xtask <command>

  run [--release]  build and start Sammen with demo data on SQLite (prints the demo URL)
  test             run every test (starts PostgreSQL when it is installed but down)
  lint             walls between crates and modules, cargo fmt --check, clippy -D warnings
  schemathesis     fuzz every API operation of a running server against its OpenAPI document
  build-widget     build the citizen widget for release into frontend/dist/
  widget-size      print the bytes the widget loads: raw, gzip, brotli
  build-console    build the coordinator console for release into frontend/console/dist/";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_sammen(&root, args.iter().any(|a| a == "--release")),
        Some("test") => test(&root),
        Some("lint") => lint(&root),
        Some("schemathesis") => schemathesis::run_against_server(&root),
        Some("build-widget") => widget::build(&root).map(|build| println!("{build}")),
        Some("build-console") => console::build(&root),
        Some("widget-size") => {
            widget::report(&root);
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The cargo that runs the xtask, so toolchain overrides carry over.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs a command to completion; an error names it and its exit status.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}

/// Whether a program can be found on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

fn run_sammen(root: &Path, release: bool) -> Result<(), String> {
    widget::build(root)?;
    console::build(root)?;
    let profile = if release { "release" } else { "debug" };
    let mut build = cargo();
    build
        .current_dir(root)
        .args(["build", "-p", "sammen-backend", "--bin", "sammen"]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let mut server = Command::new(root.join("target").join(profile).join("sammen"));
    server.current_dir(root);
    if std::env::var_os("SAMMEN_DEMO").is_none() {
        server.env("SAMMEN_DEMO", "1");
    }
    // Ctrl-C reaches the server too (same process group); it shuts down
    // gracefully and we return its status.
    run(&mut server)
}

fn test(root: &Path) -> Result<(), String> {
    postgres::ensure_running()?;
    // The mail tests deliver to a real SMTP server (tests/smtp/smtp_server.py).
    ensure_aiosmtpd()?;
    println!("== unit, API (SQLite + PostgreSQL) and process tests");
    run(cargo()
        .current_dir(root)
        .args(["test", "--workspace"])
        // The widget and console are wasm crates, checked in the browser.
        .args(["--exclude", "sammen-widget", "--exclude", "sammen-console"]))?;
    println!("== the widget's JSON bridge, in wasm under node");
    widget::ensure_wasm_target()?;
    let runner = widget::ensure_wasm_bindgen(root)?.with_file_name("wasm-bindgen-test-runner");
    run(cargo()
        .current_dir(root)
        .args(["test", "-p", "sammen-widget", "--lib"])
        .args(["--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner))?;
    println!("== the widget and the console in headless Chromium");
    browser::run(root)?;
    println!("== schemathesis against the running server");
    schemathesis::run_against_server(root)?;
    Ok(())
}

/// The SMTP server the mail tests start (PyPI's aiosmtpd, pinned).
const AIOSMTPD: &str = "aiosmtpd==1.4.6";

fn ensure_aiosmtpd() -> Result<(), String> {
    let installed = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|out| out.status.success());
    if installed {
        return Ok(());
    }
    eprintln!("installing {AIOSMTPD} (pip) for the mail tests…");
    run(Command::new("python3").args(["-m", "pip", "install", "--quiet", AIOSMTPD]))
}

fn lint(root: &Path) -> Result<(), String> {
    walls::check(root)?;
    run(cargo()
        .current_dir(root)
        .args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().current_dir(root).args([
        "clippy",
        "--workspace",
        "--exclude",
        "sammen-widget",
        "--exclude",
        "sammen-console",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().current_dir(root).args([
        "clippy",
        "-p",
        "sammen-widget",
        "-p",
        "sammen-console",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}
