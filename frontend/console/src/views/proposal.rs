//! One initiative as its coordinator sees it: every field, the proposer's
//! contact, the dialogue, the decisions the lifecycle allows now, and who
//! signed up. A decision that lost a race (409) says so and shows the
//! initiative as it is now.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::admin::{AdminInitiative, Decision, MailState, MailView, SignupView};
use sammen_shared::follow::{Author, MessageView, ProposalView};
use sammen_shared::initiative::{NeedInput, NeedView, ProposalDetails};
use sammen_shared::municipality::MunicipalityView;
use sammen_shared::status::{Action, Status};
use sammen_shared::Current;
use uuid::Uuid;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::route::Route;
use crate::views::notice::{failure_text, Problem};

/// What the last decision or message led to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Decided,
    /// Category, institution and needs were put right.
    PutRight,
    Sent,
    /// Someone decided first; the initiative is now in this state.
    Conflict(Option<Current>),
    Failed(Failure),
}

#[component]
pub fn Proposal(id: Uuid) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let data = RwSignal::new(None::<Result<AdminInitiative, Failure>>);
    let outcome = RwSignal::new(None::<Outcome>);

    let load = move || {
        spawn_local(async move {
            data.set(Some(api::initiative(id).await));
        })
    };
    load();

    view! {
        <p class="back"><a href=Route::default().href()>"← "{move || t(Key::BackToQueue)}</a></p>
        {move || match data.get() {
            None => view! { <p role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <Problem failure=failure retry=Callback::new(move |_| load())/>
            }.into_any(),
            Some(Ok(initiative)) => view! {
                <Loaded initiative=initiative data=data outcome=outcome reload=Callback::new(move |_| load())/>
            }.into_any(),
        }}
    }
}

#[component]
fn Loaded(
    initiative: AdminInitiative,
    data: RwSignal<Option<Result<AdminInitiative, Failure>>>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let AdminInitiative {
        proposal,
        messages,
        allowed_actions,
        signups,
        mail,
    } = initiative;
    let status = proposal.status;
    let category = proposal.category.clone();
    let institution = proposal.institution.as_ref().map(|i| i.name.clone());
    let needs = proposal.needs.clone();
    let anyone_joined = !signups.is_empty();

    view! {
        <h1 dir="auto">{proposal.title.clone()}</h1>
        <p class="meta">
            <span class=format!("badge state-{}", status.as_str())>
                {move || i18n::status(console.lang.get(), status)}
            </span>
            " "{move || console.category_name(&category)}
            " · "{institution.unwrap_or_else(|| t(Key::NoInstitution).to_string())}
        </p>
        <nav class="actions" aria-label=move || t(Key::Next)>
            {(!needs.is_empty()).then(|| view! {
                <a class="button secondary" href=Route::Matches(proposal.id).href()>{move || t(Key::FindVolunteers)}</a>
            })}
            {anyone_joined.then(|| view! {
                <a class="button secondary" href=Route::Groups(proposal.id).href()>{move || t(Key::ComposeGroups)}</a>
            })}
        </nav>
        <OutcomeNotice outcome=outcome/>
        <div class="proposal-grid">
            <div class="column">
                <Fields proposal=proposal.clone()/>
                <Needs needs=proposal.needs.clone()/>
                {matches!(status, Status::Submitted | Status::ChangesRequested).then(|| view! {
                    <PutRight proposal=proposal.clone() data=data outcome=outcome reload=reload/>
                })}
                <ContactCard proposal=proposal.clone()/>
                {(!signups.is_empty() || status == Status::Published).then(|| view! {
                    <section aria-labelledby="signups-heading">
                        <h2 id="signups-heading">{move || t(Key::Signups)}</h2>
                        <SignupTable signups=signups.clone() needs=needs.clone()/>
                    </section>
                })}
            </div>
            <div class="column">
                <Dialogue messages=messages/>
                {(!mail.is_empty()).then(|| view! { <MailLog mail=mail/> })}
                <DecisionForm proposal=proposal allowed=allowed_actions data=data outcome=outcome reload=reload/>
            </div>
        </div>
    }
}

