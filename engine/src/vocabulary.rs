//! Words the engine reads and writes: skill and tool keywords (compared
//! without regard to case, with a small Danish–English glossary), language
//! names, weekdays and distances as a coordinator reads them.

use sammen_shared::signup::AgeBand;
use sammen_shared::week::Weekday;
use sammen_shared::Lang;

/// Skills and tools citizens often name, Danish first. A keyword in either
/// language matches the other, and reasons are shown in the reader's language.
const GLOSSARY: &[(&str, &str)] = &[
    ("sneskovl", "snow shovel"),
    ("skovl", "shovel"),
    ("saltspreder", "salt spreader"),
    ("snerydning", "snow clearing"),
    ("sneslynge", "snow blower"),
    ("trailer", "trailer"),
    ("trillebør", "wheelbarrow"),
    ("stige", "ladder"),
    ("boremaskine", "drill"),
    ("værktøj", "tools"),
    ("bil", "car"),
    ("kørekort", "driving licence"),
    ("ladcykel", "cargo bike"),
    ("førstehjælp", "first aid"),
    ("tømrer", "carpentry"),
    ("tømrerarbejde", "carpentry"),
    ("snedker", "joinery"),
    ("havearbejde", "gardening"),
    ("madlavning", "cooking"),
    ("bagning", "baking"),
    ("lektiehjælp", "homework help"),
    ("tolkning", "interpreting"),
    ("oversættelse", "translation"),
    ("musik", "music"),
    ("sport", "sport"),
    ("svømning", "swimming"),
    ("livredning", "lifesaving"),
    ("børnepasning", "childcare"),
    ("maling", "painting"),
    ("it-hjælp", "it help"),
];

/// A keyword as typed, ready to compare: lowercased, single-spaced, and its
/// glossary entry if it has one.
#[derive(Debug, Clone)]
pub(crate) struct Keyword {
    pub(crate) typed: String,
    normal: String,
    entry: Option<usize>,
}

impl Keyword {
    pub(crate) fn new(typed: &str) -> Keyword {
        let normal = normalize(typed);
        let entry = glossary_entry(&normal);
        Keyword {
            typed: typed.trim().to_string(),
            normal,
            entry,
        }
    }

    /// Whether an offer's keyword gives what this (needed) keyword asks for:
    /// the same word in any case, its glossary translation, or a more
    /// specific word ("snow shovel" gives "shovel", "sneskovl" gives "skovl").
    pub(crate) fn is_given_by(&self, offered: &str) -> bool {
        if self.normal.is_empty() {
            return false;
        }
        let offered = normalize(offered);
        if offered == self.normal {
            return true;
        }
        if let (Some(entry), Some(other)) = (self.entry, glossary_entry(&offered)) {
            if entry == other {
                return true;
            }
        }
        let words_given = self
            .normal
            .split(' ')
            .all(|word| offered.split(' ').any(|o| o == word));
        // Danish compounds: the needed word is the last part of the offered one.
        let compound = !self.normal.contains(' ')
            && self.normal.chars().count() >= 4
            && offered.split(' ').any(|o| o.ends_with(&self.normal));
        words_given || compound
    }
}

fn normalize(word: &str) -> String {
    word.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn glossary_entry(normal: &str) -> Option<usize> {
    GLOSSARY
        .iter()
        .position(|(da, en)| *da == normal || *en == normal)
}

/// A skill or tool in the reader's language when the glossary knows it.
pub fn translate(word: &str, lang: Lang) -> String {
    match glossary_entry(&normalize(word)) {
        Some(entry) => match lang {
            Lang::Da => GLOSSARY[entry].0.to_string(),
            Lang::En => GLOSSARY[entry].1.to_string(),
        },
        None => word.trim().to_string(),
    }
}

/// The name of a language given by its ISO 639 code, as a Danish or English
/// sentence uses it ("arabisk", "Arabic"); the code itself when unknown.
pub fn language_name(code: &str, lang: Lang) -> String {
    const NAMES: &[(&str, &str, &str)] = &[
        ("da", "dansk", "Danish"),
        ("en", "engelsk", "English"),
        ("ar", "arabisk", "Arabic"),
        ("uk", "ukrainsk", "Ukrainian"),
        ("ru", "russisk", "Russian"),
        ("de", "tysk", "German"),
        ("pl", "polsk", "Polish"),
        ("ro", "rumænsk", "Romanian"),
        ("lt", "litauisk", "Lithuanian"),
        ("tr", "tyrkisk", "Turkish"),
        ("ku", "kurdisk", "Kurdish"),
        ("fa", "persisk", "Persian"),
        ("prs", "dari", "Dari"),
        ("ps", "pashto", "Pashto"),
        ("ur", "urdu", "Urdu"),
        ("so", "somali", "Somali"),
        ("ti", "tigrinya", "Tigrinya"),
        ("es", "spansk", "Spanish"),
        ("fr", "fransk", "French"),
        ("it", "italiensk", "Italian"),
        ("sv", "svensk", "Swedish"),
        ("no", "norsk", "Norwegian"),
        ("nb", "norsk", "Norwegian"),
        ("bs", "bosnisk", "Bosnian"),
        ("sr", "serbisk", "Serbian"),
        ("hr", "kroatisk", "Croatian"),
        ("vi", "vietnamesisk", "Vietnamese"),
        ("th", "thai", "Thai"),
        ("zh", "kinesisk", "Chinese"),
        ("ta", "tamil", "Tamil"),
        ("tl", "tagalog", "Tagalog"),
    ];
    let code = code.trim().to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, da, en)| match lang {
            Lang::Da => da.to_string(),
            Lang::En => en.to_string(),
        })
        .unwrap_or(code)
}

