//! Settings (admins only; the menu hides them from coordinators and the API
//! refuses them with 403): the municipality's coordinators, institutions,
//! categories and the web sites allowed to show the widget — each a list and
//! a small form. The server checks every field; its 422 field errors are
//! shown under the field they are about, tied to it with `aria-describedby`.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_shared::admin::{
    CoordinatorChange, CoordinatorView, InstitutionPlace, InstitutionPoint, NewCategory,
    NewCoordinatorInput, NewInstitution, Role,
};
use sammen_shared::municipality::InstitutionKind;

use wasm_bindgen::JsCast;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::views::embed::Embed;
use crate::views::notice::Problem;

#[component]
pub fn Settings() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <h1>{move || t(Key::SettingsHeading)}</h1>
        <p class="intro">{move || t(Key::SettingsIntro)}</p>
        {move || if console.is_admin() {
            view! {
                <Coordinators/>
                <Institutions/>
                <Categories/>
                <Embed><Origins/></Embed>
            }.into_any()
        } else {
            view! { <div class="problem" role="alert"><p>{t(Key::AdminsOnly)}</p></div> }.into_any()
        }}
    }
}

/// The state of one small form: busy, the server's errors per field, any
/// other failure, and what the last success said.
#[derive(Debug, Clone, Copy)]
struct Form {
    /// The `id` of the `<form>`, to put focus on its first invalid field.
    id: &'static str,
    busy: RwSignal<bool>,
    fields: RwSignal<BTreeMap<String, String>>,
    problem: RwSignal<Option<Failure>>,
    done: RwSignal<Option<Key>>,
}

impl Form {
    fn new(id: &'static str) -> Form {
        Form {
            id,
            busy: RwSignal::new(false),
            fields: RwSignal::new(BTreeMap::new()),
            problem: RwSignal::new(None),
            done: RwSignal::new(None),
        }
    }

    /// Starts a submission; `false` while one is under way.
    fn start(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        self.fields.set(BTreeMap::new());
        self.problem.set(None);
        self.done.set(None);
        true
    }

    /// Ends a submission: the answer on success (announcing `done`), else
    /// the field errors or the failure shown.
    fn finish<T>(&self, answer: Result<T, Failure>, done: Key) -> Option<T> {
        self.busy.set(false);
        match answer {
            Ok(value) => {
                self.done.set(Some(done));
                Some(value)
            }
            Err(Failure::Refused { fields, .. }) if !fields.is_empty() => {
                self.fields.set(fields);
                // Once the errors are drawn, to the first field to fix: its
                // label, value and error are read out together.
                let selector = format!("#{} [aria-invalid=\"true\"]", self.id);
                request_animation_frame(move || {
                    if let Some(field) = document()
                        .query_selector(&selector)
                        .ok()
                        .flatten()
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = field.focus();
                    }
                });
                None
            }
            Err(failure) => {
                self.problem.set(Some(failure));
                None
            }
        }
    }

    /// The error of a field (or of any field under it, `institutions[0]`).
    fn error(&self, field: &str) -> Option<String> {
        self.fields.with(|fields| {
            fields
                .iter()
                .find(|(name, _)| {
                    name.as_str() == field
                        || name
                            .strip_prefix(field)
                            .is_some_and(|rest| rest.starts_with(['[', '.']))
                })
                .map(|(_, why)| why.clone())
        })
    }
}

/// The outcome of a form: success, or a failure that is not about a field.
#[component]
fn FormStatus(form: Form) -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        <div class="problem-slot" role="status">
            {move || form.done.get().map(|key| view! { <p class="success">{console.t(key)}</p> })}
        </div>
        {move || form.problem.get().map(|failure| view! { <Problem failure=failure/> })}
    }
}

/// A labelled text input with an optional hint and the server's error for
/// its field, both referenced by `aria-describedby`.
#[component]
fn TextField(
    id: &'static str,
    field: &'static str,
    label: Key,
    value: RwSignal<String>,
    form: Form,
    #[prop(optional)] hint: Option<Key>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = move || form.error(field);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{move || console.t(label)}</label>
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint">{move || console.t(hint)}</p> })}
            <input id=id type=kind name=field autocomplete=autocomplete
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=described
                prop:value=value on:input=move |e| value.set(event_target_value(&e))/>
            {move || error().map(|why| view! {
                <p id=error_id.clone() class="field-problem">{why}</p>
            })}
        </div>
    }
}

