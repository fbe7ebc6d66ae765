//! The console's frame: who is signed in, which language, which screen; the
//! header with the menu; and the one place that decides what `main` shows.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::admin::{Role, SessionView};
use sammen_shared::municipality::MunicipalityView;
use sammen_shared::Lang;

use crate::api;
use crate::i18n::{self, text, Key};
use crate::route::Route;
use crate::views::{
    account, audit, groups, matches, meetings, offers, proposal, published, queue, settings,
    sign_in, stats,
};

/// Where the language choice survives a reload.
const LANG_KEY: &str = "sammen-console-lang";

/// The state every view reads, shared through Leptos' context.
#[derive(Debug, Clone, Copy)]
pub struct Console {
    pub lang: RwSignal<Lang>,
    /// `None` when signed out.
    pub session: RwSignal<Option<SessionView>>,
    /// The coordinator's municipality: names of institutions and categories.
    pub municipality: RwSignal<Option<MunicipalityView>>,
    pub route: RwSignal<Route>,
}

impl Console {
    /// A string of the user interface in the chosen language.
    pub fn t(&self, key: Key) -> &'static str {
        text(self.lang.get(), key)
    }

    /// The language the switch button offers.
    pub fn other_lang(&self) -> Lang {
        match self.lang.get() {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }

    /// Switches between Danish and English.
    pub fn toggle_lang(&self) {
        let other = self.other_lang();
        self.lang.set(other);
    }

    pub fn is_admin(&self) -> bool {
        self.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.coordinator.role == Role::Admin)
        })
    }

    /// The name of a category in the chosen language (the slug if unknown).
    pub fn category_name(&self, slug: &str) -> String {
        let lang = self.lang.get();
        self.municipality.with(|m| {
            m.as_ref()
                .and_then(|m| m.categories.iter().find(|c| c.slug == slug))
                .map(|c| match lang {
                    Lang::Da => c.name_da.clone(),
                    Lang::En => c.name_en.clone(),
                })
                .unwrap_or_else(|| slug.to_string())
        })
    }

    /// The name of an institution (the slug if unknown).
    pub fn institution_name(&self, slug: &str) -> String {
        self.municipality.with(|m| {
            m.as_ref()
                .and_then(|m| m.institutions.iter().find(|i| i.slug == slug))
                .map(|i| i.name.clone())
                .unwrap_or_else(|| slug.to_string())
        })
    }
}

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let console = Console {
        lang: RwSignal::new(stored_lang()),
        session: RwSignal::new(None),
        municipality: RwSignal::new(None),
        route: RwSignal::new(Route::current()),
    };
    provide_context(console);
    let booting = RwSignal::new(true);

    // A reload keeps the session (the cookie is HttpOnly): ask for it, and
    // for the CSRF token that goes with it.
    spawn_local(async move {
        if let Ok(session) = api::session().await {
            console.session.set(Some(session));
        }
        booting.set(false);
    });

    Effect::new(move |_| {
        let lang = console.lang.get();
        api::set_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
    });

    // Names of institutions and categories, once per signed-in municipality.
    Effect::new(move |previous: Option<Option<String>>| {
        let slug = console
            .session
            .with(|s| s.as_ref().map(|s| s.coordinator.municipality.clone()));
        if slug != previous.flatten() {
            console.municipality.set(None);
            if let Some(slug) = slug.clone() {
                spawn_local(async move {
                    if let Ok(m) = api::municipality(&slug).await {
                        console.municipality.set(Some(m));
                    }
                });
            }
        }
        slug
    });

    let _hash = window_event_listener(ev::hashchange, move |_| {
        console.route.set(Route::current());
    });

    view! {
        {move || {
            if booting.get() {
                view! { <p class="booting" role="status">{console.t(Key::Loading)}</p> }.into_any()
            } else if console.session.with(Option::is_none) {
                view! { <sign_in::SignIn/> }.into_any()
            } else {
                view! { <Shell/> }.into_any()
            }
        }}
    }
}

