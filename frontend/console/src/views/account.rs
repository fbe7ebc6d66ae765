//! My account: change one's password (one's other sessions end) and sign out
//! on every device. For every coordinator, not only admins.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::admin::ChangePassword;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::Key;
use crate::views::notice::Problem;

#[component]
pub fn Account() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let fields = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let problem = RwSignal::new(None::<Failure>);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        done.set(false);
        fields.set(Default::default());
        problem.set(None);
        let input = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        spawn_local(async move {
            match api::change_password(&input).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    done.set(true);
                }
                Err(Failure::Refused { fields: f, .. }) if !f.is_empty() => fields.set(f),
                Err(failure) => problem.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let sign_out_everywhere = move |_| {
        let Some(me) = console
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.coordinator.id))
        else {
            return;
        };
        spawn_local(async move {
            match api::end_sessions(me).await {
                Ok(()) => {
                    api::set_csrf(None);
                    console.session.set(None);
                }
                Err(failure) => problem.set(Some(failure)),
            }
        });
    };
    let error = move |field: &'static str| fields.with(|f| f.get(field).cloned());
    let field = move |id: &'static str,
                      field: &'static str,
                      label: Key,
                      autocomplete: &'static str,
                      value: RwSignal<String>,
                      hint: Option<Key>| {
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described = {
            let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
            move || {
                let mut ids = Vec::new();
                if hint.is_some() {
                    ids.push(hint_id.clone());
                }
                if error(field).is_some() {
                    ids.push(error_id.clone());
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        };
        view! {
            <div class="field">
                <label for=id>{move || t(label)}</label>
                {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{move || t(hint)}</p> })}
                <input id=id type="password" autocomplete=autocomplete
                    aria-invalid=move || error(field).is_some().then_some("true")
                    aria-describedby=described
                    prop:value=value on:input=move |e| value.set(event_target_value(&e))/>
                {move || error(field).map(|why| view! { <p id=error_id.clone() class="field-problem">{why}</p> })}
            </div>
        }
    };
    view! {
        <h1>{move || t(Key::AccountHeading)}</h1>
        <section class="card settings" aria-labelledby="change-password">
            <h2 id="change-password">{move || t(Key::ChangePasswordHeading)}</h2>
            <form id="password-form" on:submit=submit novalidate aria-labelledby="change-password">
                {field("current-password", "current_password", Key::CurrentPassword, "current-password", current, None)}
                {field("new-password", "new_password", Key::NewPassword, "new-password", new, Some(Key::NewPasswordHint))}
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || t(Key::ChangePassword)}
                </button>
                <div class="problem-slot" role="status">
                    {move || done.get().then(|| view! { <p class="success">{t(Key::PasswordChanged)}</p> })}
                </div>
            </form>
            <div class="actions">
                <button type="button" class="secondary" on:click=sign_out_everywhere>{move || t(Key::SignOutEverywhere)}</button>
            </div>
            {move || problem.get().map(|failure| view! { <Problem failure=failure/> })}
        </section>
    }
}
