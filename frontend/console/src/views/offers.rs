//! Volunteers: citizens who offered their help — what they can do, when and
//! where — newest first. The API scopes the list: an admin sees the whole
//! municipality, a coordinator the offers made through their institutions
//! and those made to the municipality as a whole.

use leptos::prelude::*;
use sammen_shared::admin::OfferView;
use sammen_shared::Lang;

use crate::api;
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::views::notice::Problem;

#[component]
pub fn Offers() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let offers = LocalResource::new(api::offers);

    view! {
        <h1>{move || t(Key::OffersHeading)}</h1>
        <p class="intro">{move || t(Key::OffersIntro)}</p>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || offers.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => view! {
                    <p class="empty">{t(Key::NoOffers)}</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="offers">
                        {list.into_iter().map(|offer| view! { <Card offer=offer/> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| offers.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// One offer: who, and the fields they filled in (empty ones left out).
#[component]
fn Card(offer: OfferView) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    let heading = format!("offer-{}", offer.id);
    let name = Some(offer.contact.name.clone()).filter(|n| !n.trim().is_empty());
    let joined = |list: &[String]| (!list.is_empty()).then(|| list.join(", "));
    let skills = joined(&offer.skills);
    let tools = joined(&offer.tools);
    let slots = offer.slots.clone();
    let languages = offer.languages.clone();
    let area = offer.area.clone();
    let institution = offer.institution.clone();
    let created = offer.created_at.clone();
    let note = offer.note.clone().filter(|n| !n.trim().is_empty());
    view! {
        <li class="card offer">
            <h2 id=heading.clone()>
                {match name {
                    Some(name) => name.into_any(),
                    None => view! { <span class="muted">{move || t(Key::NoContactName)}</span> }.into_any(),
                }}
            </h2>
            {(offer.contact.email.is_some() || offer.contact.phone.is_some()).then(|| view! {
                <p class="meta contact-line">
                    {offer.contact.email.clone().map(|email| view! {
                        <a href=crate::views::mailto(&email)>{email.clone()}</a>
                    })}
                    {(offer.contact.email.is_some() && offer.contact.phone.is_some()).then_some(" · ")}
                    {offer.contact.phone.clone().map(|phone| view! {
                        <a href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a>
                    })}
                </p>
            })}
            <dl class="fields">
                {skills.map(|skills| view! {
                    <dt>{move || t(Key::Skills)}</dt>
                    <dd>{skills}</dd>
                })}
                {tools.map(|tools| view! {
                    <dt>{move || t(Key::Tools)}</dt>
                    <dd>{tools}</dd>
                })}
                {(!slots.is_empty()).then(|| view! {
                    <dt>{move || t(Key::WeeklyTimes)}</dt>
                    <dd>
                        <ul class="slots">
                            {slots.into_iter().map(|slot| view! {
                                <li>
                                    {move || i18n::weekday(lang(), slot.day)}" "
                                    <time>{slot.from.clone()}</time>"–"<time>{slot.to.clone()}</time>
                                </li>
                            }).collect_view()}
                        </ul>
                    </dd>
                })}
                <dt>{move || t(Key::Area)}</dt>
                <dd>
                    {area.name}", "{move || t(Key::Within)}" "{area.radius_km}" km"
                </dd>
                {(!languages.is_empty()).then(|| view! {
                    <dt>{move || t(Key::Languages)}</dt>
                    <dd>{move || languages.iter().map(|code| language(lang(), code)).collect::<Vec<_>>().join(", ")}</dd>
                })}
                {note.map(|note| view! {
                    <dt>{move || t(Key::Note)}</dt>
                    <dd class="prose">{note}</dd>
                })}
                <dt>{move || t(Key::Through)}</dt>
                <dd>{move || match &institution {
                    Some(slug) => console.institution_name(slug),
                    None => t(Key::NoInstitution).to_string(),
                }}</dd>
                <dt>{move || t(Key::Offered)}</dt>
                <dd><time datetime=offer.created_at.clone()>{move || i18n::time(lang(), &created)}</time></dd>
            </dl>
        </li>
    }
}

/// A language code as a word when the console knows it, else the code.
fn language(lang: Lang, code: &str) -> String {
    match code.to_ascii_lowercase().as_str() {
        "da" => i18n::language_name(lang, Lang::Da).to_string(),
        "en" => i18n::language_name(lang, Lang::En).to_string(),
        _ => code.to_string(),
    }
}
