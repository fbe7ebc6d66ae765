//! `cargo xtask build-widget` and `cargo xtask widget-size`: the release
//! pipeline of the citizen widget and the report of what it costs a phone.
//!
//! cargo (wasm-release profile) → wasm-bindgen --target web → wasm-opt -Oz →
//! content-hashed files in `frontend/dist/`, each with `.br` and `.gz`
//! siblings, plus the small stable loader `sammen.js` that host pages embed.
//!
//! The loader keeps its name so host pages never change their tag; it is
//! served with a short cache. Everything it imports carries a hash of its
//! content in the name, so it can be cached forever (immutable).

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::language_packs;

/// The wasm target the widget compiles to.
pub(crate) const TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile of the root Cargo.toml: opt-level z, LTO, panic=abort.
pub(crate) const PROFILE: &str = "wasm-release";
/// The widget's crate.
const PACKAGE: &str = "sammen-widget";
/// What may load before the first card is shown (issue 17); the rest comes
/// in modules fetched when needed.
pub const FIRST_LOAD_BUDGET_BROTLI_BYTES: u64 = 100 * 1000;
/// What one thing a citizen does may load in all: the first load, the
/// initiative's page (fetched once the cards show) and the modules of that
/// screen. Split modules compress apart and call each other through a table,
/// so a flow costs ~10 % more than the same code in one file did (issue 4's
/// 150 KB, when everything loaded first); this keeps that cost bounded.
/// 170 → 172 KB with languages as packs (issue 18): the picker and the
/// reading of the build's manifest are in the first load, so in every flow
/// (+2.9 KB once; each further language costs the first load ~60 bytes).
pub const FLOW_BUDGET_BROTLI_BYTES: u64 = 172 * 1000;
/// The stable file name host pages load.
const LOADER: &str = "sammen.js";

/// One file the browser loads, with its size on the wire per encoding.
#[derive(Debug, Clone)]
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The result of a widget build: where the files are and what they weigh.
#[derive(Debug, Clone)]
pub struct WidgetBuild {
    /// `frontend/dist/`.
    pub dist: PathBuf,
    /// The content hash in the names of the long-cached files.
    pub hash: String,
    /// What loads before the first card: the loader first, then the files
    /// it imports.
    pub files: Vec<FileSize>,
    /// The modules fetched when a screen needs them.
    pub later: Vec<FileSize>,
    /// Per screen fetched on demand, the modules it fetches.
    pub flows: Vec<Flow>,
    /// Per language beyond Danish and English, its pack (fetched when a
    /// reader chooses it).
    pub packs: Vec<(String, FileSize)>,
}

/// A screen fetched on demand (`on_demand.rs`) and the modules it needs.
#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    pub files: Vec<String>,
}

/// The screen fetched as soon as the cards show, so part of every flow.
const PREFETCHED: &str = "detail";

impl WidgetBuild {
    /// Bytes loaded before the first card, brotli-compressed.
    pub fn first_load_brotli(&self) -> u64 {
        self.files.iter().map(|f| f.brotli).sum()
    }

    /// Bytes of everything the widget may load, brotli-compressed.
    pub fn total_brotli(&self) -> u64 {
        self.first_load_brotli() + self.later.iter().map(|f| f.brotli).sum::<u64>()
    }

    /// Bytes a phone loads for `flow`: the first load, the prefetched
    /// initiative's page and the flow's own modules, each file once.
    pub fn flow_brotli(&self, flow: &Flow) -> u64 {
        let prefetched = self.flows.iter().filter(|f| f.name == PREFETCHED);
        let mut names: Vec<&String> = prefetched.flat_map(|f| &f.files).collect();
        names.extend(&flow.files);
        names.sort();
        names.dedup();
        let later: u64 = self
            .later
            .iter()
            .filter(|file| names.contains(&&file.name))
            .map(|file| file.brotli)
            .sum();
        self.first_load_brotli() + later
    }

    /// Whether the first load and every flow fit their budgets.
    pub fn within_budget(&self) -> bool {
        self.first_load_brotli() <= FIRST_LOAD_BUDGET_BROTLI_BYTES
            && self
                .flows
                .iter()
                .all(|flow| self.flow_brotli(flow) <= FLOW_BUDGET_BROTLI_BYTES)
    }
}

