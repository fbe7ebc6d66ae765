//! Every word the widget shows. Danish and English are built in, one table
//! with a column each, so the compiler finds every gap. Other languages are
//! packs: `frontend/lang/<code>.json`, a file a translator edits, which
//! `cargo xtask build-widget` checks against this table's keys and turns
//! into a content-hashed array in the table's order, fetched only by a
//! reader who chooses that language (see [`Lang::Pack`]).
//!
//! A `match` per key instead of a crate such as leptos_i18n: the table is
//! plain data the optimiser keeps as string constants, and it costs the wasm
//! nothing beyond the strings themselves.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use sammen_shared::signup::AgeBand;
use sammen_shared::status::Status;
use sammen_shared::week::Weekday;
use wasm_bindgen::JsValue;

/// A language the widget speaks: one of the two built in, or the n-th pack
/// the loader offers (its manifest, in [`PACKS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Da,
    En,
    Pack(u8),
}

/// A language pack the build made: where it is, what it is called in its
/// own language, which way it runs, and its texts once fetched.
#[derive(Debug)]
pub struct Pack {
    pub code: &'static str,
    pub name: &'static str,
    pub rtl: bool,
    /// The file's name, in the loader's folder ([`FOLDER`]).
    file: &'static str,
    /// The locale the browser's Intl writes its numbers and dates in.
    pub locale: &'static str,
    texts: Cell<Option<&'static PackTexts>>,
}

/// A pack's texts, in the order of [`Key`] (empty where it has none yet:
/// the English text stands in), and its names of the standard categories.
#[derive(Debug)]
struct PackTexts {
    keys: Vec<String>,
    categories: Vec<(String, String)>,
}

thread_local! {
    /// The packs the loader offers, fixed at mount.
    static PACKS: RefCell<&'static [Pack]> = const { RefCell::new(&[]) };
    /// Where the loader and the packs are (`https://…/widget/`).
    static FOLDER: Cell<&'static str> = const { Cell::new("") };
}

/// Reads the loader's manifest: the folder of the files, then one line per
/// pack, `code\tname\tdir\tfile\tlocale`.
pub fn offer_packs(manifest: String) {
    // Kept for the page's life: the packs' fields are slices of it.
    let mut lines = String::leak(manifest).lines();
    FOLDER.set(lines.next().unwrap_or_default());
    let packs: Vec<Pack> = lines
        .filter_map(|line| {
            let mut parts = line.split('\t');
            Some(Pack {
                code: parts.next()?,
                name: parts.next()?,
                rtl: parts.next()? == "rtl",
                file: parts.next()?,
                locale: parts.next()?,
                texts: Cell::new(None),
            })
        })
        .collect();
    PACKS.with(|p| *p.borrow_mut() = Vec::leak(packs));
}

/// The packs on offer.
pub fn packs() -> &'static [Pack] {
    PACKS.with(|p| *p.borrow())
}

impl Lang {
    /// The language a tag such as `ar-SY` or `en-GB` names, among those on
    /// offer (Norwegian readers get Danish).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        let is = |code: &str| primary.eq_ignore_ascii_case(code);
        if is("da") || is("nb") || is("no") {
            return Some(Lang::Da);
        }
        if is("en") {
            return Some(Lang::En);
        }
        packs()
            .iter()
            .position(|p| is(p.code))
            .map(|i| Lang::Pack(i as u8))
    }

    /// The first language of a list (`ar-SY,en;q=0.8`) on offer; Danish
    /// when none is.
    pub fn negotiate(list: &str) -> Lang {
        list.split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    fn pack(self) -> Option<&'static Pack> {
        match self {
            Lang::Pack(i) => packs().get(i as usize),
            _ => None,
        }
    }

    /// The locale for the browser's Intl (numbers, dates).
    pub fn locale(self) -> &'static str {
        self.pack().map_or(self.code(), |p| p.locale)
    }

    /// The code for `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
            Lang::Pack(_) => self.pack().map_or("en", |p| p.code),
        }
    }

    /// The language a body names for the server (`lang`, Danish or English
    /// only): a pack's reader names English, its first fallback, while
    /// `Accept-Language` asks for the pack's language first, which the
    /// server then keeps for her mails when it has a file for it.
    pub fn server(self) -> sammen_shared::Lang {
        match self {
            Lang::Da => sammen_shared::Lang::Da,
            _ => sammen_shared::Lang::En,
        }
    }

    /// Whether the texts are at hand (a pack's once fetched).
    pub fn ready(self) -> bool {
        self.pack().is_none_or(|p| p.texts.get().is_some())
    }

    /// `Accept-Language` for the API: the language itself first, so the
    /// server answers in it the day it learns it, else English.
    pub fn accept(self) -> String {
        match self {
            Lang::Pack(_) => format!("{}, en;q=0.8", self.code()),
            _ => self.code().into(),
        }
    }
}

