//! Sign-in: email and password. Says when the pair is wrong (never which
//! half) and, when throttled, how long to wait. Someone with accounts in
//! several municipalities (and the same password) chooses one.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use sammen_shared::{ErrorCode, MunicipalityChoice};

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::views::notice::failure_text;

#[component]
pub fn SignIn() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // The failure is kept, not its sentence, so a language switch rewords it.
    let problem = RwSignal::new(None::<Failure>);
    let missing = RwSignal::new(false);
    // Filled by a `choose_municipality` answer; the next sign-in sends one.
    let choices = RwSignal::new(Vec::<MunicipalityChoice>::new());
    let chosen = RwSignal::new(None::<String>);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            missing.set(true);
            problem.set(None);
            return;
        }
        missing.set(false);
        busy.set(true);
        let municipality = chosen.get_untracked();
        spawn_local(async move {
            match api::sign_in(&e, &p, municipality).await {
                Ok(session) => {
                    password.set(String::new());
                    console.session.set(Some(session));
                }
                Err(Failure::Refused {
                    code: Some(ErrorCode::ChooseMunicipality),
                    choices: offered,
                    ..
                }) => {
                    chosen.set(offered.first().map(|c| c.slug.clone()));
                    choices.set(offered);
                    problem.set(None);
                }
                Err(failure) => problem.set(Some(failure)),
            }
            busy.set(false);
        });
    };

    let message = move || {
        if missing.get() {
            return Some(t(Key::FillBoth).to_string());
        }
        let failure = problem.get()?;
        let lang = console.lang.get();
        Some(match failure {
            Failure::Refused { status: 401, .. } => t(Key::WrongPassword).to_string(),
            Failure::Refused {
                status: 429,
                retry_after,
                ..
            } => format!(
                "{} {}.",
                t(Key::ThrottledPrefix),
                i18n::wait(lang, retry_after.unwrap_or(60))
            ),
            other => failure_text(console, &other),
        })
    };
    let invalid = move || message().is_some().then_some("true");

    view! {
        <main id="main" class="sign-in">
            <p class="brand-line">{move || t(Key::Brand)}</p>
            <h1>{move || t(Key::SignInHeading)}</h1>
            <p>{move || t(Key::SignInIntro)}</p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="sign-in-email">{move || t(Key::Email)}</label>
                    <input id="sign-in-email" type="email" name="email" autocomplete="username"
                        required aria-invalid=invalid aria-describedby="sign-in-problem"
                        prop:value=email on:input=move |e| {
                            email.set(event_target_value(&e));
                            choices.set(Vec::new());
                            chosen.set(None);
                        }/>
                </div>
                <div class="field">
                    <label for="sign-in-password">{move || t(Key::Password)}</label>
                    <input id="sign-in-password" type="password" name="password"
                        autocomplete="current-password" required aria-invalid=invalid
                        aria-describedby="sign-in-problem"
                        prop:value=password on:input=move |e| password.set(event_target_value(&e))/>
                </div>
                <Show when=move || !choices.with(Vec::is_empty)>
                    <fieldset class="field choices">
                        <legend>{move || t(Key::ChooseMunicipality)}</legend>
                        <For each=move || choices.get() key=|c| c.slug.clone() let:choice>
                            {
                                let slug = choice.slug.clone();
                                let pick = slug.clone();
                                view! {
                                    <label class="choice">
                                        <input type="radio" name="municipality" value=slug.clone()
                                            prop:checked=move || chosen.get().as_deref() == Some(slug.as_str())
                                            on:change=move |_| chosen.set(Some(pick.clone()))/>
                                        {choice.name}
                                    </label>
                                }
                            }
                        </For>
                    </fieldset>
                </Show>
                <div id="sign-in-problem" class="problem-slot" role="alert">
                    {move || message().map(|m| view! { <p class="problem">{m}</p> })}
                </div>
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || if busy.get() { t(Key::SigningIn) } else { t(Key::SignInButton) }}
                </button>
            </form>
            <p class="lang-switch">
                <button type="button" class="quiet"
                    on:click=move |_| console.toggle_lang()
                    lang=move || console.other_lang().code()>
                    {move || t(Key::OtherLanguage)}
                </button>
            </p>
        </main>
    }
}