impl fmt::Display for WidgetBuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "widget build {} in {} (CSS is inside the wasm):",
            self.hash,
            self.dist.display()
        )?;
        fn row(f: &mut fmt::Formatter<'_>, cells: [&dyn fmt::Display; 4]) -> fmt::Result {
            let [name, raw, gzip, brotli] = cells;
            writeln!(f, "  {name:<36} {raw:>10} {gzip:>10} {brotli:>10}")
        }
        row(f, [&"file", &"raw", &"gzip", &"brotli"])?;
        let sums = |files: &[FileSize]| {
            let sum = |size: fn(&FileSize) -> u64| files.iter().map(size).sum::<u64>();
            (sum(|s| s.raw), sum(|s| s.gzip), sum(|s| s.brotli))
        };
        for (title, files) in [
            ("first load", &self.files),
            ("fetched when a screen needs them", &self.later),
        ] {
            writeln!(f, "  {title}:")?;
            for file in files.iter() {
                row(f, [&file.name, &file.raw, &file.gzip, &file.brotli])?;
            }
            let (raw, gzip, brotli) = sums(files);
            row(f, [&"sum", &raw, &gzip, &brotli])?;
        }
        let kb = |bytes: u64| bytes as f64 / 1000.0;
        writeln!(
            f,
            "  per flow (first load + {PREFETCHED} + the flow's modules), brotli:"
        )?;
        for flow in &self.flows {
            let name = format!("{} ({} files)", flow.name, flow.files.len());
            row(f, [&name, &"", &"", &self.flow_brotli(flow)])?;
        }
        if !self.packs.is_empty() {
            writeln!(
                f,
                "  languages beyond Danish and English, each fetched when chosen:"
            )?;
            for (code, file) in &self.packs {
                row(
                    f,
                    [
                        &format!("{code}: {}", file.name),
                        &file.raw,
                        &file.gzip,
                        &file.brotli,
                    ],
                )?;
            }
        }
        let worst = self.flows.iter().map(|flow| self.flow_brotli(flow)).max();
        write!(
            f,
            "brotli: first load {:.1} KB of {} KB, largest flow {:.1} KB of {} KB, \
             all files {:.1} KB: {}",
            kb(self.first_load_brotli()),
            FIRST_LOAD_BUDGET_BROTLI_BYTES / 1000,
            kb(worst.unwrap_or_default()),
            FLOW_BUDGET_BROTLI_BYTES / 1000,
            kb(self.total_brotli()),
            if self.within_budget() {
                "within budget"
            } else {
                "OVER BUDGET"
            }
        )
    }
}

