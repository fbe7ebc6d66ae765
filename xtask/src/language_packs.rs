//! The widget's language packs: `frontend/lang/<code>.json`, one file per
//! language that a translator edits without reading Rust, turned into small
//! content-hashed files the widget fetches when a reader chooses that
//! language. Danish and English stay built into the wasm.
//!
//! A pack is checked against the widget's one key set (the `table!` in
//! `frontend/src/i18n.rs`): a missing, extra or empty text, or a `{n}` the
//! translation lost, stops the build, so every language has every key.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::{Map, Value};

use crate::widget::{content_hash, write_with_siblings, FileSize};

/// One key of the widget's table, with the placeholders its texts use.
#[derive(Debug, Clone, PartialEq)]
pub struct TableKey {
    pub name: String,
    pub placeholders: BTreeSet<String>,
}

/// A pack as built: its language, its file in `dist/` and what that weighs.
#[derive(Debug, Clone)]
pub struct BuiltPack {
    pub code: String,
    pub name: String,
    pub dir: String,
    /// The locale the browser's Intl writes numbers and dates in
    /// (`"locale"` in the pack, e.g. `ar-u-nu-latn` for Western digits,
    /// as the group pages use; the code when absent).
    pub locale: String,
    pub file: FileSize,
}

/// The keys of `i18n.rs`'s `table!`, in the table's order (the order of the
/// widget's `Key` enum, which indexes a pack's array). The macro call runs
/// from `table! {` to the `}` closing `later { … }` and then itself.
pub fn table_keys(i18n: &str) -> Result<Vec<TableKey>, String> {
    let start = i18n
        .find("\ntable! {")
        .ok_or("frontend/src/i18n.rs has no `table! {` block")?;
    let end = i18n[start..]
        .find("\n}\n}\n")
        .ok_or("frontend/src/i18n.rs: the `table!` block does not end")?;
    let mut keys: Vec<TableKey> = Vec::new();
    for line in i18n[start..start + end].lines() {
        let line = line.trim();
        if line.starts_with("//") {
            continue;
        }
        let text = match line.split_once(" => ") {
            Some((name, text))
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                keys.push(TableKey {
                    name: name.to_string(),
                    placeholders: BTreeSet::new(),
                });
                text
            }
            _ => line,
        };
        // A text may go on over the next lines; they belong to the last key.
        if let Some(last) = keys.last_mut() {
            last.placeholders.extend(placeholders(text));
        }
    }
    if keys.is_empty() {
        return Err("the widget's table has no keys".into());
    }
    Ok(keys)
}

/// The `{name}` placeholders in a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric()) => {
                if close > 0 {
                    found.insert(after[..close].to_string());
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

/// Checks one pack against the keys and returns its built form:
/// `{"t": [texts in key order], "c": [slug, name, …]}`, plus its name and
/// direction. Every problem is listed, not only the first.
pub fn compile(code: &str, source: &str, keys: &[TableKey]) -> Result<Compiled, String> {
    let pack: Value =
        serde_json::from_str(source).map_err(|e| format!("frontend/lang/{code}.json: {e}"))?;
    let text_of = |field: &str| {
        pack.get(field)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (name, dir) = (text_of("name"), text_of("dir"));
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push("\"name\" (the language's own name) is missing".to_string());
    }
    // The widget writes the name into its picker as markup.
    if name.contains(['<', '>', '&', '"', '\'', '\t', '\n']) {
        problems.push(format!("\"name\" {name:?} may hold no markup characters"));
    }
    if dir != "ltr" && dir != "rtl" {
        problems.push(format!("\"dir\" must be \"ltr\" or \"rtl\", not {dir:?}"));
    }
    let empty = Map::new();
    let texts = pack
        .get("keys")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut array = Vec::new();
    for key in keys {
        match texts.get(&key.name).and_then(Value::as_str) {
            Some(text) if !text.trim().is_empty() => {
                let found = placeholders(text);
                if found != key.placeholders {
                    problems.push(format!(
                        "{}: placeholders {:?}, the Danish and English texts have {:?}",
                        key.name, found, key.placeholders
                    ));
                }
                array.push(Value::String(text.to_string()));
            }
            _ => problems.push(format!("{}: missing or empty", key.name)),
        }
    }
    for extra in texts
        .keys()
        .filter(|k| !keys.iter().any(|key| &key.name == *k))
    {
        problems.push(format!("{extra}: no such key in the widget"));
    }
    let mut categories = Vec::new();
    if let Some(names) = pack.get("categories").and_then(Value::as_object) {
        for (slug, name) in names {
            match name.as_str() {
                Some(name) if !name.trim().is_empty() => {
                    categories.push(Value::String(slug.clone()));
                    categories.push(Value::String(name.to_string()));
                }
                _ => problems.push(format!("categories.{slug}: missing or empty")),
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "frontend/lang/{code}.json does not fit the widget's texts:\n  {}",
            problems.join("\n  ")
        ));
    }
    let locale = Some(text_of("locale"))
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| code.to_string());
    if !locale
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!(
            "frontend/lang/{code}.json: \"locale\" {locale:?} is no BCP 47 tag"
        ));
    }
    Ok(Compiled {
        json: serde_json::json!({ "t": array, "c": categories }).to_string(),
        name,
        dir,
        locale,
    })
}

