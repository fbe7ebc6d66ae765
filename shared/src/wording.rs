//! What the server says to people — field errors, refusals, consent texts,
//! emails — as [`Text`]s: a stable key, the Danish and English wording here
//! in Rust, and every other language from its [pack](crate::pack). A value
//! is filled in by name (`{title}`), in one pass, so a citizen's text that
//! happens to contain `{link}` stays as written.

use std::collections::BTreeSet;
use std::fmt;

use crate::lang::ReaderLang;
use crate::Lang;

/// One thing the server says, in Danish and English; packs add languages
/// under the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// The dotted key a pack words it under: `field.required`.
    pub key: &'static str,
    pub da: &'static str,
    pub en: &'static str,
}

impl Text {
    /// The text in `lang` with its `{placeholders}` filled in from `values`:
    /// from the reader's pack when it has the key, else in English (a pack's
    /// reader reads English better than Danish, on average).
    pub fn say(&self, lang: impl Into<ReaderLang>, values: &[(&str, &dyn fmt::Display)]) -> String {
        fill(self.template(lang.into()), values)
    }

    /// The template `say` fills in for `lang`.
    pub fn template(&self, lang: ReaderLang) -> &'static str {
        match (lang.pack().and_then(|p| p.get(self.key)), lang.base()) {
            (Some(text), _) => text,
            (None, Lang::Da) => self.da,
            (None, Lang::En) => self.en,
        }
    }
}

/// Declares `Text` constants and a list of them all (`ALL`), which the
/// parity test checks every pack against, so a text cannot be added without
/// the test knowing it.
#[macro_export]
macro_rules! texts {
    ($all:ident; $($(#[$meta:meta])* $name:ident $key:literal => $da:expr, $en:expr;)*) => {
        $($(#[$meta])* pub const $name: $crate::wording::Text =
            $crate::wording::Text { key: $key, da: $da, en: $en };)*
        /// Every text of this module, for the packs' parity test.
        pub const $all: &[&$crate::wording::Text] = &[$(&$name),*];
    };
}

/// Fills `{name}` from `values`; an unknown `{…}` stays as it is.
pub fn fill(template: &str, values: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, v))
        });
        match value {
            Some((close, value)) => {
                use fmt::Write as _;
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholders}` a template names, for the parity test.
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                names.insert(name);
                rest = &rest[close + 1..];
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_each_placeholder_once_and_leaves_a_value_as_written() {
        let filled = fill(
            "«{title}» {n}: {link} {unknown}",
            &[("title", &"{link}"), ("n", &3), ("link", &"https://x")],
        );
        assert_eq!(filled, "«{link}» 3: https://x {unknown}");
        assert_eq!(fill("{", &[]), "{");
        assert_eq!(fill("a } b {", &[("b", &1)]), "a } b {");
    }

    #[test]
    fn names_the_placeholders_of_a_template() {
        let names: Vec<_> = placeholders("Kære {name}, {n} af {max_days} {} {Not}")
            .into_iter()
            .collect();
        assert_eq!(names, ["max_days", "n", "name"]);
    }

    #[test]
    fn a_pack_reader_gets_english_where_the_pack_has_no_text() {
        let text = Text {
            key: "no.such.key",
            da: "Hej {name}",
            en: "Hello {name}",
        };
        let arabic = ReaderLang::from_code("ar").expect("the Arabic pack");
        assert_eq!(text.say(arabic, &[("name", &"Rania")]), "Hello Rania");
        assert_eq!(text.say(Lang::Da, &[("name", &"Mette")]), "Hej Mette");
    }
}
