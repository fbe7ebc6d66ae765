//! Propose: a citizen proposes an initiative they will run. The form keeps a
//! draft in the browser, checks the shared rules before sending, shows the
//! API's per-field errors next to the fields, and sends with an idempotency
//! key, queueing the proposal when offline. On success it shows the private
//! follow link once, with a copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::initiative::{Known, NeedInput, NewInitiative, PlaceInput, ProposalCreated};
use sammen_shared::person::ContactInput;
use sammen_shared::Lang;

use crate::api::ApiFailure;
use crate::app::{follow_link, use_ctx, Ctx, Screen, FOLLOW_DRAFT};
use crate::draft::Draft;
use crate::i18n::{self, t, text, Key};
use crate::idempotency::new_key;
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    focus_first_invalid, optional, Errors, SelectField, Sending, SendingNotice, TextField,
};

/// The draft's name in storage.
const DRAFT: &str = "propose";

/// The proposal being sent, kept above the form so that a queued proposal
/// is sent (and its outcome shown) even when the form is not on screen.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub state: RwSignal<Sending>,
    pub created: RwSignal<Option<ProposalCreated>>,
    pub errors: Errors,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox {
            state: RwSignal::new(Sending::Idle),
            created: RwSignal::new(None),
            errors: Errors::new(),
        }
    }

    /// Sends a proposal left queued by an earlier visit, now or when the
    /// connection returns.
    pub fn resume(self, ctx: &Ctx) {
        let ctx_online = ctx.clone();
        let _ = window_event_listener_untyped("online", move |_| {
            if self.state.get_untracked() == Sending::Queued {
                self.send_draft(&ctx_online);
            }
        });
        let queued = ctx
            .drafts
            .load::<Draft<NewInitiative>>(DRAFT)
            .is_some_and(|d| d.queued && d.key.is_some());
        if queued {
            self.state.set(Sending::Queued);
            if window().navigator().on_line() {
                self.send_draft(ctx);
            }
        }
    }

    /// Sends the stored draft with its stored key.
    fn send_draft(self, ctx: &Ctx) {
        let Some(draft) = ctx.drafts.load::<Draft<NewInitiative>>(DRAFT) else {
            return;
        };
        let Some(key) = draft.key.clone() else {
            return;
        };
        self.state.set(Sending::InFlight);
        let ctx = ctx.clone();
        spawn_local(async move {
            match ctx.api().propose(&draft.body, &key).await {
                Ok(created) => {
                    ctx.drafts.remove(DRAFT);
                    ctx.drafts.save(FOLLOW_DRAFT, &created.follow_token);
                    ctx.follow_token.set(Some(created.follow_token.clone()));
                    self.created.set(Some(created));
                    self.state.set(Sending::Idle);
                }
                Err(failure) if failure.is_retryable() => {
                    // Keep the key: the server may have stored the first try.
                    ctx.drafts.save(
                        DRAFT,
                        &Draft {
                            queued: true,
                            ..draft
                        },
                    );
                    self.state.set(if failure == ApiFailure::Unreachable {
                        Sending::Queued
                    } else {
                        Sending::Failed(failure)
                    });
                }
                Err(failure) => {
                    // Refused for good: the next try is a new request with a new key.
                    ctx.drafts.save(
                        DRAFT,
                        &Draft {
                            key: None,
                            queued: false,
                            ..draft
                        },
                    );
                    self.errors.set(failure.fields());
                    self.state.set(Sending::Failed(failure));
                }
            }
        });
    }
}

/// One need row of the form.
#[derive(Clone, Copy)]
struct NeedRow {
    /// Stable identity for `<For>`, so removing a row keeps the others' focus.
    id: u32,
    title: RwSignal<String>,
    people: RwSignal<String>,
}

impl NeedRow {
    fn new(id: u32, need: &NeedInput) -> NeedRow {
        NeedRow {
            id,
            title: RwSignal::new(need.title.clone()),
            people: RwSignal::new(
                need.people_wanted
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ),
        }
    }
}

#[component]
pub fn Propose() -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    move || match outbox.created.get() {
        Some(created) => view! { <Created created=created/> }.into_any(),
        None => view! { <ProposeForm/> }.into_any(),
    }
}

