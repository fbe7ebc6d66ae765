//! The moderation queue: counts per state as links, filters by institution
//! and category, and the items of one state, oldest first.

use leptos::prelude::*;
use sammen_shared::admin::{Queue as QueueData, QueueItem, QueueQuery};
use sammen_shared::status::Status;

use crate::api;
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::route::Route;
use crate::views::notice::Problem;

#[component]
pub fn Queue(status: Status) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let institution = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let queue = LocalResource::new(move || {
        let query = QueueQuery {
            status: Some(status),
            institution: Some(institution.get()).filter(|s| !s.is_empty()),
            category: Some(category.get()).filter(|s| !s.is_empty()),
        };
        async move { api::queue(&query).await }
    });

    view! {
        <h1>{move || t(Key::QueueHeading)}</h1>
        <p class="intro">{move || t(Key::QueueIntro)}</p>
        <Filters institution=institution category=category/>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || queue.get().map(|answer| match answer {
                Ok(data) => view! { <StateLinks data=data.clone() current=status/> <Items items=data.items/> }.into_any(),
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| queue.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The states with their counts; the current one is marked for assistive
/// technology, not by colour alone.
#[component]
fn StateLinks(data: QueueData, current: Status) -> impl IntoView {
    let console = expect_context::<Console>();
    let count = move |status: Status| {
        data.counts
            .iter()
            .find(|c| c.status == status)
            .map_or(0, |c| c.count)
    };
    view! {
        <nav class="states" aria-label=move || console.t(Key::States)>
            <ul>
                {Status::ALL.into_iter().map(|status| {
                    let n = count(status);
                    view! {
                        <li>
                            <a href=Route::Queue(status).href()
                                aria-current=(status == current).then_some("page")>
                                {move || i18n::status(console.lang.get(), status)}
                                " "<span class="count">{n}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Institution and category filters. A coordinator is offered only the
/// institutions they are assigned to.
#[component]
pub fn Filters(institution: RwSignal<String>, category: RwSignal<String>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let institutions = move || {
        let mine = console
            .session
            .with(|s| s.as_ref().map(|s| s.coordinator.institutions.clone()))
            .unwrap_or_default();
        console.municipality.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.institutions
                        .iter()
                        .filter(|i| console.is_admin() || mine.contains(&i.slug))
                        .map(|i| (i.slug.clone(), i.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let categories = move || {
        console.municipality.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.categories
                        .iter()
                        .map(|c| (c.slug.clone(), console.category_name(&c.slug)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let options = move |list: Vec<(String, String)>, chosen: RwSignal<String>| {
        list.into_iter()
            .map(|(slug, name)| {
                let selected = chosen.get_untracked() == slug;
                view! { <option value=slug selected=selected>{name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="filters">
            <div class="field">
                <label for="filter-institution">{move || t(Key::FilterInstitution)}</label>
                <select id="filter-institution"
                    on:change=move |e| institution.set(event_target_value(&e))>
                    <option value="">{move || t(Key::All)}</option>
                    {move || options(institutions(), institution)}
                </select>
            </div>
            <div class="field">
                <label for="filter-category">{move || t(Key::FilterCategory)}</label>
                <select id="filter-category" on:change=move |e| category.set(event_target_value(&e))>
                    <option value="">{move || t(Key::All)}</option>
                    {move || options(categories(), category)}
                </select>
            </div>
        </div>
    }
}

#[component]
fn Items(items: Vec<QueueItem>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    if items.is_empty() {
        return view! { <p class="empty">{move || t(Key::NoItems)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="queue">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::ColTitle)}</th>
                        <th scope="col">{move || t(Key::ColCategory)}</th>
                        <th scope="col">{move || t(Key::ColInstitution)}</th>
                        <th scope="col">{move || t(Key::ColSubmitted)}</th>
                        <th scope="col">{move || t(Key::ColChanged)}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|item| {
                        let category = item.category.clone();
                        let institution = item.institution.clone();
                        let (created, updated) = (item.created_at.clone(), item.updated_at.clone());
                        view! {
                            <tr>
                                <th scope="row">
                                    <a href=Route::Initiative(item.id).href() dir="auto">{item.title}</a>
                                </th>
                                <td>{move || console.category_name(&category)}</td>
                                <td>{move || match &institution {
                                    Some(slug) => console.institution_name(slug),
                                    None => t(Key::NoInstitution).to_string(),
                                }}</td>
                                <td>{move || i18n::time(console.lang.get(), &created)}</td>
                                <td>{move || i18n::time(console.lang.get(), &updated)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