/// The emails sent about this initiative: delivered, still being tried, or
/// refused for good (then the coordinator must reach the proposer another
/// way).
#[component]
fn MailLog(mail: Vec<MailView>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <section aria-labelledby="mail-heading">
            <h2 id="mail-heading">{move || t(Key::MailHeading)}</h2>
            <ul class="mail-log">
                {mail.into_iter().map(|m| {
                    let created = m.created_at.clone();
                    let (class, state) = match m.state {
                        MailState::Sent => ("badge mail-sent", Key::MailSent),
                        MailState::Waiting => ("badge mail-waiting", Key::MailWaiting),
                        MailState::Failed => ("badge mail-failed", Key::MailFailed),
                    };
                    let failed = m.state == MailState::Failed;
                    let why = m.last_error.clone().unwrap_or_default();
                    view! {
                        <li>
                            <span class=class>{move || t(state)}</span>" "
                            <span>{m.recipient}</span>" · "
                            <time datetime=m.created_at.clone()>{move || i18n::time(console.lang.get(), &created)}</time>
                            {failed.then(|| view! {
                                <div class="problem">
                                    <p>{move || t(Key::MailFailedHelp)}</p>
                                    <p><code>{why}</code></p>
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The result of the last decision, announced to screen readers.
#[component]
fn OutcomeNotice(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    move || {
        outcome.get().map(|o| match o {
            Outcome::Decided => view! { <p class="success" role="status">{t(Key::Decided)}</p> }.into_any(),
            Outcome::PutRight => view! { <p class="success" role="status">{t(Key::DetailsSaved)}</p> }.into_any(),
            Outcome::Sent => view! { <p class="success" role="status">{t(Key::MessageSent)}</p> }.into_any(),
            Outcome::Conflict(current) => view! {
                <div class="problem" role="alert">
                    <p>
                        {t(Key::SomeoneElse)}" "
                        <strong>{current.map(|c| i18n::status(console.lang.get(), c.status))}</strong>
                    </p>
                </div>
            }
            .into_any(),
            Outcome::Failed(failure) => {
                let fields = match &failure {
                    Failure::Refused { fields, .. } => fields.clone(),
                    _ => Default::default(),
                };
                let sentence = failure_text(console, &failure);
                view! {
                    <div class="problem" role="alert">
                        <p>{sentence}</p>
                        {(!fields.is_empty()).then(|| view! {
                            <p>{t(Key::CheckFields)}</p>
                            <ul>{fields.into_iter().map(|(field, why)| view! {
                                <li><code>{field}</code>": "{why}</li>
                            }).collect_view()}</ul>
                        })}
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[component]
fn Fields(proposal: ProposalView) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    let optional = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let (created, updated) = (proposal.created_at.clone(), proposal.updated_at.clone());
    let written_in = proposal.lang;
    view! {
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{move || t(Key::Details)}</h2>
            <dl class="fields">
                <dt>{move || t(Key::Summary)}</dt>
                <dd class="prose" dir="auto">{proposal.summary}</dd>
                {optional(proposal.audience).map(|a| view! {
                    <dt>{move || t(Key::Audience)}</dt><dd>{a}</dd>
                })}
                <dt>{move || t(Key::Place)}</dt>
                <dd>{proposal.place.name}</dd>
                {optional(proposal.when).map(|w| view! {
                    <dt>{move || t(Key::When)}</dt><dd>{w}</dd>
                })}
                <dt>{move || t(Key::WrittenIn)}</dt>
                <dd>{move || i18n::language_name(lang(), written_in)}</dd>
                <dt>{move || t(Key::ColSubmitted)}</dt>
                <dd>{move || i18n::time(lang(), &created)}</dd>
                <dt>{move || t(Key::ColChanged)}</dt>
                <dd>{move || i18n::time(lang(), &updated)}</dd>
                <dt>{move || t(Key::Version)}</dt>
                <dd>{proposal.version}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Needs(needs: Vec<NeedView>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <section aria-labelledby="needs-heading">
            <h2 id="needs-heading">{move || t(Key::Needs)}</h2>
            {if needs.is_empty() {
                view! { <p class="empty">{move || t(Key::NoNeeds)}</p> }.into_any()
            } else {
                view! { <ul class="needs">{needs.into_iter().map(|need| view! { <NeedLine need=need/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// One need: its title, how many joined of how many wanted, and when.
#[component]
pub fn NeedLine(need: NeedView) -> impl IntoView {
    let console = expect_context::<Console>();
    let extras: Vec<String> = need
        .skills
        .iter()
        .chain(need.tools.iter())
        .cloned()
        .collect();
    let slots = need.slots.clone();
    let full = need.still_needed() == 0;
    view! {
        <li class:full=full>
            <strong dir="auto">{need.title}</strong>
            " · "{need.people_joined}" "{move || console.t(Key::PeopleOf)}" "{need.people_wanted}
            {(!extras.is_empty()).then(|| view! { <br/><span class="muted">{extras.join(", ")}</span> })}
            {(!slots.is_empty()).then(|| {
                let slots = slots.clone();
                view! {
                    <br/>
                    <span class="muted">{move || slots.iter()
                        .map(|s| format!("{} {}–{}", i18n::weekday(console.lang.get(), s.day), s.from, s.to))
                        .collect::<Vec<_>>().join(", ")}</span>
                }
            })}
        </li>
    }
}

/// The proposer's contact: shown here and nowhere public.
#[component]
fn ContactCard(proposal: ProposalView) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let contact = proposal.contact;
    view! {
        <section class="contact" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{move || t(Key::Contact)}</h2>
            <p class="muted">{move || t(Key::ContactNote)}</p>
            <dl class="fields">
                <dt>{move || t(Key::Name)}</dt>
                <dd>{contact.name}</dd>
                {contact.email.map(|email| view! {
                    <dt>{move || t(Key::Email)}</dt>
                    <dd><a href=crate::views::mailto(&email)>{email.clone()}</a></dd>
                })}
                {contact.phone.map(|phone| view! {
                    <dt>{move || t(Key::Phone)}</dt>
                    <dd><a href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a></dd>
                })}
            </dl>
        </section>
    }
}

#[component]
fn Dialogue(messages: Vec<MessageView>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <section aria-labelledby="dialogue-heading">
            <h2 id="dialogue-heading">{move || t(Key::Dialogue)}</h2>
            {if messages.is_empty() {
                view! { <p class="empty">{move || t(Key::NoMessages)}</p> }.into_any()
            } else {
                view! {
                    <ol class="dialogue">
                        {messages.into_iter().map(|m| {
                            let from = m.author;
                            let created = m.created_at.clone();
                            let action = m.action;
                            view! {
                                <li class=match from { Author::Proposer => "from-proposer", Author::Coordinator => "from-coordinator" }>
                                    <p class="said">
                                        <strong>{move || t(match from {
                                            Author::Proposer => Key::FromProposer,
                                            Author::Coordinator => Key::FromCoordinator,
                                        })}</strong>
                                        {move || action.map(|a| format!(" {}", i18n::action_done(console.lang.get(), a)))}
                                        " · "
                                        <time datetime=m.created_at.clone()>{move || i18n::time(console.lang.get(), &created)}</time>
                                    </p>
                                    <p class="prose" dir="auto">{m.body}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The message box and one button per action the lifecycle allows now.
#[component]
fn DecisionForm(
    proposal: ProposalView,
    allowed: Vec<Action>,
    data: RwSignal<Option<Result<AdminInitiative, Failure>>>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let id = proposal.id;
    let version = proposal.version;
    let message = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let title = RwSignal::new(proposal.title.clone());
    let summary = RwSignal::new(proposal.summary.clone());
    // Kept to send only a real edit; stored so the handlers stay `Copy`.
    let original = StoredValue::new((proposal.title, proposal.summary));
    let message_ref = NodeRef::<html::Textarea>::new();
    let can_publish = allowed.contains(&Action::Publish);

    let finish = move |answer: Result<AdminInitiative, Failure>, done: Outcome| {
        if settle(answer, done, data, outcome, reload) {
            message.set(String::new());
        }
        busy.set(false);
    };

    let decide = move |action: Action| {
        if busy.get_untracked() {
            return;
        }
        let text = message.get_untracked().trim().to_string();
        if action.needs_message() && text.is_empty() {
            missing.set(true);
            if let Some(area) = message_ref.get_untracked() {
                let _ = area.focus();
            }
            return;
        }
        missing.set(false);
        // Only a changed title or summary is sent, so the audit log records
        // an edit only when there was one.
        let edit = action == Action::Publish && editing.get_untracked();
        let (original_title, original_summary) = original.get_value();
        let changed =
            |now: String, before: &str| (edit && now.trim() != before.trim()).then_some(now);
        let decision = Decision {
            action,
            version,
            message: (!text.is_empty()).then_some(text),
            title: changed(title.get_untracked(), &original_title),
            summary: changed(summary.get_untracked(), &original_summary),
        };
        busy.set(true);
        spawn_local(async move {
            finish(api::decide(id, &decision).await, Outcome::Decided);
        });
    };

    let send = move |_| {
        if busy.get_untracked() {
            return;
        }
        let text = message.get_untracked().trim().to_string();
        if text.is_empty() {
            missing.set(true);
            if let Some(area) = message_ref.get_untracked() {
                let _ = area.focus();
            }
            return;
        }
        missing.set(false);
        busy.set(true);
        spawn_local(async move {
            finish(api::write(id, &text).await, Outcome::Sent);
        });
    };

    let described = move || {
        if missing.get() {
            "message-hint message-missing"
        } else {
            "message-hint"
        }
    };

    view! {
        <section class="decide" aria-labelledby="decide-heading">
            <h2 id="decide-heading">{move || t(Key::Decide)}</h2>
            <form on:submit=|e| e.prevent_default() novalidate>
                <div class="field">
                    <label for="decision-message">{move || t(Key::MessageLabel)}</label>
                    <p id="message-hint" class="hint">{move || t(Key::MessageHint)}</p>
                    <textarea id="decision-message" rows="5" node_ref=message_ref
                        aria-invalid=move || missing.get().then_some("true")
                        aria-describedby=described
                        prop:value=message on:input=move |e| message.set(event_target_value(&e))></textarea>
                    {move || missing.get().then(|| view! {
                        <p id="message-missing" class="field-problem" role="alert">{t(Key::MessageRequired)}</p>
                    })}
                </div>
                {can_publish.then(|| view! {
                    <div class="field check">
                        <input id="decision-edit" type="checkbox" prop:checked=editing
                            on:change=move |e| editing.set(event_target_checked(&e))/>
                        <label for="decision-edit">{move || t(Key::EditBeforePublish)}</label>
                    </div>
                    <Show when=move || editing.get()>
                        <p class="hint">{move || t(Key::EditNote)}</p>
                        <div class="field">
                            <label for="decision-title">{move || t(Key::TitleLabel)}</label>
                            <input id="decision-title" type="text" prop:value=title
                                on:input=move |e| title.set(event_target_value(&e))/>
                        </div>
                        <div class="field">
                            <label for="decision-summary">{move || t(Key::Summary)}</label>
                            <textarea id="decision-summary" rows="6" prop:value=summary
                                on:input=move |e| summary.set(event_target_value(&e))></textarea>
                        </div>
                    </Show>
                })}
                {if allowed.is_empty() {
                    view! { <p class="muted">{move || t(Key::NothingToDecide)}</p> }.into_any()
                } else {
                    view! {
                        <div class="actions">
                            {allowed.into_iter().map(|action| view! {
                                <button type="button" data-action=action.as_str()
                                    class=if action == Action::Publish { "primary" } else if action == Action::Decline { "danger" } else { "secondary" }
                                    aria-disabled=move || busy.get().then_some("true")
                                    on:click=move |_| decide(action)>
                                    {move || i18n::action(console.lang.get(), action)}
                                </button>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
                <div class="actions">
                    <button type="button" class="secondary" data-action="message"
                        aria-disabled=move || busy.get().then_some("true") on:click=send>
                        {move || if busy.get() { t(Key::Sending) } else { t(Key::SendMessage) }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Who signed up: contact, the need they joined for, and for playdate
/// groups their family's details. Shared by the initiative and the
/// published list.
#[component]
pub fn SignupTable(signups: Vec<SignupView>, needs: Vec<NeedView>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    if signups.is_empty() {
        return view! { <p class="empty">{move || t(Key::NoSignups)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="signups">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::Name)}</th>
                        <th scope="col">{move || t(Key::ColContact)}</th>
                        <th scope="col">{move || t(Key::ColNeed)}</th>
                        <th scope="col">{move || t(Key::ColFamily)}</th>
                        <th scope="col">{move || t(Key::ColMessage)}</th>
                    </tr>
                </thead>
                <tbody>
                    {signups.into_iter().map(|s| {
                        let need = s.need_id.and_then(|id| needs.iter().find(|n| n.id == id)).map(|n| n.title.clone());
                        let family = s.family.clone();
                        view! {
                            <tr>
                                <th scope="row">{s.contact.name}</th>
                                <td>
                                    {s.contact.email.map(|e| view! { <a href=crate::views::mailto(&e)>{e.clone()}</a><br/> })}
                                    {s.contact.phone}
                                </td>
                                <td>{match need {
                                    Some(title) => title.into_any(),
                                    None => (move || t(Key::WholeInitiative)).into_any(),
                                }}</td>
                                <td>{move || family.as_ref().map(|f| {
                                    let lang = console.lang.get();
                                    let mut parts = vec![
                                        format!("{}: {}", t(Key::Child), i18n::age_band(lang, f.child_age_band)),
                                        f.area.clone(),
                                    ];
                                    if !f.free_afternoons.is_empty() {
                                        let days: Vec<_> = f.free_afternoons.iter().map(|d| i18n::weekday(lang, *d)).collect();
                                        parts.push(format!("{}: {}", t(Key::FreeAfternoons), days.join(", ")));
                                    }
                                    if !f.languages.is_empty() {
                                        parts.push(format!("{}: {}", t(Key::Languages), f.languages.join(", ")));
                                    }
                                    if f.new_in_area {
                                        parts.push(t(Key::NewInArea).to_string());
                                    }
                                    parts.join(" · ")
                                })}</td>
                                <td class="prose" dir="auto">{s.message}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Shows what a change to the initiative came to: the initiative as it is
/// now (`done` said above it), the state someone else made meanwhile (then
/// it loads again), or the failure. Whether the change went through.
fn settle(
    answer: Result<AdminInitiative, Failure>,
    done: Outcome,
    data: RwSignal<Option<Result<AdminInitiative, Failure>>>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> bool {
    match answer {
        Ok(updated) => {
            outcome.set(Some(done));
            data.set(Some(Ok(updated)));
            true
        }
        Err(Failure::Refused {
            status: 409,
            current,
            ..
        }) => {
            outcome.set(Some(Outcome::Conflict(current)));
            reload.run(());
            false
        }
        Err(failure) => {
            outcome.set(Some(Outcome::Failed(failure)));
            false
        }
    }
}

/// One need being edited: its title and number; what the form does not show
/// (skills, tools, times) is kept as it was.
#[derive(Clone)]
struct NeedRow {
    key: u32,
    title: RwSignal<String>,
    people: RwSignal<String>,
    kept: NeedInput,
}

/// Before publishing, the coordinator puts the category, the institution and
/// the needs right (an idea from the open meeting may come as "other").
#[component]
fn PutRight(
    proposal: ProposalView,
    data: RwSignal<Option<Result<AdminInitiative, Failure>>>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let id = proposal.id;
    let version = proposal.version;
    let category = RwSignal::new(proposal.category.clone());
    let institution = RwSignal::new(
        proposal
            .institution
            .as_ref()
            .map(|i| i.slug.clone())
            .unwrap_or_default(),
    );
    let next_key = StoredValue::new(proposal.needs.len() as u32);
    let row = move |key: u32, need: Option<&NeedView>| NeedRow {
        key,
        title: RwSignal::new(need.map(|n| n.title.clone()).unwrap_or_default()),
        people: RwSignal::new(need.map(|n| n.people_wanted).unwrap_or(1).to_string()),
        kept: need
            .map(|n| NeedInput {
                skills: n.skills.clone(),
                tools: n.tools.clone(),
                slots: n.slots.clone(),
                ..NeedInput::default()
            })
            .unwrap_or_default(),
    };
    let needs = RwSignal::new(
        proposal
            .needs
            .iter()
            .enumerate()
            .map(|(i, n)| row(i as u32, Some(n)))
            .collect::<Vec<_>>(),
    );
    let busy = RwSignal::new(false);
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        needs.update(|n| n.push(row(key, None)));
    };
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let slug = institution.get_untracked();
        let details = ProposalDetails {
            version,
            category: category.get_untracked(),
            institution: (!slug.is_empty()).then_some(slug),
            needs: needs
                .get_untracked()
                .into_iter()
                .map(|n| NeedInput {
                    title: n.title.get_untracked(),
                    people_wanted: n.people.get_untracked().trim().parse().ok(),
                    ..n.kept
                })
                .collect(),
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api::put_right(id, &details).await;
            settle(answer, Outcome::PutRight, data, outcome, reload);
            busy.set(false);
        });
    };
    // (slug, name) of the municipality's categories or institutions.
    let choices = move |of: fn(&MunicipalityView) -> Vec<String>,
                        name: fn(&Console, &str) -> String| {
        let slugs = console
            .municipality
            .with(|m| m.as_ref().map(of).unwrap_or_default());
        slugs
            .into_iter()
            .map(|slug| {
                let shown = name(&console, &slug);
                (slug, shown)
            })
            .collect::<Vec<_>>()
    };
    let categories = move || {
        choices(
            |m| m.categories.iter().map(|c| c.slug.clone()).collect(),
            Console::category_name,
        )
    };
    let institutions = move || {
        choices(
            |m| m.institutions.iter().map(|i| i.slug.clone()).collect(),
            Console::institution_name,
        )
    };
    view! {
        <details class="card put-right">
            <summary>{move || t(Key::PutRight)}</summary>
            <form on:submit=submit>
                <label for="put-right-category">{move || t(Key::ColCategory)}</label>
                <select id="put-right-category" prop:value=move || category.get()
                    on:change=move |e| category.set(event_target_value(&e))>
                    {move || categories().into_iter().map(|(slug, name)| {
                        let selected = slug == category.get_untracked();
                        view! { <option value=slug selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <label for="put-right-institution">{move || t(Key::ColInstitution)}</label>
                <select id="put-right-institution" prop:value=move || institution.get()
                    on:change=move |e| institution.set(event_target_value(&e))>
                    <option value="">{move || t(Key::NoInstitution)}</option>
                    {move || institutions().into_iter().map(|(slug, name)| {
                        let selected = slug == institution.get_untracked();
                        view! { <option value=slug selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <fieldset>
                    <legend>{move || t(Key::Needs)}</legend>
                    <For each=move || needs.get() key=|n| n.key let:need>
                        <div class="need-row">
                            <label for=format!("need-title-{}", need.key)>{move || t(Key::NeedTitle)}</label>
                            <input id=format!("need-title-{}", need.key) prop:value=move || need.title.get()
                                on:input=move |e| need.title.set(event_target_value(&e))/>
                            <label for=format!("need-people-{}", need.key)>{move || t(Key::PeopleWanted)}</label>
                            <input id=format!("need-people-{}", need.key) type="number" min="1" max="500"
                                prop:value=move || need.people.get()
                                on:input=move |e| need.people.set(event_target_value(&e))/>
                            <button type="button" class="secondary"
                                on:click=move |_| needs.update(|n| n.retain(|r| r.key != need.key))>
                                {move || t(Key::RemoveNeed)}
                            </button>
                        </div>
                    </For>
                    <button type="button" class="secondary" on:click=add>{move || t(Key::AddNeed)}</button>
                </fieldset>
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || t(Key::SaveDetails)}
                </button>
            </form>
        </details>
    }
}
