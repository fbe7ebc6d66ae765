//! The widget's frame: shared state (language, current screen, the
//! municipality), the header with tabs and the language picker, and which
//! screen shows now. There is no router: the widget lives inside someone
//! else's page and must not touch its URL, except to read a follow link.

use leptos::prelude::*;
use sammen_shared::municipality::MunicipalityView;
use sammen_shared::ErrorCode;
use uuid::Uuid;

use crate::api::{Api, ApiFailure, Loaded};
use crate::config::Config;
use crate::draft::Drafts;
use crate::i18n::{self, t, Key, Lang};
use crate::on_demand;
use crate::outbox::Outbox;
use crate::views;

/// The widget's stylesheet (`src/style.css`, minified by build.rs); the
/// loader puts it in the shadow root (see `loader.js`).
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));
/// The fragment a follow link carries: `#sammen-follow=<token>`.
pub const FOLLOW_FRAGMENT: &str = "sammen-follow=";

/// Which screen the widget shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    List,
    Detail(Uuid),
    Join(Uuid),
    Propose,
    Offer,
    Follow(String),
}

/// What every view may use; provided once by [`App`].
#[derive(Clone)]
pub struct Ctx {
    pub config: Config,
    pub lang: RwSignal<Lang>,
    pub screen: RwSignal<Screen>,
    /// Set after the first navigation: from then on a new screen takes the
    /// focus (for screen readers), but loading the page never steals it.
    pub navigated: RwSignal<bool>,
    pub municipality: Loaded<MunicipalityView>,
    pub drafts: Drafts,
    /// The follow token of this browser's latest proposal, if any.
    pub follow_token: RwSignal<Option<String>>,
}

impl Ctx {
    /// The API, speaking the current language.
    pub fn api(&self) -> Api {
        Api::new(self.config.clone(), self.lang.get_untracked())
    }

    pub fn go(&self, screen: Screen) {
        self.navigated.set(true);
        self.screen.set(screen);
    }

