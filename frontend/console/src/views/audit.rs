//! The audit log, newest first, a page at a time (admins only; the menu
//! hides it from coordinators and the API refuses them with 403).

use leptos::prelude::*;
use sammen_shared::admin::AuditEntry;

use crate::api;
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::views::notice::Problem;

const PER_PAGE: u32 = 50;

#[component]
pub fn Audit() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let page = RwSignal::new(1u32);
    let entries = LocalResource::new(move || {
        let page = page.get();
        async move { api::audit(page, PER_PAGE).await }
    });

    view! {
        <h1>{move || t(Key::AuditHeading)}</h1>
        <p class="intro">{move || t(Key::AuditIntro)}</p>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || entries.get().map(|answer| match answer {
                Ok(list) => {
                    let full = list.len() as u32 == PER_PAGE;
                    view! {
                        <Entries entries=list/>
                        <nav class="pager" aria-label=move || t(Key::AuditHeading)>
                            <button type="button" class="secondary"
                                disabled=move || page.get() == 1
                                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                                {move || t(Key::Newer)}
                            </button>
                            <span>{move || format!("{} {}", t(Key::PageWord), page.get())}</span>
                            <button type="button" class="secondary" disabled=!full
                                on:click=move |_| page.update(|p| *p += 1)>
                                {move || t(Key::Older)}
                            </button>
                        </nav>
                    }.into_any()
                }
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| entries.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Entries(entries: Vec<AuditEntry>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    if entries.is_empty() {
        return view! { <p class="empty">{move || t(Key::NoAudit)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="audit">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::ColTime)}</th>
                        <th scope="col">{move || t(Key::ColActor)}</th>
                        <th scope="col">{move || t(Key::ColAction)}</th>
                        <th scope="col">{move || t(Key::ColSubject)}</th>
                        <th scope="col">{move || t(Key::ColChange)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let created = e.created_at.clone();
                        let subject = match &e.subject_id {
                            Some(id) => format!("{} {}", e.subject_type, short(id)),
                            None => e.subject_type.clone(),
                        };
                        let change = match (e.before, e.after) {
                            (None, None) => String::new(),
                            (before, after) => format!(
                                "{} → {}",
                                before.unwrap_or_else(|| "–".into()),
                                after.unwrap_or_else(|| "–".into())
                            ),
                        };
                        view! {
                            <tr>
                                <td><time datetime=e.created_at.clone()>{move || i18n::time(console.lang.get(), &created)}</time></td>
                                <td>{e.actor}{e.address.map(|a| view! { <br/><small class="address">{a}</small> })}</td>
                                <td><code>{e.action}</code></td>
                                <td>{subject}</td>
                                <td class="change"><code>{change}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The first block of a UUID: enough to tell entries apart on screen.
fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}
