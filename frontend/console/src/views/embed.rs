//! Settings → Embed on your website: the tag a municipality pastes into its
//! own page (for the whole municipality or one institution, in a language
//! or the reader's), a copy button, what a strict Content-Security-Policy
//! must allow, and a live preview of the widget as that tag shows it. The
//! allowed web sites (and the pages refused recently) sit beside it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Console;
use crate::i18n::Key;

/// Which widget the tag is for, and in which language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Choice {
    institution: String,
    lang: String,
}

/// This console's origin: the address host pages load the widget from.
fn sammen_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// `text` with the characters HTML treats specially written as entities (an
/// institution's slug is plain, but the tag must be right whatever it holds).
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The code to paste into the host page: the widget's element where it
/// should appear, then the loader. The element is in the page from the
/// start, so the host's own stylesheet can reserve its first height (the
/// rule in [`HEIGHT_RULE`]) and the page does not jump when the list
/// arrives; a strict CSP refuses an inline style, so it cannot come with
/// the tag.
fn tag(origin: &str, municipality: &str, choice: &Choice) -> String {
    let mut tag = format!(
        "<sammen-widget data-municipality=\"{}\"",
        attribute(municipality)
    );
    if !choice.institution.is_empty() {
        tag.push_str(&format!(
            " data-institution=\"{}\"",
            attribute(&choice.institution)
        ));
    }
    if !choice.lang.is_empty() {
        tag.push_str(&format!(" data-lang=\"{}\"", attribute(&choice.lang)));
    }
    tag.push_str(&format!(
        "></sammen-widget>\n<script type=\"module\" src=\"{origin}/widget/sammen.js\"></script>"
    ));
    tag
}

/// The rule for the host's stylesheet that keeps the widget's first height.
const HEIGHT_RULE: &str = "sammen-widget { display: block; min-height: 40rem; }";

/// The preview page for the same choice (same origin as the console).
fn preview_url(municipality: &str, choice: &Choice) -> String {
    let encode = |s: &str| String::from(js_sys::encode_uri_component(s));
    let mut url = format!("/embed/preview?municipality={}", encode(municipality));
    if !choice.institution.is_empty() {
        url.push_str(&format!("&institution={}", encode(&choice.institution)));
    }
    if !choice.lang.is_empty() {
        url.push_str(&format!("&lang={}", encode(&choice.lang)));
    }
    url
}

/// The embed section; `children` are the allowed web sites, shown beside.
#[component]
pub fn Embed(children: Children) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let choice = RwSignal::new(Choice::default());
    let copied = RwSignal::new(None::<Key>);
    let municipality = move || {
        console.session.with(|s| {
            s.as_ref()
                .map(|s| s.coordinator.municipality.clone())
                .unwrap_or_default()
        })
    };
    let origin = sammen_origin();
    let code = {
        let origin = origin.clone();
        move || tag(&origin, &municipality(), &choice.get())
    };
    let csp = format!("script-src {origin} 'wasm-unsafe-eval'; connect-src {origin}");
    let copy = {
        let code = code.clone();
        move |_| {
            let text = code();
            copied.set(None);
            spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
                copied.set(Some(if done.is_ok() {
                    Key::Copied
                } else {
                    Key::CopyFailed
                }));
            });
        }
    };
    let institutions = move || {
        console.municipality.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.institutions
                        .iter()
                        .map(|i| (i.slug.clone(), i.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };

    view! {
        <section class="card settings embed" aria-labelledby="settings-embed">
            <h2 id="settings-embed">{move || t(Key::EmbedHeading)}</h2>
            <p class="intro">{move || t(Key::EmbedIntro)}</p>
            <div class="embed-grid">
                <div class="embed-code">
                    <div class="field">
                        <label for="embed-for">{move || t(Key::EmbedFor)}</label>
                        <select id="embed-for"
                            on:change=move |e| {
                                let value = event_target_value(&e);
                                choice.update(|c| c.institution = value);
                                copied.set(None);
                            }>
                            <option value="" selected=move || choice.with(|c| c.institution.is_empty())>
                                {move || t(Key::EmbedWholeMunicipality)}
                            </option>
                            {move || institutions().into_iter().map(|(slug, name)| {
                                let value = slug.clone();
                                view! {
                                    <option value=slug
                                        selected=move || choice.with(|c| c.institution == value)>
                                        {name}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="embed-lang">{move || t(Key::EmbedLang)}</label>
                        <select id="embed-lang"
                            on:change=move |e| {
                                let value = event_target_value(&e);
                                choice.update(|c| c.lang = value);
                                copied.set(None);
                            }>
                            <option value="">{move || t(Key::EmbedLangBrowser)}</option>
                            <option value="da">{move || t(Key::EmbedLangDa)}</option>
                            <option value="en">{move || t(Key::EmbedLangEn)}</option>
                        </select>
                    </div>
                    <p class="label" id="embed-code-label">{move || t(Key::EmbedCode)}</p>
                    <pre class="code" aria-labelledby="embed-code-label" tabindex="0"><code>{code.clone()}</code></pre>
                    <button type="button" class="primary" on:click=copy>{move || t(Key::Copy)}</button>
                    <div class="problem-slot" role="status">
                        {move || copied.get().map(|key| view! {
                            <p class=if key == Key::Copied { "success" } else { "field-problem" }>{t(key)}</p>
                        })}
                    </div>
                    <p class="hint" id="embed-height-label">{move || t(Key::EmbedHeight)}</p>
                    <pre class="code" aria-labelledby="embed-height-label" tabindex="0"><code>{HEIGHT_RULE}</code></pre>
                    <p class="hint" id="embed-csp-label">{move || t(Key::EmbedCsp)}</p>
                    <pre class="code" aria-labelledby="embed-csp-label" tabindex="0"><code>{csp}</code></pre>
                </div>
                <div class="embed-sites">{children()}</div>
            </div>
            <h3>{move || t(Key::EmbedPreview)}</h3>
            <p class="hint">{move || t(Key::EmbedPreviewHint)}</p>
            <iframe class="embed-preview"
                title=move || t(Key::EmbedPreviewTitle)
                src=move || preview_url(&municipality(), &choice.get())></iframe>
        </section>
    }
}
