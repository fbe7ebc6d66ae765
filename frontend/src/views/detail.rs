//! One initiative in full: what it is, where and when, for whom, what help
//! is still wanted, and the way to join (the join form shares this screen's
//! loading).

use leptos::prelude::*;
use sammen_shared::initiative::InitiativeView;
use uuid::Uuid;

use crate::api::Loaded;
use crate::app::{use_ctx, Screen};
use crate::i18n::{self, t, Key};
use crate::on_demand;
use crate::views::notice::{Failure, Loading};

/// The initiative; with `joining`, its join form instead of its text.
#[component]
pub fn Detail(id: Uuid, joining: bool) -> impl IntoView {
    let ctx = use_ctx();
    let initiative: Loaded<InitiativeView> = Loaded::new({
        let ctx = ctx.clone();
        move || ctx.api().initiative(id)
    });
    let back = move |_| {
        ctx.go(if joining {
            Screen::Detail(id)
        } else {
            Screen::List
        })
    };
    view! {
        <button type="button" class="back" on:click=back>"← "{t(Key::Back)}</button>
        {move || match initiative.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=initiative.retry()/> }.into_any()
            }
            Some(Ok(item)) if joining => on_demand::later(move || on_demand::join(item.clone())),
            Some(Ok(item)) => view! { <Body item=item/> }.into_any(),
        }}
    }
}

#[component]
fn Body(item: InitiativeView) -> impl IntoView {
    let ctx = use_ctx();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let category = item.category.clone();
    let category_name = {
        let ctx = ctx.clone();
        move || ctx.category_name(&category)
    };
    let id = item.id;
    let needs = item.needs.clone();
    let published = item.published_at.clone();
    let all_met = !needs.is_empty() && needs.iter().all(|n| n.still_needed() == 0);
    view! {
        <article class="detail">
            <p class="category">
                <span class="icon" aria-hidden="true">{i18n::category_icon(&item.category)}</span>
                {category_name}
            </p>
            <h2 class="heading" dir="auto" tabindex="-1" node_ref=heading>{item.title.clone()}</h2>
            <p class="summary" dir="auto">{item.summary.clone()}</p>
            <dl class="facts">
                <div><dt>{t(Key::Where)}</dt><dd dir="auto">{item.place.name.clone()}</dd></div>
                {item.when.clone().map(|when| view! { <div><dt>{t(Key::When)}</dt><dd dir="auto">{when}</dd></div> })}
                {item.audience.clone().map(|who| view! { <div><dt>{t(Key::ForWhom)}</dt><dd dir="auto">{who}</dd></div> })}
            </dl>
            <p class="joined">{i18n::live(move |lang| i18n::joined(lang, item.joined))}</p>
            {(!needs.is_empty()).then(|| view! {
                <h3>{t(Key::NeedsHeading)}</h3>
                <ul class="need-list">
                    {needs.into_iter().map(|need| {
                        let left = need.still_needed();
                        view! {
                            <li>
                                <bdi>{need.title.clone()}</bdi>
                                " "
                                <span class="count">{format!("{}/{}", need.people_joined, need.people_wanted)}</span>
                                {(left > 0).then(|| view! { " · " {i18n::live(move |lang| i18n::still_needed(lang, left))} })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {all_met.then(|| view! { <p class="hint">{t(Key::AllNeedsMet)}</p> })}
            {published.map(|at| view! { <p class="meta">{i18n::live(move |lang| i18n::date_time(lang, &at))}</p> })}
            <button type="button" class="primary" on:click=move |_| ctx.go(Screen::Join(id))>
                {t(Key::JoinButton)}
            </button>
        </article>
    }
}

/// Moves the focus to a screen's heading when the citizen navigated there
/// (not on first load: the widget must not pull the host page's focus).
pub fn focus_when_navigated(heading: NodeRef<leptos::html::H2>) {
    if !use_ctx().navigated.get_untracked() {
        return;
    }
    // A frame later the new screen is in the page (an Effect would do the
    // same, with more wasm).
    // The screen may be gone by then (the citizen moved on at once): its
    // node ref is disposed, and reading it must not panic.
    request_animation_frame(move || {
        if let Some(heading) = heading.try_get_untracked().flatten() {
            let _ = heading.focus();
        }
    });
}
