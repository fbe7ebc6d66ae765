//! Finding volunteers: for each need of an initiative, the offers of help
//! ranked by the engine with the reasons a coordinator reads ("0,3 km",
//! "har sneskovl", "fri man–fre formiddag"). The coordinator chooses whom to
//! invite (an email goes out through the outbox) and marks who said yes.
//! A need proposed by a citizen has its "when" only as text, so the
//! coordinator can tick the weekly times it is needed; the ranking then
//! leaves out volunteers with no time in common.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_engine::console::{Candidate, InvitationStatus, NeedMatches, NewInvitations};
use sammen_shared::initiative::NeedView;
use sammen_shared::week::{part_slot, NeedSlots, Weekday, WeeklySlot, DAY_PARTS};
use uuid::Uuid;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::route::Route;
use crate::views::notice::Problem;
use crate::views::proposal::NeedLine;

#[component]
pub fn Matches(id: Uuid) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let initiative = LocalResource::new(move || api::initiative(id));
    view! {
        <p><a href=Route::Initiative(id).href()>{move || t(Key::BackToInitiative)}</a></p>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || initiative.get().map(|answer| match answer {
                Ok(initiative) => {
                    let needs = initiative.proposal.needs;
                    view! {
                        <h1>{move || t(Key::MatchesHeading)}" «"{initiative.proposal.title.clone()}"»"</h1>
                        <p class="intro">{move || t(Key::MatchesIntro)}</p>
                        {if needs.is_empty() {
                            view! { <p class="empty">{move || t(Key::NoNeedsToMatch)}</p> }.into_any()
                        } else {
                            needs.into_iter()
                                .map(|need| view! { <NeedCandidates id=id need=need/> })
                                .collect_view()
                                .into_any()
                        }}
                    }.into_any()
                }
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| initiative.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// What the last invitation or mark did, announced to screen readers.
#[derive(Debug, Clone)]
enum Outcome {
    Sent,
    NothingChosen,
    Failed(Failure),
}

/// One need with its ranked volunteers.
#[component]
fn NeedCandidates(id: Uuid, need: NeedView) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let need_id = need.id;
    let data = LocalResource::new(move || api::matches(id, need_id));
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let message = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);
    let heading = format!("need-{need_id}");
    let shown = RwSignal::new(need.clone());

    // Nobody is ticked beforehand: inviting sends email to real people, so
    // each one is the coordinator's own choice.

    let invite = move |_| {
        if busy.get_untracked() {
            return;
        }
        let offer_ids: Vec<Uuid> = chosen.get_untracked().into_iter().collect();
        if offer_ids.is_empty() {
            outcome.set(Some(Outcome::NothingChosen));
            return;
        }
        let text = message.get_untracked().trim().to_string();
        let request = NewInvitations {
            offer_ids,
            message: (!text.is_empty()).then_some(text),
        };
        busy.set(true);
        spawn_local(async move {
            match api::invite(id, need_id, &request).await {
                Ok(_) => {
                    chosen.set(BTreeSet::new());
                    message.set(String::new());
                    outcome.set(Some(Outcome::Sent));
                    data.refetch();
                }
                Err(failure) => outcome.set(Some(Outcome::Failed(failure))),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card need-matches" aria-labelledby=heading.clone() data-need=need_id.to_string()>
            <h2 id=heading.clone()>{need.title.clone()}</h2>
            <ul class="needs">{move || view! { <NeedLine need=shown.get()/> }}</ul>
            <NeedWeek id=id need=shown data=data/>
            <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
                {move || data.get().map(|answer| match answer {
                    Ok(found) => view! { <CandidateTable found=found chosen=chosen data=data outcome=outcome/> }.into_any(),
                    Err(failure) => view! {
                        <Problem failure=failure retry=Callback::new(move |_| data.refetch())/>
                    }.into_any(),
                })}
            </Transition>
            <div class="field">
                <label for=format!("invite-message-{need_id}")>{move || t(Key::PersonalLine)}</label>
                <textarea id=format!("invite-message-{need_id}") rows="2" prop:value=message
                    on:input=move |e| message.set(event_target_value(&e))></textarea>
            </div>
            <div class="actions">
                <button type="button" class="primary" data-action="invite"
                    aria-disabled=move || busy.get().then_some("true") on:click=invite>
                    {move || if busy.get() { t(Key::Inviting) } else { t(Key::InviteChosen) }}
                </button>
            </div>
            <div role="status" class="outcome">
                {move || outcome.get().map(|o| match o {
                    Outcome::Sent => view! { <p class="done">{t(Key::InvitationsSent)}</p> }.into_any(),
                    Outcome::NothingChosen => view! { <p class="field-problem">{t(Key::NothingChosen)}</p> }.into_any(),
                    Outcome::Failed(failure) => view! { <Problem failure=failure/> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// The need's weekly times as ticks: a row per day, a box per part of the
/// day. Times that are not one of the parts (set when it was proposed) are
/// kept as they are.
#[component]
fn NeedWeek(
    id: Uuid,
    need: RwSignal<NeedView>,
    data: LocalResource<Result<NeedMatches, Failure>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let start = need.get_untracked();
    let need_id = start.id;
    let is_part = |slot: &WeeklySlot| {
        DAY_PARTS
            .iter()
            .any(|(from, to)| slot.from == *from && slot.to == *to)
    };
    let others: Vec<WeeklySlot> = start
        .slots
        .iter()
        .filter(|s| !is_part(s))
        .cloned()
        .collect();
    let ticks: Vec<(Weekday, usize, RwSignal<bool>)> = Weekday::ALL
        .iter()
        .flat_map(|&day| (0..DAY_PARTS.len()).map(move |part| (day, part)))
        .map(|(day, part)| {
            (
                day,
                part,
                RwSignal::new(start.slots.contains(&part_slot(day, part))),
            )
        })
        .collect();
    let outcome = RwSignal::new(None::<Result<(), Failure>>);
    let busy = RwSignal::new(false);
    let chosen = ticks.clone();
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        let mut slots = others.clone();
        slots.extend(
            chosen
                .iter()
                .filter(|(_, _, tick)| tick.get_untracked())
                .map(|&(day, part, _)| part_slot(day, part)),
        );
        busy.set(true);
        spawn_local(async move {
            match api::set_need_slots(id, need_id, &NeedSlots { slots }).await {
                Ok(saved) => {
                    need.set(saved);
                    data.refetch();
                    outcome.set(Some(Ok(())));
                }
                Err(failure) => outcome.set(Some(Err(failure))),
            }
            busy.set(false);
        });
    };
    let parts = [Key::Morning, Key::Afternoon, Key::Evening];
    let rows = Weekday::ALL.map(|day| {
        let boxes: Vec<_> = ticks
            .iter()
            .filter(|(d, _, _)| *d == day)
            .map(|&(_, part, tick)| {
                let (from, to) = DAY_PARTS[part];
                let name = move || {
                    let lang = console.lang.get();
                    format!("{} {} {}–{}", i18n::weekday(lang, day), i18n::text(lang, parts[part]).to_lowercase(), &from[..2], &to[..2])
                };
                view! {
                    <td>
                        <input type="checkbox" aria-label=name data-slot=format!("{}-{part}", day as usize)
                            prop:checked=tick on:change=move |e| tick.set(event_target_checked(&e))/>
                    </td>
                }
            })
            .collect();
        view! {
            <tr>
                <th scope="row">{move || i18n::weekday(console.lang.get(), day)}</th>
                {boxes}
            </tr>
        }
    });
    view! {
        <details class="need-week">
            <summary>{move || t(Key::NeedTimes)}</summary>
            <p class="muted">{move || t(Key::NeedTimesHint)}</p>
            <table class="week">
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">{move || t(Key::Day)}</span></th>
                        {parts.iter().zip(DAY_PARTS).map(|(&part, (from, to))| view! {
                            <th scope="col">{move || t(part)}<br/><span class="muted">{format!("{}–{}", &from[..2], &to[..2])}</span></th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="actions">
                <button type="button" class="secondary" data-action="save-times"
                    aria-disabled=move || busy.get().then_some("true") on:click=save>
                    {move || t(Key::SaveTimes)}
                </button>
            </div>
            <div role="status" class="outcome">
                {move || outcome.get().map(|o| match o {
                    Ok(()) => view! { <p class="done">{t(Key::TimesSaved)}</p> }.into_any(),
                    Err(failure) => view! { <Problem failure=failure/> }.into_any(),
                })}
            </div>
        </details>
    }
}

#[component]
fn CandidateTable(
    found: NeedMatches,
    chosen: RwSignal<BTreeSet<Uuid>>,
    data: LocalResource<Result<NeedMatches, Failure>>,
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    if found.candidates.is_empty() {
        return view! {
            <p class="empty">{move || t(Key::NoCandidates)}" ("{found.offers_considered}" "{move || t(Key::Considered)}")"</p>
        }
        .into_any();
    }
    let considered = found.offers_considered;
    view! {
        <p class="muted">{considered}" "{move || t(Key::Considered)}</p>
        <div class="table-wrap">
            <table class="candidates">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::Choose)}</th>
                        <th scope="col">{move || t(Key::NavOffers)}</th>
                        <th scope="col">{move || t(Key::Match)}</th>
                        <th scope="col">{move || t(Key::Invited)}</th>
                    </tr>
                </thead>
                <tbody>
                    {found.candidates.into_iter().map(|candidate| view! {
                        <CandidateRow candidate=candidate chosen=chosen data=data outcome=outcome/>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CandidateRow(
    candidate: Candidate,
    chosen: RwSignal<BTreeSet<Uuid>>,
    data: LocalResource<Result<NeedMatches, Failure>>,
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let offer_id = candidate.offer_id;
    let checkbox = format!("choose-{offer_id}");
    let name = candidate.contact.name.clone();
    let reasons: Vec<String> = candidate.reasons.iter().map(|r| r.text.clone()).collect();
    let invitation = candidate.invitation.clone();
    let invited = invitation.is_some();
    let mark = move |invitation: Uuid, status: InvitationStatus| {
        spawn_local(async move {
            match api::answer(invitation, status).await {
                Ok(_) => data.refetch(),
                Err(failure) => outcome.set(Some(Outcome::Failed(failure))),
            }
        });
    };
    view! {
        <tr data-offer=offer_id.to_string()>
            <td>
                <input type="checkbox" id=checkbox.clone() disabled=invited
                    prop:checked=move || chosen.with(|c| c.contains(&offer_id))
                    on:change=move |e| {
                        let on = event_target_checked(&e);
                        chosen.update(|c| {
                            if on { c.insert(offer_id); } else { c.remove(&offer_id); }
                        });
                    }/>
            </td>
            <td>
                <label for=checkbox><strong>{name}</strong></label>
                <br/><span class="muted">{candidate.area_name.clone()}</span>
                {candidate.contact.email.clone().map(|email| view! {
                    <br/><a href=crate::views::mailto(&email)>{email.clone()}</a>
                })}
                {candidate.contact.phone.clone().map(|phone| view! {
                    <br/><a href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a>
                })}
            </td>
            <td>
                <strong class="score">{format!("{:.0} %", candidate.score * 100.0)}</strong>
                <ul class="reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            </td>
            <td>
                {invitation.map(|invitation| {
                    let status = invitation.status;
                    let label = move || match status {
                        InvitationStatus::Invited => t(Key::Invited),
                        InvitationStatus::Accepted => t(Key::Accepted),
                        InvitationStatus::Declined => t(Key::Declined),
                    };
                    view! {
                        <span class=format!("badge invitation-{}", status.as_str())>{label}</span>
                        {(!invitation.emailed).then(|| view! { <br/><span class="muted">{move || t(Key::CallThem)}</span> })}
                        <div class="actions compact">
                            {(status != InvitationStatus::Accepted).then(|| view! {
                                <button type="button" class="secondary" data-action="accepted"
                                    on:click=move |_| mark(invitation.id, InvitationStatus::Accepted)>
                                    {move || t(Key::MarkAccepted)}
                                </button>
                            })}
                            {(status != InvitationStatus::Declined).then(|| view! {
                                <button type="button" class="secondary" data-action="declined"
                                    on:click=move |_| mark(invitation.id, InvitationStatus::Declined)>
                                    {move || t(Key::MarkDeclined)}
                                </button>
                            })}
                        </div>
                    }
                })}
            </td>
        </tr>
    }
}
