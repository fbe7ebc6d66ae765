//! Telling the citizen what happened: loading, failures with a way out, and
//! the outcome of a submission, always in words (never a blank widget).

use leptos::prelude::*;
use sammen_shared::ErrorCode;

use crate::api::{ApiFailure, Retry};
use crate::i18n::{live, t, text, Key, Lang};

/// The sentence for a failed call, in `lang`.
pub fn failure_text(lang: Lang, failure: &ApiFailure) -> String {
    match failure {
        ApiFailure::Unreachable => text(lang, Key::Unreachable).into(),
        ApiFailure::Refused { status: 404, .. } => text(lang, Key::NotFound).into(),
        // The page embedding the widget is not (yet) one the municipality
        // allows: say so in the citizen's language, not the admin's.
        ApiFailure::Refused {
            code: Some(ErrorCode::OriginNotAllowed),
            ..
        } => text(lang, Key::SiteNotConnected).into(),
        // The server's own sentence explains a refusal best (it is already
        // in the language we asked for); 5xx gets ours.
        ApiFailure::Refused {
            status,
            message: Some(message),
            ..
        } if *status < 500 => message.clone(),
        ApiFailure::Refused { .. } | ApiFailure::Garbled => text(lang, Key::ServerTrouble).into(),
    }
}

/// "Loading …", announced politely.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="notice" role="status">{t(Key::Loading)}</p> }
}

/// A failure with a retry button.
#[component]
pub fn Failure(failure: ApiFailure, retry: Retry) -> impl IntoView {
    view! {
        <div class="notice failure" role="alert">
            <p>{live(move |lang| failure_text(lang, &failure))}</p>
            <button type="button" class="secondary" on:click=move |_| retry.run()>
                {t(Key::Retry)}
            </button>
        </div>
    }
}
