//! Composing groups: the composer proposes groups of the families that
//! joined; the coordinator moves families between groups (each move is
//! scored again by the server), locks the ones placed by hand, proposes again
//! for the rest, saves, and finally hands the groups over to the families.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sammen_engine::console::{
    ComposeRequest, CompositionView, GroupView, GroupsDraft, JoinedMember, LinkToPassOn,
    ReissuedLink, SavedGroups,
};
use sammen_engine::{Lock, Rules};
use sammen_shared::group::HowItWent;
use uuid::Uuid;

use crate::api::{self, Failure};
use crate::app::Console;
use crate::i18n::{self, Key};
use crate::route::Route;
use crate::views::notice::Problem;

/// What the screen knows and is doing; `Copy`, so every handler can hold it.
#[derive(Clone, Copy)]
struct Board {
    id: Uuid,
    composition: RwSignal<Option<CompositionView>>,
    locked: RwSignal<BTreeSet<Uuid>>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    saved: RwSignal<Option<SavedGroups>>,
    busy: RwSignal<bool>,
    outcome: RwSignal<Option<Outcome>>,
    /// The groups on screen differ from the saved ones.
    dirty: RwSignal<bool>,
}

#[derive(Debug, Clone)]
enum Outcome {
    Saved,
    HandedOver(Vec<LinkToPassOn>),
    Failed(Failure),
}

impl Board {
    fn handed_over(&self) -> bool {
        self.saved
            .with(|s| s.as_ref().is_some_and(|s| s.handed_over))
    }

    /// The groups on screen, as lists of signup ids.
    fn draft(&self) -> GroupsDraft {
        GroupsDraft {
            groups: self.composition.with_untracked(|c| {
                c.as_ref()
                    .map(|c| {
                        c.groups
                            .iter()
                            .map(|g| g.members.iter().map(|m| m.signup_id).collect())
                            .collect()
                    })
                    .unwrap_or_default()
            }),
        }
    }

    fn rules(&self) -> Rules {
        let number =
            |s: RwSignal<String>, default| s.get_untracked().trim().parse().unwrap_or(default);
        let mut rules = Rules::sizes(number(self.min, 4), number(self.max, 6));
        let locked = self.locked.get_untracked();
        if !locked.is_empty() {
            let draft = self.draft();
            rules.groups = Some(draft.groups.len());
            rules.locks = draft
                .groups
                .iter()
                .enumerate()
                .flat_map(|(group, members)| {
                    members
                        .iter()
                        .filter(|id| locked.contains(id))
                        .map(move |id| Lock {
                            member_id: *id,
                            group,
                        })
                })
                .collect();
        }
        rules
    }

    /// Runs `call`, then shows its composition (or the failure).
    fn run(
        self,
        call: impl std::future::Future<Output = Result<CompositionView, Failure>> + 'static,
        dirty: bool,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            match call.await {
                Ok(composition) => {
                    self.composition.set(Some(composition));
                    self.dirty.set(dirty);
                    self.outcome.set(None);
                }
                Err(failure) => self.outcome.set(Some(Outcome::Failed(failure))),
            }
            self.busy.set(false);
        });
    }

    fn compose(self) {
        let request = ComposeRequest {
            rules: self.rules(),
            seed: Some(1),
        };
        let id = self.id;
        self.run(async move { api::compose(id, &request).await }, true);
    }

    /// Moves a family to group `to` and locks it there.
    fn move_family(self, family: Uuid, to: usize) {
        let mut draft = self.draft();
        for group in &mut draft.groups {
            group.retain(|m| *m != family);
        }
        if let Some(group) = draft.groups.get_mut(to) {
            group.push(family);
        }
        draft.groups.retain(|g| !g.is_empty());
        self.locked.update(|l| {
            l.insert(family);
        });
        let id = self.id;
        self.run(async move { api::describe(id, &draft).await }, true);
    }

    fn save(self) {
        let draft = self.draft();
        let id = self.id;
        self.busy.set(true);
        spawn_local(async move {
            match api::save_groups(id, &draft).await {
                Ok(saved) => {
                    self.saved.set(Some(saved));
                    self.dirty.set(false);
                    self.outcome.set(Some(Outcome::Saved));
                }
                Err(failure) => self.outcome.set(Some(Outcome::Failed(failure))),
            }
            self.busy.set(false);
        });
    }

    fn hand_over(self) {
        let id = self.id;
        self.busy.set(true);
        spawn_local(async move {
            match api::hand_over(id).await {
                Ok(saved) => {
                    let links = saved.links_to_pass_on.clone();
                    self.saved.set(Some(saved));
                    self.outcome.set(Some(Outcome::HandedOver(links)));
                }
                Err(failure) => self.outcome.set(Some(Outcome::Failed(failure))),
            }
            self.busy.set(false);
        });
    }
}

