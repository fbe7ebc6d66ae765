//! `cargo xtask build-console`: the release pipeline of the coordinator
//! console, the widget's pipeline (`widget.rs`) with another crate and
//! another page around it.
//!
//! cargo (wasm-release profile) → wasm-bindgen --target web → wasm-opt -Oz →
//! `frontend/console/dist/`:
//!
//! - `index.html`: served at `/console`; no inline script or style, so its
//!   Content-Security-Policy can forbid both;
//! - `console-<hash>.js`: the entry module the page loads; it imports the
//!   glue, instantiates the wasm and mounts the console;
//! - `console_glue-<hash>.js`, `console-<hash>_bg.wasm`: wasm-bindgen's glue
//!   and the optimised wasm;
//! - `console-<hash>.css`: `frontend/console/src/style.css`.
//!
//! Each with `.br` and `.gz` siblings. The server serves `dist/` at
//! `/console/assets/` and caches the hashed names forever.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::widget::{
    cargo_build, content_hash, ensure_wasm_bindgen, ensure_wasm_target, read, recreate_dir, run,
    target_dir, wasm_opt, without_link_sections, write, write_with_siblings, FileSize,
};

/// The console's crate.
const PACKAGE: &str = "sammen-console";
/// Where the server serves `dist/` from.
const ASSETS: &str = "/console/assets";

/// Builds the console for release into `root/frontend/console/dist/` and
/// prints what each file weighs.
pub fn build(root: &Path) -> Result<(), String> {
    ensure_wasm_target()?;
    let wasm = cargo_build(root, PACKAGE)?;

    let staging = target_dir(root).join("console-staging");
    recreate_dir(&staging)?;
    // Built with the widget's relocations (one build of the shared deps);
    // the console is not split, so they go before anything else reads it.
    let unlinked = staging.join("console_unlinked.wasm");
    write(&unlinked, &without_link_sections(&read(&wasm)?)?)?;
    let wasm = unlinked;
    let bindgen = ensure_wasm_bindgen(root)?;
    run(Command::new(&bindgen)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "console",
        ])
        .arg("--out-dir")
        .arg(&staging)
        .arg(&wasm))?;
    let optimised = staging.join("console_opt.wasm");
    wasm_opt(root, &staging.join("console_bg.wasm"), &optimised)?;

    let glue = read(&staging.join("console.js"))?;
    let wasm = read(&optimised)?;
    let css = read(&root.join("frontend/console/src/style.css"))?;
    // One hash names the set: the glue and the wasm only work together, and
    // the page must never pair new code with an old stylesheet.
    let hash = content_hash(&[&glue, &wasm, &css]);
    let names = Names::new(&hash);
    let entry = entry_module(&names);
    let page = index_html(&names);

    let dist = root.join("frontend/console/dist");
    recreate_dir(&dist)?;
    let mut files = Vec::new();
    for (name, bytes) in [
        ("index.html", page.as_bytes()),
        (names.entry.as_str(), entry.as_bytes()),
        (names.glue.as_str(), glue.as_slice()),
        (names.wasm.as_str(), wasm.as_slice()),
        (names.css.as_str(), css.as_slice()),
    ] {
        files.push(write_with_siblings(&dist, name, bytes)?);
    }
    println!("{}", report(&dist, &hash, &files));
    Ok(())
}

/// The content-hashed file names of one build.
struct Names {
    entry: String,
    glue: String,
    wasm: String,
    css: String,
}

impl Names {
    fn new(hash: &str) -> Names {
        Names {
            entry: format!("console-{hash}.js"),
            glue: format!("console_glue-{hash}.js"),
            wasm: format!("console-{hash}_bg.wasm"),
            css: format!("console-{hash}.css"),
        }
    }
}

/// The module `index.html` loads: the CSP allows scripts from files only.
fn entry_module(names: &Names) -> String {
    format!(
        "// Starts the Sammen coordinator console (built by `cargo xtask build-console`).\n\
         import init, {{ mount }} from \"./{glue}\";\n\
         await init({{ module_or_path: new URL(\"./{wasm}\", import.meta.url) }});\n\
         mount(document.getElementById(\"console\"));\n",
        glue = names.glue,
        wasm = names.wasm,
    )
}

/// The console's page. `'wasm-unsafe-eval'` lets the page compile wasm
/// without allowing `eval` of JavaScript.
fn index_html(names: &Names) -> String {
    format!(
        r#"<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'">
  <meta name="robots" content="noindex">
  <title>Sammen · Koordinator</title>
  <link rel="stylesheet" href="{ASSETS}/{css}">
  <link rel="modulepreload" href="{ASSETS}/{glue}">
  <script type="module" src="{ASSETS}/{entry}"></script>
</head>
<body>
  <div id="console"></div>
  <noscript><p>Konsollen kræver JavaScript. / The console needs JavaScript.</p></noscript>
</body>
</html>
"#,
        css = names.css,
        glue = names.glue,
        entry = names.entry,
    )
}

/// The size table of a build: what a coordinator's browser downloads.
fn report(dist: &Path, hash: &str, files: &[FileSize]) -> String {
    let mut out = format!("console build {hash} in {}:\n", dist.display());
    let row = |out: &mut String, name: &str, raw: u64, gzip: u64, brotli: u64| {
        let _ = writeln!(out, "  {name:<36} {raw:>10} {gzip:>10} {brotli:>10}");
    };
    let _ = writeln!(
        out,
        "  {:<36} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for file in files {
        row(&mut out, &file.name, file.raw, file.gzip, file.brotli);
    }
    let sum = |size: fn(&FileSize) -> u64| files.iter().map(size).sum::<u64>();
    row(
        &mut out,
        "total",
        sum(|f| f.raw),
        sum(|f| f.gzip),
        sum(|f| f.brotli),
    );
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_only_files_of_its_own_build() {
        let names = Names::new("0123456789");
        let page = index_html(&names);
        assert!(page.contains("src=\"/console/assets/console-0123456789.js\""));
        assert!(page.contains("href=\"/console/assets/console-0123456789.css\""));
        assert!(!page.contains("<script>"), "no inline script: {page}");
        assert!(!page.contains("<style"), "no inline style: {page}");
        let entry = entry_module(&names);
        assert!(entry.contains("from \"./console_glue-0123456789.js\""));
        assert!(entry.contains("new URL(\"./console-0123456789_bg.wasm\""));
    }
}
