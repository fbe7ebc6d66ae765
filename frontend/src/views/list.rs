//! Browse: the municipality's published initiatives as cards, filtered by
//! category (and by institution when the widget sits on an institution's
//! page).

use leptos::prelude::*;
use sammen_shared::initiative::InitiativeView;
use sammen_shared::page::Page;
use sammen_shared::status::Status;

use crate::api::{ListFilter, Loaded};
use crate::app::{use_ctx, Screen};
use crate::i18n::{self, t, text, use_lang, Key};
use crate::views::notice::{Failure, Loading};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn List() -> impl IntoView {
    let ctx = use_ctx();
    let category = RwSignal::new(String::new());
    // "Near me": the citizen's position, asked for only when they press the
    // button; the API then orders by distance. `note` says what is going on.
    let near = RwSignal::new(None::<(f64, f64)>);
    let note = RwSignal::new(None::<Key>);
    let results = RwSignal::new(false);
    let institution = ctx.config.institution.clone();
    let initiatives: Loaded<Page<InitiativeView>> = Loaded::new({
        let ctx = ctx.clone();
        move || {
            let filter = ListFilter {
                institution: institution.clone(),
                category: Some(category.get()).filter(|c| !c.is_empty()),
                near: near.get(),
                results: results.get(),
            };
            ctx.api().initiatives(&filter)
        }
    });
    let options = {
        let ctx = ctx.clone();
        move || {
            let lang = ctx.lang.get();
            ctx.municipality
                .get()
                .and_then(Result::ok)
                .map(|m| {
                    m.categories
                        .into_iter()
                        .map(|c| {
                            let name = i18n::category(lang, &c.slug, c.name_da, c.name_en);
                            (c.slug, name)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    let lang = ctx.lang;
    let go_propose = {
        let ctx = ctx.clone();
        move |_| ctx.go(Screen::Propose)
    };

    view! {
        <h2 class="heading">{t(Key::ListHeading)}</h2>
        <div class="field filter">
            <label for="f-filter-category">{t(Key::FilterCategory)}</label>
            <select
                id="f-filter-category"
                prop:value=move || category.get()
                on:change=move |ev| category.set(event_target_value(&ev))
            >
                <option value="">{t(Key::AllCategories)}</option>
                {move || {
                    options()
                        .into_iter()
                        .map(|(slug, name)| {
                            let selected = category.get_untracked() == slug;
                            view! { <option value=slug selected=selected>{name}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
        <button type="button" class="secondary" aria-pressed=move || near.get().is_some().to_string()
            on:click=move |_| if near.get_untracked().is_some() { near.set(None) } else { locate(near, note) }>
            {move || text(lang.get(), if near.get().is_some() { Key::NearMeOff } else { Key::NearMe })}
        </button>
        <button type="button" class="secondary" aria-pressed=move || results.get().to_string()
            on:click=move |_| results.update(|r| *r = !*r)>
            {move || text(lang.get(), if results.get() { Key::ResultsOff } else { Key::Results })}
        </button>
        <p class="notice" role="status">
            {move || note.get().or(near.get().map(|_| Key::NearestFirst)).map(|key| text(lang.get(), key))}
        </p>
        {move || match initiatives.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=initiatives.retry()/> }.into_any()
            }
            Some(Ok(page)) if page.items.is_empty() => {
                view! {
                    <div class="notice">
                        <p>{t(Key::NoInitiatives)}</p>
                        <button type="button" on:click=go_propose.clone()>{t(Key::StartOne)}</button>
                    </div>
                }
                .into_any()
            }
            Some(Ok(page)) => {
                // The cards are shown: now fetch what a tap on one needs.
                crate::on_demand::prefetch_detail();
                view! {
                    <ul class="cards">
                        {page.items.into_iter().map(|item| view! { <Card item=item/> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }}
    }
}

/// One initiative in the list: what, where, when, who joined, what's missing.
#[component]
fn Card(item: InitiativeView) -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
    let id = item.id;
    let category = item.category.clone();
    let category_name = {
        let ctx = ctx.clone();
        move || ctx.category_name(&category)
    };
    let open = move |_| ctx.go(Screen::Detail(id));
    let needs = item.needs.clone();
    let still_needed = move || {
        let lang = lang.get();
        needs
            .iter()
            .filter(|need| need.still_needed() > 0)
            .map(|need| {
                format!(
                    "{} ({})",
                    need.title,
                    i18n::still_needed(lang, need.still_needed())
                )
            })
            .collect::<Vec<_>>()
    };
    let completed = item.status == Status::Completed;
    view! {
        <li class="card">
            <p class="category">
                <span class="icon" aria-hidden="true">{i18n::category_icon(&item.category)}</span>
                {category_name}
                {completed.then(|| view! { <span class="badge">{t(Key::Completed)}</span> })}
            </p>
            <h3>
                <button type="button" class="title" dir="auto" on:click=open>{item.title.clone()}</button>
            </h3>
            <dl class="facts">
                <div><dt>{t(Key::Where)}</dt><dd dir="auto">{item.place.name.clone()}</dd></div>
                {item.when.clone().map(|when| view! { <div><dt>{t(Key::When)}</dt><dd dir="auto">{when}</dd></div> })}
            </dl>
            {item.distance_km.map(|km| view! {
                <p class="meta">{i18n::live(move |lang| i18n::distance(lang, km))}</p>
            })}
            {item.outcome.map(|o| view! { <p class="outcome" dir="auto">{o}</p> })}
            <p class="joined">{i18n::live(move |lang| i18n::joined(lang, item.joined))}</p>
            {move || {
                let missing = still_needed();
                (!missing.is_empty()).then(|| view! {
                    <div class="needs">
                        <p class="needs-heading">{t(Key::NeedsHeading)}</p>
                        <ul>{missing.into_iter().map(|m| view! { <li dir="auto">{m}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
        </li>
    }
}

/// Asks the browser for the citizen's position (the browser asks them) and
/// sets `near`; a refusal or failure is said in `note`, never silently.
pub fn locate(near: RwSignal<Option<(f64, f64)>>, note: RwSignal<Option<Key>>) {
    let Ok(geolocation) = window().navigator().geolocation() else {
        note.set(Some(Key::LocationDenied));
        return;
    };
    note.set(Some(Key::Locating));
    let found = Closure::once_into_js(move |position: JsValue| {
        let coords = js_sys::Reflect::get(&position, &"coords".into()).unwrap_or_default();
        let read = |key: &str| {
            js_sys::Reflect::get(&coords, &key.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        match (read("latitude"), read("longitude")) {
            (Some(lat), Some(lon)) => {
                note.set(None);
                near.set(Some((lat, lon)));
            }
            _ => note.set(Some(Key::LocationDenied)),
        }
    });
    let failed = Closure::once_into_js(move |_: JsValue| note.set(Some(Key::LocationDenied)));
    let asked = geolocation.get_current_position_with_error_callback(
        found.unchecked_ref(),
        Some(failed.unchecked_ref()),
    );
    if asked.is_err() {
        note.set(Some(Key::LocationDenied));
    }
}