#[component]
pub fn Groups(id: Uuid) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let board = Board {
        id,
        composition: RwSignal::new(None),
        locked: RwSignal::new(BTreeSet::new()),
        min: RwSignal::new("4".into()),
        max: RwSignal::new("6".into()),
        saved: RwSignal::new(None),
        busy: RwSignal::new(false),
        outcome: RwSignal::new(None),
        dirty: RwSignal::new(false),
    };
    let initiative = LocalResource::new(move || api::initiative(id));
    // Saved groups come back on screen with their scores.
    let start = LocalResource::new(move || async move {
        let saved = api::saved_groups(id).await?;
        let draft = GroupsDraft {
            groups: saved
                .groups
                .iter()
                .map(|g| g.members.iter().map(|m| m.signup_id).collect())
                .collect(),
        };
        let composition = if draft.groups.is_empty() {
            None
        } else {
            Some(api::describe(id, &draft).await?)
        };
        Ok::<_, Failure>((saved, composition))
    });
    Effect::new(move |_| {
        if let Some(Ok((saved, composition))) = start.get() {
            board.saved.set(Some(saved));
            board.composition.set(composition);
        }
    });

    let title = move || {
        initiative
            .get()
            .and_then(Result::ok)
            .map(|i| i.proposal.title)
            .unwrap_or_default()
    };
    // Anyone who joined may be put in a group, families or not.
    let joined = move || {
        initiative
            .get()
            .and_then(Result::ok)
            .map(|i| i.signups.len())
    };

    view! {
        <p><a href=Route::Initiative(id).href()>{move || t(Key::BackToInitiative)}</a></p>
        <h1>{move || t(Key::GroupsHeading)}" «"{title}"»"</h1>
        <p class="intro">{move || t(Key::GroupsIntro)}</p>
        {move || match start.get() {
            None => view! { <p role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <Problem failure=failure retry=Callback::new(move |_| start.refetch())/>
            }.into_any(),
            Some(Ok(_)) if joined() == Some(0) => view! {
                <p class="empty">{t(Key::NoFamilies)}</p>
            }.into_any(),
            Some(Ok(_)) => view! {
                <Controls board=board/> <Outcomes board=board/>
                <Show when=move || board.handed_over()>
                    <p class="notice">{move || t(Key::HandedOverFrozen)}</p>
                </Show>
                <GroupBoard board=board/>
                <Show when=move || board.handed_over()>
                    <Alive board=board/>
                    <CheckIns id=id/>
                </Show>
            }.into_any(),
        }}
    }
}

