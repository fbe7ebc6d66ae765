//! The server's languages beyond Danish and English: one file per language,
//! `shared/lang/<code>.json`, that a translator edits without reading Rust.
//! Its texts are grouped in sections (`field`, `error`, `consent`, `mail`,
//! `said`) and found by dotted key (`mail.signup_link.body`); `{name}` marks
//! a value the server fills in. `build.rs` embeds every file at build time,
//! so the server reads no file at run time and a new language is a new file.
//!
//! Danish and English stay in Rust, beside the code that says them
//! ([`crate::wording`]); a key a pack lacks is said in English.

/// One language's texts, as embedded from its file.
#[derive(Debug)]
pub struct Pack {
    /// The language's ISO 639 code, the file's name: `ar`, `uk`.
    pub code: &'static str,
    /// The file's `_review` note: who has (not yet) read it, e.g. that a
    /// native speaker must review it before production.
    pub review: &'static str,
    /// (dotted key, text), sorted by key.
    texts: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

impl Pack {
    /// Every pack the server was built with, by code.
    pub fn all() -> &'static [Pack] {
        PACKS
    }

    /// The pack of a language code (`ar`), if the server has one.
    pub fn find(code: &str) -> Option<&'static Pack> {
        PACKS.iter().find(|p| p.code == code)
    }

    /// The text of `key`; none when the file lacks it or left it empty, so
    /// the caller says it in English rather than say nothing.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.texts
            .binary_search_by(|(k, _)| (*k).cmp(key))
            .ok()
            .map(|i| self.texts[i].1)
            .filter(|text| !text.trim().is_empty())
    }

    /// Every (key, text) of the file, empty ones too (for the parity test).
    pub fn texts(&self) -> &'static [(&'static str, &'static str)] {
        self.texts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arabic_and_ukrainian_packs_are_built_in_and_await_review() {
        for code in ["ar", "uk"] {
            let pack = Pack::find(code).expect("a pack");
            assert!(pack.review.contains("native"), "{code}: {}", pack.review);
            assert!(pack.get("field.required").is_some());
            assert_eq!(pack.get("no.such.key"), None);
        }
        assert!(Pack::find("fr").is_none());
    }
}
