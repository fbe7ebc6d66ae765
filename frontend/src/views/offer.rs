//! Offer: what a citizen can give (skills, tools, an area, languages)
//! without a specific initiative; coordinators match it to needs later.

use leptos::prelude::*;
use sammen_shared::offer::{AreaInput, NewOffer};
use sammen_shared::person::ContactInput;

use crate::app::use_ctx;
use crate::draft::{now, texts, FormDraft};
use crate::i18n::{t, Key};
use crate::json;
use crate::outbox::{Kind, Outbox};
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    focus_on_refusal, is_sent, optional, place_options, split_list, Honeypot, PrivateLink,
    SelectField, Sending, SendingNotice, TextField, UsePosition,
};
use crate::views::languages::LanguagePicker;
use crate::views::week::{WeekGrid, WeekTimes};

#[component]
pub fn Offer() -> impl IntoView {
    let ctx = use_ctx();
    let outbox = expect_context::<Outbox>();
    let slot = outbox.slot(Kind::Offer);
    slot.forget_outcome();
    let (errors, state) = (slot.errors, slot.state);
    // Only "sent" replaces the form (not every change of state), and
    // without <Show>, whose generic children cost more bytes than this.
    let sent = is_sent(state);
    let draft = FormDraft::open(&ctx.drafts, Kind::Offer.draft(), "");
    let shown = draft.shown();

    let skills = draft.text("skills");
    let tools = draft.text("tools");
    let area = draft.text("area.name");
    let point = RwSignal::new(None::<(f64, f64)>);
    let radius = draft.text("area.radius_km");
    let languages = draft.text("languages");
    let note = draft.text("note");
    let name = draft.text("contact.name");
    let email = draft.text("contact.email");
    let phone = draft.text("contact.phone");
    let website = draft.text("website");
    // The place the offer is tied to: the page's institution unless chosen.
    let institution = draft.text("institution");
    if institution.get_untracked().is_empty() {
        institution.set(ctx.config.institution.clone().unwrap_or_default());
    }
    let places = place_options(&ctx);
    let week = WeekGrid::open(&draft, "slots");
    let kept = week.clone();
    draft.keep(move || {
        let mut fields = texts(&[
            ("skills", skills),
            ("tools", tools),
            ("area.name", area),
            ("area.radius_km", radius),
            ("languages", languages),
            ("note", note),
            ("contact.name", name),
            ("contact.email", email),
            ("contact.phone", phone),
            ("website", website),
            ("institution", institution),
        ]);
        kept.draft_fields(&mut fields);
        fields
    });
    let slots = week.clone();
    let build = move || NewOffer {
        contact: ContactInput {
            name: name.get_untracked(),
            email: optional(&email.get_untracked()),
            phone: optional(&phone.get_untracked()),
        },
        skills: split_list(&skills.get_untracked()),
        tools: split_list(&tools.get_untracked()),
        slots: slots.slots(),
        area: AreaInput {
            name: area.get_untracked(),
            // Unparseable distances go as 0, which the rules refuse in words.
            radius_km: optional(&radius.get_untracked()).map(|r| r.parse().unwrap_or(0)),
            lat: point.get_untracked().map(|(lat, _)| lat),
            lon: point.get_untracked().map(|(_, lon)| lon),
        },
        languages: split_list(&languages.get_untracked()),
        note: optional(&note.get_untracked()),
        institution: optional(&institution.get_untracked()),
    };

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == Sending::InFlight {
            return;
        }
        let body = json::to_string(&build());
        let website = website.get_untracked();
        outbox.submit(
            &ctx,
            Kind::Offer,
            "offers".into(),
            body,
            website,
            now() - shown,
        );
    };
    focus_on_refusal(state, form);

    view! {
        <h2 class="heading" tabindex="-1" node_ref=heading>{t(Key::OfferHeading)}</h2>
        {move || {
            if sent.get() {
                return view! {
                    <p class="notice done" role="status">{t(Key::OfferSent)}</p>
                    <PrivateLink private=slot.private/>
                }
                .into_any();
            }
            let submit = submit.clone();
            let week = week.clone();
            view! {
            <p class="intro">{t(Key::OfferIntro)}</p>
            <form novalidate node_ref=form on:submit=submit>
                <Honeypot value=website/>
                <TextField name="skills" label=Key::Skills hint=Key::SkillsHint value=skills errors=errors/>
                <TextField name="tools" label=Key::Tools hint=Key::ToolsHint value=tools errors=errors
                    optional=true/>
                <WeekTimes grid=week legend=Key::WeekTimes/>
                <TextField name="area.name" label=Key::OfferArea hint=Key::AreaHint value=area errors=errors/>
                <UsePosition point=point/>
                <SelectField name="institution" label=Key::Institution value=institution errors=errors
                    options=places placeholder=Key::NoInstitution optional=true/>
                <TextField name="area.radius_km" label=Key::Radius value=radius errors=errors
                    optional=true kind="number" inputmode="numeric"/>
                <LanguagePicker name="languages" label=Key::Languages value=languages errors=errors/>
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
            }
            .into_any()
        }}
    }
}
