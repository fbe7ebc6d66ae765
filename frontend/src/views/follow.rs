//! Follow: the proposer's private view through their follow token: the
//! proposal's status, the dialogue with the coordinator, a reply, and
//! resubmitting after changes were requested.

use leptos::prelude::*;
use sammen_shared::follow::{Author, EditProposal, FollowView, NewMessage, ProposalView, Resubmit};
use sammen_shared::initiative::{NeedInput, NewInitiative, PlaceInput};
use sammen_shared::person::ContactInput;
use sammen_shared::status::Status;

use crate::api::{ApiFailure, Loaded, Retry};
use crate::app::{use_ctx, Screen};
use crate::i18n::{self, t, Key};
use crate::idempotency::new_key;
use crate::views::detail::focus_when_navigated;
use crate::views::form::{optional, Checkbox, Errors, Sending, SendingNotice, TextField};
use crate::views::notice::{Failure, Loading};
use wasm_bindgen::JsValue;

#[component]
pub fn Follow(token: String) -> impl IntoView {
    let ctx = use_ctx();
    let view_data: Loaded<FollowView> = Loaded::new({
        let (ctx, token) = (ctx.clone(), token.clone());
        move || ctx.api().follow(&token)
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    // Out here, so "sent" outlives the reload of the view it triggers.
    let sent = RwSignal::new(None::<Key>);
    // A shared device: the next person must not find this proposal.
    let forget = {
        let ctx = ctx.clone();
        move |_| {
            ctx.drafts.forget_device(&crate::outbox::DRAFTS);
            ctx.follow_token.set(None);
            ctx.go(Screen::List);
        }
    };
    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::FollowHeading)}</h2>
        {move || match view_data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(crate::api::ApiFailure::Refused { status: 401 | 404, .. })) => {
                view! { <p class="notice failure" role="alert">{t(Key::FollowUnknown)}</p> }.into_any()
            }
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=view_data.retry()/> }.into_any()
            }
            Some(Ok(data)) => {
                let refresh = view_data.retry();
                view! { <Proposal data=data token=token.clone() refresh=refresh sent=sent/> }.into_any()
            }
        }}
        <button type="button" class="secondary" on:click=forget>{t(Key::ForgetDevice)}</button>
    }
}