/// Builds the widget for release into `root/frontend/dist/` and measures it.
/// Installs what is missing on the way: the wasm target, the wasm-bindgen CLI
/// of the version in Cargo.lock, and the npm tools (binaryen's wasm-opt).
pub fn build(root: &Path) -> Result<WidgetBuild, String> {
    ensure_wasm_target()?;
    let wasm = cargo_build(root, PACKAGE)?;

    let staging = target_dir(root).join("widget-staging");
    recreate_dir(&staging)?;
    let split = split(&wasm, &staging)?;
    let bindgen = ensure_wasm_bindgen(root)?;
    run(Command::new(&bindgen)
        .args(["--target", "web", "--no-typescript", "--out-name", "sammen"])
        // The split modules link to the main module's own exports.
        .arg("--keep-lld-exports")
        .arg("--out-dir")
        .arg(&staging)
        .arg(&split.main))?;

    let glue = staging.join("sammen.js");
    let bound = staging.join("sammen_bg.wasm");
    let optimised = staging.join("sammen_opt.wasm");
    wasm_opt(root, &bound, &optimised)?;
    let mut parts = Vec::new();
    for part in &split.parts {
        let stem = part
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("odd split module name {}", part.display()))?
            .to_string();
        let optimised = staging.join(format!("{stem}_opt.wasm"));
        wasm_opt(root, part, &optimised)?;
        parts.push((stem, read(&optimised)?));
    }

    let glue = drop_stream_classes(&String::from_utf8_lossy(&read(&glue)?));
    let wasm_bytes = read(&optimised)?;
    let link = String::from_utf8_lossy(&read(&split.link)?).into_owned();
    // One hash names them all: the files only work together.
    let mut hashed: Vec<&[u8]> = vec![glue.as_bytes(), &wasm_bytes, link.as_bytes()];
    hashed.extend(parts.iter().map(|(_, bytes)| bytes.as_slice()));
    let hash = content_hash(&hashed);
    let js_name = format!("sammen-{hash}.js");
    let wasm_name = format!("sammen-{hash}_bg.wasm");
    let link_name = format!("sammen-split-{hash}.js");
    let dist = root.join("frontend").join("dist");
    recreate_dir(&dist)?;
    let packs = language_packs::build(root, &dist)?;
    // The loader's comments are for people reading loader.js in the repository.
    let loader = minify(
        root,
        &loader_source(
            root,
            &js_name,
            &wasm_name,
            &language_packs::manifest(&packs),
        )?,
    )?;
    // Only the import statements: the wasm's own imports keep the name.
    let glue = renamed(
        &glue,
        &[(
            format!("from \"{SPLIT_LINK}\""),
            format!("from \"./{link_name}\""),
        )],
    )?;
    let mut names = vec![(format!("\"{SPLIT_MAIN}\""), format!("\"./{js_name}\""))];
    let part_name = |stem: &str| format!("sammen-{stem}-{hash}.wasm");
    for (stem, _) in &parts {
        names.push((
            format!("\"./{stem}.wasm\""),
            format!("\"./{}\"", part_name(stem)),
        ));
    }
    let link = minify(root, &renamed(&link, &names)?)?;
    let glue = minify(root, &glue)?;

    let mut files = Vec::new();
    for (name, bytes) in [
        (LOADER, loader.as_bytes()),
        (js_name.as_str(), glue.as_bytes()),
        (wasm_name.as_str(), wasm_bytes.as_slice()),
        (link_name.as_str(), link.as_bytes()),
    ] {
        files.push(write_with_siblings(&dist, name, bytes)?);
    }
    let mut later = Vec::new();
    for (stem, bytes) in &parts {
        later.push(write_with_siblings(&dist, &part_name(stem), bytes)?);
    }
    let mut flows: Vec<Flow> = split
        .flows
        .iter()
        .map(|(name, stems)| Flow {
            name: name.clone(),
            files: stems.iter().map(|stem| part_name(stem)).collect(),
        })
        .collect();
    flows.sort_by(|a, b| a.name.cmp(&b.name));
    write(&staging.join(FLOWS), flows_text(&flows).as_bytes())?;
    Ok(WidgetBuild {
        dist,
        hash,
        files,
        later,
        flows,
        packs: packs.into_iter().map(|p| (p.code, p.file)).collect(),
    })
}

/// The module the main wasm imports its split loaders from, as wasm-split
/// names it before the build gives it its hashed name.
const SPLIT_LINK: &str = "./__wasm_split.js";
/// The glue the split loaders import `initSync` from, likewise.
const SPLIT_MAIN: &str = "./sammen.js";

/// What wasm-split made of the widget's wasm.
struct Split {
    /// The main module, for wasm-bindgen.
    main: PathBuf,
    /// The modules fetched on demand (`on_demand.rs` in the widget).
    parts: Vec<PathBuf>,
    /// The JS that fetches and links them.
    link: PathBuf,
    /// Per split point, the stems of the modules it fetches.
    flows: Vec<(String, Vec<String>)>,
}

/// Where the build notes its flows (`name file file …` per line) for
/// `widget-size`, which measures without building.
const FLOWS: &str = "flows.txt";

fn flows_text(flows: &[Flow]) -> String {
    flows
        .iter()
        .map(|flow| format!("{} {}\n", flow.name, flow.files.join(" ")))
        .collect()
}

/// Cuts the functions marked `#[wasm_split]` (and the code only they use)
/// out of the main module, as cargo-leptos does for `#[lazy]`.
fn split(wasm: &Path, staging: &Path) -> Result<Split, String> {
    let input = read(wasm)?;
    let dir = staging.join("split");
    let main = dir.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &dir;
    options.main_out_path = &main;
    options.link_name = SPLIT_LINK;
    options.main_module = SPLIT_MAIN;
    let done = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("wasm-split failed: {e:?}"))?;
    let mut parts = done.split_modules;
    parts.sort();
    Ok(Split {
        main,
        parts,
        link: dir.join(SPLIT_LINK),
        flows: done.prefetch_map.into_iter().collect(),
    })
}

