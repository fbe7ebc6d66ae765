//! Free text from citizens: trimmed, of a sensible length, without control
//! characters. HTML is not special here: text is stored and returned as text,
//! and every client renders it as text.

use crate::FieldError;

/// The rules for one kind of text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// Fewest characters (after trimming); 0 makes the field optional.
    pub min: usize,
    /// Most characters (Unicode scalar values, after trimming).
    pub max: usize,
    /// Whether line breaks and tabs are allowed.
    pub multiline: bool,
}

/// A one-line title: "Legegrupper for 3–5-årige".
pub const TITLE: TextRule = TextRule {
    min: 3,
    max: 120,
    multiline: false,
};
/// A required one-line label: a name, a place, a need.
pub const LABEL: TextRule = TextRule {
    min: 1,
    max: 120,
    multiline: false,
};
/// An optional one-line label.
pub const OPTIONAL_LABEL: TextRule = TextRule {
    min: 0,
    max: 120,
    multiline: false,
};
/// A short keyword such as a skill or a tool: "snow shovel".
pub const KEYWORD: TextRule = TextRule {
    min: 1,
    max: 60,
    multiline: false,
};
/// A description or a message, possibly several paragraphs.
pub const BODY: TextRule = TextRule {
    min: 1,
    max: 4000,
    multiline: true,
};
/// An optional description.
pub const OPTIONAL_BODY: TextRule = TextRule {
    min: 0,
    max: 4000,
    multiline: true,
};

/// Checks and normalises one text field: trims it, turns `\r\n` into `\n`,
/// and refuses control characters (other than line breaks and tabs in
/// multi-line fields) and lengths outside the rule.
pub fn parse_text(raw: &str, rule: TextRule) -> Result<String, FieldError> {
    let text = raw.trim().replace("\r\n", "\n");
    let allowed = |c: char| rule.multiline && (c == '\n' || c == '\t');
    if text
        .chars()
        .any(|c| (c.is_control() && !allowed(c)) || reorders_text(c))
    {
        return Err(FieldError::ControlCharacters);
    }
    let length = text.chars().count();
    // Text that shows nothing (zero-width spaces, joiners, a byte-order mark)
    // is no title, however long.
    if shows_nothing(&text) && rule.min > 0 {
        return Err(FieldError::Required);
    }
    if length < rule.min {
        return Err(FieldError::TooShort { min: rule.min });
    }
    if length > rule.max {
        return Err(FieldError::TooLong { max: rule.max });
    }
    Ok(text)
}

