//! Follow: the proposer's private view through their follow token: the
//! proposal's status, the dialogue with the coordinator, a reply, and
//! resubmitting after changes were requested.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::follow::{Author, FollowView, NewMessage, Resubmit};

use crate::app::use_ctx;
use crate::i18n::{self, t, Key};
use crate::idempotency::new_key;
use crate::views::detail::focus_when_navigated;
use crate::views::form::{Errors, Sending, SendingNotice, TextField};
use crate::views::notice::{Failure, Loading};

#[component]
pub fn Follow(token: String) -> impl IntoView {
    let ctx = use_ctx();
    let view_data = LocalResource::new({
        let (ctx, token) = (ctx.clone(), token.clone());
        move || {
            let (api, token) = (ctx.api(), token.clone());
            async move { api.follow(&token).await }
        }
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::FollowHeading)}</h2>
        {move || match view_data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(crate::api::ApiFailure::Refused { status: 401 | 404, .. })) => {
                view! { <p class="notice failure" role="alert">{t(Key::FollowUnknown)}</p> }.into_any()
            }
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=move || view_data.refetch()/> }.into_any()
            }
            Some(Ok(data)) => {
                let refresh = move || view_data.refetch();
                view! { <Proposal data=data token=token.clone() refresh=refresh/> }.into_any()
            }
        }}
    }
}

#[component]
fn Proposal(
    data: FollowView,
    token: String,
    refresh: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let status = data.proposal.status;
    let version = data.proposal.version;
    let errors = Errors::new();
    let body = RwSignal::new(String::new());
    let state = RwSignal::new(Sending::Idle);
    let sent = RwSignal::new(None::<Key>);

    let reply = {
        let (ctx, token, refresh) = (ctx.clone(), token.clone(), refresh.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let message = NewMessage {
                body: body.get_untracked(),
            };
            if message.body.trim().is_empty() {
                errors.set(
                    [(
                        "body".to_string(),
                        sammen_shared::FieldError::Required.message(lang.get_untracked()),
                    )]
                    .into(),
                );
                state.set(Sending::Invalid);
                return;
            }
            errors.set(Default::default());
            state.set(Sending::InFlight);
            let (api, token, refresh) = (ctx.api(), token.clone(), refresh.clone());
            spawn_local(async move {
                match api.reply(&token, &message, &new_key()).await {
                    Ok(()) => {
                        body.set(String::new());
                        state.set(Sending::Idle);
                        sent.set(Some(Key::ReplySent));
                        refresh();
                    }
                    Err(failure) => {
                        errors.set(failure.fields());
                        state.set(Sending::Failed(failure));
                    }
                }
            });
        }
    };
    let resubmit = {
        let (ctx, token) = (ctx.clone(), token.clone());
        move |_| {
            state.set(Sending::InFlight);
            let (api, token, refresh) = (ctx.api(), token.clone(), refresh.clone());
            spawn_local(async move {
                let request = Resubmit {
                    version,
                    message: None,
                };
                match api.resubmit(&token, &request).await {
                    Ok(()) => {
                        state.set(Sending::Idle);
                        sent.set(Some(Key::Resubmitted));
                        refresh();
                    }
                    Err(failure) => state.set(Sending::Failed(failure)),
                }
            });
        }
    };

    let messages = data.messages;
    view! {
        <article class="detail">
            <h3>{data.proposal.title.clone()}</h3>
            <p class="status">
                {t(Key::StatusLabel)}": "
                <strong class=format!("badge status-{}", status.as_str())>
                    {move || i18n::status(lang.get(), status)}
                </strong>
            </p>
            <p class="summary">{data.proposal.summary.clone()}</p>
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
                                        {move || i18n::date_time(lang.get(), &at)}
                                    </p>
                                    <p class="body">{m.body.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
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