/// `wasm` without the linker's custom sections (`linking`, `reloc.*`) and
/// wasm-split's marker, which `--emit-relocs` leaves and neither
/// wasm-bindgen nor wasm-opt removes (4.7 MB of the console's wasm).
pub(crate) fn without_link_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let malformed = || "the wasm's sections do not parse".to_string();
    let leb = |at: &mut usize| -> Result<usize, String> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *wasm.get(*at).ok_or_else(malformed)?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
            shift += 7;
        }
    };
    let mut kept = wasm.get(..8).ok_or_else(malformed)?.to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb(&mut at)?;
        let end = at
            .checked_add(size)
            .filter(|end| *end <= wasm.len())
            .ok_or_else(malformed)?;
        let drop = id == 0 && {
            let mut name_at = at;
            let length = leb(&mut name_at)?;
            let name = wasm.get(name_at..name_at + length).ok_or_else(malformed)?;
            name == b"linking" || name.starts_with(b"reloc.") || name.starts_with(b"__wasm_split")
        };
        if !drop {
            kept.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(kept)
}

/// `text` with each `from` replaced by its `to`; a `from` that is missing
/// means a tool changed what it writes, which must stop the build.
fn renamed(text: &str, names: &[(String, String)]) -> Result<String, String> {
    let mut text = text.to_string();
    for (from, to) in names {
        if !text.contains(from.as_str()) {
            return Err(format!("expected {from} in the widget's JS"));
        }
        text = text.replace(from.as_str(), to);
    }
    Ok(text)
}

/// Prints the sizes of the widget as built in `frontend/dist/`, building it
/// first when there is nothing there yet. Exits non-zero when the build
/// fails or the widget is over budget, so CI notices.
pub fn report(root: &Path) {
    let measured = match measure_dist(root) {
        Some(build) => Ok(build),
        None => build(root),
    };
    match measured {
        Ok(build) => {
            println!("{build}");
            if !build.within_budget() {
                std::process::exit(1);
            }
        }
        Err(error) => {
            eprintln!("widget build failed: {error}");
            std::process::exit(1);
        }
    }
}

/// Reads the sizes of what the current loader loads, without building.
fn measure_dist(root: &Path) -> Option<WidgetBuild> {
    let dist = root.join("frontend").join("dist");
    let loader = fs::read_to_string(dist.join(LOADER)).ok()?;
    // The loader names its files; measure exactly those, not stale leftovers.
    // Minified, the loader reads `from"./…"`.
    let js_name =
        quoted_after(&loader, "from \"./").or_else(|| quoted_after(&loader, "from\"./"))?;
    let wasm_name = quoted_after(&loader, "new URL(\"./")?;
    let hash = js_name
        .strip_prefix("sammen-")?
        .strip_suffix(".js")?
        .to_string();
    let link_name = format!("sammen-split-{hash}.js");
    let link = fs::read_to_string(dist.join(&link_name)).ok()?;
    let size = |name: &str| measure(name, &fs::read(dist.join(name)).ok()?).ok();
    let mut files = Vec::new();
    for name in [LOADER, js_name.as_str(), wasm_name.as_str(), &link_name] {
        files.push(size(name)?);
    }
    let noted = fs::read_to_string(target_dir(root).join("widget-staging").join(FLOWS)).ok()?;
    let flows: Vec<Flow> = noted
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(Flow {
                name: words.next()?.to_string(),
                files: words.map(String::from).collect(),
            })
        })
        .collect();
    let mut names: Vec<&String> = flows.iter().flat_map(|flow| &flow.files).collect();
    names.sort();
    names.dedup();
    // The flows must be this build's: the link module names every file.
    let mut later = Vec::new();
    for name in names {
        if !link.contains(name.as_str()) {
            return None;
        }
        later.push(size(name)?);
    }
    // The packs the loader names (`sammen-lang-<code>-<hash>.json`).
    let mut packs = Vec::new();
    for (at, _) in loader.match_indices("sammen-lang-") {
        let name = &loader[at..at + loader[at..].find(".json")? + ".json".len()];
        let code = name.strip_prefix("sammen-lang-")?.split('-').next()?;
        packs.push((code.to_string(), size(name)?));
    }
    Some(WidgetBuild {
        dist,
        hash,
        files,
        later,
        flows,
        packs,
    })
}

