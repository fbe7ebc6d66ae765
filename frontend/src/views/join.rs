//! Join: a citizen signs up for an initiative, optionally for one need; for
//! a playdate group, as a family (age band, area, free afternoons, languages,
//! "new in the area").

use leptos::prelude::*;
use sammen_shared::initiative::{InitiativeView, PLAYDATE_GROUP};
use sammen_shared::person::ContactInput;
use sammen_shared::signup::{AgeBand, FamilyInput, NewSignup, OrganiserSees};
use sammen_shared::week::Weekday;
use uuid::Uuid;

use crate::app::use_ctx;
use crate::draft::{flag_text, now, texts, FormDraft};
use crate::i18n::{self, t, Key};
use crate::json;
use crate::outbox::{Kind, Outbox};
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    focus_on_refusal, is_sent, optional, split_list, Checkbox, Honeypot, PrivateLink, SelectField,
    Sending, SendingNotice, TextField, UsePosition,
};
use crate::views::languages::LanguagePicker;

/// The form, for an initiative [`Detail`](crate::views::detail::Detail)
/// has loaded (the two screens share the loading).
#[component]
pub fn JoinForm(item: InitiativeView) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let outbox = expect_context::<Outbox>();
    let slot = outbox.slot(Kind::Join);
    slot.forget_outcome();
    let (errors, state) = (slot.errors, slot.state);
    // Only "sent" replaces the form; other changes of state must not
    // rebuild it under the citizen's fingers.
    let sent = is_sent(state);
    let is_family = item.category == PLAYDATE_GROUP;
    let draft = FormDraft::open(&ctx.drafts, Kind::Join.draft(), &item.id.to_string());
    let shown = draft.shown();

    let need = draft.text("need_id");
    let name = draft.text("contact.name");
    let email = draft.text("contact.email");
    let phone = draft.text("contact.phone");
    let message = draft.text("message");
    let sees = draft.text("organiser_sees");
    // The choice starts at "only my name", shown as chosen.
    if sees.get_untracked().is_empty() {
        sees.set("name".into());
    }
    let age = draft.text("family.child_age_band");
    let area = draft.text("family.area");
    let languages = draft.text("family.languages");
    let new_in_area = draft.flag("family.new_in_area");
    // The home, for walking routes and nearby families: only when asked for.
    let point = RwSignal::new(None::<(f64, f64)>);
    let website = draft.text("website");
    let afternoons: Vec<(Weekday, RwSignal<bool>)> = Weekday::ALL[..5]
        .iter()
        .enumerate()
        .map(|(i, day)| (*day, draft.flag(&format!("family.free_afternoons.{i}"))))
        .collect();
    {
        let afternoons = afternoons.clone();
        draft.keep(move || {
            let mut fields = texts(&[
                ("need_id", need),
                ("contact.name", name),
                ("contact.email", email),
                ("contact.phone", phone),
                ("message", message),
                ("organiser_sees", sees),
                ("family.child_age_band", age),
                ("family.area", area),
                ("family.languages", languages),
                ("website", website),
            ]);
            fields.push(("family.new_in_area".into(), flag_text(new_in_area.get())));
            for (i, (_, on)) in afternoons.iter().enumerate() {
                fields.push((format!("family.free_afternoons.{i}"), flag_text(on.get())));
            }
            fields
        });
    }

    let build = {
        let afternoons = afternoons.clone();
        move || NewSignup {
            need_id: Uuid::parse_str(&need.get_untracked()).ok(),
            contact: ContactInput {
                name: name.get_untracked(),
                email: optional(&email.get_untracked()),
                phone: optional(&phone.get_untracked()),
            },
            message: optional(&message.get_untracked()),
            organiser_sees: OrganiserSees::parse(&sees.get_untracked()),
            family: is_family.then(|| FamilyInput {
                child_age_band: i18n::AGE_BANDS
                    .into_iter()
                    .find(|band| band_value(*band) == age.get_untracked()),
                area: area.get_untracked(),
                lat: point.get_untracked().map(|(lat, _)| lat),
                lon: point.get_untracked().map(|(_, lon)| lon),
                free_afternoons: afternoons
                    .iter()
                    .filter(|(_, on)| on.get_untracked())
                    .map(|(day, _)| *day)
                    .collect(),
                languages: split_list(&languages.get_untracked()),
                new_in_area: new_in_area.get_untracked(),
            }),
        }
    };

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let id = item.id;
    let submit = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if state.get_untracked() == Sending::InFlight {
                return;
            }
            let body = json::to_string(&build());
            let path = format!("initiatives/{id}/signups");
            let website = website.get_untracked();
            outbox.submit(&ctx, Kind::Join, path, body, website, now() - shown);
        }
    };
    focus_on_refusal(state, form);

    let need_options = {
        let needs = item.needs.clone();
        Signal::derive(move || {
            needs
                .iter()
                .map(|n| (n.id.to_string(), n.title.clone()))
                .collect::<Vec<_>>()
        })
    };
    let age_options = Signal::derive(move || {
        let lang = lang.get();
        i18n::AGE_BANDS
            .into_iter()
            .map(|band| (band_value(band), i18n::age_band(lang, band).to_string()))
            .collect::<Vec<_>>()
    });
    let sees_options = Signal::derive(move || {
        let lang = lang.get();
        [
            ("name", Key::SeesName),
            ("email", Key::SeesEmail),
            ("phone", Key::SeesPhone),
        ]
        .into_iter()
        .map(|(value, key)| (value.to_string(), i18n::text(lang, key).to_string()))
        .collect::<Vec<_>>()
    });
    let title = item.title.clone();
    let has_needs = !item.needs.is_empty();

    move || {
        if sent.get() {
            return view! {
                <p class="notice done" role="status">{t(Key::JoinedDone)}</p>
                <PrivateLink private=slot.private/>
            }
            .into_any();
        }
        let title = title.clone();
        let submit = submit.clone();
        let afternoons = afternoons.clone();
        view! {
            <h2 class="heading" tabindex="-1" node_ref=heading>
                {t(Key::JoinHeading)}": "<bdi>{title}</bdi>
            </h2>
            <form novalidate node_ref=form on:submit=submit>
                <Honeypot value=website/>
                {has_needs.then(|| view! {
                    <SelectField name="need_id" label=Key::JoinNeed value=need errors=errors
                        options=need_options placeholder=Key::AnyNeed optional=true/>
                })}
                {is_family.then(|| view! {
                    <fieldset>
                        <legend>{t(Key::FamilyLegend)}</legend>
                        <p class="hint">{t(Key::FamilyIntro)}</p>
                        <SelectField name="family.child_age_band" label=Key::AgeBand value=age
                            errors=errors options=age_options placeholder=Key::ChooseAge/>
                        <TextField name="family.area" label=Key::Area hint=Key::AreaHint value=area errors=errors/>
                        <UsePosition point=point/>
                        <fieldset class="days">
                            <legend>{t(Key::FreeAfternoons)}</legend>
                            {afternoons.into_iter().enumerate().map(|(index, (day, on))| view! {
                                <Checkbox name=format!("family.free_afternoons.{index}")
                                    label=i18n::live(move |lang| i18n::weekday(lang, day).to_string())
                                    checked=on/>
                            }).collect_view()}
                        </fieldset>
                        <LanguagePicker name="family.languages" label=Key::HomeLanguages
                            value=languages errors=errors/>
                        <Checkbox name="family.new_in_area"
                            label=i18n::live(|lang| i18n::text(lang, Key::NewInArea).to_string())
                            checked=new_in_area/>
                    </fieldset>
                })}
                <fieldset>
                    <legend>{t(Key::ContactLegend)}</legend>
                    <TextField name="contact.name" label=Key::Name value=name errors=errors autocomplete="name"/>
                    <p class="hint">{t(Key::EmailOrPhone)}</p>
                    <TextField name="contact.email" label=Key::Email value=email errors=errors
                        optional=true kind="email" autocomplete="email" inputmode="email"/>
                    <TextField name="contact.phone" label=Key::Phone value=phone errors=errors
                        optional=true kind="tel" autocomplete="tel" inputmode="tel"/>
                    <SelectField name="organiser_sees" label=Key::OrganiserSees value=sees
                        errors=errors options=sees_options/>
                </fieldset>
                <TextField name="message" label=Key::Message value=message errors=errors
                    optional=true multiline=true/>
                <p class="consent">{t(Key::ConsentJoin)}</p>
                <button type="submit" class="primary">{t(Key::SendJoin)}</button>
                <SendingNotice state=state errors=errors form=form/>
            </form>
        }
        .into_any()
    }
}

/// The API's word for an age band (`"3-5"`), used as the option value.
fn band_value(band: AgeBand) -> String {
    json::to_string(&band)
        .map(|quoted| quoted.trim_matches('"').to_string())
        .unwrap_or_default()
}
