//! The Sammen coordinator console: moderate citizens' proposals in a dialogue
//! with the proposer, follow published initiatives and their signups, see
//! the volunteers who offered help, and (admins) read the audit log and
//! manage coordinators, institutions, categories and allowed web sites.
//! Served at `/console`; talks to `/api/v1/admin/…` on the same origin with
//! a session cookie and a CSRF token.
//!
//! A separate bundle from the citizen widget: it shares only `sammen-shared`
//! (the API types and the lifecycle), so none of this reaches phones.

mod api;
mod app;
mod i18n;
mod route;
mod views;

use wasm_bindgen::prelude::*;

/// Renders the console into `root` (the page's `<div id="console">`).
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement) {
    leptos::mount::mount_to(root, app::App).forget();
}
