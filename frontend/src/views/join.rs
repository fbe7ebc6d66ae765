//! Join: a citizen signs up for an initiative, optionally for one need; for
//! a playdate group, as a family (age band, area, free afternoons, languages,
//! "new in the area").

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::initiative::{InitiativeView, PLAYDATE_GROUP};
use sammen_shared::person::ContactInput;
use sammen_shared::signup::{AgeBand, FamilyInput, NewSignup};
use sammen_shared::week::Weekday;
use uuid::Uuid;

use crate::api::Loaded;
use crate::app::{use_ctx, Screen};
use crate::i18n::{self, t, Key};
use crate::idempotency::new_key;
use crate::json;
use crate::views::detail::focus_when_navigated;
use crate::views::form::{
    focus_first_invalid, optional, split_list, Checkbox, Errors, SelectField, Sending,
    SendingNotice, TextField,
};
use crate::views::notice::{Failure, Loading};

#[component]
pub fn Join(id: Uuid) -> impl IntoView {
    let ctx = use_ctx();
    let initiative = Loaded::new({
        let ctx = ctx.clone();
        move || {
            let api = ctx.api();
            async move { api.initiative(id).await }
        }
    });
    let back = move |_| ctx.go(Screen::Detail(id));
    view! {
        <button type="button" class="back" on:click=back>"← "{t(Key::Back)}</button>
        {move || match initiative.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(failure)) => {
                view! { <Failure failure=failure retry=move || initiative.refetch()/> }.into_any()
            }
            Some(Ok(item)) => view! { <JoinForm item=item/> }.into_any(),
        }}
    }
}

#[component]
fn JoinForm(item: InitiativeView) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let errors = Errors::new();
    let state = RwSignal::new(Sending::Idle);
    let done = RwSignal::new(false);
    let key: StoredValue<Option<String>> = StoredValue::new(None);
    let is_family = item.category == PLAYDATE_GROUP;

    let need = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let age = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let languages = RwSignal::new(String::new());
    let new_in_area = RwSignal::new(false);
    let afternoons: Vec<(Weekday, RwSignal<bool>)> = Weekday::ALL[..5]
        .iter()
        .map(|day| (*day, RwSignal::new(false)))
        .collect();

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
            family: is_family.then(|| FamilyInput {
                child_age_band: i18n::AGE_BANDS
                    .into_iter()
                    .find(|band| band_value(*band) == age.get_untracked()),
                area: area.get_untracked(),
                free_afternoons: afternoons
                    .iter()
                    .filter(|(_, on)| on.get_untracked())
                    .map(|(day, _)| *day)
                    .collect(),
                languages: split_list(&languages.get_untracked()),
                new_in_area: new_in_area.get_untracked(),
                ..Default::default()
            }),
        }
    };

    let form = NodeRef::<leptos::html::Form>::new();
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_when_navigated(heading);
    let needs: Vec<Uuid> = item.needs.iter().map(|n| n.id).collect();
    let category = item.category.clone();
    let id = item.id;
    let submit = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if state.get_untracked() == Sending::InFlight {
                return;
            }
            let body = build();
            if let Err(found) = body.parse(&category, &needs) {
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
                match api.join(id, &body, &attempt).await {
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
        }
    };

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
    let title = item.title.clone();
    let has_needs = !item.needs.is_empty();

    move || {
        if done.get() {
            return view! { <p class="notice done" role="status">{t(Key::JoinedDone)}</p> }
                .into_any();
        }
        let title = title.clone();
        let submit = submit.clone();
        let afternoons = afternoons.clone();
        view! {
            <h2 class="heading" tabindex="-1" node_ref=heading>
                {move || i18n::join_title(lang.get(), &title)}
            </h2>
            <form novalidate node_ref=form on:submit=submit>
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
                        <fieldset class="days">
                            <legend>{t(Key::FreeAfternoons)}</legend>
                            {afternoons.into_iter().map(|(day, on)| view! {
                                <Checkbox name=format!("family.free_afternoons.{day:?}")
                                    label=Signal::derive(move || i18n::weekday(lang.get(), day).to_string())
                                    checked=on/>
                            }).collect_view()}
                        </fieldset>
                        <TextField name="family.languages" label=Key::HomeLanguages hint=Key::LanguagesHint
                            value=languages errors=errors optional=true/>
                        <Checkbox name="family.new_in_area"
                            label=Signal::derive(move || i18n::text(lang.get(), Key::NewInArea).to_string())
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