/// Fetches a pack's texts (once; the file is content-hashed and cached for
/// good). `false` when it could not be read: the reader stays in the
/// language they had.
pub async fn fetch_pack(lang: Lang) -> bool {
    let Some(pack) = lang.pack() else {
        return true;
    };
    let url = format!("{}{}", FOLDER.get(), pack.file);
    let Ok(response) = gloo_net::http::Request::get(&url).send().await else {
        return false;
    };
    let Ok(body) = response.text().await else {
        return false;
    };
    let Ok(json) = js_sys::JSON::parse(&body) else {
        return false;
    };
    let strings = |value: JsValue| -> Vec<String> {
        js_sys::Array::from(&value)
            .iter()
            .map(|v| v.as_string().unwrap_or_default())
            .collect()
    };
    let field = |name: &str| js_sys::Reflect::get(&json, &name.into()).unwrap_or_default();
    let keys = strings(field("t"));
    if keys.is_empty() {
        return false;
    }
    let categories = strings(field("c"));
    let texts = PackTexts {
        keys,
        categories: categories
            .chunks(2)
            .filter_map(|pair| Some((pair.first()?.clone(), pair.get(1)?.clone())))
            .collect(),
    };
    pack.texts.set(Some(Box::leak(Box::new(texts))));
    true
}

macro_rules! table {
    (
        first { $($key:ident => $da:expr, $en:expr;)* }
        $(later $group:ident { $($later:ident => $later_da:expr, $later_en:expr;)* })*
    ) => {
        /// One string of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key,)* $($($later,)*)* }

        /// The strings of the list and the frame, in the order of [`Key`]:
        /// data the wasm indexes, smaller than the code a `match` over every
        /// key compiles to.
        const TABLE: &[[&str; 2]] = &[$([$da, $en]),*];

        /// The screens fetched on demand whose strings come with them.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Group { $($group),* }

        /// How many strings each group holds, in the order of [`Key`].
        const GROUP_LENGTHS: [usize; GROUPS] = [$([$(Key::$later),*].len()),*];
        const GROUPS: usize = [$(Group::$group),*].len();

        /// Each group's strings (`later <group>` above), named after the
        /// screen: only code in the modules fetched on demand names these
        /// (`on_demand.rs` hands them over), so each screen's strings leave
        /// the first load and the other screens' flows.
        pub mod later {
            use super::Group;
            $(
                pub fn $group() -> (usize, &'static [[&'static str; 2]]) {
                    (Group::$group as usize, &[$([$later_da, $later_en]),*])
                }
            )*
        }
    };
}

thread_local! {
    /// The groups of strings handed over so far, by [`Group`].
    static LATER: [Cell<&'static [[&'static str; 2]]>; GROUPS] = const { [const { Cell::new(&[]) }; GROUPS] };
}

/// Makes a group of strings fetched on demand readable (`later::join()`);
/// each screen fetched on demand calls it first with its groups.
pub fn hand_over((group, table): (usize, &'static [[&'static str; 2]])) {
    LATER.with(|later| later[group].set(table));
}

/// The string for `key` in `lang` (empty for a later string not yet handed
/// over, which no screen of the first load shows). A pack without the key
/// says it in English.
pub fn text(lang: Lang, key: Key) -> &'static str {
    let index = key as usize;
    let column = match lang {
        Lang::Da => 0,
        Lang::En => 1,
        Lang::Pack(_) => {
            let found = lang
                .pack()
                .and_then(|p| p.texts.get())
                .and_then(|t| t.keys.get(index))
                .filter(|t| !t.is_empty());
            if let Some(found) = found {
                return found.as_str();
            }
            1
        }
    };
    if let Some(row) = TABLE.get(index) {
        return row[column];
    }
    // Which group the key is in, and where in it.
    let mut at = index - TABLE.len();
    for (group, length) in GROUP_LENGTHS.iter().enumerate() {
        if at < *length {
            return LATER.with(|later| later[group].get().get(at).map_or("", |row| row[column]));
        }
        at -= length;
    }
    ""
}