#[component]
fn ProposeForm() -> impl IntoView {
    let ctx = use_ctx();
    let outbox = expect_context::<Outbox>();
    let errors = outbox.errors;
    let draft: Draft<NewInitiative> = ctx.drafts.load(DRAFT).unwrap_or_default();
    let body = draft.body;
    let key = RwSignal::new(draft.key);
    let queued = RwSignal::new(draft.queued);

    let title = RwSignal::new(body.title);
    let summary = RwSignal::new(body.summary);
    let audience = RwSignal::new(body.audience.unwrap_or_default());
    let category = RwSignal::new(body.category);
    let institution = RwSignal::new(
        body.institution
            .or_else(|| ctx.config.institution.clone())
            .unwrap_or_default(),
    );
    let place = RwSignal::new(body.place.name);
    let when = RwSignal::new(body.when.unwrap_or_default());
    let next_id = StoredValue::new(body.needs.len() as u32);
    let needs = RwSignal::new(
        body.needs
            .iter()
            .enumerate()
            .map(|(i, need)| NeedRow::new(i as u32, need))
            .collect::<Vec<_>>(),
    );
    let name = RwSignal::new(body.contact.name);
    let email = RwSignal::new(body.contact.email.unwrap_or_default());
    let phone = RwSignal::new(body.contact.phone.unwrap_or_default());
    let lang = ctx.lang;

    let build = move || NewInitiative {
        title: title.get(),
        summary: summary.get(),
        audience: optional(&audience.get()),
        category: category.get(),
        institution: optional(&institution.get()),
        place: PlaceInput {
            name: place.get(),
            lat: None,
            lon: None,
        },
        when: optional(&when.get()),
        needs: needs
            .get()
            .iter()
            .map(|row| NeedInput {
                title: row.title.get(),
                // Unparseable counts go as 0, which the rules refuse in words.
                people_wanted: optional(&row.people.get()).map(|n| n.parse().unwrap_or(0)),
                ..Default::default()
            })
            .collect(),
        contact: ContactInput {
            name: name.get(),
            email: optional(&email.get()),
            phone: optional(&phone.get()),
        },
        lang: Some(lang.get()),
    };

    // Every keystroke lands in the draft, so a reload loses nothing.
    let drafts = ctx.drafts.clone();
    Effect::new(move |_| {
        let draft = Draft {
            body: build(),
            key: key.get(),
            queued: queued.get(),
        };
        drafts.save(DRAFT, &draft);
    });

    let categories = {
        let ctx = ctx.clone();
        Signal::derive(move || {
            let lang = ctx.lang.get();
            ctx.municipality
                .get()
                .and_then(Result::ok)
                .map(|m| {
                    m.categories
                        .into_iter()
                        .map(|c| {
                            (
                                c.slug,
                                if lang == Lang::Da {
                                    c.name_da
                                } else {
                                    c.name_en
                                },
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let institutions = {
        let ctx = ctx.clone();
        Signal::derive(move || {
            ctx.municipality
                .get()
                .and_then(Result::ok)
                .map(|m| {
                    m.institutions
                        .into_iter()
                        .map(|i| (i.slug, i.name))
                        .collect()
                })
                .unwrap_or_default()
        })
    };

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);

    let submit = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if outbox.state.get_untracked() == Sending::InFlight {
                return;
            }
            let body = build();
            // The server's own rules, checked here first when we know the
            // municipality's categories and institutions.
            if let Some(Ok(m)) = ctx.municipality.get_untracked() {
                let slugs = |items: Vec<String>| items;
                let categories = slugs(m.categories.into_iter().map(|c| c.slug).collect());
                let institutions = slugs(m.institutions.into_iter().map(|i| i.slug).collect());
                let known = Known {
                    categories: &categories,
                    institutions: &institutions,
                };
                if let Err(found) = body.parse(known) {
                    errors.set_checked(&found, lang.get_untracked());
                    outbox.state.set(Sending::Invalid);
                    focus_first_invalid(form);
                    return;
                }
            }
            errors.set(Default::default());
            if key.get_untracked().is_none() {
                key.set(Some(new_key()));
            }
            queued.set(true);
            // The Effect has saved the draft with its key; send exactly that.
            ctx.drafts.save(
                DRAFT,
                &Draft {
                    body,
                    key: key.get_untracked(),
                    queued: true,
                },
            );
            outbox.send_draft(&ctx);
        }
    };
    // After a refusal the stored draft's key was dropped; follow it.
    Effect::new(move |_| {
        if let Sending::Failed(failure) = outbox.state.get() {
            if !failure.is_retryable() {
                key.set(None);
                queued.set(false);
            }
            if !failure.fields().is_empty() {
                focus_first_invalid(form);
            }
        }
    });

    let add_need = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        needs.update(|rows| rows.push(NeedRow::new(id, &NeedInput::default())));
    };

    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::ProposeHeading)}</h2>
        <p class="intro">{t(Key::ProposeIntro)}</p>
        <form novalidate node_ref=form on:submit=submit>
            <TextField name="title" label=Key::Title hint=Key::TitleHint value=title errors=errors/>
            <TextField name="summary" label=Key::Summary value=summary errors=errors multiline=true/>
            <SelectField name="category" label=Key::Category value=category errors=errors
                options=categories placeholder=Key::ChooseCategory/>
            <TextField name="audience" label=Key::Audience hint=Key::AudienceHint value=audience
                errors=errors optional=true/>
            <TextField name="place.name" label=Key::Place hint=Key::PlaceHint value=place errors=errors/>
            <TextField name="when" label=Key::WhenField hint=Key::WhenHint value=when errors=errors
                optional=true/>
            <SelectField name="institution" label=Key::Institution value=institution errors=errors
                options=institutions placeholder=Key::NoInstitution optional=true/>
            <fieldset>
                <legend>{t(Key::NeedsLegend)}</legend>
                <p class="hint">{t(Key::NeedsHint)}</p>
                <For each=move || needs.get().into_iter().enumerate() key=|(i, row)| (*i, row.id) let:((index, row))>
                    <div class="need">
                        <p class="need-number">{move || i18n::need_number(lang.get(), index + 1)}</p>
                        <TextField name=format!("needs[{index}].title") label=Key::NeedTitle
                            value=row.title errors=errors/>
                        <TextField name=format!("needs[{index}].people_wanted") label=Key::NeedPeople
                            value=row.people errors=errors optional=true kind="number" inputmode="numeric"/>
                        <button type="button" class="secondary" on:click=move |_| {
                            needs.update(|rows| rows.retain(|r| r.id != row.id))
                        }>{t(Key::RemoveNeed)}</button>
                    </div>
                </For>
                <button type="button" class="secondary" on:click=add_need>"+ "{t(Key::AddNeed)}</button>
            </fieldset>
            <fieldset>
                <legend>{t(Key::ContactLegend)}</legend>
                <TextField name="contact.name" label=Key::Name value=name errors=errors autocomplete="name"/>
                <p class="hint">{t(Key::EmailOrPhone)}</p>
                <TextField name="contact.email" label=Key::Email value=email errors=errors
                    optional=true kind="email" autocomplete="email" inputmode="email"/>
                <TextField name="contact.phone" label=Key::Phone value=phone errors=errors
                    optional=true kind="tel" autocomplete="tel" inputmode="tel"/>
                <p class="consent">{t(Key::ConsentPropose)}</p>
            </fieldset>
            <button type="submit" class="primary"
                aria-disabled=move || (outbox.state.get() == Sending::InFlight).then_some("true")>
                {t(Key::SendProposal)}
            </button>
            <SendingNotice state=outbox.state errors=errors form=form/>
        </form>
    }
}

/// The confirmation: the follow link, shown once, with a copy button.
#[component]
fn Created(created: ProposalCreated) -> impl IntoView {
    let ctx = use_ctx();
    let outbox = expect_context::<Outbox>();
    let link = follow_link(&created.follow_token);
    let copied = RwSignal::new(false);
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let copy = {
        let link = link.clone();
        move |_| {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&link);
            copied.set(true);
        }
    };
    let token = created.follow_token.clone();
    let lang = ctx.lang;
    let follow = {
        let ctx = ctx.clone();
        move |_| {
            outbox.created.set(None);
            ctx.go(Screen::Follow(token.clone()));
        }
    };
    view! {
        <div class="done">
            <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::ProposalSent)}</h2>
            <p>{t(Key::FollowLinkIntro)}</p>
            <label for="f-follow-link">{t(Key::FollowLinkLabel)}</label>
            <input id="f-follow-link" type="text" readonly value=link.clone()
                on:focus=|ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); }/>
            <button type="button" class="primary" on:click=copy>{t(Key::Copy)}</button>
            <p role="status" class="notice">{move || copied.get().then(|| text(lang.get(), Key::Copied))}</p>
            <button type="button" class="secondary" on:click=follow>{t(Key::OpenFollow)}</button>
            <button type="button" class="secondary" on:click=move |_| outbox.created.set(None)>
                {t(Key::NewProposal)}
            </button>
        </div>
    }
}
