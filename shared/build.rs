//! Embeds the server's language packs, `lang/<code>.json`, as sorted tables
//! (`pack.rs` reads them): adding a language is adding a file. A file that is
//! not JSON, or holds anything but texts, stops the build with its name; a
//! missing key does not (the server falls back to English, and the parity
//! test in `backend/src/wording.rs` names it).

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

use serde_json::{Map, Value};

fn main() {
    println!("cargo:rerun-if-changed=lang");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("lang");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut out = String::from("pub static PACKS: &[Pack] = &[\n");
    for path in files {
        let code = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert!(
            (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase()),
            "{}: name a pack by its language's ISO 639 code, like ar.json",
            path.display()
        );
        let text = fs::read_to_string(&path).expect("a readable pack");
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let object = json
            .as_object()
            .unwrap_or_else(|| panic!("{} is not a JSON object", path.display()));
        let review = object.get("_review").and_then(Value::as_str).unwrap_or("");
        let mut texts = Vec::new();
        flatten(&path, "", object, &mut texts);
        texts.sort();
        writeln!(
            out,
            "    Pack {{ code: {code:?}, review: {review:?}, texts: &{texts:?} }},"
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets it")).join("packs.rs");
    fs::write(target, out).expect("the generated packs");
}

/// Collects every text by its dotted key (`mail.signup_link.body`); keys
/// starting with `_` at the top are notes to translators, not texts.
fn flatten(
    path: &Path,
    prefix: &str,
    object: &Map<String, Value>,
    out: &mut Vec<(String, String)>,
) {
    for (key, value) in object {
        if prefix.is_empty() && key.starts_with('_') {
            continue;
        }
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::String(text) => out.push((dotted, text.clone())),
            Value::Object(inner) => flatten(path, &dotted, inner, out),
            _ => panic!(
                "{}: {dotted} is neither a text nor a section",
                path.display()
            ),
        }
    }
}
