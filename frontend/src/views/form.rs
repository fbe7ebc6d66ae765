//! Form fields that meet WCAG 2.1 AA by construction: a visible label tied to
//! the control, hints and errors tied with `aria-describedby`, `aria-invalid`
//! on a field the API (or the shared rules) refused, and the focus moved to
//! the first such field on submit.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ApiFailure;
use crate::fields::Fields;
use crate::i18n::{t, text, use_lang, Key, Live};
use crate::views::notice::failure_text;

/// The field errors of one form: field path (`title`, `contact.email`,
/// `needs[0].title`) → message, as the API sends them.
#[derive(Clone, Copy)]
pub struct Errors(RwSignal<Fields>);

impl Errors {
    pub fn new() -> Errors {
        Errors(RwSignal::new(Fields::new()))
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0.with(|all| all.get(field).cloned())
    }

    pub fn set(&self, errors: Fields) {
        self.0.set(errors);
    }
}

/// The element id of a field, from its API path.
pub fn field_id(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("f-{safe}")
}

fn described_by(hint: Option<String>, error: Option<String>) -> Option<String> {
    match (hint, error) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(hint), Some(error)) => Some(format!("{hint} {error}")),
    }
}

/// A label with "(valgfrit)" after it for optional fields.
#[component]
fn Label(id: String, label: Key, optional: bool) -> impl IntoView {
    view! {
        <label for=id>
            {t(label)}
            {optional.then(|| view! { <span class="optional">" ("{t(Key::Optional)}")"</span> })}
        </label>
    }
}