fn quoted_after(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let end = text[start..].find('"')?;
    Some(text[start..start + end].to_string())
}

/// `-Zbuild-std` compiles the standard library from its sources.
fn ensure_rust_src() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"]))?;
    if installed
        .lines()
        .any(|line| line.trim().starts_with("rust-src"))
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["component", "add", "rust-src"]))
}

pub(crate) fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed.lines().any(|line| line.trim() == TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", TARGET]))
}

/// Runs cargo for a wasm crate (`package`) and returns the path of its wasm.
///
/// The standard library is rebuilt with the crate (`-Zbuild-std`), so that
/// panics can abort on the spot instead of formatting a message nobody
/// reads: the message machinery (`core::fmt`, panic locations, `Debug`
/// output) was ~13 KB brotli of the widget. Those flags are unstable, so
/// this one build runs the pinned stable toolchain with `RUSTC_BOOTSTRAP`;
/// nothing else in the workspace does.
pub(crate) fn cargo_build(root: &Path, package: &str) -> Result<PathBuf, String> {
    ensure_rust_src()?;
    run(Command::new(cargo())
        .current_dir(root)
        .args(["build", "-p", package, "--target", TARGET])
        .args(["--profile", PROFILE])
        .arg("-Zbuild-std=std,panic_abort")
        .env("RUSTC_BOOTSTRAP", "1")
        // `strip = true` (inherited from release) drops the target_features
        // section that wasm-bindgen reads; wasm-opt strips what is left.
        .env("CARGO_PROFILE_WASM_RELEASE_STRIP", "false")
        .env("RUSTFLAGS", rustflags()))?;
    let file = format!("{}.wasm", package.replace('-', "_"));
    let wasm = target_dir(root).join(TARGET).join(PROFILE).join(file);
    if wasm.is_file() {
        Ok(wasm)
    } else {
        Err(format!("cargo did not produce {}", wasm.display()))
    }
}

/// The caller's RUSTFLAGS plus what makes the wasm small: `--cfg
/// erase_components` (Leptos then turns every component into a type-erased
/// view instead of one deeply nested type per component, which saves ~8 KB
/// brotli of monomorphised render code), no inlining, and short source
/// paths. (With `--target`, RUSTFLAGS reach only the wasm crates, not build
/// scripts.)
fn rustflags() -> String {
    let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if !flags.split_whitespace().any(|f| f == "erase_components") {
        flags.push_str(" --cfg erase_components");
    }
    // opt-level "z" still inlines small functions into their many
    // callers; not inlining at all made the widget ~1 KB brotli smaller
    // (opt-level "s" made it ~10 KB larger).
    if !flags.contains("inline-threshold") {
        flags.push_str(" -C llvm-args=-inline-threshold=0");
    }
    // A panic is a bug the citizen cannot act on; in the wasm it becomes a
    // trap without a message, file name or `Debug` text (measured: wasm
    // 156.8 → 142.1 KB brotli). Nothing in the widget shows `Debug` output.
    flags.push_str(" -Zunstable-options -Cpanic=immediate-abort");
    flags.push_str(" -Zlocation-detail=none -Zfmt-debug=none");
    // wasm-split needs the linker's relocations to cut the widget's forms
    // into their own modules (see `split`); wasm-opt drops them after.
    // The console gets them too, so both share one build of their deps.
    if !flags.contains("emit-relocs") {
        flags.push_str(" -Clink-args=--emit-relocs");
    }
    // Panic locations keep their file paths in the wasm; the machine's
    // registry and toolchain prefixes are the same bytes a hundred times.
    for (from, to) in path_prefixes() {
        flags.push_str(&format!(" --remap-path-prefix={from}={to}"));
    }
    flags.trim().to_string()
}

/// Where the sources of dependencies and of the standard library live on
/// this machine, each with the short name it gets in the wasm.
fn path_prefixes() -> Vec<(String, &'static str)> {
    let mut prefixes = Vec::new();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = home {
        prefixes.push((home.join("registry").join("src").display().to_string(), "r"));
    }
    // The standard library's paths are already `/rustc/<commit>/…`.
    if let Ok(version) = output(Command::new("rustc").arg("-vV")) {
        if let Some(hash) = version
            .lines()
            .find_map(|l| l.strip_prefix("commit-hash: "))
        {
            prefixes.push((format!("/rustc/{}", hash.trim()), "s"));
        }
    }
    prefixes
}

