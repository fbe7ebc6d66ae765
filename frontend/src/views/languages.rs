//! Choosing languages by their own names (العربية, Українська, Polski),
//! not by codes to type: a search field and a checkbox per language. What
//! is chosen is kept as the codes the API takes (`ar, uk`), so drafts and
//! bodies stay as they were. Only the join and offer forms use it, so its
//! names travel in their modules, not in the first load.

use js_sys::JsString;
use leptos::prelude::*;

use crate::i18n::{t, Key};
use crate::views::form::{field_id, split_list, Errors};

/// A language: its ISO 639 code, its own name, and the names people search
/// it by in Danish and English.
struct Language {
    code: &'static str,
    name: &'static str,
    also: &'static str,
}

/// The languages most spoken among newcomers to Denmark, then the
/// neighbours'; the group pages offer the same (`frontend/group/languages.js`).
const LANGUAGES: &[Language] = &[
    Language {
        code: "da",
        name: "Dansk",
        also: "danish",
    },
    Language {
        code: "en",
        name: "English",
        also: "engelsk",
    },
    Language {
        code: "ar",
        name: "العربية",
        also: "arabisk arabic",
    },
    Language {
        code: "uk",
        name: "Українська",
        also: "ukrainsk ukrainian",
    },
    Language {
        code: "pl",
        name: "Polski",
        also: "polsk polish",
    },
    Language {
        code: "de",
        name: "Deutsch",
        also: "tysk german",
    },
    Language {
        code: "so",
        name: "Soomaali",
        also: "somali somalisk",
    },
    Language {
        code: "tr",
        name: "Türkçe",
        also: "tyrkisk turkish",
    },
    Language {
        code: "fa",
        name: "فارسی",
        also: "persisk farsi persian",
    },
    Language {
        code: "prs",
        name: "دری",
        also: "dari",
    },
    Language {
        code: "ps",
        name: "پښتو",
        also: "pashto pashtu",
    },
    Language {
        code: "ur",
        name: "اردو",
        also: "urdu",
    },
    Language {
        code: "ku",
        name: "Kurdî",
        also: "kurdisk kurdish",
    },
    Language {
        code: "ti",
        name: "ትግርኛ",
        also: "tigrinya tigrinsk",
    },
    Language {
        code: "ro",
        name: "Română",
        also: "rumænsk romanian",
    },
    Language {
        code: "lt",
        name: "Lietuvių",
        also: "litauisk lithuanian",
    },
    Language {
        code: "bg",
        name: "Български",
        also: "bulgarsk bulgarian",
    },
    Language {
        code: "ru",
        name: "Русский",
        also: "russisk russian",
    },
    Language {
        code: "bs",
        name: "Bosanski",
        also: "bosnisk bosnian",
    },
    Language {
        code: "sq",
        name: "Shqip",
        also: "albansk albanian",
    },
    Language {
        code: "es",
        name: "Español",
        also: "spansk spanish",
    },
    Language {
        code: "fr",
        name: "Français",
        also: "fransk french",
    },
    Language {
        code: "vi",
        name: "Tiếng Việt",
        also: "vietnamesisk vietnamese",
    },
    Language {
        code: "th",
        name: "ไทย",
        also: "thai thailandsk",
    },
    Language {
        code: "tl",
        name: "Tagalog",
        also: "filipino filippinsk",
    },
    Language {
        code: "zh",
        name: "中文",
        also: "kinesisk chinese mandarin",
    },
];

/// The languages whose code, own name or other names contain `query`, in
/// any case. The browser compares: Rust's own lowercasing and substring
/// search would bring their Unicode tables and searcher (~6 KB) into the
/// wasm. (The browser test searches "arabisk".)
fn matching(query: &str) -> impl Iterator<Item = &'static Language> {
    let query: String = JsString::from(query.trim()).to_lower_case().into();
    LANGUAGES.iter().filter(move |language| {
        query.is_empty()
            || [language.code, language.name, language.also]
                .iter()
                .any(|name| JsString::from(*name).to_lower_case().includes(&query, 0))
    })
}

/// `codes` (`"ar, uk"`) with `code` added or taken away.
fn toggled(codes: &str, code: &str, on: bool) -> String {
    let mut list = split_list(codes);
    list.retain(|c| c != code);
    if on {
        list.push(code.to_string());
    }
    list.join(", ")
}

/// The picker for the API field `name`, whose `value` holds the codes.
#[component]
pub fn LanguagePicker(
    name: &'static str,
    label: Key,
    value: RwSignal<String>,
    errors: Errors,
) -> impl IntoView {
    let id = field_id(name);
    let search_id = format!("{id}-search");
    let query = RwSignal::new(String::new());
    view! {
        <fieldset class="field">
            <legend>{t(label)}<span class="optional">" ("{t(Key::Optional)}")"</span></legend>
            <label for=search_id.clone()>{t(Key::SearchLanguage)}</label>
            <input id=search_id type="search" bind:value=query/>
            <div class="languages">
                {move || {
                    let id = id.clone();
                    matching(&query.get())
                        .map(|language| {
                            let code = language.code;
                            let box_id = format!("{id}-{code}");
                            view! {
                                <div class="check">
                                    <input
                                        id=box_id.clone()
                                        type="checkbox"
                                        prop:checked=move || split_list(&value.get()).iter().any(|c| c == code)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            value.update(|codes| *codes = toggled(codes, code, on));
                                        }
                                    />
                                    <label for=box_id lang=code dir="auto">{language.name}</label>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
            {move || errors.get(name).map(|message| view! { <p class="error">{message}</p> })}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticking_and_unticking_keeps_the_codes_the_api_takes() {
        assert_eq!(toggled("", "ar", true), "ar");
        assert_eq!(toggled("ar", "uk", true), "ar, uk");
        assert_eq!(toggled("ar, uk", "ar", false), "uk");
        assert_eq!(toggled("ar", "ar", true), "ar");
    }
}