#[component]
fn Proposal(
    data: FollowView,
    token: String,
    refresh: Retry,
    /// What was last sent, announced under the reply form.
    sent: RwSignal<Option<Key>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let status = data.proposal.status;
    let version = data.proposal.version;
    let errors = Errors::new();
    let body = RwSignal::new(String::new());
    let state = RwSignal::new(Sending::Idle);

    let reply = {
        let (ctx, token) = (ctx.clone(), token.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let message = NewMessage {
                body: body.get_untracked(),
            };
            errors.set(Default::default());
            state.set(Sending::InFlight);
            let done = move |answer: Result<JsValue, ApiFailure>| match answer {
                Ok(_) => {
                    body.set(String::new());
                    state.set(Sending::Idle);
                    sent.set(Some(Key::ReplySent));
                    refresh.run();
                }
                Err(failure) => {
                    errors.set(failure.fields());
                    state.set(Sending::Failed(failure));
                }
            };
            ctx.api().reply(&token, &message, new_key(), Box::new(done));
        }
    };
    let edit = data.can_edit.then(|| {
        let (proposal, token) = (data.proposal.clone(), token.clone());
        let can_resubmit = data.can_resubmit;
        view! { <Edit proposal=proposal token=token can_resubmit=can_resubmit refresh=refresh sent=sent/> }
    });
    let resubmit = {
        let (ctx, token) = (ctx.clone(), token.clone());
        move |_| {
            state.set(Sending::InFlight);
            let request = Resubmit {
                version,
                message: None,
            };
            let done = move |answer: Result<JsValue, ApiFailure>| match answer {
                Ok(_) => {
                    state.set(Sending::Idle);
                    sent.set(Some(Key::Resubmitted));
                    refresh.run();
                }
                Err(failure) => state.set(Sending::Failed(failure)),
            };
            ctx.api().resubmit(&token, &request, Box::new(done));
        }
    };

    let messages = data.messages;
    // Once published the proposer runs the initiative from a page of its
    // own (who joined, invited volunteers' answers): it grows with what
    // organisers do and stays out of the widget every citizen loads.
    let space = matches!(status, Status::Published | Status::Completed).then(|| {
        let href = format!(
            "{}/organiser?lang={}#{token}",
            ctx.config.api,
            lang.get_untracked().code()
        );
        view! { <p><a class="primary" href=href target="_blank">{t(Key::OrganiserSpace)}</a></p> }
    });
    view! {
        <article class="detail">
            <h3 dir="auto">{data.proposal.title.clone()}</h3>
            <p class="status">
                {t(Key::StatusLabel)}": "
                <strong class=format!("badge status-{}", status.as_str())>
                    {move || i18n::status(lang.get(), status)}
                </strong>
            </p>
            <p class="summary" dir="auto">{data.proposal.summary.clone()}</p>
            {space}
            <h3>{t(Key::Dialogue)}</h3>
            {if messages.is_empty() {
                view! { <p class="hint">{t(Key::NoMessages)}</p> }.into_any()
            } else {
                view! {
                    <ol class="messages">
                        {messages.into_iter().map(|m| {
                            let from = match m.author {
                                Author::Coordinator => Key::FromCoordinator,
                                Author::Proposer => Key::FromYou,
                            };
                            let at = m.created_at.clone();
                            view! {
                                <li class=format!("message from-{}", if from == Key::FromYou { "you" } else { "coordinator" })>
                                    <p class="meta">
                                        <strong>{t(from)}</strong>" · "
                                        {i18n::live(move |lang| i18n::date_time(lang, &at))}
                                    </p>
                                    <p class="body" dir="auto">{m.body.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {edit}
            {data.can_resubmit.then(|| view! {
                <button type="button" class="primary" on:click=resubmit>{t(Key::Resubmit)}</button>
            })}
            <form novalidate on:submit=reply>
                <TextField name="body" label=Key::Reply value=body errors=errors multiline=true/>
                <button type="submit" class="primary">{t(Key::SendReply)}</button>
                <SendingNotice state=state/>
                <p role="status" class="notice">{move || sent.get().map(|key| i18n::text(lang.get(), key))}</p>
            </form>
        </article>
    }
}

/// Editing the proposal's words (and, when changes were requested, sending
/// it back in the same step): `PUT /api/v1/follow` with the version last
/// seen, so an edit never overwrites a coordinator's newer decision.
#[component]
fn Edit(
    proposal: ProposalView,
    token: String,
    can_resubmit: bool,
    refresh: Retry,
    sent: RwSignal<Option<Key>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let open = RwSignal::new(false);
    let errors = Errors::new();
    let state = RwSignal::new(Sending::Idle);
    let title = RwSignal::new(proposal.title.clone());
    let summary = RwSignal::new(proposal.summary.clone());
    let when = RwSignal::new(proposal.when.clone().unwrap_or_default());
    let note = RwSignal::new(String::new());
    let resubmit = RwSignal::new(can_resubmit);
    let version = proposal.version;
    // Everything the form does not show goes back as the server has it.
    let unchanged = NewInitiative {
        audience: proposal.audience.clone(),
        category: proposal.category.clone(),
        institution: proposal.institution.as_ref().map(|i| i.slug.clone()),
        place: PlaceInput {
            name: proposal.place.name.clone(),
            lat: proposal.place.point.map(|p| p.lat),
            lon: proposal.place.point.map(|p| p.lon),
        },
        needs: proposal
            .needs
            .iter()
            .map(|n| NeedInput {
                title: n.title.clone(),
                people_wanted: Some(n.people_wanted),
                skills: n.skills.clone(),
                tools: n.tools.clone(),
                slots: n.slots.clone(),
            })
            .collect(),
        contact: ContactInput {
            name: proposal.contact.name.clone(),
            email: proposal.contact.email.clone(),
            phone: proposal.contact.phone.clone(),
        },
        lang: Some(proposal.lang),
        ..Default::default()
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == Sending::InFlight {
            return;
        }
        let body = EditProposal {
            version,
            proposal: NewInitiative {
                title: title.get_untracked(),
                summary: summary.get_untracked(),
                when: optional(&when.get_untracked()),
                ..unchanged.clone()
            },
            resubmit: can_resubmit && resubmit.get_untracked(),
            message: optional(&note.get_untracked()),
        };
        state.set(Sending::InFlight);
        let done = move |answer: Result<JsValue, ApiFailure>| {
            match answer {
                Ok(_) => {
                    state.set(Sending::Idle);
                    sent.set(Some(Key::EditSaved));
                    refresh.run();
                }
                Err(failure) => {
                    // The server names fields by their path in the body.
                    let mut fields = crate::fields::Fields::new();
                    for (field, message) in failure.fields() {
                        let field = field.trim_start_matches("proposal.").to_string();
                        fields.insert(field, message);
                    }
                    errors.set(fields);
                    state.set(Sending::Failed(failure));
                }
            }
        };
        ctx.api().edit(&token, &body, Box::new(done));
    };
    view! {
        <button type="button" class="secondary" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{t(Key::EditProposal)}</button>
        {move || open.get().then(|| view! {
            <form novalidate on:submit=save.clone()>
                <TextField name="title" label=Key::Title value=title errors=errors/>
                <TextField name="summary" label=Key::Summary value=summary errors=errors multiline=true/>
                <TextField name="when" label=Key::WhenField value=when errors=errors optional=true/>
                <TextField name="message" label=Key::EditNote value=note errors=errors optional=true
                    multiline=true/>
                {can_resubmit.then(|| view! {
                    <Checkbox name="resubmit"
                        label=i18n::live(|lang| i18n::text(lang, Key::EditResubmit).to_string())
                        checked=resubmit/>
                })}
                <button type="submit" class="primary">{t(Key::SaveEdit)}</button>
                <SendingNotice state=state/>
            </form>
        })}
    }
}