/// The cargo that runs the xtask, so toolchain overrides carry over.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
    }
}

/// The wasm-bindgen CLI must be exactly the version of the `wasm-bindgen`
/// crate in Cargo.lock, or the glue it writes does not match the wasm.
pub(crate) fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf, String> {
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let wanted = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen: is sammen-widget in the workspace?")?;
    let installed = |bin: &Path| {
        Command::new(bin)
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let bin = cargo_bin_dir().join("wasm-bindgen");
    for candidate in [PathBuf::from("wasm-bindgen"), bin.clone()] {
        if installed(&candidate).as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
            return Ok(candidate);
        }
    }
    eprintln!("installing wasm-bindgen-cli {wanted} (matches Cargo.lock)…");
    // Not `--locked`: the CLI's own lock file pins crates that no longer
    // build with the current toolchain often enough to matter.
    run(Command::new(cargo())
        .args(["install", "wasm-bindgen-cli", "--force", "--version"])
        .arg(&wanted))?;
    match installed(&bin) {
        Some(version) if version == format!("wasm-bindgen {wanted}") => Ok(bin),
        other => Err(format!(
            "installed wasm-bindgen-cli {wanted} but {} answers {other:?}",
            bin.display()
        )),
    }
}

fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// The version of a crate in Cargo.lock, when there is exactly one.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let header = format!("name = \"{name}\"");
    let mut versions = lock.split("[[package]]").filter_map(|entry| {
        let mut lines = entry.lines().map(str::trim);
        lines.find(|line| *line == header)?;
        let version = lines.find_map(|line| line.strip_prefix("version = "))?;
        Some(version.trim_matches('"').to_string())
    });
    let first = versions.next()?;
    versions.next().is_none().then_some(first)
}