#[component]
fn Controls(board: Board) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let disabled = move || (board.busy.get() || board.handed_over()).then_some("true");
    let has_groups = move || {
        board
            .composition
            .with(|c| c.as_ref().is_some_and(|c| !c.groups.is_empty()))
    };
    view! {
        <form class="card compose" on:submit=move |e| { e.prevent_default(); if !board.handed_over() { board.compose(); } }>
            <div class="sizes">
                <div class="field">
                    <label for="min-size">{move || t(Key::MinSize)}</label>
                    <input id="min-size" type="number" min="1" max="50" inputmode="numeric"
                        prop:value=board.min on:input=move |e| board.min.set(event_target_value(&e))/>
                </div>
                <div class="field">
                    <label for="max-size">{move || t(Key::MaxSize)}</label>
                    <input id="max-size" type="number" min="1" max="50" inputmode="numeric"
                        prop:value=board.max on:input=move |e| board.max.set(event_target_value(&e))/>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary" data-action="compose" aria-disabled=disabled>
                    {move || if board.busy.get() {
                        t(Key::Composing)
                    } else if board.locked.with(|l| !l.is_empty()) {
                        t(Key::Recompose)
                    } else {
                        t(Key::Compose)
                    }}
                </button>
                <Show when=has_groups>
                    <button type="button" class="secondary" data-action="save" aria-disabled=disabled
                        on:click=move |_| if !board.busy.get_untracked() && !board.handed_over() { board.save() }>
                        {move || t(Key::SaveGroups)}
                    </button>
                </Show>
                <Show when=move || board.saved.with(|s| s.as_ref().is_some_and(|s| !s.groups.is_empty() && !s.handed_over)) && !board.dirty.get()>
                    <button type="button" class="secondary" data-action="hand-over" aria-disabled=disabled
                        aria-describedby="hand-over-hint"
                        on:click=move |_| if !board.busy.get_untracked() { board.hand_over() }>
                        {move || t(Key::HandOver)}
                    </button>
                    <p id="hand-over-hint" class="hint">{move || t(Key::HandOverHint)}</p>
                </Show>
            </div>
            {move || board.dirty.get().then(|| view! { <p class="badge unsaved">{t(Key::Unsaved)}</p> })}
        </form>
    }
}

