//! Propose: a citizen proposes an initiative they will run. The form keeps a
//! draft in the browser, shows the API's per-field errors next to the
//! fields, and sends through the [`Outbox`] (idempotency key, queued when
//! offline). On success it shows the private follow link once, with a copy
//! button.

use leptos::prelude::*;
use sammen_shared::initiative::{NeedInput, NewInitiative, PlaceInput, ProposalCreated};
use sammen_shared::person::ContactInput;

use crate::app::{follow_link, this_page, use_ctx, Screen};
use crate::draft::{now, texts, FormDraft};
use crate::i18n::{self, t, text, Key};
use crate::json;
use crate::outbox::{Kind, Outbox};
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    copy_link, focus_on_refusal, optional, place_options, select_all, split_list, Honeypot,
    SelectField, Sending, SendingNotice, TextField, UsePosition,
};

/// One need row of the form.
#[derive(Clone, Copy)]
struct NeedRow {
    /// Stable identity for `<For>`, so removing a row keeps the others' focus.
    id: u32,
    title: RwSignal<String>,
    people: RwSignal<String>,
    /// Comma-separated, as the citizen typed them; the matching engine
    /// compares them with what volunteers offered.
    skills: RwSignal<String>,
    tools: RwSignal<String>,
}

impl NeedRow {
    /// Row `index` as the draft has it (empty when it has none).
    fn new(id: u32, draft: &FormDraft, index: usize) -> NeedRow {
        NeedRow {
            id,
            title: draft.text(&format!("needs[{index}].title")),
            people: draft.text(&format!("needs[{index}].people_wanted")),
            skills: draft.text(&format!("needs[{index}].skills")),
            tools: draft.text(&format!("needs[{index}].tools")),
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
    let slot = outbox.slot(Kind::Propose);
    slot.forget_outcome();
    let errors = slot.errors;
    let draft = FormDraft::open(&ctx.drafts, Kind::Propose.draft(), "");
    let shown = draft.shown();

    let title = draft.text("title");
    let summary = draft.text("summary");
    let audience = draft.text("audience");
    let category = draft.text("category");
    let institution = draft.text("institution");
    if institution.get_untracked().is_empty() {
        institution.set(ctx.config.institution.clone().unwrap_or_default());
    }
    let place = draft.text("place.name");
    let when = draft.text("when");
    let rows = (0..)
        .take_while(|i| draft.get(&format!("needs[{i}].title")).is_some())
        .count();
    let next_id = StoredValue::new(rows as u32);
    let needs = RwSignal::new(
        (0..rows)
            .map(|i| NeedRow::new(i as u32, &draft, i))
            .collect::<Vec<_>>(),
    );
    let name = draft.text("contact.name");
    let email = draft.text("contact.email");
    let phone = draft.text("contact.phone");
    let website = draft.text("website");
    let lang = ctx.lang;

    let point = RwSignal::new(None::<(f64, f64)>);
    let build = move || NewInitiative {
        title: title.get(),
        summary: summary.get(),
        audience: optional(&audience.get()),
        category: category.get(),
        institution: optional(&institution.get()),
        place: PlaceInput {
            name: place.get(),
            lat: point.get().map(|(lat, _)| lat),
            lon: point.get().map(|(_, lon)| lon),
        },
        when: optional(&when.get()),
        needs: needs
            .get()
            .iter()
            .map(|row| NeedInput {
                title: row.title.get(),
                // Unparseable counts go as 0, which the rules refuse in words.
                people_wanted: optional(&row.people.get()).map(|n| n.parse().unwrap_or(0)),
                skills: split_list(&row.skills.get()),
                tools: split_list(&row.tools.get()),
                ..Default::default()
            })
            .collect(),
        contact: ContactInput {
            name: name.get(),
            email: optional(&email.get()),
            phone: optional(&phone.get()),
        },
        lang: Some(lang.get().server()),
        page: Some(this_page()),
    };

    // Every keystroke lands in the draft, so a reload loses nothing.
    draft.keep(move || {
        let mut fields = texts(&[
            ("title", title),
            ("summary", summary),
            ("audience", audience),
            ("category", category),
            ("institution", institution),
            ("place.name", place),
            ("when", when),
            ("contact.name", name),
            ("contact.email", email),
            ("contact.phone", phone),
            ("website", website),
        ]);
        for (i, row) in needs.get().iter().enumerate() {
            fields.push((format!("needs[{i}].title"), row.title.get()));
            fields.push((format!("needs[{i}].people_wanted"), row.people.get()));
            fields.push((format!("needs[{i}].skills"), row.skills.get()));
            fields.push((format!("needs[{i}].tools"), row.tools.get()));
        }
        fields
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
                            let name = i18n::category(lang, &c.slug, c.name_da, c.name_en);
                            (c.slug, name)
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let institutions = place_options(&ctx);

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);

    let submit = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if slot.state.get_untracked() == Sending::InFlight {
                return;
            }
            // The server checks the rules and words what is wrong.
            let body = json::to_string(&build());
            let path = "initiatives".to_string();
            let website = website.get_untracked();
            outbox.submit(&ctx, Kind::Propose, path, body, website, now() - shown);
        }
    };
    focus_on_refusal(slot.state, form);

    let add_need = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        needs.update(|rows| {
            rows.push(NeedRow {
                id,
                title: RwSignal::new(String::new()),
                people: RwSignal::new(String::new()),
                skills: RwSignal::new(String::new()),
                tools: RwSignal::new(String::new()),
            })
        });
    };

    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::ProposeHeading)}</h2>
        <p class="intro">{t(Key::ProposeIntro)}</p>
        <form novalidate node_ref=form on:submit=submit>
            <Honeypot value=website/>
            <TextField name="title" label=Key::Title hint=Key::TitleHint value=title errors=errors/>
            <TextField name="summary" label=Key::Summary value=summary errors=errors multiline=true/>
            <SelectField name="category" label=Key::Category value=category errors=errors
                options=categories placeholder=Key::ChooseCategory/>
            <TextField name="audience" label=Key::Audience hint=Key::AudienceHint value=audience
                errors=errors optional=true/>
            <TextField name="place.name" label=Key::Place hint=Key::PlaceHint value=place errors=errors/>
            <UsePosition point=point/>
            <TextField name="when" label=Key::WhenField hint=Key::WhenHint value=when errors=errors
                optional=true/>
            <SelectField name="institution" label=Key::Institution value=institution errors=errors
                options=institutions placeholder=Key::NoInstitution optional=true/>
            <fieldset>
                <legend>{t(Key::NeedsLegend)}</legend>
                <p class="hint">{t(Key::NeedsHint)}</p>
                <For each=move || needs.get().into_iter().enumerate() key=|(i, row)| (*i, row.id) let:((index, row))>
                    <div class="need">
                        <p class="need-number">{i18n::live(move |lang| i18n::need_number(lang, index + 1))}</p>
                        <TextField name=format!("needs[{index}].title") label=Key::NeedTitle
                            value=row.title errors=errors/>
                        <TextField name=format!("needs[{index}].people_wanted") label=Key::NeedPeople
                            value=row.people errors=errors optional=true kind="number" inputmode="numeric"/>
                        <TextField name=format!("needs[{index}].skills") label=Key::NeedSkills
                            hint=Key::ListHint value=row.skills errors=errors optional=true/>
                        <TextField name=format!("needs[{index}].tools") label=Key::NeedTools
                            hint=Key::ListHint value=row.tools errors=errors optional=true/>
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
                aria-disabled=move || (slot.state.get() == Sending::InFlight).then_some("true")>
                {t(Key::SendProposal)}
            </button>
            <SendingNotice state=slot.state errors=errors form=form/>
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
    let copy = copy_link(link.clone(), copied);
    let token = created.follow_token.clone();
    // Kept for this tab only, unless the citizen asks to be remembered here:
    // on a shared library PC the next person must not find the proposal.
    let remember = {
        let (drafts, token) = (ctx.drafts.clone(), token.clone());
        move |ev: leptos::ev::Event| drafts.keep_follow(&token, event_target_checked(&ev))
    };
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
            <input id="f-follow-link" type="text" readonly value=link.clone() on:focus=select_all/>
            <button type="button" class="primary" on:click=copy>{t(Key::Copy)}</button>
            <p role="status" class="notice">{move || copied.get().then(|| text(lang.get(), Key::Copied))}</p>
            <div class="check">
                <input id="f-remember" type="checkbox" on:change=remember/>
                <label for="f-remember">{t(Key::RememberDevice)}</label>
            </div>
            <button type="button" class="secondary" on:click=follow>{t(Key::OpenFollow)}</button>
            <button type="button" class="secondary" on:click=move |_| outbox.created.set(None)>
                {t(Key::NewProposal)}
            </button>
        </div>
    }
}