/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): in a title they would reorder the screen around it. The
/// marks U+200E/U+200F change only their own neighbourhood and stay allowed,
/// as Arabic and Hebrew typing produces them.
fn reorders_text(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` is empty or only spaces and invisible characters.
fn shows_nothing(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Characters with no width or glyph of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
            | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
    )
}

/// Like [`parse_text`], but an empty field becomes `None`.
pub fn parse_optional_text(
    raw: Option<&str>,
    rule: TextRule,
) -> Result<Option<String>, FieldError> {
    let rule = TextRule { min: 0, ..rule };
    match raw {
        None => Ok(None),
        Some(raw) => parse_text(raw, rule).map(|text| (!shows_nothing(&text)).then_some(text)),
    }
}

/// Parses a list of short keywords (skills, tools): each trimmed and checked,
/// empty entries dropped, duplicates (ignoring case) refused.
pub fn parse_keywords(
    raw: &[String],
    max_items: usize,
    field: &str,
    errors: &mut crate::FieldErrors,
) -> Vec<String> {
    if raw.len() > max_items {
        errors.add(field, FieldError::TooMany { max: max_items });
        return Vec::new();
    }
    let mut keywords: Vec<String> = Vec::new();
    for (index, item) in raw.iter().enumerate() {
        let path = format!("{field}[{index}]");
        let Some(word) = errors.check(&path, parse_text(item, KEYWORD)) else {
            continue;
        };
        if keywords.iter().any(|k| same_word(k, &word)) {
            errors.add(path, FieldError::Duplicate);
        } else {
            keywords.push(word);
        }
    }
    keywords
}

/// Whether two keywords are the same ignoring case — of ASCII and the
/// Danish letters. Not `str::to_lowercase`: its full Unicode table would cost
/// the widget ~5 KB, and other scripts rarely differ only in case here.
fn same_word(a: &str, b: &str) -> bool {
    fn fold(c: char) -> char {
        match c {
            'Æ' => 'æ',
            'Ø' => 'ø',
            'Å' => 'å',
            c => c.to_ascii_lowercase(),
        }
    }
    a.chars().map(fold).eq(b.chars().map(fold))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_titles_and_reordering_controls_are_refused() {
        // Issue 14, item 12.
        assert_eq!(
            parse_text("\u{200B}\u{200B}\u{200D}\u{FEFF}", TITLE),
            Err(FieldError::Required)
        );
        assert_eq!(
            parse_text("Legegruppe \u{202E}kcab", TITLE),
            Err(FieldError::ControlCharacters)
        );
        assert_eq!(
            parse_text("\u{2067}مجموعة لعب\u{2069}", TITLE),
            Err(FieldError::ControlCharacters)
        );
        // A mark inside real text, as Arabic typing makes it, is fine.
        assert_eq!(
            parse_text("مجموعة\u{200F} لعب", TITLE),
            Ok("مجموعة\u{200F} لعب".into())
        );
        assert_eq!(
            parse_optional_text(Some("\u{200B}"), OPTIONAL_LABEL),
            Ok(None)
        );
    }

    #[test]
    fn trims_and_keeps_danish_and_arabic_letters() {
        assert_eq!(
            parse_text("  Snerydning på Ærø ", TITLE).unwrap(),
            "Snerydning på Ærø"
        );
        assert_eq!(parse_text("مجموعة اللعب", TITLE).unwrap(), "مجموعة اللعب");
    }

    #[test]
    fn counts_characters_not_bytes() {
        let ae = "æ".repeat(120);
        assert_eq!(parse_text(&ae, TITLE).unwrap(), ae);
        assert_eq!(
            parse_text(&"æ".repeat(121), TITLE),
            Err(FieldError::TooLong { max: 120 })
        );
    }

    #[test]
    fn refuses_empty_short_and_control_characters() {
        assert_eq!(parse_text("   ", TITLE), Err(FieldError::Required));
        assert_eq!(
            parse_text("ab", TITLE),
            Err(FieldError::TooShort { min: 3 })
        );
        assert_eq!(
            parse_text("a\u{0007}bc", TITLE),
            Err(FieldError::ControlCharacters)
        );
        assert_eq!(
            parse_text("two\nlines", TITLE),
            Err(FieldError::ControlCharacters)
        );
    }

    #[test]
    fn multiline_text_keeps_line_breaks_and_normalises_them() {
        assert_eq!(parse_text("a\r\nb\tc", BODY).unwrap(), "a\nb\tc");
    }

    #[test]
    fn markup_is_just_text() {
        let title = "<script>alert(1)</script>";
        assert_eq!(parse_text(title, TITLE).unwrap(), title);
    }

    #[test]
    fn optional_text_becomes_none_when_blank() {
        assert_eq!(parse_optional_text(Some("  "), LABEL), Ok(None));
        assert_eq!(parse_optional_text(None, LABEL), Ok(None));
        assert_eq!(
            parse_optional_text(Some(" x "), LABEL),
            Ok(Some("x".into()))
        );
    }

    #[test]
    fn danish_letters_fold_too() {
        assert!(same_word("TRILLEBØR", "trillebør"));
        assert!(same_word("Ærø", "æRØ"));
        assert!(!same_word("sne", "sneskovl"));
    }

    #[test]
    fn keywords_drop_duplicates_ignoring_case() {
        let mut errors = crate::FieldErrors::new();
        let words = parse_keywords(
            &["Sneskovl".into(), "sneskovl".into(), "Trillebør".into()],
            10,
            "tools",
            &mut errors,
        );
        assert_eq!(words, vec!["Sneskovl".to_string(), "Trillebør".to_string()]);
        assert_eq!(errors.get("tools[1]"), Some(&FieldError::Duplicate));
    }
}