#[component]
fn Outcomes(board: Board) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    view! {
        <div role="status" class="outcome">
            {move || board.outcome.get().map(|o| match o {
                Outcome::Saved => view! { <p class="done">{t(Key::GroupsSaved)}</p> }.into_any(),
                Outcome::HandedOver(links) => view! {
                    <p class="done">{t(Key::HandedOver)}</p>
                    {(!links.is_empty()).then(|| view! {
                        <p>{t(Key::PassOn)}</p>
                        <ul class="links">
                            {links.into_iter().map(|l| view! {
                                <li>
                                    <strong>{l.name.clone()}</strong>
                                    {l.phone.clone().map(|p| format!(" · {p}"))}
                                    <PassOnLink name=l.name link=l.link phone=l.phone/>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                }.into_any(),
                Outcome::Failed(failure) => view! { <Problem failure=failure/> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn GroupBoard(board: Board) -> impl IntoView {
    view! {
        {move || board.composition.get().map(|composition| {
            let count = composition.groups.len();
            view! {
                <div class="groups">
                    {composition.groups.into_iter().map(|group| view! {
                        <GroupCard board=board group=group count=count/>
                    }).collect_view()}
                </div>
            }
        })}
    }
}

#[component]
fn GroupCard(board: Board, group: GroupView, count: usize) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    let number = group.index + 1;
    let heading = format!("group-{number}");
    let size = group.members.len();
    // The saved group this card shows, when the board is what was saved:
    // its own name (an organiser names hers) and whether she is in it.
    let saved = board.saved.with_untracked(|s| {
        s.as_ref()
            .filter(|s| !board.dirty.get_untracked() && s.groups.len() == count)
            .and_then(|s| s.groups.get(group.index).cloned())
    });
    let name = saved.as_ref().map(|g| g.name.clone());
    let organiser_in = saved.as_ref().is_some_and(|g| g.organiser_in);
    let frozen = board.handed_over();
    // Free afternoons are the families'; helpers said none.
    let families = group.members.iter().any(|m| m.family.is_some());
    let shared = group.shared_days.clone();
    let shared_class = if shared.is_empty() {
        "shared none"
    } else {
        "shared"
    };
    let reasons = group.reasons.clone();
    // Moving families by hand may leave a group outside the sizes asked
    // for: said on the group, against the sizes in the form right now.
    let size_warning = move || {
        if frozen {
            return None;
        }
        let read = |field: RwSignal<String>| field.get().trim().parse::<usize>().ok();
        match (read(board.min), read(board.max)) {
            (Some(min), _) if size < min => Some(format!("{} {min}", t(Key::TooFew))),
            (_, Some(max)) if size > max => Some(format!("{} {max}", t(Key::TooMany))),
            _ => None,
        }
    };
    view! {
        <section class="card group" aria-labelledby=heading.clone() data-group=number.to_string()>
            <h2 id=heading.clone()>
                {move || name.clone().unwrap_or_else(|| format!("{} {number}", t(Key::Group)))}
                " · "{size}" "{move || t(if size == 1 { Key::Person } else { Key::Families })}
            </h2>
            {organiser_in.then(|| view! { <p class="muted">{move || t(Key::OrganiserIn)}</p> })}
            {move || size_warning().map(|text| view! { <p class="shared none size-warning">{text}</p> })}
            {families.then(|| view! {
                <p class=shared_class>
                    {move || if shared.is_empty() {
                        t(Key::NoSharedAfternoon).to_string()
                    } else {
                        format!("{}: {}", t(Key::SharedAfternoons),
                            shared.iter().map(|d| i18n::weekday(lang(), *d)).collect::<Vec<_>>().join(", "))
                    }}
                </p>
            })}
            <ul class="reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            <ul class="members">
                {group.members.into_iter().map(|member| view! {
                    <FamilyLine board=board member=member group=group.index count=count/>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn FamilyLine(board: Board, member: JoinedMember, group: usize, count: usize) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    let id = member.signup_id;
    let new_in_area = member.family.as_ref().is_some_and(|f| f.new_in_area);
    // A family shows its details; anyone else the need they joined for.
    let about = match member.family {
        Some(family) => {
            let band = family.child_age_band;
            let details = format!("{} · {}", family.area, family.languages.join(", "));
            let days = family.free_afternoons;
            view! {
                {move || i18n::age_band(lang(), band)}" · "{details}" · "
                {move || days.iter().map(|d| i18n::weekday(lang(), *d)).collect::<Vec<_>>().join(", ")}
            }
            .into_any()
        }
        None => member.need.unwrap_or_default().into_any(),
    };
    let move_id = format!("move-{id}");
    let lock_id = format!("lock-{id}");
    let name = member.name.clone();
    let label = member.name.clone();
    let frozen = move || board.busy.get() || board.handed_over();
    view! {
        <li class="family" data-family=label>
            <strong dir="auto">{member.name}</strong>
            {new_in_area.then(|| view! { " "<span class="badge new">{move || t(Key::NewInArea)}</span> })}
            <br/>
            <span class="muted" dir="auto">{about}</span>
            <div class="family-controls">
                <label for=move_id.clone() class="visually-hidden">{move || format!("{} {}", t(Key::MoveTo), name)}</label>
                <select id=move_id disabled=frozen
                    on:change=move |e| {
                        if let Ok(to) = event_target_value(&e).parse::<usize>() {
                            if to != group { board.move_family(id, to); }
                        }
                    }>
                    {(0..count).map(|g| view! {
                        <option value=g.to_string() selected=g == group>
                            {move || format!("{} {}", t(Key::Group), g + 1)}
                        </option>
                    }).collect_view()}
                </select>
                <span class="check">
                    <input type="checkbox" id=lock_id.clone() disabled=frozen
                        prop:checked=move || board.locked.with(|l| l.contains(&id))
                        on:change=move |e| {
                            let on = event_target_checked(&e);
                            board.locked.update(|l| { if on { l.insert(id); } else { l.remove(&id); } });
                        }/>
                    <label for=lock_id>{move || t(Key::Lock)}</label>
                </span>
            </div>
        </li>
    }
}

/// What the families answered after their dates, anonymous unless shared.
#[component]
fn CheckIns(id: Uuid) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let answers = LocalResource::new(move || api::check_ins(id));
    view! {
        <section class="card check-ins" aria-labelledby="check-ins-heading">
            <h2 id="check-ins-heading">{move || t(Key::CheckInsHeading)}</h2>
            <p class="hint">{move || t(Key::CheckInsIntro)}</p>
            {move || answers.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => view! { <p class="empty">{t(Key::NoCheckIns)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="answers">
                        {list.into_iter().map(|a| {
                            let how = match a.how {
                                HowItWent::Good => Key::WentGood,
                                HowItWent::Mixed => Key::WentMixed,
                                HowItWent::Bad => Key::WentBad,
                            };
                            view! {
                                <li>
                                    <strong>{move || t(how)}</strong>" · "{a.group_name.clone()}" · "
                                    {a.name.clone().unwrap_or_else(|| t(Key::Anonymous).to_string())}
                                    {a.change.clone().map(|c| view! { <br/>{t(Key::ToChange)}" "{c} })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(failure) => view! { <Problem failure=failure/> }.into_any(),
            })}
        </section>
    }
}

/// Whether the handed-over groups are alive: when each last did anything and
/// how many dates it held — nothing of what the members wrote.
#[component]
fn Alive(board: Board) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    view! {
        <section class="card alive" aria-labelledby="alive-heading">
            <h2 id="alive-heading">{move || t(Key::GroupsAlive)}</h2>
            <ul>
                {move || board.saved.get().map(|saved| saved.groups.into_iter().map(|g| {
                    let last = g.last_activity_at.clone();
                    view! {
                        <li data-group-name=g.name.clone()>
                            <strong>{g.name.clone()}</strong>" · "
                            {move || t(Key::LastActivity)}" "
                            {move || match &last {
                                Some(at) => i18n::time(lang(), at),
                                None => t(Key::NoActivityYet).to_string(),
                            }}
                            " · "{g.dates_held}" "{move || t(Key::FigDatesHeld).to_lowercase()}
                            <ul class="members">
                                {g.members.into_iter().map(|m| view! { <NewLink member=m/> }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view())}
            </ul>
        </section>
    }
}

/// A member of a handed-over group, with a button to make their link again
/// when the family lost it: the old one stops; the new one goes by email, or
/// is shown here to pass on.
#[component]
fn NewLink(member: JoinedMember) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let answer: RwSignal<Option<Result<ReissuedLink, Failure>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let id = member.signup_id;
    let name = member.name.clone();
    let label = member.name.clone();
    let phone: Option<String> = None;
    let reissue = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            answer.set(Some(api::reissue_link(id).await));
            busy.set(false);
        });
    };
    view! {
        <li>
            {member.name}" "
            <button type="button" class="secondary"
                aria-label=move || format!("{} {}", t(Key::NewLink), name)
                aria-disabled=move || busy.get().then_some("true")
                on:click=reissue>
                {move || t(Key::NewLink)}
            </button>
            <span role="status">
                {move || answer.get().map(|a| match a {
                    Ok(ReissuedLink { link: Some(link), .. }) => view! {
                        {t(Key::NewLinkToPassOn)}
                        <PassOnLink name=label.clone() link=link phone=phone.clone()/>
                    }.into_any(),
                    Ok(_) => view! { {t(Key::NewLinkEmailed)} }.into_any(),
                    Err(failure) => view! { <Problem failure=failure/> }.into_any(),
                })}
            </span>
        </li>
    }
}

/// A private link to pass on by hand: shown, with a button that copies it
/// and, when there is a phone number, one that opens a text message with it.
#[component]
fn PassOnLink(name: String, link: String, phone: Option<String>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let copied = RwSignal::new(None::<Key>);
    let text = link.clone();
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
            copied.set(Some(if done.is_ok() {
                Key::LinkCopied
            } else {
                Key::CopyFailed
            }));
        });
    };
    let sms = phone.map(|phone| {
        let number: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
        let body = js_sys::encode_uri_component(&link);
        format!("sms:{number}?body={body}")
    });
    let copy_label = format!("{} {name}", t(Key::CopyLink));
    let sms_label = format!("{} {name}", t(Key::SendBySms));
    view! {
        <br/><code class="link">{link}</code>
        <div class="actions compact">
            <button type="button" class="secondary" aria-label=copy_label on:click=copy>
                {move || t(Key::CopyLink)}
            </button>
            {sms.map(|href| view! {
                <a class="button secondary" href=href aria-label=sms_label>{move || t(Key::SendBySms)}</a>
            })}
            <span role="status">{move || copied.get().map(t)}</span>
        </div>
    }
}
