//! A clear placeholder for screens that are planned but not built yet, so a
//! coordinator never meets an empty page or a dead link.

use leptos::prelude::*;

use crate::app::Console;
use crate::i18n::Key;

#[component]
pub fn Coming(heading: Key, text: Key) -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        <h1>{move || console.t(heading)}</h1>
        <p class="badge coming">{move || console.t(Key::Coming)}</p>
        <p>{move || console.t(text)}</p>
    }
}