/// A short weekday name: "tir" / "Tue".
pub fn day_name(day: Weekday, lang: Lang) -> &'static str {
    let index = Weekday::ALL.iter().position(|d| *d == day).unwrap_or(0);
    match lang {
        Lang::Da => ["man", "tir", "ons", "tor", "fre", "lør", "søn"][index],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index],
    }
}

/// Days as a coordinator writes them: "tir/tor", and runs of three or more
/// as a range, "man–fre".
pub fn days_text(days: &[Weekday], lang: Lang) -> String {
    let mut indices: Vec<usize> = days
        .iter()
        .filter_map(|d| Weekday::ALL.iter().position(|a| a == d))
        .collect();
    indices.sort_unstable();
    indices.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    while start < indices.len() {
        let mut end = start;
        while end + 1 < indices.len() && indices[end + 1] == indices[end] + 1 {
            end += 1;
        }
        let name = |i: usize| day_name(Weekday::ALL[indices[i]], lang);
        if end - start >= 2 {
            parts.push(format!("{}–{}", name(start), name(end)));
        } else {
            parts.extend((start..=end).map(|i| name(i).to_string()));
        }
        start = end + 1;
    }
    parts.join("/")
}

/// A distance as it reads: "1,2 km" in Danish, "1.2 km" in English; one
/// decimal below 10 km, whole kilometres above.
pub fn km_text(km: f64, lang: Lang) -> String {
    let text = if km < 9.95 {
        format!("{km:.1}")
    } else {
        format!("{km:.0}")
    };
    match lang {
        Lang::Da => format!("{} km", text.replace('.', ",")),
        Lang::En => format!("{text} km"),
    }
}

/// An age band as the API writes it: "3-5".
pub fn age_band_text(band: AgeBand) -> &'static str {
    match band {
        AgeBand::Toddler => "0-2",
        AgeBand::Preschool => "3-5",
        AgeBand::YoungSchool => "6-9",
        AgeBand::OlderSchool => "10-13",
        AgeBand::Teen => "14-17",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    fn keywords_match_without_case_and_across_the_glossary() {
        assert!(Keyword::new("Snow Shovel").is_given_by("snow  shovel"));
        assert!(Keyword::new("snow shovel").is_given_by("Sneskovl"));
        assert!(Keyword::new("shovel").is_given_by("big snow shovel"));
        assert!(Keyword::new("skovl").is_given_by("sneskovl"));
        assert!(!Keyword::new("trailer").is_given_by("sneskovl"));
        assert!(!Keyword::new("").is_given_by(""));
        assert!(!Keyword::new("bil").is_given_by("cykel"));
    }

    #[test]
    fn words_read_well_in_both_languages() {
        assert_eq!(km_text(1.23, Lang::Da), "1,2 km");
        assert_eq!(km_text(1.23, Lang::En), "1.2 km");
        assert_eq!(km_text(12.4, Lang::En), "12 km");
        assert_eq!(days_text(&[Thu, Tue], Lang::Da), "tir/tor");
        assert_eq!(days_text(&[Tue, Thu], Lang::En), "Tue/Thu");
        assert_eq!(days_text(&[Mon, Tue, Wed, Thu, Fri], Lang::Da), "man–fre");
        assert_eq!(
            days_text(&[Mon, Tue, Thu, Fri, Sat], Lang::En),
            "Mon/Tue/Thu–Sat"
        );
        assert_eq!(language_name("ar", Lang::Da), "arabisk");
        assert_eq!(language_name("AR", Lang::En), "Arabic");
        assert_eq!(language_name("xx", Lang::En), "xx");
        assert_eq!(translate("Sneskovl", Lang::En), "snow shovel");
        assert_eq!(translate("Snow shovel", Lang::Da), "sneskovl");
        assert_eq!(translate("Kajak", Lang::En), "Kajak");
    }
}
