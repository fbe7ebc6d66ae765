//! The open meeting, from the coordinator's side: open one for an
//! institution, put its code and QR code on the projector, follow the board
//! and close it, sending the chosen proposals to the moderation queue.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::meeting::{CloseMeeting, MeetingStatus, MeetingView, NewMeeting};
use uuid::Uuid;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::Key;
use crate::route::Route;
use crate::views::notice::Problem;

/// How often the coordinator's copy of the board refreshes (the projector
/// page itself follows the live stream).
const REFRESH_MS: u64 = 2000;

#[component]
pub fn NewMeetingForm() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let title = RwSignal::new(String::new());
    let institution = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // A coordinator's meeting belongs to one of their institutions.
    let institutions = move || {
        console.session.with(|s| {
            s.as_ref()
                .map(|s| s.coordinator.institutions.clone())
                .unwrap_or_default()
        })
    };
    Effect::new(move |_| {
        if institution.with_untracked(String::is_empty) {
            if let Some(first) = institutions().first() {
                institution.set(first.clone());
            }
        }
    });
    let open = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = NewMeeting {
            title: title.get_untracked(),
            institution: Some(institution.get_untracked()).filter(|s| !s.is_empty()),
            votes_per_person: None,
        };
        busy.set(true);
        spawn_local(async move {
            match api::open_meeting(&request).await {
                Ok(meeting) => {
                    let _ = window()
                        .location()
                        .set_hash(&Route::Meeting(meeting.id).href());
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || t(Key::MeetingsHeading)}</h1>
        <p class="intro">{move || t(Key::MeetingsIntro)}</p>
        <form class="card" on:submit=open>
            <div class="field">
                <label for="meeting-title">{move || t(Key::MeetingTitle)}</label>
                <input id="meeting-title" type="text" required prop:value=title
                    on:input=move |e| title.set(event_target_value(&e))/>
            </div>
            <div class="field">
                <label for="meeting-institution">{move || t(Key::FilterInstitution)}</label>
                <select id="meeting-institution" on:change=move |e| institution.set(event_target_value(&e))>
                    {move || institutions().into_iter().map(|slug| {
                        let name = console.institution_name(&slug);
                        let selected = institution.get() == slug;
                        view! { <option value=slug.clone() selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="actions">
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || t(Key::OpenMeeting)}
                </button>
            </div>
            {move || failure.get().map(|f| view! { <Problem failure=f/> })}
        </form>
    }
}

#[component]
pub fn Meeting(id: Uuid) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let data = RwSignal::new(None::<Result<MeetingView, Failure>>);
    let load = move || {
        spawn_local(async move {
            let answer = api::meeting(id).await;
            data.set(Some(answer));
        })
    };
    load();
    // Refresh while the screen shows this meeting and it is open.
    let handle = set_interval_with_handle(
        move || {
            let open = data.with_untracked(
                |d| matches!(d, Some(Ok(m)) if m.board.status == MeetingStatus::Open),
            );
            if open && console.route.get_untracked() == Route::Meeting(id) {
                load();
            }
        },
        std::time::Duration::from_millis(REFRESH_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = handle {
            handle.clear();
        }
    });
    view! {
        <p><a href=Route::Meetings.href()>{move || t(Key::NewMeetingLink)}</a></p>
        {move || match data.get() {
            None => view! { <p role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <Problem failure=failure retry=Callback::new(move |_| load())/>
            }.into_any(),
            Some(Ok(meeting)) => view! { <Board meeting=meeting data=data/> }.into_any(),
        }}
    }
}

#[component]
fn Board(
    meeting: MeetingView,
    data: RwSignal<Option<Result<MeetingView, Failure>>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let failure = RwSignal::new(None::<Failure>);
    let open = meeting.board.status == MeetingStatus::Open;
    let id = meeting.id;
    let close = move |_| {
        let request = CloseMeeting {
            promote: chosen.get_untracked().into_iter().collect(),
        };
        spawn_local(async move {
            match api::close_meeting(id, &request).await {
                Ok(view) => data.set(Some(Ok(view))),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let locked = meeting.board.locked;
    let lock = move |_| {
        spawn_local(async move {
            match api::lock_meeting(id, !locked).await {
                Ok(view) => data.set(Some(Ok(view))),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let board = meeting.board;
    view! {
        <h1>{board.title.clone()}</h1>
        <div class="meeting-head card">
            <div>
                <p>{move || t(Key::MeetingCode)}" "<strong class="code">{board.code.clone()}</strong></p>
                <p>{move || t(Key::JoinAt)}" "<code>{meeting.join_url.clone()}</code></p>
                <p><a href=meeting.projector_path.clone() target="_blank" rel="noopener">{move || t(Key::OpenProjector)}</a></p>
                <p class="muted">
                    {board.participants}" "{move || t(Key::Participants)}" · "
                    {board.proposals.len()}" "{move || t(Key::ProposalsWord)}" · "
                    {board.votes_cast}" "{move || t(Key::Dots)}
                </p>
                {(!open).then(|| view! { <p class="badge">{move || t(Key::MeetingClosed)}</p> })}
                {(open && locked).then(|| view! { <p class="badge">{move || t(Key::MeetingLocked)}</p> })}
                {open.then(|| view! {
                    <p class="hint">{move || t(Key::LockHint)}</p>
                    <button type="button" class="secondary" data-action="lock-meeting" on:click=lock>
                        {move || t(if locked { Key::UnlockMeeting } else { Key::LockMeeting })}
                    </button>
                })}
            </div>
            <img src=meeting.qr_svg_path.clone() width="180" height="180" alt=move || t(Key::QrAlt)/>
        </div>
        <h2>{move || t(Key::BoardHeading)}</h2>
        {if board.proposals.is_empty() {
            view! { <p class="empty">{move || t(Key::NoMeetingProposals)}</p> }.into_any()
        } else {
            view! {
                <ol class="meeting-board">
                    {board.proposals.into_iter().map(|p| {
                        let box_id = format!("promote-{}", p.id);
                        let pid = p.id;
                        view! {
                            <li data-proposal=p.id.to_string()>
                                {open.then(|| view! {
                                    <input type="checkbox" id=box_id.clone()
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            chosen.update(|c| { if on { c.insert(pid); } else { c.remove(&pid); } });
                                        }/>
                                })}
                                <label for=box_id>{p.title.clone()}</label>
                                " "<span class="votes">{p.votes}" ●"</span>
                                " "<span class="muted">{move || console.category_name(&p.category)}</span>
                                {p.initiative_id.map(|i| view! {
                                    " "<a href=Route::Initiative(i).href()>{move || t(Key::InQueue)}</a>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {open.then(|| view! {
            <p class="hint">{move || t(Key::CloseHint)}</p>
            <div class="actions">
                <button type="button" class="primary" data-action="close-meeting" on:click=close>
                    {move || t(Key::CloseMeeting)}
                </button>
            </div>
        })}
        {move || failure.get().map(|f| view! { <Problem failure=f/> })}
    }
}