table! {
first {
    // The frame
    WidgetLabel => "Sammen: fællesskaber i din kommune", "Sammen: community initiatives near you";
    LanguageLabel => "Sprog", "Language";
    TabBrowse => "Initiativer", "Initiatives";
    TabPropose => "Foreslå", "Propose";
    TabOffer => "Tilbyd hjælp", "Offer help";
    TabFollow => "Mit forslag", "My proposal";
    Loading => "Henter …", "Loading …";
    Unreachable => "Vi kan ikke få forbindelse til Sammen lige nu. Tjek din internetforbindelse, og prøv igen.",
        "We cannot reach Sammen right now. Check your internet connection and try again.";
    ServerTrouble => "Noget gik galt hos os. Prøv igen om lidt.", "Something went wrong on our side. Please try again shortly.";
    NotFound => "Vi kunne ikke finde det, du ledte efter.", "We could not find what you were looking for.";
    SiteNotConnected => "Sammen er ikke slået til på denne side endnu. Kommunen kan slå det til.",
        "Sammen is not switched on for this page yet. The municipality can switch it on.";
    Retry => "Prøv igen", "Try again";
    Back => "Tilbage til listen", "Back to the list";
    Optional => "valgfrit", "optional";

    // Browse
    ListHeading => "Det sker i dit område", "What is happening near you";
    FilterCategory => "Vis kategori", "Show category";
    AllCategories => "Alle kategorier", "All categories";
    NearMe => "Vis dem nær mig", "Show those near me";
    NearMeOff => "Vis alle", "Show all";
    Locating => "Finder din position …", "Finding your position …";
    NearestFirst => "Nærmest dig først.", "Nearest to you first.";
    LocationDenied => "Vi kan ikke se, hvor du er. Du kan stadig se alle initiativer.",
        "We cannot see where you are. You can still see all initiatives.";
    NoInitiatives => "Der er ingen initiativer her endnu. Vil du starte et?", "There are no initiatives here yet. Would you like to start one?";
    StartOne => "Foreslå et initiativ", "Propose an initiative";
    Where => "Hvor", "Where";
    When => "Hvornår", "When";
    ForWhom => "For hvem", "For whom";
    NeedsHeading => "Der er brug for", "Help needed";
    AllNeedsMet => "Der er hjælp nok lige nu, men du er velkommen.", "There is enough help for now, but you are welcome.";
    JoinButton => "Vær med", "Join";
    Completed => "Gennemført", "Completed";

    // Said above every screen: what became of what was queued offline
    Queued => "Du er offline. Det, du skrev, er gemt. Vi sender det, når du er online igen.",
        "You are offline. What you wrote is saved and will be sent as soon as you are back online.";
    QueuedSent => "Det, du sendte uden forbindelse, er nu modtaget.", "What you sent while offline has now arrived.";
    QueuedRefused => "Det, du sendte uden forbindelse, blev ikke modtaget. Åbn formularen, og send det igen.",
        "What you sent while offline was not accepted. Open the form and send it again.";
    Results => "Se, hvad der er kommet ud af det", "See what came of it";
    ResultsOff => "Tilbage til det, der er i gang", "Back to what is running";
    Joined => "{n} er med", "{n} joined";
    Distance => "{n} km væk", "{n} km away";
    StillNeeded => "mangler {n}", "{n} more wanted";

}
later forms {
    // The forms' shared words: handed over by each form and the follow link
    FixFields => "Ret de markerede felter, og send igen.", "Please correct the marked fields and send again.";
    Sending => "Sender …", "Sending …";
    Institution => "Sted eller institution", "Place or institution";
    NoInstitution => "Ingen bestemt", "None in particular";
    ContactLegend => "Sådan kan vi kontakte dig", "How we can reach you";
    Name => "Dit navn", "Your name";
    Email => "E-mail", "Email";
    Phone => "Telefon", "Phone";
    EmailOrPhone => "Skriv e-mail eller telefon, så vi kan svare dig.", "Give an email or a phone number so we can answer you.";
    Title => "Hvad vil du sætte i gang?", "What do you want to start?";
    Summary => "Beskriv det kort", "Describe it briefly";
    WhenField => "Hvornår?", "When?";
    Copy => "Kopiér linket", "Copy the link";
    Copied => "Linket er kopieret.", "The link has been copied.";
    AreaHint => "Fx: Grindsted nord", "E.g.: Grindsted north";
    SearchLanguage => "Søg efter sprog (fx arabisk)", "Search for a language (e.g. Arabic)";
    UsePosition => "Brug min position", "Use my position";
    PositionKept => "Vi gemmer, hvor du er nu, men kun omtrent (inden for 100 meter).", "The place gets your current position (to about 100 m).";
    PositionForget => "Fjern positionen", "Remove the position";
    PrivateLink => "Her kan du se og slette dine oplysninger. Gem linket. Det er kun til dig, og vi viser det ikke igen. Du får det også på e-mail, hvis du gav os den.",
        "Here you can see and delete your details. Keep the link: it is only for you, and we will not show it again. If you gave your email, it is there too.";
    PrivateLinkLabel => "Dit private link", "Your private link";
    PrivateLinkOpen => "Mine oplysninger", "My details";
    Monday => "Mandag", "Monday";
    Tuesday => "Tirsdag", "Tuesday";
    Wednesday => "Onsdag", "Wednesday";
    Thursday => "Torsdag", "Thursday";
    Friday => "Fredag", "Friday";
    Saturday => "Lørdag", "Saturday";
    Sunday => "Søndag", "Sunday";
}
later propose {
    // Propose
    ProposeHeading => "Foreslå et initiativ", "Propose an initiative";
    ProposeIntro => "Fortæl, hvad du selv vil sætte i gang. En koordinator fra kommunen læser dit forslag, før andre kan se det.",
        "Tell us what you will start yourself. A coordinator from the municipality reads your proposal before others can see it.";
    TitleHint => "Fx: Legegrupper for 3–5-årige", "E.g.: Playgroups for 3–5-year-olds";
    Audience => "For hvem?", "For whom?";
    AudienceHint => "Fx: familier med børn i Regnbuen", "E.g.: families with children at Regnbuen";
    Category => "Kategori", "Category";
    ChooseCategory => "Vælg en kategori", "Choose a category";
    Place => "Hvor?", "Where?";
    PlaceHint => "Fx: Regnbuens legeplads", "E.g.: the Regnbuen playground";
    WhenHint => "Fx: torsdage 15.30–17.00 fra marts", "E.g.: Thursdays 15:30–17:00 from March";
    NeedsLegend => "Hvilken hjælp har du brug for?", "What help do you need?";
    NeedsHint => "Fx: 3 personer med sneskovl. Du kan også lade det stå tomt.", "E.g.: 3 people with snow shovels. You may also leave this empty.";
    NeedTitle => "Hvad skal der til?", "What is needed?";
    NeedPeople => "Antal personer", "Number of people";
    NeedSkills => "Hvad skal de kunne?", "What should they be able to do?";
    NeedTools => "Hvad skal de have med?", "What should they bring?";
    ListHint => "Adskil med komma", "Separate with commas";
    AddNeed => "Tilføj et behov", "Add a need";
    RemoveNeed => "Fjern behovet", "Remove this need";
    ConsentPropose => "Kun kommunens koordinator ser dit navn og dine kontaktoplysninger. De bliver aldrig vist offentligt.",
        "Only the municipality's coordinator sees your name and contact details. They are never shown publicly.";
    SendProposal => "Send forslaget", "Send the proposal";
    ProposalSent => "Tak! Dit forslag er sendt.", "Thank you! Your proposal has been sent.";
    FollowLinkIntro => "Gem dette link. Med det kan du følge dit forslag og svare koordinatoren. Vi viser det kun denne ene gang.",
        "Keep this link: with it you can follow your proposal and answer the coordinator. It is shown only this once.";
    FollowLinkLabel => "Dit private link", "Your private link";
    OpenFollow => "Se dit forslag", "See your proposal";
    RememberDevice => "Husk mit forslag på denne enhed (ikke på en fælles computer)",
        "Remember my proposal on this device (not on a shared computer)";
    NewProposal => "Foreslå et nyt", "Propose another";
    NeedNumber => "Behov {n}", "Need {n}";
}
later join {
    // Join
    JoinHeading => "Vær med", "Join";
    JoinNeed => "Hvad vil du hjælpe med?", "What would you like to help with?";
    AnyNeed => "Hvor der er brug for mig", "Wherever I am needed";
    FamilyLegend => "Om jeres familie", "About your family";
    FamilyIntro => "Vi bruger det til at sætte legegrupper sammen. Vi spørger kun om barnets alder, aldrig navn eller fødselsdag.",
        "We use this to put playgroups together. We only ask for the child's age, never a name or birthday.";
    AgeBand => "Barnets alder", "Child's age";
    ChooseAge => "Vælg alder", "Choose an age";
    Area => "Jeres område", "Your area";
    FreeAfternoons => "Hvilke eftermiddage kan I?", "Which afternoons suit you?";
    HomeLanguages => "Sprog I taler derhjemme", "Languages spoken at home";
    NewInArea => "Vi er nye i området", "We are new in the area";
    Message => "Besked til arrangørerne", "Message to the organisers";
    OrganiserSees => "Hvad må arrangøren se?", "What may the organiser see?";
    SeesName => "Kun mit navn", "Only my name";
    SeesEmail => "Mit navn og min e-mail", "My name and my email";
    SeesPhone => "Mit navn og mit telefonnummer", "My name and my phone number";
    ConsentJoin => "Arrangøren ser dit navn, din besked og det, du har valgt. Kommunens koordinator ser dine kontaktoplysninger. Ingen andre.",
        "The organiser sees your name, your message and what you chose. The municipality's coordinator sees your contact details. Nobody else.";
    SendJoin => "Meld mig til", "Sign me up";
    JoinedDone => "Du er med! Arrangørerne kontakter dig.", "You are in! The organisers will contact you.";
    AgeToddler => "0–2 år", "0–2 years";
    AgePreschool => "3–5 år", "3–5 years";
    AgeYoungSchool => "6–9 år", "6–9 years";
    AgeOlderSchool => "10–13 år", "10–13 years";
    AgeTeen => "14–17 år", "14–17 years";
}
later offer {
    // Offer
    OfferHeading => "Tilbyd din hjælp", "Offer your help";
    OfferIntro => "Fortæl, hvad du kan give. Koordinatoren kontakter dig, når et initiativ har brug for netop det.",
        "Tell us what you can give. The coordinator contacts you when an initiative needs just that.";
    WeekTimes => "Hvornår kan du som regel?", "When are you usually free?";
    Morning => "Formiddag 8–12", "Morning 8–12";
    Afternoon => "Eftermiddag 12–17", "Afternoon 12–17";
    Evening => "Aften 17–21", "Evening 17–21";
    Skills => "Hvad er du god til?", "What are you good at?";
    SkillsHint => "Adskil med komma, fx førstehjælp, tømrerarbejde", "Separate with commas, e.g. first aid, carpentry";
    Tools => "Hvad kan du låne ud?", "What can you lend?";
    ToolsHint => "Fx: sneskovl, trailer", "E.g.: snow shovel, trailer";
    OfferArea => "Hvor kan du hjælpe?", "Where can you help?";
    Radius => "Hvor mange kilometer vil du gå eller køre?", "How far will you go (km)?";
    Languages => "Sprog du taler", "Languages you speak";
    Note => "Andet, vi skal vide", "Anything else we should know";
    ConsentOffer => "Kun kommunens koordinatorer ser dit tilbud og dine kontaktoplysninger.",
        "Only the municipality's coordinators see your offer and contact details.";
    SendOffer => "Send tilbuddet", "Send the offer";
    OfferSent => "Tak! Koordinatoren kontakter dig, når der er brug for dig.", "Thank you! The coordinator will contact you when you are needed.";
}
later follow {
    // Follow
    ForgetDevice => "Glem mit forslag på denne enhed", "Forget my proposal on this device";
    OrganiserSpace => "Se, hvem der er med", "See who joined";
    FollowHeading => "Dit forslag", "Your proposal";
    FollowUnknown => "Linket virker ikke længere. Tjek, at du har hele linket med.", "This link does not work. Check that you copied all of it.";
    StatusLabel => "Status", "Status";
    Dialogue => "Beskeder", "Messages";
    NoMessages => "Ingen beskeder endnu. Koordinatoren skriver her.", "No messages yet. The coordinator will write here.";
    FromCoordinator => "Koordinator", "Coordinator";
    FromYou => "Dig", "You";
    Reply => "Skriv til koordinatoren", "Write to the coordinator";
    SendReply => "Send beskeden", "Send the message";
    ReplySent => "Beskeden er sendt.", "The message has been sent.";
    Resubmit => "Send forslaget til koordinatoren igen", "Send the proposal back to the coordinator";
    Resubmitted => "Forslaget er sendt igen.", "The proposal has been sent again.";
    EditProposal => "Ret forslaget", "Edit the proposal";
    EditNote => "Hvad har du ændret?", "What did you change?";
    EditResubmit => "Send det til koordinatoren igen", "Send it back to the coordinator";
    SaveEdit => "Gem ændringerne", "Save the changes";
    EditSaved => "Ændringerne er gemt.", "Your changes have been saved.";
    StatusSubmitted => "Sendt, venter på koordinatoren", "Sent, waiting for the coordinator";
    StatusChangesRequested => "Koordinatoren beder om ændringer", "The coordinator asks for changes";
    StatusDeclined => "Afvist", "Declined";
    StatusPublished => "Offentliggjort", "Published";
    StatusCompleted => "Gennemført", "Completed";
    StatusArchived => "Arkiveret", "Archived";
}
}

