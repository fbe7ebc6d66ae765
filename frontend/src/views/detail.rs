//! One initiative in full: what it is, where and when, for whom, what help
//! is still wanted, and the way to join.

use leptos::prelude::*;
use sammen_shared::initiative::InitiativeView;
use uuid::Uuid;

use crate::api::Loaded;
use crate::app::{use_ctx, Screen};
use crate::i18n::{self, t, use_lang, Key};
use crate::views::notice::{Failure, Loading};

#[component]
pub fn Detail(id: Uuid) -> impl IntoView {
    let ctx = use_ctx();
    let initiative = Loaded::new({
        let ctx = ctx.clone();
        move || {
            let api = ctx.api();
            async move { api.initiative(id).await }
        }
    });
    let back = move |_| ctx.go(Screen::List);
    view! {
        <button type="button" class="back" on:click=back>"← "{t(Key::Back)}</button>
        {move || match initiative.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=move || initiative.refetch()/> }.into_any()
            }
            Some(Ok(item)) => view! { <Body item=item/> }.into_any(),
        }}
    }
}

#[component]
fn Body(item: InitiativeView) -> impl IntoView {
    let ctx = use_ctx();
    let lang = use_lang();
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
            <h2 class="heading" tabindex="-1" node_ref=heading>{item.title.clone()}</h2>
            <p class="summary">{item.summary.clone()}</p>
            <dl class="facts">
                <div><dt>{t(Key::Where)}</dt><dd>{item.place.name.clone()}</dd></div>
                {item.when.clone().map(|when| view! { <div><dt>{t(Key::When)}</dt><dd>{when}</dd></div> })}
                {item.audience.clone().map(|who| view! { <div><dt>{t(Key::ForWhom)}</dt><dd>{who}</dd></div> })}
            </dl>
            <p class="joined">{move || i18n::joined(lang.get(), item.joined)}</p>
            {(!needs.is_empty()).then(|| view! {
                <h3>{t(Key::NeedsHeading)}</h3>
                <ul class="need-list">
                    {needs.into_iter().map(|need| {
                        let left = need.still_needed();
                        view! {
                            <li>
                                <span>{need.title.clone()}</span>
                                " "
                                <span class="count">{move || format!("{}/{}", need.people_joined, need.people_wanted)}</span>
                                {(left > 0).then(|| view! { " · " {move || i18n::still_needed(lang.get(), left)} })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {all_met.then(|| view! { <p class="hint">{t(Key::AllNeedsMet)}</p> })}
            {published.map(|at| view! { <p class="meta">{move || i18n::date_time(lang.get(), &at)}</p> })}
            <button type="button" class="primary" on:click=move |_| ctx.go(Screen::Join(id))>
                {t(Key::JoinButton)}
            </button>
        </article>
    }
}

/// Moves the focus to a screen's heading when the citizen navigated there
/// (not on first load: the widget must not pull the host page's focus).
pub fn focus_when_navigated(heading: NodeRef<leptos::html::H2>) {
    let navigated = use_ctx().navigated;
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            if navigated.get_untracked() {
                let _ = heading.focus();
            }
        }
    });
}