    /// The name of a category in the current language: the municipality's
    /// own words when loaded, else the slug.
    pub fn category_name(&self, slug: &str) -> String {
        let lang = self.lang.get();
        self.municipality
            .get()
            .and_then(Result::ok)
            .and_then(|m| m.categories.into_iter().find(|c| c.slug == slug))
            .map(|c| i18n::category(lang, slug, c.name_da, c.name_en))
            .unwrap_or_else(|| slug.replace('_', " "))
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The whole widget.
#[component]
pub fn App(config: Config) -> impl IntoView {
    let drafts = Drafts::new(&config.municipality);
    let mut follow_token = drafts.follow();
    let mut first = Screen::List;
    if let Some(token) = token_from_location() {
        drafts.keep_follow(&token, false);
        follow_token = Some(token.clone());
        first = Screen::Follow(token);
    }
    let api = Api::new(config.clone(), config.lang);
    let municipality = Loaded::new(move || api.municipality());
    let ctx = Ctx {
        lang: RwSignal::new(config.lang),
        config,
        screen: RwSignal::new(first),
        navigated: RwSignal::new(false),
        municipality,
        drafts,
        follow_token: RwSignal::new(follow_token),
    };
    provide_context(ctx.clone());
    let outbox = Outbox::new();
    provide_context(outbox);
    outbox.start(&ctx);
    let note = outbox.note;
    let lang = ctx.lang;
    let rtl = ctx.config.rtl;
    // A page the municipality has not allowed (yet) gets one sentence, not
    // tabs whose forms could never be sent. A memo, so that the answer
    // arriving does not redraw the widget when the page is allowed.
    let municipality = ctx.municipality;
    let refused = Memo::new(move |_| {
        matches!(
            municipality.get(),
            Some(Err(ApiFailure::Refused {
                code: Some(ErrorCode::OriginNotAllowed),
                ..
            }))
        )
    });

    view! {
        <section
            class="sammen"
            lang=move || lang.get().code()
            dir=move || i18n::dir(lang.get(), rtl)
            aria-label=t(Key::WidgetLabel)
        >
            {move || if refused.get() {
                view! { <p class="notice failure" role="alert">{t(Key::SiteNotConnected)}</p> }.into_any()
            } else {
                view! {
                    <Header/>
                    <p class="notice outbox" role="status">{move || note.get().map(t)}</p>
                    <div class="screen">{move || screen_view(ctx.screen.get())}</div>
                }.into_any()
            }}
        </section>
    }
}

fn screen_view(screen: Screen) -> AnyView {
    match screen {
        Screen::List => views::list::List().into_any(),
        Screen::Detail(id) => on_demand::later(move || on_demand::detail(id, false)),
        Screen::Join(id) => on_demand::later(move || on_demand::detail(id, true)),
        Screen::Propose => on_demand::later(on_demand::propose),
        Screen::Offer => on_demand::later(on_demand::offer),
        Screen::Follow(token) => on_demand::later(move || on_demand::follow(token.clone())),
    }
}

/// The tabs and the language picker.
#[component]
fn Header() -> impl IntoView {
    let ctx = use_ctx();
    let screen = ctx.screen;
    let follow = ctx.follow_token;
    let tab = move |key: Key, target: Screen| {
        let ctx = ctx.clone();
        let current = target.clone();
        let is_current = move || {
            let now = screen.get();
            match (&now, &current) {
                (Screen::Detail(_) | Screen::Join(_), Screen::List) => true,
                (Screen::Follow(_), Screen::Follow(_)) => true,
                _ => now == current,
            }
        };
        view! {
            <button
                type="button"
                class="tab"
                aria-current=move || is_current().then_some("page")
                on:click=move |_| ctx.go(target.clone())
            >
                {t(key)}
            </button>
        }
    };
    view! {
        <header class="bar">
            <nav class="tabs">
                {tab(Key::TabBrowse, Screen::List)}
                {tab(Key::TabPropose, Screen::Propose)}
                {tab(Key::TabOffer, Screen::Offer)}
                {move || follow.get().map(|token| tab(Key::TabFollow, Screen::Follow(token)))}
            </nav>
            {language_choice()}
        </header>
    }
}

/// The language picker: Danish and English, and every pack the build made,
/// each by its own name. A pack is fetched when chosen; the choice is kept
/// on this device.
fn language_choice() -> impl IntoView {
    let lang = use_ctx().lang;
    let choose = move |ev: leptos::ev::Event| {
        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
        let chosen = Lang::from_tag(&select.value()).unwrap_or_default();
        leptos::task::spawn_local(async move {
            if on_demand::language_pack(chosen).await {
                crate::draft::keep_language(chosen.code());
                lang.set(chosen);
            } else {
                // Unreadable now (offline): the picker shows what is in use.
                select.set_value(lang.get_untracked().code());
            }
        });
    };
    // The options as markup, not views: they never change (only the reader
    // changes the choice, here), and a list of views would cost the first
    // load ~1 KB of rendering code. The build allows no markup in a pack's
    // name, so the names need no escaping.
    let current = lang.get_untracked().code();
    let mut options = String::new();
    let built_in = [("da", "Dansk", false), ("en", "English", false)];
    let packs = i18n::packs().iter().map(|p| (p.code, p.name, p.rtl));
    for (code, name, rtl) in built_in.into_iter().chain(packs) {
        let dir = if rtl { " dir=rtl" } else { "" };
        let selected = if code == current { " selected" } else { "" };
        for part in [
            "<option value=",
            code,
            " lang=",
            code,
            dir,
            selected,
            ">",
            name,
            "</option>",
        ] {
            options.push_str(part);
        }
    }
    view! {
        <select class="lang" aria-label=t(Key::LanguageLabel) on:change=choose inner_html=options></select>
    }
}

/// The follow token in the host page's address (`#sammen-follow=…`), if any.
fn token_from_location() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let token = hash.trim_start_matches('#').strip_prefix(FOLLOW_FRAGMENT)?;
    let token: String = js_sys::decode_uri_component(token).ok()?.into();
    (!token.is_empty()).then_some(token)
}

/// The private follow link for `token`: this page, with the token in the
/// fragment (a fragment never reaches any server's logs).
pub fn follow_link(token: &str) -> String {
    format!("{}#{FOLLOW_FRAGMENT}{token}", this_page())
}

/// The host page's address without its fragment: where the follow link
/// leads, and sent with a proposal so the emails about it lead back here.
pub fn this_page() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}