/// A one-line or multi-line text field.
#[component]
pub fn TextField(
    /// The API's path of the field, e.g. `contact.email`.
    #[prop(into)]
    name: String,
    label: Key,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] multiline: bool,
    /// `text`, `email`, `tel`, `number`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token, so phones can fill in name, email, phone.
    #[prop(default = "off")]
    autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
) -> impl IntoView {
    let id = field_id(&name);
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let error = {
        let name = name.clone();
        move || errors.get(&name)
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some().then_some("true")
    };
    let describedby = {
        let (hint_id, error_id, error) = (hint_id.clone(), error_id.clone(), error.clone());
        move || described_by(hint_id.clone(), error().map(|_| error_id.clone()))
    };
    let required = (!optional).then_some("true");
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=name.clone()
                rows="4"
                aria-required=required
                aria-invalid=invalid
                aria-describedby=describedby
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name.clone()
                type=kind
                inputmode=inputmode
                autocomplete=autocomplete
                aria-required=required
                aria-invalid=invalid
                aria-describedby=describedby
                bind:value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <Label id=id.clone() label=label optional=optional/>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{t(hint)}</p> })}
            {control}
            {move || error().map(|message| view! { <p class="error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A choice from a list; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    label: Key,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// The label of the empty first choice, if there is one.
    #[prop(optional)]
    placeholder: Option<Key>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let error_id = format!("{id}-error");
    let error = {
        let name = name.clone();
        move || errors.get(&name)
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some().then_some("true")
    };
    let describedby = {
        let (error_id, error) = (error_id.clone(), error.clone());
        move || error().map(|_| error_id.clone())
    };
    view! {
        <div class="field">
            <Label id=id.clone() label=label optional=optional/>
            <select
                id=id.clone()
                name=name.clone()
                aria-required=(!optional).then_some("true")
                aria-invalid=invalid
                aria-describedby=describedby
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {placeholder.map(|key| view! { <option value="">{t(key)}</option> })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(slug, label)| {
                            let selected = value.get_untracked() == slug;
                            view! { <option value=slug selected=selected>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || error().map(|message| view! { <p class="error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A checkbox with its label on the right, the whole row a 44 px target.
#[component]
pub fn Checkbox(#[prop(into)] name: String, label: Live, checked: RwSignal<bool>) -> impl IntoView {
    let id = field_id(&name);
    view! {
        <div class="check">
            <input id=id.clone() type="checkbox" name=name bind:checked=checked/>
            <label for=id>{label}</label>
        </div>
    }
}

/// The municipality's places a citizen may tie what they send to: its
/// institutions and areas, each with the point the admin set, which the
/// server gives to what has no point of its own.
pub fn place_options(ctx: &crate::app::Ctx) -> Signal<Vec<(String, String)>> {
    let municipality = ctx.municipality;
    Signal::derive(move || {
        municipality
            .get()
            .and_then(Result::ok)
            .map(|m| {
                m.institutions
                    .into_iter()
                    .map(|i| (i.slug, i.name))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// "Use my position": the phone's position for a place, asked for only when
/// the citizen presses the button (the server keeps it to ≈ 100 m). Without
/// it the place has the institution's point, or none.
#[component]
pub fn UsePosition(point: RwSignal<Option<(f64, f64)>>) -> impl IntoView {
    let note = RwSignal::new(None::<Key>);
    view! {
        <div class="field">
            {move || match point.get() {
                None => view! {
                    <button type="button" class="secondary"
                        on:click=move |_| crate::views::list::locate(point, note)>
                        {t(Key::UsePosition)}
                    </button>
                }
                .into_any(),
                Some(_) => view! {
                    <p class="hint">{t(Key::PositionKept)}</p>
                    <button type="button" class="secondary" on:click=move |_| point.set(None)>
                        {t(Key::PositionForget)}
                    </button>
                }
                .into_any(),
            }}
            <p class="hint" role="status">{move || note.get().map(t)}</p>
        </div>
    }
}

/// The link to the private page of what was just sent (`/my-data`, on
/// Sammen's own origin, the secret in the fragment), if the answer came.
#[component]
pub fn PrivateLink(private: RwSignal<Option<String>>) -> impl IntoView {
    let api = crate::app::use_ctx().config.api;
    let copied = RwSignal::new(false);
    let said = t(Key::Copied);
    move || {
        private.get().map(|token| {
            let link = format!("{api}/my-data#{token}");
            view! {
                <p>{t(Key::PrivateLink)}</p>
                <label for="f-private-link">{t(Key::PrivateLinkLabel)}</label>
                <input id="f-private-link" type="text" readonly value=link.clone() on:focus=select_all/>
                <button type="button" class="secondary" on:click=copy_link(link.clone(), copied)>
                    {t(Key::Copy)}
                </button>
                <p role="status" class="notice">{move || copied.get().then(said)}</p>
                <p><a href=link target="_blank" rel="noopener">{t(Key::PrivateLinkOpen)}</a></p>
            }
        })
    }
}

/// Selects a read-only link field's text when it gets the focus.
pub fn select_all(ev: leptos::ev::FocusEvent) {
    event_target::<web_sys::HtmlInputElement>(&ev).select();
}

/// A click handler copying `link` to the clipboard, then saying so.
pub fn copy_link(link: String, copied: RwSignal<bool>) -> impl Fn(leptos::ev::MouseEvent) {
    move |_| {
        let _ = window().navigator().clipboard().write_text(&link);
        copied.set(true);
    }
}

/// The honeypot of a public form: a field people never see nor reach,
/// which form-filling bots fill in. The server turns away what arrives
/// with it filled.
#[component]
pub fn Honeypot(value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="hp" aria-hidden="true">
            <label for="f-website">"Website"</label>
            <input id="f-website" name="website" type="text" tabindex="-1" autocomplete="off"
                aria-hidden="true" bind:value=value/>
        </div>
    }
}

/// Where a submission stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Sending {
    Idle,
    InFlight,
    /// Offline: kept in the browser, sent when the connection returns.
    Queued,
    Failed(ApiFailure),
    /// The API has it.
    Sent,
}

/// The line under a form's button that says what happened to the sending.
/// Given the form and its errors, a refusal also lists the messages of
/// fields the form has no control for (a need's skills, say), so no
/// message from the server is ever lost.
#[component]
pub fn SendingNotice(
    state: RwSignal<Sending>,
    #[prop(optional)] errors: Option<Errors>,
    #[prop(optional)] form: Option<NodeRef<leptos::html::Form>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        match state.get() {
            // The forms say "sent" in their own words.
            Sending::Idle | Sending::Sent => None,
            Sending::InFlight => Some(
                view! { <p class="notice" role="status">{text(lang, Key::Sending)}</p> }.into_any(),
            ),
            Sending::Queued => Some(
                view! { <p class="notice queued" role="status">{text(lang, Key::Queued)}</p> }
                    .into_any(),
            ),
            Sending::Failed(failure) => {
                let sentence = if failure.fields().is_empty() {
                    failure_text(lang, &failure)
                } else {
                    text(lang, Key::FixFields).to_string()
                };
                let unplaced = match (errors, form.and_then(|f| f.get_untracked())) {
                    (Some(errors), Some(form)) => errors.0.with_untracked(|all| {
                        all.iter()
                            .filter(|(field, _)| {
                                let selector = format!("#{}", field_id(field));
                                !matches!(form.query_selector(&selector), Ok(Some(_)))
                            })
                            .map(|(_, message)| message.clone())
                            .collect::<Vec<_>>()
                    }),
                    _ => Vec::new(),
                };
                Some(
                    view! {
                        <div class="notice failure" role="alert">
                            <p>{sentence}</p>
                            {(!unplaced.is_empty()).then(|| view! {
                                <ul class="form-errors">
                                    {unplaced.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                                </ul>
                            })}
                        </div>
                    }
                    .into_any(),
                )
            }
        }
    }
}

/// Moves the focus to the first field marked invalid inside `form`, after
/// the marks have been rendered.
fn focus_first_invalid(form: NodeRef<leptos::html::Form>) {
    request_animation_frame(move || {
        let Some(form) = form.get_untracked() else {
            return;
        };
        if let Ok(Some(field)) = form.query_selector("[aria-invalid=\"true\"]") {
            if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    });
}

/// Whether the API has the submission: a memo, so that only this change,
/// not every change of state, replaces a form with its "thank you".
pub fn is_sent(state: RwSignal<Sending>) -> Memo<bool> {
    Memo::new(move |_| state.get() == Sending::Sent)
}

/// Moves the focus to the first refused field whenever the API refuses
/// the form's submission field by field.
pub fn focus_on_refusal(state: RwSignal<Sending>, form: NodeRef<leptos::html::Form>) {
    Effect::new(move |_| {
        if let Sending::Failed(failure) = state.get() {
            if !failure.fields().is_empty() {
                focus_first_invalid(form);
            }
        }
    });
}

/// Splits a comma-separated list ("førstehjælp, tømrer") into its items.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// `Some(text)` unless blank: optional API fields are absent, not "".
pub fn optional(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_string())
}
