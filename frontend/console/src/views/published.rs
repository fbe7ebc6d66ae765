//! Published initiatives with their needs and who signed up: the queue's
//! published state, each item opened for its signups.

use leptos::prelude::*;
use sammen_shared::admin::{AdminInitiative, QueueQuery};
use sammen_shared::status::Status;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::Key;
use crate::route::Route;
use crate::views::notice::Problem;
use crate::views::proposal::{NeedLine, SignupTable};
use crate::views::queue::Filters;

#[component]
pub fn Published() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let institution = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let initiatives = LocalResource::new(move || {
        let query = QueueQuery {
            status: Some(Status::Published),
            institution: Some(institution.get()).filter(|s| !s.is_empty()),
            category: Some(category.get()).filter(|s| !s.is_empty()),
        };
        async move { load(&query).await }
    });

    view! {
        <h1>{move || t(Key::PublishedHeading)}</h1>
        <p class="intro">{move || t(Key::PublishedIntro)}</p>
        <Filters institution=institution category=category/>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || initiatives.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => view! {
                    <p class="empty">{t(Key::NoPublished)}</p>
                }.into_any(),
                Ok(list) => list.into_iter().map(|initiative| view! {
                    <Card initiative=initiative/>
                }).collect_view().into_any(),
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| initiatives.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The published items, each with its details (needs, signups). One request
/// per item: a municipality has tens of live initiatives, not thousands.
async fn load(query: &QueueQuery) -> Result<Vec<AdminInitiative>, Failure> {
    let queue = api::queue(query).await?;
    let mut list = Vec::with_capacity(queue.items.len());
    for item in queue.items {
        list.push(api::initiative(item.id).await?);
    }
    Ok(list)
}

#[component]
fn Card(initiative: AdminInitiative) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let proposal = initiative.proposal;
    let heading = format!("published-{}", proposal.id);
    let category = proposal.category.clone();
    let needs = proposal.needs.clone();
    let count = initiative.signups.len();
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>
                <a href=Route::Initiative(proposal.id).href() dir="auto">{proposal.title}</a>
            </h2>
            <p class="meta">
                {move || console.category_name(&category)}
                " · "{proposal.place.name}
                {proposal.when.map(|w| format!(" · {w}"))}
            </p>
            {(!needs.is_empty()).then(|| view! {
                <h3>{move || t(Key::Needs)}</h3>
                <ul class="needs">{needs.clone().into_iter().map(|need| view! { <NeedLine need=need/> }).collect_view()}</ul>
            })}
            <h3>{move || t(Key::Signups)}" "<span class="count">{count}</span></h3>
            <SignupTable signups=initiative.signups needs=needs/>
        </section>
    }
}
