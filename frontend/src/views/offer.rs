//! Offer: what a citizen can give (skills, tools, an area, languages)
//! without a specific initiative; coordinators match it to needs later.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::offer::{AreaInput, NewOffer};
use sammen_shared::person::ContactInput;

use crate::app::use_ctx;
use crate::i18n::{t, Key};
use crate::idempotency::new_key;
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    focus_first_invalid, optional, split_list, Errors, Sending, SendingNotice, TextField,
};

#[component]
pub fn Offer() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let errors = Errors::new();
    let state = RwSignal::new(Sending::Idle);
    let done = RwSignal::new(false);
    let key: StoredValue<Option<String>> = StoredValue::new(None);

    let skills = RwSignal::new(String::new());
    let tools = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let radius = RwSignal::new(String::new());
    let languages = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let institution = ctx.config.institution.clone();

    let build = move || NewOffer {
        contact: ContactInput {
            name: name.get_untracked(),
            email: optional(&email.get_untracked()),
            phone: optional(&phone.get_untracked()),
        },
        skills: split_list(&skills.get_untracked()),
        tools: split_list(&tools.get_untracked()),
        slots: Vec::new(),
        area: AreaInput {
            name: area.get_untracked(),
            // Unparseable distances go as 0, which the rules refuse in words.
            radius_km: optional(&radius.get_untracked()).map(|r| r.parse().unwrap_or(0)),
            ..Default::default()
        },
        languages: split_list(&languages.get_untracked()),
        note: optional(&note.get_untracked()),
        institution: institution.clone(),
    };

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == Sending::InFlight {
            return;
        }
        let body = build();
        // The institution list is the server's to check; only the fields here.
        let known: Vec<String> = body.institution.iter().cloned().collect();
        if let Err(found) = body.parse(&known) {
            errors.set_checked(&found, lang.get_untracked());
            state.set(Sending::Invalid);
            focus_first_invalid(form);
            return;
        }
        errors.set(Default::default());
        let attempt = key.get_value().unwrap_or_else(new_key);
        key.set_value(Some(attempt.clone()));
        state.set(Sending::InFlight);
        let api = ctx.api();
        spawn_local(async move {
            match api.offer(&body, &attempt).await {
                Ok(_) => {
                    done.set(true);
                    state.set(Sending::Idle);
                }
                Err(failure) => {
                    if !failure.is_retryable() {
                        key.set_value(None);
                    }
                    errors.set(failure.fields());
                    if !failure.fields().is_empty() {
                        focus_first_invalid(form);
                    }
                    state.set(Sending::Failed(failure));
                }
            }
        });
    };

    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::OfferHeading)}</h2>
        <Show
            when=move || !done.get()
            fallback=|| view! { <p class="notice done" role="status">{t(Key::OfferSent)}</p> }
        >
            <p class="intro">{t(Key::OfferIntro)}</p>
            <form novalidate node_ref=form on:submit=submit.clone()>
                <TextField name="skills" label=Key::Skills hint=Key::SkillsHint value=skills errors=errors/>
                <TextField name="tools" label=Key::Tools hint=Key::ToolsHint value=tools errors=errors
                    optional=true/>
                <TextField name="area.name" label=Key::OfferArea hint=Key::AreaHint value=area errors=errors/>
                <TextField name="area.radius_km" label=Key::Radius value=radius errors=errors
                    optional=true kind="number" inputmode="numeric"/>
                <TextField name="languages" label=Key::Languages hint=Key::LanguagesHint
                    value=languages errors=errors optional=true/>
                <TextField name="note" label=Key::Note value=note errors=errors optional=true multiline=true/>
                <fieldset>
                    <legend>{t(Key::ContactLegend)}</legend>
                    <TextField name="contact.name" label=Key::Name value=name errors=errors autocomplete="name"/>
                    <p class="hint">{t(Key::EmailOrPhone)}</p>
                    <TextField name="contact.email" label=Key::Email value=email errors=errors
                        optional=true kind="email" autocomplete="email" inputmode="email"/>
                    <TextField name="contact.phone" label=Key::Phone value=phone errors=errors
                        optional=true kind="tel" autocomplete="tel" inputmode="tel"/>
                </fieldset>
                <p class="consent">{t(Key::ConsentOffer)}</p>
                <button type="submit" class="primary">{t(Key::SendOffer)}</button>
                <SendingNotice state=state errors=errors form=form/>
            </form>
        </Show>
    }
}
