//! Every text the server says to citizens, organisers and group members, in
//! one list, and the test that holds each language pack
//! (`shared/lang/<code>.json`) to it: the same keys, none empty, the same
//! `{placeholders}` as the English. A pack that fails it still works — a
//! missing text is said in English — but the test names what to fix.

use sammen_shared::Text;

/// Every text with a key: field errors, refusals, consent, mail, labels.
pub fn all() -> Vec<&'static Text> {
    [
        sammen_shared::error::TEXTS,
        sammen_shared::consent::TEXTS,
        crate::said::TEXTS,
        crate::mails::TEXTS,
        crate::group_space::TEXTS,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use sammen_shared::pack::Pack;
    use sammen_shared::wording::placeholders;

    use super::*;

    #[test]
    fn every_key_is_said_once_with_the_same_placeholders_in_danish_and_english() {
        let mut seen = BTreeSet::new();
        for text in all() {
            assert!(seen.insert(text.key), "{} is declared twice", text.key);
            assert_eq!(
                placeholders(text.da),
                placeholders(text.en),
                "{}: Danish and English fill in different values",
                text.key
            );
        }
        assert!(seen.len() > 90, "{} texts", seen.len());
    }

    #[test]
    fn every_pack_has_every_text_with_its_placeholders_and_no_other() {
        let texts: BTreeMap<&str, &Text> = all().into_iter().map(|t| (t.key, t)).collect();
        assert!(Pack::all().len() >= 2, "the Arabic and Ukrainian packs");
        let mut problems = Vec::new();
        for pack in Pack::all() {
            let code = pack.code;
            let found: BTreeMap<&str, &str> = pack.texts().iter().copied().collect();
            for (key, text) in &texts {
                match found.get(key) {
                    None => problems.push(format!("{code}: {key} is missing")),
                    Some(said) if said.trim().is_empty() => {
                        problems.push(format!("{code}: {key} is empty"))
                    }
                    Some(said) if placeholders(said) != placeholders(text.en) => {
                        problems.push(format!(
                            "{code}: {key} fills in {:?}, English {:?}",
                            placeholders(said),
                            placeholders(text.en)
                        ))
                    }
                    Some(_) => {}
                }
            }
            for key in found.keys().filter(|k| !texts.contains_key(*k)) {
                problems.push(format!("{code}: {key} is no text the server says"));
            }
            if !pack.review.contains("native") {
                problems.push(format!("{code}: _review should say who must read it"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
