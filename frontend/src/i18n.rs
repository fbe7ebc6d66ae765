//! Every word the widget shows, in every language it speaks. One table, so a
//! new language is one new column and the compiler finds every gap.
//!
//! A `match` per key instead of a crate such as leptos_i18n: the table is
//! plain data the optimiser keeps as string constants, and it costs the wasm
//! nothing beyond the strings themselves.

use std::cell::Cell;

use leptos::prelude::*;
use sammen_shared::signup::AgeBand;
use sammen_shared::status::Status;
use sammen_shared::week::Weekday;
use sammen_shared::Lang;
use wasm_bindgen::JsValue;

macro_rules! table {
    (
        first { $($key:ident => $da:expr, $en:expr;)* }
        later { $($later:ident => $later_da:expr, $later_en:expr;)* }
    ) => {
        /// One string of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key,)* $($later),* }

        /// The strings of the list and the frame, in the order of [`Key`]:
        /// data the wasm indexes, smaller than the code a `match` over every
        /// key compiles to.
        const TABLE: &[[&str; 2]] = &[$([$da, $en]),*];

        /// The strings of the screens fetched on demand (in `later`),
        /// which come with them: only code in those modules names this table
        /// (`on_demand.rs` hands it over), so its strings leave the first load.
        pub fn later_table() -> &'static [[&'static str; 2]] {
            &[$([$later_da, $later_en]),*]
        }
    };
}

thread_local! {
    /// [`later_table`], once a module fetched on demand has handed it over.
    static LATER: Cell<&'static [[&'static str; 2]]> = const { Cell::new(&[]) };
}

/// Makes the strings after `later:` readable; each screen fetched on demand
/// calls it first.
pub fn hand_over_later() {
    LATER.with(|later| later.set(later_table()));
}

/// The string for `key` in `lang` (empty for a later string not yet handed
/// over, which no screen of the first load shows).
pub fn text(lang: Lang, key: Key) -> &'static str {
    let column = match lang {
        Lang::Da => 0,
        Lang::En => 1,
    };
    let index = key as usize;
    match TABLE.get(index) {
        Some(row) => row[column],
        None => LATER.with(|later| {
            later
                .get()
                .get(index - TABLE.len())
                .map_or("", |row| row[column])
        }),
    }
}

table! {
first {
    // The frame
    WidgetLabel => "Sammen: fællesskaber i din kommune", "Sammen: community initiatives near you";
    OtherLanguage => "English", "Dansk";
    OtherLanguageLabel => "Read in English", "Læs på dansk";
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
    Queued => "Du er offline. Det, du skrev, er gemt og bliver sendt, så snart du er online igen.",
        "You are offline. What you wrote is saved and will be sent as soon as you are back online.";
    QueuedSent => "Det, du sendte uden forbindelse, er nu modtaget.", "What you sent while offline has now arrived.";
    QueuedRefused => "Det, du sendte uden forbindelse, blev ikke modtaget. Åbn formularen, og send det igen.",
        "What you sent while offline was not accepted. Open the form and send it again.";
    Results => "Se, hvad der er kommet ud af det", "See what came of it";
    ResultsOff => "Tilbage til det, der er i gang", "Back to what is running";

}
later {

    // Forms, shared
    FixFields => "Ret de markerede felter, og send igen.", "Please correct the marked fields and send again.";
    Sending => "Sender …", "Sending …";
    ContactLegend => "Sådan kan vi kontakte dig", "How we can reach you";
    Name => "Dit navn", "Your name";
    Email => "E-mail", "Email";
    Phone => "Telefon", "Phone";
    EmailOrPhone => "Skriv e-mail eller telefon, så vi kan svare dig.", "Give an email or a phone number so we can answer you.";

    // Propose
    ProposeHeading => "Foreslå et initiativ", "Propose an initiative";
    ProposeIntro => "Fortæl, hvad du selv vil sætte i gang. En koordinator fra kommunen læser dit forslag, før det bliver vist for andre.",
        "Tell us what you will start yourself. A coordinator from the municipality reads your proposal before others can see it.";
    Title => "Hvad vil du sætte i gang?", "What do you want to start?";
    TitleHint => "Fx: Legegrupper for 3–5-årige", "E.g.: Playgroups for 3–5-year-olds";
    Summary => "Beskriv det kort", "Describe it briefly";
    Audience => "For hvem?", "For whom?";
    AudienceHint => "Fx: familier med børn i Regnbuen", "E.g.: families with children at Regnbuen";
    Category => "Kategori", "Category";
    ChooseCategory => "Vælg en kategori", "Choose a category";
    Institution => "Institution", "Institution";
    NoInstitution => "Ingen bestemt", "None in particular";
    Place => "Hvor?", "Where?";
    PlaceHint => "Fx: Regnbuens legeplads", "E.g.: the Regnbuen playground";
    WhenField => "Hvornår?", "When?";
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
    FollowLinkIntro => "Gem dette link: med det kan du følge dit forslag og svare koordinatoren. Du får det kun vist denne ene gang.",
        "Keep this link: with it you can follow your proposal and answer the coordinator. It is shown only this once.";
    FollowLinkLabel => "Dit private link", "Your private link";
    Copy => "Kopiér linket", "Copy the link";
    Copied => "Linket er kopieret.", "The link has been copied.";
    OpenFollow => "Se dit forslag", "See your proposal";
    RememberDevice => "Husk mit forslag på denne enhed (ikke på en fælles computer)",
        "Remember my proposal on this device (not on a shared computer)";
    ForgetDevice => "Glem mit forslag på denne enhed", "Forget my proposal on this device";
    NewProposal => "Foreslå et nyt", "Propose another";

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
    AreaHint => "Fx: Grindsted nord", "E.g.: Grindsted north";
    FreeAfternoons => "Hvilke eftermiddage kan I?", "Which afternoons suit you?";
    HomeLanguages => "Sprog I taler derhjemme", "Languages spoken at home";
    SearchLanguage => "Søg efter sprog (fx arabisk)", "Search for a language (e.g. Arabic)";
    NewInArea => "Vi er nye i området", "We are new in the area";
    Message => "Besked til arrangørerne", "Message to the organisers";
    OrganiserSees => "Hvad må arrangøren se?", "What may the organiser see?";
    SeesName => "Kun mit navn", "Only my name";
    SeesEmail => "Mit navn og min e-mail", "My name and my email";
    SeesPhone => "Mit navn og mit telefonnummer", "My name and my phone number";
    ConsentJoin => "Arrangøren ser dit navn, din besked og det, du har valgt. Kommunens koordinator ser dine kontaktoplysninger. Ingen andre.",
        "The organiser sees your name, your message and what you chose. The municipality's coordinator sees your contact details. Nobody else.";
    SendJoin => "Meld mig til", "Sign me up";
    OrganiserSpace => "Se, hvem der er med", "See who joined";
    UsePosition => "Brug min position", "Use my position";
    PositionKept => "Stedet får din nuværende position (ca. 100 m nøjagtigt).", "The place gets your current position (to about 100 m).";
    PositionForget => "Fjern positionen", "Remove the position";
    JoinedDone => "Du er med! Arrangørerne kontakter dig.", "You are in! The organisers will contact you.";
    PrivateLink => "Her kan du se og slette dine oplysninger. Gem linket: det er kun til dig, og vi viser det ikke igen. Gav du din e-mail, har du det også dér.",
        "Here you can see and delete your details. Keep the link: it is only for you, and we will not show it again. If you gave your email, it is there too.";
    PrivateLinkLabel => "Dit private link", "Your private link";
    PrivateLinkOpen => "Mine oplysninger", "My details";

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
    Radius => "Hvor langt vil du gå eller køre (km)?", "How far will you go (km)?";
    Languages => "Sprog du taler", "Languages you speak";
    Note => "Andet, vi skal vide", "Anything else we should know";
    ConsentOffer => "Kun kommunens koordinatorer ser dit tilbud og dine kontaktoplysninger.",
        "Only the municipality's coordinators see your offer and contact details.";
    SendOffer => "Send tilbuddet", "Send the offer";
    OfferSent => "Tak! Koordinatoren kontakter dig, når der er brug for dig.", "Thank you! The coordinator will contact you when you are needed.";

    // Follow
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
}
}