/// Shrinks the wasm with wasm-opt from npm's binaryen package. Debian's
/// binaryen is never used: its wasm-opt silently breaks Rust's wasm.
pub(crate) fn wasm_opt(root: &Path, input: &Path, output: &Path) -> Result<(), String> {
    let tool = npm_tool(root, "binaryen/bin/wasm-opt")?;
    // The features rustc enables by default for wasm32 (Rust ≥ 1.82); wasm-opt
    // must accept them in the input and may use them in what it writes.
    run(Command::new("node")
        .arg(&tool)
        .arg(input)
        // Leptos always builds server_fn's browser client, whose wasm-streams
        // dependency exports ReadableStream adapter classes the widget never
        // uses; dropping the exports first lets -Oz drop their code. (Passes
        // run in command-line order.)
        .args([
            "--remove-exports",
            &format!("--pass-arg=remove-exports@*{STREAM_EXPORTS}*"),
        ])
        // --converge repeats -Oz while it still shrinks the wasm (~1 KB brotli).
        .args(["-Oz", "--converge", "--strip-debug", "--strip-producers"])
        // Rust's wasm puts its 1 MiB stack first, growing down towards 0, so
        // the lowest KB is never used and wasm-opt may fold pointer
        // arithmetic into load offsets (−1.7 KB brotli).
        .arg("--low-memory-unused")
        .args([
            "--enable-bulk-memory",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg("-o")
        .arg(output))
}

/// `node_modules/<path>`, installing the npm dev tools (package.json) first
/// when it is missing.
fn npm_tool(root: &Path, path: &str) -> Result<PathBuf, String> {
    let tool = root.join("node_modules").join(path);
    if !tool.is_file() {
        let install = if root.join("package-lock.json").is_file() {
            "ci"
        } else {
            "install"
        };
        eprintln!("installing the npm dev tools (npm {install})…");
        run(Command::new("npm")
            .current_dir(root)
            .args([install, "--no-audit", "--no-fund"]))?;
    }
    Ok(tool)
}

/// Minifies an ES module with esbuild (npm): wasm-bindgen's glue, the split
/// link module and the loader are ~1 KB brotli smaller on every first load.
/// Names of imports, exports and object keys stay as they are.
fn minify(root: &Path, js: &str) -> Result<String, String> {
    // Run as a program: npm leaves either its native binary or a node
    // script with a shebang there.
    let tool = npm_tool(root, "esbuild/bin/esbuild")?;
    let mut child = Command::new(&tool)
        .args([
            "--minify",
            "--format=esm",
            "--loader=js",
            "--log-level=warning",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start esbuild: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("esbuild has no stdin")?;
    let input = js.to_string();
    // Written from a thread: esbuild may fill its stdout before reading all.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("esbuild failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "esbuild's input thread panicked".to_string())?
        .map_err(|e| format!("cannot write to esbuild: {e}"))?;
    if !out.status.success() {
        return Err(format!("esbuild failed: {}", out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("esbuild wrote no UTF-8: {e}"))
}

/// The lowercase stem of the wasm-streams exports (`intounderlyingsink_write`,
/// `__wbg_intounderlyingsource_free`, …) and, capitalised, of their JS classes.
const STREAM_EXPORTS: &str = "intounderlying";

/// Removes wasm-streams' `IntoUnderlying…` classes from wasm-bindgen's glue,
/// since [`wasm_opt`] removed what they call. Leaves the glue as it is when
/// its shape is not the one expected, so a new wasm-bindgen cannot break it.
fn drop_stream_classes(glue: &str) -> String {
    let mut kept = String::with_capacity(glue.len());
    let mut lines = glue.lines();
    while let Some(line) = lines.next() {
        let lower = line.to_ascii_lowercase();
        if line.starts_with("export class ") && lower.contains(STREAM_EXPORTS) {
            // The class body ends with `}`; then an optional dispose line.
            for inner in lines.by_ref() {
                if inner == "}" {
                    break;
                }
            }
            continue;
        }
        if line.starts_with("if (Symbol.dispose) ") && lower.contains(STREAM_EXPORTS) {
            continue;
        }
        if line.starts_with("const ")
            && lower.contains(STREAM_EXPORTS)
            && line.contains("Finalization")
        {
            // `const XFinalization = (typeof FinalizationRegistry === 'undefined')`
            // `    ? … : new FinalizationRegistry(…);` – up to the semicolon.
            for inner in lines.by_ref() {
                if inner.trim_end().ends_with(';') {
                    break;
                }
            }
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    if kept.to_ascii_lowercase().contains(STREAM_EXPORTS) {
        glue.to_string()
    } else {
        kept
    }
}

/// The loader host pages embed, from `frontend/loader.js` with the hashed
/// file names filled in.
fn loader_source(
    root: &Path,
    js_name: &str,
    wasm_name: &str,
    packs: &str,
) -> Result<String, String> {
    let template = root.join("frontend").join("loader.js");
    let source = fs::read_to_string(&template)
        .map_err(|e| format!("cannot read {}: {e}", template.display()))?;
    for placeholder in ["__SAMMEN_JS__", "__SAMMEN_WASM__", "__SAMMEN_PACKS__"] {
        if !source.contains(placeholder) {
            return Err(format!("{} lacks {placeholder}", template.display()));
        }
    }
    Ok(source
        .replace("__SAMMEN_JS__", js_name)
        .replace("__SAMMEN_WASM__", wasm_name)
        .replace("__SAMMEN_PACKS__", packs))
}

pub(crate) fn content_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    // 10 hex digits: plenty to tell builds apart, short enough to read.
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `name` and its `.gz` and `.br` siblings, so the server can send
/// them pre-compressed; returns their sizes.
pub(crate) fn write_with_siblings(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<FileSize, String> {
    let size = measure(name, bytes)?;
    write(&dir.join(name), bytes)?;
    write(&dir.join(format!("{name}.gz")), &gzip(bytes)?)?;
    write(&dir.join(format!("{name}.br")), &brotli(bytes)?)?;
    Ok(size)
}

pub(crate) fn measure(name: &str, bytes: &[u8]) -> Result<FileSize, String> {
    Ok(FileSize {
        name: name.to_string(),
        raw: bytes.len() as u64,
        gzip: gzip(bytes)?.len() as u64,
        brotli: brotli(bytes)?.len() as u64,
    })
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub(crate) fn recreate_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}

pub(crate) fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{command:?} failed: {}", out.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_single_locked_version_of_a_crate() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        let twice = format!("{lock}[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(locked_version(&twice, "wasm-bindgen"), None);
    }

    #[test]
    fn the_linkers_sections_go_and_everything_else_stays() {
        let custom = |name: &str, body: &[u8]| {
            let mut section = vec![0, (1 + name.len() + body.len()) as u8, name.len() as u8];
            section.extend_from_slice(name.as_bytes());
            section.extend_from_slice(body);
            section
        };
        let header = b"\0asm\x01\0\0\0".to_vec();
        let types = vec![1, 4, 1, 0x60, 0, 0];
        let features = custom("target_features", &[0]);
        let wasm = [
            header.clone(),
            types.clone(),
            custom("linking", &[2, 8, 9]),
            custom("reloc.CODE", &[1, 2]),
            features.clone(),
        ]
        .concat();
        assert_eq!(
            without_link_sections(&wasm).unwrap(),
            [header, types, features].concat()
        );
        assert!(without_link_sections(&wasm[..wasm.len() - 1]).is_err());
    }

    #[test]
    fn a_split_file_name_that_is_not_there_stops_the_build() {
        let link = "import { initSync } from \"./sammen.js\";\nfetch(new URL(\"./chunk_1.wasm\"";
        let names = [
            (
                "\"./sammen.js\"".to_string(),
                "\"./sammen-ab.js\"".to_string(),
            ),
            (
                "\"./chunk_1.wasm\"".to_string(),
                "\"./sammen-chunk_1-ab.wasm\"".to_string(),
            ),
        ];
        assert_eq!(
            renamed(link, &names).unwrap(),
            "import { initSync } from \"./sammen-ab.js\";\nfetch(new URL(\"./sammen-chunk_1-ab.wasm\""
        );
        let missing = [("\"./chunk_2.wasm\"".to_string(), String::new())];
        assert!(renamed(link, &missing).is_err());
    }

    #[test]
    fn a_flow_counts_the_first_load_the_prefetched_page_and_each_file_once() {
        let file = |name: &str, brotli| FileSize {
            name: name.into(),
            raw: 0,
            gzip: 0,
            brotli,
        };
        let flow = |name: &str, files: &[&str]| Flow {
            name: name.into(),
            files: files.iter().map(|f| f.to_string()).collect(),
        };
        let build = WidgetBuild {
            dist: PathBuf::new(),
            hash: String::new(),
            files: vec![file("main", 90)],
            later: vec![file("shared", 5), file("detail", 3), file("propose", 7)],
            flows: vec![
                flow("detail", &["shared", "detail"]),
                flow("propose", &["shared", "propose"]),
            ],
            packs: Vec::new(),
        };
        assert_eq!(build.flow_brotli(&build.flows[0]), 98);
        assert_eq!(build.flow_brotli(&build.flows[1]), 105);
        assert_eq!(build.total_brotli(), 105);
    }

    #[test]
    fn the_loader_names_the_files_it_loads() {
        let loader = "import init, { mount } from \"./sammen-0123456789.js\";\n\
                      init({ module_or_path: new URL(\"./sammen-0123456789_bg.wasm\", import.meta.url) })";
        assert_eq!(
            quoted_after(loader, "from \"./").as_deref(),
            Some("sammen-0123456789.js")
        );
        assert_eq!(
            quoted_after(loader, "new URL(\"./").as_deref(),
            Some("sammen-0123456789_bg.wasm")
        );
    }

    #[test]
    fn the_unused_stream_classes_leave_the_glue_and_nothing_else_does() {
        let glue = "export class IntoUnderlyingSink {\n    free() {\n        wasm.__wbg_intounderlyingsink_free(1);\n    }\n}\n\
                    if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n\
                    export function mount(root) {\n    wasm.mount(root);\n}\n\
                    const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n\
                    \x20   ? { register: () => {}, unregister: () => {} }\n\
                    \x20   : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\n\
                    function keep() {}\n";
        assert_eq!(
            drop_stream_classes(glue),
            "export function mount(root) {\n    wasm.mount(root);\n}\nfunction keep() {}\n"
        );
        // An unexpected shape is left alone rather than half removed.
        let odd = "let IntoUnderlyingSink = 1;\n";
        assert_eq!(drop_stream_classes(odd), odd);
    }

    #[test]
    fn compressed_siblings_round_trip_and_are_smaller() {
        let text = "Legegrupper for 3–5-årige. ".repeat(100);
        let size = measure("x.js", text.as_bytes()).unwrap();
        assert!(size.gzip < size.raw && size.brotli < size.raw);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(text.as_bytes()).unwrap()[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
    }
}
