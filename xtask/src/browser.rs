//! The browser tests: the widget and the console in headless Chromium
//! against the real server, with node's test runner, playwright-core and
//! axe-core (`tests/browser/`), and the citizen stories in Firefox and WebKit
//! over WebDriver (`engines.test.mjs`). Installs what is missing first:
//! Debian's Chromium, Firefox ESR, WebKitGTK's WebDriver, Xvfb and Caddy (the
//! deploy recipe's TLS proxy), geckodriver (`cargo install`), the npm dev
//! tools; builds the widget, the console and the server (debug, and the
//! release binary the deploy test runs behind Caddy).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where Debian installs Chromium; the tests launch exactly this one.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Caddy, which `tests/browser/deploy.test.mjs` runs with
/// `deploy/Caddyfile`.
const CADDY: &str = "/usr/bin/caddy";
/// Debian's Firefox ESR, WebKitGTK's WebDriver (it starts MiniBrowser) and
/// the X server WebKit draws on: `tests/browser/engines.test.mjs`.
const FIREFOX: &str = "/usr/bin/firefox-esr";
const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
const XVFB: &str = "/usr/bin/Xvfb";
/// Firefox's WebDriver, built by `cargo install` (Debian packages none).
const GECKODRIVER_VERSION: &str = "0.37.1";
/// npm packages the tests import.
const NODE_PACKAGES: [&str; 3] = ["playwright-core", "axe-core", "selenium-webdriver"];

/// Runs `node --test tests/browser/`; its output ends with node's summary
/// (`# pass N`, `# fail 0`). Fails when a test fails.
pub fn run(root: &Path) -> Result<(), String> {
    // SAMMEN_SKIP_ENGINES=1 leaves Firefox and WebKit out on purpose.
    let engines = std::env::var("SAMMEN_SKIP_ENGINES").as_deref() != Ok("1");
    let mut debian = vec![(CHROMIUM, "chromium"), (CADDY, "caddy")];
    if engines {
        debian.extend([
            (FIREFOX, "firefox-esr"),
            (WEBKIT_WEBDRIVER, "webkit2gtk-driver"),
            (XVFB, "xvfb"),
        ]);
    }
    ensure_debian_packages(&debian)?;
    let geckodriver = if engines {
        Some(ensure_geckodriver()?)
    } else {
        None
    };
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
    println!(
        "== browser tests (headless Chromium; Firefox and WebKit in engines.test.mjs; tests/browser/)"
    );
    let mut node = Command::new("node");
    node.current_dir(root)
        .args(["--test", "tests/browser/"])
        .env("SAMMEN_BIN", &bin)
        .env("SAMMEN_RELEASE_BIN", &release)
        .env("CADDY", CADDY);
    if let Some(geckodriver) = geckodriver {
        node.env("GECKODRIVER", geckodriver)
            .env("FIREFOX", FIREFOX)
            .env("WEBKIT_WEBDRIVER", WEBKIT_WEBDRIVER)
            .env("XVFB", XVFB);
    }
    crate::run(&mut node)
}

/// geckodriver on PATH or in cargo's bin folder; `cargo install`s it there
/// when it is in neither (6 minutes on two busy cores).
fn ensure_geckodriver() -> Result<PathBuf, String> {
    let installed = cargo_bin_dir().join("geckodriver");
    if installed.is_file() {
        return Ok(installed);
    }
    if let Some(found) = find_on_path("geckodriver") {
        return Ok(found);
    }
    eprintln!(
        "installing geckodriver {GECKODRIVER_VERSION} for the Firefox tests (cargo install)…"
    );
    crate::run(crate::cargo().args([
        "install",
        "--locked",
        "geckodriver",
        "--version",
        GECKODRIVER_VERSION,
    ]))?;
    if installed.is_file() {
        Ok(installed)
    } else {
        Err(format!(
            "installed geckodriver, but there is no {}",
            installed.display()
        ))
    }
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|file| file.is_file())
}

/// Where `cargo install` puts programs (`$CARGO_HOME/bin`, else `~/.cargo/bin`).
fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// Installs the Debian packages whose program is missing, with one
/// `apt-get update` for all of them.
fn ensure_debian_packages(wanted: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<(&str, &str)> = wanted
        .iter()
        .copied()
        .filter(|(program, _)| !Path::new(program).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().map(|(_, package)| *package).collect();
    eprintln!(
        "installing Debian's {} for the browser tests…",
        packages.join(", ")
    );
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
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(&packages);
    apt(&install)?;
    for (program, package) in missing {
        if !Path::new(program).is_file() {
            return Err(format!("installed {package}, but there is no {program}"));
        }
    }
    Ok(())
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