/// The direction text runs in, for the widget's `dir` attribute; `rtl`
/// is the pseudo-locale's override (see `Config::rtl`).
pub fn dir(lang: Lang, rtl: bool) -> &'static str {
    if rtl || lang.pack().is_some_and(|p| p.rtl) {
        "rtl"
    } else {
        "ltr"
    }
}

/// A text with its `{n}` filled in by a number written by the browser's Intl
/// for the language (Arabic digits in Arabic; Rust's float formatting would
/// cost the wasm ~20 KB).
fn with_number(lang: Lang, key: Key, n: f64) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"maximumFractionDigits".into(), &1.into());
    let locales = js_sys::Array::of1(&lang.locale().into());
    let number = js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(n))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    // The browser replaces: Rust's substring search would cost the wasm ~1 KB.
    js_sys::JsString::from(text(lang, key))
        .replace("{n}", &number)
        .into()
}

/// "3 er med" / "3 joined".
pub fn joined(lang: Lang, count: u32) -> String {
    with_number(lang, Key::Joined, count.into())
}

/// "1,2 km væk" / "1.2 km away".
pub fn distance(lang: Lang, km: f64) -> String {
    with_number(lang, Key::Distance, km)
}

/// "mangler 2" / "2 more wanted".
pub fn still_needed(lang: Lang, count: u32) -> String {
    with_number(lang, Key::StillNeeded, count.into())
}