/// The submit button of a small form, saying when it is busy.
#[component]
fn Submit(form: Form, label: Key) -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        <button type="submit" class="primary" aria-disabled=move || form.busy.get().then_some("true")>
            {move || console.t(if form.busy.get() { Key::Saving } else { label })}
        </button>
    }
}

#[component]
fn Coordinators() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let list = LocalResource::new(api::coordinators);
    let form = Form::new("coordinator-form");
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Coordinator);
    let chosen = RwSignal::new(Vec::<String>::new());
    let password = RwSignal::new(String::new());

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !form.start() {
            return;
        }
        let role = role.get_untracked();
        let input = NewCoordinatorInput {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: Some(role),
            institutions: match role {
                Role::Admin => Vec::new(),
                Role::Coordinator => chosen.get_untracked(),
            },
            password: password.get_untracked(),
        };
        spawn_local(async move {
            let answer = api::add_coordinator(&input).await;
            if form.finish(answer, Key::CoordinatorAdded).is_some() {
                for field in [email, name, password] {
                    field.set(String::new());
                }
                chosen.set(Vec::new());
                list.refetch();
            }
        });
    };

    let institutions = move || {
        console.municipality.with(|m| {
            m.as_ref()
                .map(|m| m.institutions.clone())
                .unwrap_or_default()
        })
    };
    let institutions_error = move || form.error("institutions");
    let institutions_described = move || {
        if institutions_error().is_some() {
            "coordinator-institutions-hint coordinator-institutions-error"
        } else {
            "coordinator-institutions-hint"
        }
    };

    // What the last table action said: done, or why not (the last admin stays).
    let outcome = RwSignal::new(None::<Result<Key, Failure>>);
    view! {
        <section class="card settings" aria-labelledby="settings-coordinators">
            <h2 id="settings-coordinators">{move || t(Key::Coordinators)}</h2>
            <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
                {move || list.get().map(|answer| match answer {
                    Ok(coordinators) => view! {
                        <CoordinatorTable coordinators=coordinators outcome=outcome
                            reload=Callback::new(move |_| list.refetch())/>
                    }.into_any(),
                    Err(failure) => view! {
                        <Problem failure=failure retry=Callback::new(move |_| list.refetch())/>
                    }.into_any(),
                })}
            </Transition>
            <CoordinatorOutcome outcome=outcome/>
            <h3 id="add-coordinator">{move || t(Key::AddCoordinator)}</h3>
            <form id="coordinator-form" on:submit=submit novalidate aria-labelledby="add-coordinator">
                <TextField id="coordinator-email" field="email" label=Key::Email kind="email"
                    autocomplete="off" value=email form=form/>
                <TextField id="coordinator-name" field="name" label=Key::Name
                    autocomplete="off" value=name form=form/>
                <div class="field">
                    <label for="coordinator-role">{move || t(Key::RoleLabel)}</label>
                    <select id="coordinator-role" on:change=move |e| {
                        role.set(Role::parse(&event_target_value(&e)).unwrap_or(Role::Coordinator));
                    }>
                        {[Role::Coordinator, Role::Admin].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>
                                {move || i18n::role(console.lang.get(), r)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="choices" aria-describedby=institutions_described
                    disabled=move || role.get() == Role::Admin>
                    <legend>{move || t(Key::InstitutionsLegend)}</legend>
                    <p id="coordinator-institutions-hint" class="hint">{move || t(Key::InstitutionsHint)}</p>
                    <For each=institutions key=|i| i.slug.clone() let:institution>
                        {
                            let id = format!("coordinator-institution-{}", institution.slug);
                            let (slug, toggled) = (institution.slug.clone(), institution.slug.clone());
                            view! {
                                <div class="field check">
                                    <input id=id.clone() type="checkbox"
                                        prop:checked=move || chosen.with(|c| c.contains(&slug))
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            chosen.update(|c| {
                                                c.retain(|s| *s != toggled);
                                                if on {
                                                    c.push(toggled.clone());
                                                }
                                            });
                                        }/>
                                    <label for=id>{institution.name}</label>
                                </div>
                            }
                        }
                    </For>
                    {move || institutions_error().map(|why| view! {
                        <p id="coordinator-institutions-error" class="field-problem">{why}</p>
                    })}
                </fieldset>
                <TextField id="coordinator-password" field="password" label=Key::FirstPassword
                    kind="password" autocomplete="new-password" hint=Key::FirstPasswordHint
                    value=password form=form/>
                <Submit form=form label=Key::AddCoordinator/>
                <FormStatus form=form/>
            </form>
        </section>
    }
}

