//! The Sammen citizen widget: browse, propose, join, offer and follow
//! citizen initiatives of one municipality, embedded in any page with one
//! `<script>` tag.
//!
//! `loader.js` (served as `sammen.js`) finds its tag, attaches an open shadow
//! root and calls [`mount`]; everything below renders inside that shadow
//! root, so the host page's CSS cannot reach the widget nor the widget's the
//! page.

mod api;
mod app;
mod config;
mod draft;
mod fields;
mod i18n;
mod idempotency;
mod json;
mod on_demand;
mod outbox;
mod views;

use wasm_bindgen::prelude::*;

pub use config::Config;
use i18n::Lang;

// The widget runs on the browser's one thread: no locking needed.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without atomics has one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The widget's stylesheet (`src/style.css`, minified by build.rs), which the
/// loader adopts into each shadow root as a constructed stylesheet.
#[wasm_bindgen]
pub fn style() -> String {
    app::STYLE.to_string()
}

/// Mounts the widget into `root`, a `<div>` inside the host's shadow root.
/// `api` is the origin that served the loader; `lang` is `data-lang` or the
/// browser's language list (`"en-GB,en"`); a language the reader chose in
/// the widget on this device comes first; Danish when none fits. `packs` is
/// the build's manifest of language packs (see `i18n::offer_packs`).
#[wasm_bindgen]
pub fn mount(
    root: web_sys::HtmlElement,
    api: String,
    municipality: String,
    institution: String,
    lang: String,
    packs: String,
) {
    i18n::offer_packs(packs);
    let lang = match draft::chosen_language() {
        Some(chosen) => format!("{chosen},{lang}"),
        None => lang,
    };
    let mut config = Config::new(api, municipality, institution, &lang);
    // A reader whose language is a pack sees the widget once its words are
    // here, not first in Danish (nothing jumps from one script to another).
    // wasm-bindgen's spawner: Leptos' own starts with the mount.
    wasm_bindgen_futures::spawn_local(async move {
        if !on_demand::language_pack(config.lang).await {
            config.lang = Lang::En;
        }
        leptos::mount::mount_to(root, move || app::App(app::AppProps { config })).forget();
    });
}