/// "Behov 2" / "Need 2", the legend of one need in the propose form.
pub fn need_number(lang: Lang, number: usize) -> String {
    with_number(lang, Key::NeedNumber, number as f64)
}

pub fn status(lang: Lang, status: Status) -> &'static str {
    use Status::*;
    text(
        lang,
        match status {
            Submitted => Key::StatusSubmitted,
            ChangesRequested => Key::StatusChangesRequested,
            Declined => Key::StatusDeclined,
            Published => Key::StatusPublished,
            Completed => Key::StatusCompleted,
            Archived => Key::StatusArchived,
        },
    )
}

pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let index = Weekday::ALL.iter().position(|d| *d == day).unwrap_or(0);
    text(
        lang,
        [
            Key::Monday,
            Key::Tuesday,
            Key::Wednesday,
            Key::Thursday,
            Key::Friday,
            Key::Saturday,
            Key::Sunday,
        ][index],
    )
}

/// A category's name: the municipality's own words in Danish and English; in
/// a pack, the pack's name of a standard category, else the English one.
pub fn category(lang: Lang, slug: &str, name_da: String, name_en: String) -> String {
    match lang {
        Lang::Da => name_da,
        Lang::En => name_en,
        Lang::Pack(_) => lang
            .pack()
            .and_then(|p| p.texts.get())
            .and_then(|t| t.categories.iter().find(|(s, _)| s == slug))
            .map_or(name_en, |(_, name)| name.clone()),
    }
}

