//! The browser tests: the widget and the console in headless Chromium
//! against the real server, with node's test runner, playwright-core and
//! axe-core (`tests/browser/`). Installs what is missing first: Debian's
//! Chromium and Caddy (the deploy recipe's TLS proxy), the npm dev tools;
//! builds the widget, the console and the server (debug, and the release
//! binary the deploy test runs behind Caddy).

use std::path::Path;
use std::process::Command;

/// Where Debian installs Chromium; the tests launch exactly this one.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Caddy, which `tests/browser/deploy.test.mjs` runs with
/// `deploy/Caddyfile`.
const CADDY: &str = "/usr/bin/caddy";
/// npm packages the tests import.
const NODE_PACKAGES: [&str; 2] = ["playwright-core", "axe-core"];

/// Runs `node --test tests/browser/`; its output ends with node's summary
/// (`# pass N`, `# fail 0`). Fails when a test fails.
pub fn run(root: &Path) -> Result<(), String> {
    ensure_debian_package(CHROMIUM, "chromium")?;
    ensure_debian_package(CADDY, "caddy")?;
    ensure_node_packages(root)?;
    let widget = crate::widget::build(root)?;
    println!("{widget}");
    if !widget.within_budget() {
        return Err("the widget is over its byte budget (see above)".into());
    }
    // tests/browser/console.test.mjs drives the coordinator console too.
    crate::console::build(root)?;
    crate::run(crate::cargo().current_dir(root).args([
        "build",
        "-p",
        "sammen-backend",
        "--bin",
        "sammen",
    ]))?;
    // The deploy test runs what production runs.
    crate::run(crate::cargo().current_dir(root).args([
        "build",
        "--release",
        "-p",
        "sammen-backend",
        "--bin",
        "sammen",
    ]))?;
    let bin = target_dir(root).join("debug").join("sammen");
    let release = target_dir(root).join("release").join("sammen");
    println!("== browser tests (headless Chromium, tests/browser/)");
    crate::run(
        Command::new("node")
            .current_dir(root)
            .args(["--test", "tests/browser/"])
            .env("SAMMEN_BIN", &bin)
            .env("SAMMEN_RELEASE_BIN", &release)
            .env("CADDY", CADDY),
    )
}

/// Installs Debian's `package` unless `program` exists.
fn ensure_debian_package(program: &str, package: &str) -> Result<(), String> {
    if Path::new(program).is_file() {
        return Ok(());
    }
    eprintln!("installing Debian's {package} for the browser tests…");
    // As root (CI, dev containers) directly; otherwise through sudo.
    let sudo = !is_root() && crate::on_path("sudo");
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        crate::run(&mut command)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "--no-install-recommends", package])?;
    if Path::new(program).is_file() {
        Ok(())
    } else {
        Err(format!("installed {package}, but there is no {program}"))
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn ensure_node_packages(root: &Path) -> Result<(), String> {
    let missing = NODE_PACKAGES.iter().any(|name| {
        !root
            .join("node_modules")
            .join(name)
            .join("package.json")
            .is_file()
    });
    if !missing {
        return Ok(());
    }
    eprintln!("installing the npm dev tools (npm ci)…");
    crate::run(
        Command::new("npm")
            .current_dir(root)
            .args(["ci", "--no-audit", "--no-fund"]),
    )
}

/// The cargo target folder (`CARGO_TARGET_DIR` or `target/`).
fn target_dir(root: &Path) -> std::path::PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}