/// A checked pack: the file the widget fetches and what the loader says of it.
#[derive(Debug)]
pub struct Compiled {
    pub json: String,
    pub name: String,
    pub dir: String,
    pub locale: String,
}

/// Builds every pack in `frontend/lang/` into `dist`, in code order.
pub fn build(root: &Path, dist: &Path) -> Result<Vec<BuiltPack>, String> {
    let i18n_path = root.join("frontend/src/i18n.rs");
    let i18n = fs::read_to_string(&i18n_path)
        .map_err(|e| format!("cannot read {}: {e}", i18n_path.display()))?;
    let keys = table_keys(&i18n)?;
    let dir = root.join("frontend/lang");
    let mut sources: Vec<_> = match fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(_) => Vec::new(),
    };
    sources.sort();
    let mut built = Vec::new();
    for path in sources {
        let code = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|c| (2..=3).contains(&c.len()) && c.chars().all(|c| c.is_ascii_lowercase()))
            .ok_or_else(|| {
                format!(
                    "{}: name a pack by its language code, e.g. ar.json",
                    path.display()
                )
            })?
            .to_string();
        if code == "da" || code == "en" {
            return Err(format!(
                "{}: Danish and English are built into the widget",
                path.display()
            ));
        }
        let source = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let pack = compile(&code, &source, &keys)?;
        let json = pack.json.as_bytes();
        let file_name = format!("sammen-lang-{code}-{}.json", content_hash(&[json]));
        let file = write_with_siblings(dist, &file_name, json)?;
        built.push(BuiltPack {
            code,
            name: pack.name,
            dir: pack.dir,
            locale: pack.locale,
            file,
        });
    }
    Ok(built)
}

/// The manifest the loader hands the widget: a JS string literal with one
/// line per pack, `code\tname\tdir\tfile\tlocale`.
pub fn manifest(packs: &[BuiltPack]) -> String {
    let lines: Vec<String> = packs
        .iter()
        .map(|p| {
            let file = &p.file.name;
            format!("{}\t{}\t{}\t{file}\t{}", p.code, p.name, p.dir, p.locale)
        })
        .collect();
    Value::String(lines.join("\n")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "use x;\n\ntable! {\nfirst {\n    // The frame\n    Hello => \"Hej\", \"Hello\";\n    Joined => \"{n} er med\",\n        \"{n} joined\";\n}\nlater {\n    Bye => \"Farvel\", \"Bye\";\n}\n}\n\npub fn other() { let x = Foo => 1; }\n";

    fn keys() -> Vec<TableKey> {
        table_keys(TABLE).unwrap()
    }

    #[test]
    fn reads_the_keys_in_order_with_their_placeholders() {
        let keys = keys();
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["Hello", "Joined", "Bye"]);
        assert!(keys[0].placeholders.is_empty());
        assert_eq!(keys[1].placeholders, BTreeSet::from(["n".to_string()]));
    }

    #[test]
    fn a_complete_pack_becomes_an_array_in_key_order() {
        let source = r#"{"name": "Test", "dir": "rtl", "keys": {"Bye": "B", "Hello": "H", "Joined": "{n} J"}, "categories": {"other": "O"}}"#;
        let pack = compile("xx", source, &keys()).unwrap();
        assert_eq!((pack.name.as_str(), pack.dir.as_str()), ("Test", "rtl"));
        assert_eq!(pack.locale, "xx", "the code, when the pack names no locale");
        assert_eq!(pack.json, r#"{"c":["other","O"],"t":["H","{n} J","B"]}"#);
    }

    #[test]
    fn every_gap_in_a_pack_is_named() {
        let source =
            r#"{"name": "Test", "dir": "up", "keys": {"Hello": "", "Joined": "J", "Extra": "E"}}"#;
        let error = compile("xx", source, &keys()).unwrap_err();
        for expected in [
            "\"dir\" must be",
            "Hello: missing or empty",
            "Joined: placeholders",
            "Bye: missing or empty",
            "Extra: no such key",
        ] {
            assert!(error.contains(expected), "{expected} in {error}");
        }
    }

    #[test]
    fn a_name_with_markup_is_refused() {
        let source = r#"{"name": "<b>Test</b>", "dir": "ltr", "keys": {"Bye": "B", "Hello": "H", "Joined": "{n} J"}}"#;
        let error = compile("xx", source, &keys()).unwrap_err();
        assert!(error.contains("may hold no markup"), "{error}");
    }

    #[test]
    fn the_packs_in_the_repository_fit_the_widgets_table() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let i18n = fs::read_to_string(root.join("frontend/src/i18n.rs")).unwrap();
        let keys = table_keys(&i18n).unwrap();
        assert!(keys.len() > 150, "{} keys", keys.len());
        let mut seen = 0;
        for entry in fs::read_dir(root.join("frontend/lang")).unwrap() {
            let path = entry.unwrap().path();
            let code = path.file_stem().unwrap().to_str().unwrap().to_string();
            let source = fs::read_to_string(&path).unwrap();
            if let Err(problem) = compile(&code, &source, &keys) {
                panic!("{problem}");
            }
            seen += 1;
        }
        assert!(seen >= 2, "the Arabic and Ukrainian packs");
    }
}