/// The age bands in order, with their words.
pub const AGE_BANDS: [AgeBand; 5] = [
    AgeBand::Toddler,
    AgeBand::Preschool,
    AgeBand::YoungSchool,
    AgeBand::OlderSchool,
    AgeBand::Teen,
];

pub fn age_band(lang: Lang, band: AgeBand) -> &'static str {
    use AgeBand::*;
    text(
        lang,
        match band {
            Toddler => Key::AgeToddler,
            Preschool => Key::AgePreschool,
            YoungSchool => Key::AgeYoungSchool,
            OlderSchool => Key::AgeOlderSchool,
            Teen => Key::AgeTeen,
        },
    )
}

/// The icon of a category; decorative, the name is always written next to it.
pub fn category_icon(slug: &str) -> &'static str {
    match slug {
        "playdate_group" => "🧸",
        "snow_clearing" => "❄️",
        "playground_build" => "🔨",
        "walking_group" => "🚶",
        "bathing_area" => "🏊",
        _ => "✨",
    }
}

/// A date-time from the API (RFC 3339, UTC) as people in Denmark read it,
/// in the reader's language: the browser's Intl does the work, so no date
/// crate ships in the wasm.
pub fn date_time(lang: Lang, rfc3339: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    for (key, value) in [
        ("timeZone", "Europe/Copenhagen"),
        ("dateStyle", "medium"),
        ("timeStyle", "short"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string(lang.locale(), &options).into()
}

/// The current language, from the widget's context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<crate::app::Ctx>().lang
}

/// A text written anew when the reader switches language. Boxed: every such
/// text then shares one rendering in the wasm instead of one per closure.
pub type Live = Box<dyn Fn() -> String + Send + Sync>;

/// A [`Live`] text from what it says in a language.
pub fn live(text: impl Fn(Lang) -> String + Send + Sync + 'static) -> Live {
    let lang = use_lang();
    Box::new(move || text(lang.get()))
}

/// A reactive translation: re-renders when the reader switches language.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_pack_on_offer_is_chosen_by_its_tag_and_speaks_english_until_fetched() {
        offer_packs(
            "https://sammen.example/widget/\n\
             ar\tالعربية\trtl\tsammen-lang-ar-0123456789.json\tar-u-nu-latn\n\
             uk\tУкраїнська\tltr\tsammen-lang-uk-0123456789.json\tuk"
                .to_string(),
        );
        assert_eq!(packs().len(), 2);
        assert_eq!(FOLDER.get(), "https://sammen.example/widget/");
        assert_eq!(packs()[0].file, "sammen-lang-ar-0123456789.json");
        assert_eq!(Lang::negotiate("ar-SY,en;q=0.8"), Lang::Pack(0));
        assert_eq!(Lang::negotiate("fr-FR, UK"), Lang::Pack(1));
        assert_eq!(Lang::negotiate("fr, en-GB"), Lang::En);
        assert_eq!(Lang::negotiate("nb"), Lang::Da);
        assert_eq!(Lang::negotiate(""), Lang::Da);
        let arabic = Lang::Pack(0);
        assert_eq!((arabic.code(), arabic.locale()), ("ar", "ar-u-nu-latn"));
        assert_eq!(dir(arabic, false), "rtl");
        assert_eq!(dir(Lang::Pack(1), false), "ltr");
        assert_eq!(arabic.accept(), "ar, en;q=0.8");
        assert_eq!(arabic.server(), sammen_shared::Lang::En);
        // Not fetched yet: the English text stands in, never an empty one.
        assert_eq!(text(arabic, Key::ListHeading), "What is happening near you");
    }

    #[wasm_bindgen_test]
    fn a_screens_strings_are_readable_once_its_module_hands_them_over() {
        // Each group is named by one screen's module only; until it arrives
        // its strings are empty, and the others' stay so.
        assert_eq!(text(Lang::Da, Key::JoinHeading), "");
        hand_over(later::forms());
        hand_over(later::join());
        assert_eq!(text(Lang::Da, Key::JoinHeading), "Vær med");
        assert_eq!(text(Lang::En, Key::AgeTeen), "14–17 years");
        assert_eq!(text(Lang::Da, Key::Name), "Dit navn");
        assert_eq!(text(Lang::En, Key::ProposeHeading), "");
        assert_eq!(text(Lang::Da, Key::StatusArchived), "");
        hand_over(later::follow());
        assert_eq!(text(Lang::Da, Key::StatusArchived), "Arkiveret");
        // The first load's strings never wait.
        assert_eq!(text(Lang::En, Key::StillNeeded), "{n} more wanted");
    }
}
