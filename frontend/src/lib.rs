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
/// browser's language list (`"en-GB,en"`), Danish when none fits.
#[wasm_bindgen]
pub fn mount(
    root: web_sys::HtmlElement,
    api: String,
    municipality: String,
    institution: String,
    lang: String,
) {
    let config = Config::new(api, municipality, institution, &lang);
    leptos::mount::mount_to(root, move || app::App(app::AppProps { config })).forget();
}
