//! How a failed call is told to the coordinator, in one place so every
//! screen words it the same way — and a lost session always leads back to
//! the sign-in.

use leptos::prelude::*;

use crate::api::Failure;
use crate::app::Console;
use crate::i18n::Key;

/// The sentence for a failure; a 401 also signs the console out.
pub fn failure_text(console: Console, failure: &Failure) -> String {
    let key = match failure {
        Failure::Unreachable => Key::Unreachable,
        Failure::Garbled => Key::ServerTrouble,
        Failure::Refused { status: 401, .. } => {
            console.session.set(None);
            Key::SessionEnded
        }
        Failure::Refused { status: 403, .. } => Key::Forbidden,
        Failure::Refused { status: 404, .. } => Key::NotFound,
        Failure::Refused { status: 409, .. } => Key::NotAllowedNow,
        Failure::Refused {
            message: Some(message),
            status: 400..=499,
            ..
        } => return message.clone(),
        Failure::Refused { .. } => Key::ServerTrouble,
    };
    console.t(key).to_string()
}

/// An alert with a failure's sentence and, when given, a retry button.
#[component]
pub fn Problem(
    failure: Failure,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let sentence = failure_text(console, &failure);
    view! {
        <div class="problem" role="alert">
            <p>{sentence}</p>
            {retry.map(|retry| view! {
                <button type="button" class="secondary" on:click=move |_| retry.run(())>
                    {console.t(Key::Retry)}
                </button>
            })}
        </div>
    }
}