/// The direction text runs in, for the widget's `dir` attribute; `rtl`
/// is the pseudo-locale's override (see `Config::rtl`).
pub fn dir(lang: Lang, rtl: bool) -> &'static str {
    match lang {
        _ if rtl => "rtl",
        Lang::Da | Lang::En => "ltr",
    }
}

/// "3 er med" / "3 joined".
pub fn joined(lang: Lang, count: u32) -> String {
    match lang {
        Lang::Da => format!("{count} er med"),
        Lang::En => format!("{count} joined"),
    }
}

/// "1,2 km væk" / "1.2 km away": the browser's Intl writes the number (Rust's
/// float formatting would cost the wasm ~20 KB).
pub fn distance(lang: Lang, km: f64) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"maximumFractionDigits".into(), &1.into());
    let locales = js_sys::Array::of1(&lang.code().into());
    let number = js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(km))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    match lang {
        Lang::Da => format!("{number} km væk"),
        Lang::En => format!("{number} km away"),
    }
}

/// "mangler 2" / "2 more wanted".
pub fn still_needed(lang: Lang, count: u32) -> String {
    match lang {
        Lang::Da => format!("mangler {count}"),
        Lang::En => format!("{count} more wanted"),
    }
}

/// "Behov 2" / "Need 2", the legend of one need in the propose form.
pub fn need_number(lang: Lang, number: usize) -> String {
    match lang {
        Lang::Da => format!("Behov {number}"),
        Lang::En => format!("Need {number}"),
    }
}

pub fn status(lang: Lang, status: Status) -> &'static str {
    use Status::*;
    match (lang, status) {
        (Lang::Da, Submitted) => "Sendt, venter på koordinatoren",
        (Lang::Da, ChangesRequested) => "Koordinatoren beder om ændringer",
        (Lang::Da, Declined) => "Afvist",
        (Lang::Da, Published) => "Offentliggjort",
        (Lang::Da, Completed) => "Gennemført",
        (Lang::Da, Archived) => "Arkiveret",
        (Lang::En, Submitted) => "Sent, waiting for the coordinator",
        (Lang::En, ChangesRequested) => "The coordinator asks for changes",
        (Lang::En, Declined) => "Declined",
        (Lang::En, Published) => "Published",
        (Lang::En, Completed) => "Completed",
        (Lang::En, Archived) => "Archived",
    }
}

pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    let index = Weekday::ALL.iter().position(|d| *d == day).unwrap_or(0);
    match lang {
        Lang::Da => [
            "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag",
        ][index],
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][index],
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
    match (lang, band) {
        (Lang::Da, Toddler) => "0–2 år",
        (Lang::Da, Preschool) => "3–5 år",
        (Lang::Da, YoungSchool) => "6–9 år",
        (Lang::Da, OlderSchool) => "10–13 år",
        (Lang::Da, Teen) => "14–17 år",
        (Lang::En, Toddler) => "0–2 years",
        (Lang::En, Preschool) => "3–5 years",
        (Lang::En, YoungSchool) => "6–9 years",
        (Lang::En, OlderSchool) => "10–13 years",
        (Lang::En, Teen) => "14–17 years",
    }
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
    date.to_locale_string(lang.code(), &options).into()
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