#[component]
fn CoordinatorTable(
    coordinators: Vec<CoordinatorView>,
    reload: Callback<()>,
    outcome: RwSignal<Option<Result<Key, Failure>>>,
) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    if coordinators.is_empty() {
        return view! { <p class="empty">{move || t(Key::NoCoordinators)}</p> }.into_any();
    }
    let act = move |action: CoordinatorAction, id: uuid::Uuid| {
        if action == CoordinatorAction::Remove
            && !window()
                .confirm_with_message(t(Key::ConfirmRemove))
                .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            let answer = match action {
                CoordinatorAction::Change(change) => api::change_coordinator(id, &change).await,
                CoordinatorAction::EndSessions => api::end_sessions(id).await,
                CoordinatorAction::Remove => api::remove_coordinator(id).await,
            };
            outcome.set(Some(answer.map(|()| Key::CoordinatorChanged)));
            reload.run(());
        });
    };
    view! {
        <div class="table-wrap">
            <table class="coordinators">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::ColName)}</th>
                        <th scope="col">{move || t(Key::Email)}</th>
                        <th scope="col">{move || t(Key::ColRole)}</th>
                        <th scope="col">{move || t(Key::ColInstitutions)}</th>
                        <th scope="col">{move || t(Key::ColStatus)}</th>
                        <th scope="col">{move || t(Key::ColActions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {coordinators.into_iter().map(|c| {
                        let role = c.role;
                        let institutions = c.institutions;
                        let (id, active, name) = (c.id, c.active, c.name.clone());
                        let button = move |label: Key, action: CoordinatorAction| {
                            let name = name.clone();
                            view! {
                                <button type="button" class="secondary small"
                                    aria-label=move || format!("{}: {}", t(label), name)
                                    on:click=move |_| act(action.clone(), id)>
                                    {move || t(label)}
                                </button>
                            }
                        };
                        let other_role = if role == Role::Admin { Role::Coordinator } else { Role::Admin };
                        view! {
                            <tr>
                                <th scope="row">{c.name}</th>
                                <td>{c.email}</td>
                                <td>{move || i18n::role(console.lang.get(), role)}</td>
                                <td>{move || if role == Role::Admin {
                                    t(Key::AllInstitutions).to_string()
                                } else {
                                    institutions
                                        .iter()
                                        .map(|slug| console.institution_name(slug))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                }}</td>
                                <td>{move || t(if active { Key::Active } else { Key::Deactivated })}</td>
                                <td class="actions">
                                    {button(
                                        if role == Role::Admin { Key::MakeCoordinator } else { Key::MakeAdmin },
                                        CoordinatorAction::Change(CoordinatorChange { role: Some(other_role), active: None }),
                                    )}
                                    {button(
                                        if active { Key::Deactivate } else { Key::Reactivate },
                                        CoordinatorAction::Change(CoordinatorChange { role: None, active: Some(!active) }),
                                    )}
                                    {button(Key::EndSessions, CoordinatorAction::EndSessions)}
                                    {button(Key::RemoveCoordinator, CoordinatorAction::Remove)}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What the last table action said, kept outside the table so that the
/// reload after the action does not take the message away with it.
#[component]
fn CoordinatorOutcome(outcome: RwSignal<Option<Result<Key, Failure>>>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <div class="problem-slot" role="status">
            {move || match outcome.get() {
                Some(Ok(key)) => Some(view! { <p class="success">{t(key)}</p> }.into_any()),
                _ => None,
            }}
        </div>
        {move || match outcome.get() {
            Some(Err(Failure::Refused { status: 409, .. })) => Some(view! {
                <div class="problem" role="alert"><p>{t(Key::LastAdmin)}</p></div>
            }.into_any()),
            Some(Err(failure)) => Some(view! { <Problem failure=failure/> }.into_any()),
            _ => None,
        }}
    }
}

/// What an admin does to a coordinator from the table.
#[derive(Debug, Clone, PartialEq)]
enum CoordinatorAction {
    Change(CoordinatorChange),
    EndSessions,
    Remove,
}

const KINDS: [InstitutionKind; 4] = [
    InstitutionKind::Preschool,
    InstitutionKind::School,
    InstitutionKind::Club,
    InstitutionKind::Area,
];

#[component]
fn Institutions() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let form = Form::new("institution-form");
    let slug = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(InstitutionKind::Preschool);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !form.start() {
            return;
        }
        let input = NewInstitution {
            slug: slug.get_untracked(),
            name: name.get_untracked(),
            kind: Some(kind.get_untracked()),
        };
        spawn_local(async move {
            let answer = api::add_institution(&input).await;
            if let Some(added) = form.finish(answer, Key::InstitutionAdded) {
                slug.set(String::new());
                name.set(String::new());
                // Everywhere the console names institutions, at once.
                console.municipality.update(|m| {
                    if let Some(m) = m {
                        m.institutions.push(added);
                    }
                });
            }
        });
    };
    let institutions = move || {
        console.municipality.with(|m| {
            m.as_ref()
                .map(|m| m.institutions.clone())
                .unwrap_or_default()
        })
    };

    view! {
        <section class="card settings" aria-labelledby="settings-institutions">
            <h2 id="settings-institutions">{move || t(Key::Institutions)}</h2>
            {move || {
                let list = institutions();
                if list.is_empty() {
                    return view! { <p class="empty">{t(Key::NoInstitutions)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::ColName)}</th>
                                    <th scope="col">{t(Key::ColSlug)}</th>
                                    <th scope="col">{t(Key::ColKind)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|i| view! {
                                    <tr>
                                        <th scope="row">{i.name}</th>
                                        <td><code>{i.slug}</code></td>
                                        <td>{i18n::institution_kind(console.lang.get(), i.kind)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3 id="add-institution">{move || t(Key::AddInstitution)}</h3>
            <form id="institution-form" on:submit=submit novalidate aria-labelledby="add-institution">
                <TextField id="institution-name" field="name" label=Key::ColName value=name form=form/>
                <TextField id="institution-slug" field="slug" label=Key::ColSlug
                    hint=Key::InstitutionSlugHint value=slug form=form/>
                <div class="field">
                    <label for="institution-kind">{move || t(Key::KindLabel)}</label>
                    <select id="institution-kind" on:change=move |e| {
                        let value = event_target_value(&e);
                        kind.set(InstitutionKind::parse(&value).unwrap_or(InstitutionKind::Area));
                    }>
                        {KINDS.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>
                                {move || i18n::institution_kind(console.lang.get(), k)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <Submit form=form label=Key::AddInstitution/>
                <FormStatus form=form/>
            </form>
            <Points/>
        </section>
    }
}

/// Where each institution or area is: the point a proposal or an offer tied
/// to it gets when the citizen gave none, so "near me" and matching by
/// distance find it.
#[component]
fn Points() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let form = Form::new("point-form");
    let places: RwSignal<Vec<InstitutionPlace>> = RwSignal::new(Vec::new());
    let chosen = RwSignal::new(String::new());
    let lat = RwSignal::new(String::new());
    let lon = RwSignal::new(String::new());
    // The fields show the chosen place's point, so saving changes it rather
    // than removing it by accident.
    let show_point = move |slug: &str| {
        let point = places
            .with_untracked(|list| list.iter().find(|p| p.slug == slug).and_then(|p| p.point));
        lat.set(point.map(|p| four_decimals(p.lat)).unwrap_or_default());
        lon.set(point.map(|p| four_decimals(p.lon)).unwrap_or_default());
    };
    let load = move || {
        spawn_local(async move {
            if let Ok(list) = api::places().await {
                let first = list.first().map(|p| p.slug.clone());
                places.set(list);
                if chosen.get_untracked().is_empty() {
                    if let Some(first) = first {
                        chosen.set(first);
                    }
                }
                show_point(&chosen.get_untracked());
            }
        })
    };
    load();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !form.start() {
            return;
        }
        // An empty field is "no point"; what is no number is sent as one
        // out of range, for the server to name under the field.
        let number = |text: String| {
            let text = text.trim().replace(',', ".");
            // The browser's parseFloat: Rust's own float parsing would add
            // some 12 KB to the console for these two fields.
            (!text.is_empty()).then(|| {
                let number = js_sys::Number::parse_float(&text);
                if number.is_finite() {
                    number
                } else {
                    1e9
                }
            })
        };
        // "56.0611, 10.0004" as a map's right-click copies it, pasted whole
        // into the first field.
        let (first, second) = match (lat.get_untracked(), lon.get_untracked()) {
            (both, rest) if rest.trim().is_empty() && both.contains(", ") => {
                let (a, b) = both.split_once(", ").unwrap_or_default();
                (a.to_string(), b.to_string())
            }
            pair => pair,
        };
        let point = InstitutionPoint {
            lat: number(first),
            lon: number(second),
        };
        let slug = chosen.get_untracked();
        spawn_local(async move {
            let answer = api::set_point(&slug, &point).await;
            if form.finish(answer, Key::PointSaved).is_some() {
                load();
            }
        });
    };
    let point_text = move |place: &InstitutionPlace| match place.point {
        Some(p) => format!("{}, {}", four_decimals(p.lat), four_decimals(p.lon)),
        None => t(Key::NoPoint).to_string(),
    };
    view! {
        <h3 id="points">{move || t(Key::Points)}</h3>
        <p class="hint">{move || t(Key::PointsHint)}</p>
        <ul class="points">
            {move || places.get().into_iter().map(|place| view! {
                <li><strong>{place.name.clone()}</strong>": "{point_text(&place)}</li>
            }).collect_view()}
        </ul>
        <form id="point-form" on:submit=submit novalidate aria-labelledby="points">
            <div class="field">
                <label for="point-place">{move || t(Key::PointPlace)}</label>
                <select id="point-place" on:change=move |e| {
                    let slug = event_target_value(&e);
                    show_point(&slug);
                    chosen.set(slug);
                }>
                    {move || places.get().into_iter().map(|place| {
                        let slug = place.slug.clone();
                        view! {
                            <option value=place.slug.clone() selected=move || chosen.get() == slug>
                                {place.name.clone()}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <TextField id="point-lat" field="point.lat" label=Key::Latitude value=lat form=form/>
            <TextField id="point-lon" field="point.lon" label=Key::Longitude value=lon form=form/>
            <Submit form=form label=Key::SavePoint/>
            <FormStatus form=form/>
        </form>
    }
}

#[component]
fn Categories() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let form = Form::new("category-form");
    let slug = RwSignal::new(String::new());
    let name_da = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !form.start() {
            return;
        }
        let input = NewCategory {
            slug: slug.get_untracked(),
            name_da: name_da.get_untracked(),
            name_en: name_en.get_untracked(),
        };
        spawn_local(async move {
            let answer = api::add_category(&input).await;
            if let Some(added) = form.finish(answer, Key::CategoryAdded) {
                for field in [slug, name_da, name_en] {
                    field.set(String::new());
                }
                console.municipality.update(|m| {
                    if let Some(m) = m {
                        m.categories.push(added);
                    }
                });
            }
        });
    };
    let categories = move || {
        console
            .municipality
            .with(|m| m.as_ref().map(|m| m.categories.clone()).unwrap_or_default())
    };

    view! {
        <section class="card settings" aria-labelledby="settings-categories">
            <h2 id="settings-categories">{move || t(Key::Categories)}</h2>
            {move || {
                let list = categories();
                if list.is_empty() {
                    return view! { <p class="empty">{t(Key::NoCategories)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::ColNameDa)}</th>
                                    <th scope="col">{t(Key::ColNameEn)}</th>
                                    <th scope="col">{t(Key::ColSlug)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|c| view! {
                                    <tr>
                                        <th scope="row" lang="da">{c.name_da}</th>
                                        <td lang="en">{c.name_en}</td>
                                        <td><code>{c.slug}</code></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3 id="add-category">{move || t(Key::AddCategory)}</h3>
            <form id="category-form" on:submit=submit novalidate aria-labelledby="add-category">
                <TextField id="category-name-da" field="name_da" label=Key::ColNameDa value=name_da form=form/>
                <TextField id="category-name-en" field="name_en" label=Key::ColNameEn value=name_en form=form/>
                <TextField id="category-slug" field="slug" label=Key::ColSlug
                    hint=Key::CategorySlugHint value=slug form=form/>
                <Submit form=form label=Key::AddCategory/>
                <FormStatus form=form/>
            </form>
        </section>
    }
}

#[component]
fn Origins() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let list = LocalResource::new(api::origins);
    let refused = LocalResource::new(api::refused_origins);
    let form = Form::new("origin-form");
    let origin = RwSignal::new(String::new());

    let allow = move |value: String, clear: bool| {
        if !form.start() {
            return;
        }
        spawn_local(async move {
            let answer = api::allow_origin(&value).await;
            if form.finish(answer, Key::OriginAdded).is_some() {
                if clear {
                    origin.set(String::new());
                }
                list.refetch();
                refused.refetch();
            }
        });
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        allow(origin.get_untracked(), true);
    };
    let remove = move |value: String| {
        if !form.start() {
            return;
        }
        spawn_local(async move {
            let answer = api::disallow_origin(&value).await;
            if form.finish(answer, Key::OriginRemoved).is_some() {
                list.refetch();
            }
        });
    };

    view! {
        <section class="settings origins-part" aria-labelledby="settings-origins">
            <h3 id="settings-origins">{move || t(Key::Origins)}</h3>
            <p class="intro">{move || t(Key::OriginsIntro)}</p>
            <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
                {move || list.get().map(|answer| match answer {
                    Ok(origins) if origins.is_empty() => view! {
                        <p class="warning">{t(Key::OriginsEmptyWarning)}</p>
                    }.into_any(),
                    Ok(origins) => view! {
                        <ul class="origins">
                            {origins.into_iter().map(|o| {
                                let value = o.origin.clone();
                                let label = o.origin.clone();
                                view! {
                                    <li>
                                        <code>{o.origin}</code>
                                        <button type="button" class="secondary"
                                            aria-label=move || format!("{} {}", t(Key::Remove), label)
                                            aria-disabled=move || form.busy.get().then_some("true")
                                            on:click=move |_| remove(value.clone())>
                                            {move || t(Key::Remove)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(failure) => view! {
                        <Problem failure=failure retry=Callback::new(move |_| list.refetch())/>
                    }.into_any(),
                })}
            </Transition>
            <form id="origin-form" on:submit=submit novalidate aria-labelledby="settings-origins">
                <TextField id="origin" field="origin" label=Key::OriginLabel kind="url"
                    hint=Key::OriginHint value=origin form=form/>
                <Submit form=form label=Key::AddOrigin/>
                <FormStatus form=form/>
            </form>
            <Transition fallback=|| ()>
                {move || refused.get().and_then(Result::ok).filter(|r| !r.is_empty()).map(|pages| view! {
                    <section class="refused" aria-labelledby="settings-refused">
                        <h3 id="settings-refused">{t(Key::RefusedHeading)}</h3>
                        <p class="intro">{t(Key::RefusedIntro)}</p>
                        <ul class="origins">
                            {pages.into_iter().map(|page| {
                                let value = page.origin.clone();
                                let label = page.origin.clone();
                                let when = page.last_refused_at.clone();
                                view! {
                                    <li>
                                        <span>
                                            <code>{page.origin}</code>
                                            " "
                                            <small>
                                                {page.refusals} " " {move || t(Key::RefusedTimes)} " "
                                                {move || i18n::time(console.lang.get(), &when)}
                                            </small>
                                        </span>
                                        <button type="button" class="secondary"
                                            aria-label=move || format!("{} {}", t(Key::AllowThis), label)
                                            aria-disabled=move || form.busy.get().then_some("true")
                                            on:click=move |_| allow(value.clone(), false)>
                                            {move || t(Key::AllowThis)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            </Transition>
        </section>
    }
}

/// `56.0611` from 56.06112: whole numbers only, because float formatting
/// would add its machinery (some 15 KB) to the console for this one line.
fn four_decimals(value: f64) -> String {
    let tenths_of_milli = (value * 10_000.0).round() as i64;
    let sign = if tenths_of_milli < 0 { "-" } else { "" };
    let magnitude = tenths_of_milli.unsigned_abs();
    format!("{sign}{}.{:04}", magnitude / 10_000, magnitude % 10_000)
}