/// The signed-in frame: skip link, header, menu and the current screen.
#[component]
fn Shell() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let main_ref = NodeRef::<html::Main>::new();

    // After moving to another screen, put keyboard and screen-reader focus
    // at the start of the new content, as a page load would.
    Effect::new(move |first: Option<()>| {
        console.route.track();
        if first.is_some() {
            if let Some(main) = main_ref.get_untracked() {
                let _ = main.focus();
            }
        }
    });

    let sign_out = move |_| {
        spawn_local(async move {
            // Signed out locally even if the server cannot be reached: the
            // session then ends by itself.
            let _ = api::sign_out().await;
            console.session.set(None);
        });
    };
    let toggle_lang = move |_| console.toggle_lang();
    let who = move || {
        console.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    format!(
                        "{} · {}",
                        s.coordinator.name,
                        i18n::role(console.lang.get(), s.coordinator.role)
                    )
                })
                .unwrap_or_default()
        })
    };
    let place = move || {
        console
            .municipality
            .with(|m| m.as_ref().map(|m| m.name.clone()))
            .unwrap_or_default()
    };

    view! {
        <a class="skip" href="#main" on:click=move |e| {
            // The fragment is the router's; focus the content by hand.
            e.prevent_default();
            if let Some(main) = main_ref.get() {
                let _ = main.focus();
            }
        }>{move || t(Key::SkipToContent)}</a>
        <header class="top">
            <div class="brand">
                <span class="name">{move || t(Key::Brand)}</span>
                <span class="place">{place}</span>
            </div>
            <div class="account">
                <span class="who">{who}</span>
                // Named in the language it switches to, and marked as such.
                <button type="button" class="quiet" on:click=toggle_lang
                    lang=move || console.other_lang().code()>
                    {move || t(Key::OtherLanguage)}
                </button>
                <button type="button" class="quiet" on:click=sign_out>{move || t(Key::SignOut)}</button>
            </div>
        </header>
        <Menu/>
        <main id="main" tabindex="-1" node_ref=main_ref>
            {move || match console.route.get() {
                Route::Queue(status) => view! { <queue::Queue status=status/> }.into_any(),
                Route::Initiative(id) => view! { <proposal::Proposal id=id/> }.into_any(),
                Route::Matches(id) => view! { <matches::Matches id=id/> }.into_any(),
                Route::Groups(id) => view! { <groups::Groups id=id/> }.into_any(),
                Route::Published => view! { <published::Published/> }.into_any(),
                Route::Offers => view! { <offers::Offers/> }.into_any(),
                Route::Stats => view! { <stats::Figures/> }.into_any(),
                Route::Meetings => view! { <meetings::NewMeetingForm/> }.into_any(),
                Route::Meeting(id) => view! { <meetings::Meeting id=id/> }.into_any(),
                Route::Audit => view! { <audit::Audit/> }.into_any(),
                Route::Settings => view! { <settings::Settings/> }.into_any(),
                Route::Account => view! { <account::Account/> }.into_any(),
            }}
        </main>
    }
}

/// The main menu; the audit log and settings only for admins, as the API
/// refuses them to coordinators anyway.
#[component]
fn Menu() -> impl IntoView {
    let console = expect_context::<Console>();
    let link = move |route: Route, key: Key| {
        let current = move || {
            let here = console.route.get();
            let same = match (here, route) {
                (
                    Route::Queue(_) | Route::Initiative(_) | Route::Matches(_) | Route::Groups(_),
                    Route::Queue(_),
                ) => true,
                (Route::Meeting(_), Route::Meetings) => true,
                (a, b) => a == b,
            };
            same.then_some("page")
        };
        view! {
            <li><a href=route.href() aria-current=current>{move || console.t(key)}</a></li>
        }
    };
    view! {
        <nav class="menu" aria-label=move || console.t(Key::MainNav)>
            <ul>
                {link(Route::default(), Key::NavQueue)}
                {link(Route::Published, Key::NavPublished)}
                {link(Route::Offers, Key::NavOffers)}
                {link(Route::Meetings, Key::NavMeetings)}
                {link(Route::Stats, Key::NavStats)}
                {move || console.is_admin().then(|| view! {
                    {link(Route::Audit, Key::NavAudit)}
                    {link(Route::Settings, Key::NavSettings)}
                })}
                {link(Route::Account, Key::NavAccount)}
            </ul>
        </nav>
    }
}

fn stored_lang() -> Lang {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|code| Lang::from_tag(&code))
        .unwrap_or_default()
}
