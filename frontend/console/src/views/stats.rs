//! What came of it: the figures per institution and category as a table and
//! as plain SVG bar charts drawn here (no chart library), and the same
//! figures as CSV. Counts only: no person data reaches this screen.

use std::collections::BTreeMap;

use leptos::prelude::*;
use sammen_shared::stats::{Stats, StatsRow};

use crate::api;
use crate::app::Console;
use crate::i18n::Key;
use crate::views::notice::Problem;

#[component]
pub fn Figures() -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    // The period (a budget year, a season): both days included, either open.
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let period = move || {
        let mut query = Vec::new();
        if !from.get().is_empty() {
            query.push(format!("from={}", from.get()));
        }
        if !to.get().is_empty() {
            query.push(format!("to={}", to.get()));
        }
        if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        }
    };
    let stats = LocalResource::new(move || api::stats(period()));
    let csv = move || format!("/api/v1/admin/stats.csv{}", period());
    view! {
        <h1>{move || t(Key::StatsHeading)}</h1>
        <p class="intro">{move || t(Key::StatsIntro)}</p>
        <fieldset class="period">
            <legend>{move || t(Key::Period)}</legend>
            <label for="period-from">{move || t(Key::PeriodFrom)}</label>
            <input id="period-from" type="date" prop:value=move || from.get()
                on:change=move |e| from.set(event_target_value(&e))/>
            <label for="period-to">{move || t(Key::PeriodTo)}</label>
            <input id="period-to" type="date" prop:value=move || to.get()
                on:change=move |e| to.set(event_target_value(&e))/>
        </fieldset>
        <p><a class="button secondary" href=csv download="sammen-stats.csv">{move || t(Key::DownloadCsv)}</a></p>
        <Transition fallback=move || view! { <p role="status">{t(Key::Loading)}</p> }>
            {move || stats.get().map(|answer| match answer {
                Ok(stats) => view! { <Loaded stats=stats/> }.into_any(),
                Err(failure) => view! {
                    <Problem failure=failure retry=Callback::new(move |_| stats.refetch())/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Sums the rows by a key (institution or category).
fn by(rows: &[StatsRow], key: impl Fn(&StatsRow) -> String) -> Vec<(String, StatsRow)> {
    let mut sums: BTreeMap<String, StatsRow> = BTreeMap::new();
    for row in rows {
        sums.entry(key(row)).or_default().add(row);
    }
    sums.into_iter().collect()
}

#[component]
fn Loaded(stats: Stats) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    let lang = move || console.lang.get();
    if stats.rows.is_empty() {
        return view! { <p class="empty">{move || t(Key::NoFigures)}</p> }.into_any();
    }
    let institutions = by(&stats.rows, |r| {
        r.institution
            .as_deref()
            .map(|slug| console.institution_name(slug))
            .unwrap_or_else(|| t(Key::NoInstitution).to_string())
    });
    let categories = by(&stats.rows, |r| console.category_name(&r.category));
    let total = stats.total.clone();
    let hours = move |h: f64| match lang() {
        sammen_shared::Lang::Da => format!("{h:.1}").replace('.', ","),
        sammen_shared::Lang::En => format!("{h:.1}"),
    };
    view! {
        <div class="figures-summary">
            <Figure label=Key::FigProposed value=total.proposed.to_string()/>
            <Figure label=Key::FigRunning value=total.running.to_string()/>
            <Figure label=Key::FigPeople value=total.people.to_string()/>
            <Figure label=Key::FigNewcomers value=total.newcomers.to_string()/>
            <Figure label=Key::FigDatesHeld value=total.dates_held.to_string()/>
            <Figure label=Key::FigHoursOffered value=hours(stats.volunteer_hours_offered)/>
            <Figure label=Key::FigHoursUsed value=hours(total.volunteer_hours_used)/>
            <Figure label=Key::FigWentWell value=format!("{} / {} / {}", total.went_well, total.went_mixed, total.went_badly)/>
        </div>
        <div class="charts">
            <Chart title=Key::ChartByInstitution rows=institutions.clone()/>
            <Chart title=Key::ChartByCategory rows=categories.clone()/>
        </div>
        <h2>{move || t(Key::FiguresTable)}</h2>
        <div class="table-wrap">
            <table class="figures">
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::ColInstitution)}</th>
                        <th scope="col">{move || t(Key::ColCategory)}</th>
                        <th scope="col">{move || t(Key::FigProposed)}</th>
                        <th scope="col">{move || t(Key::FigPublished)}</th>
                        <th scope="col">{move || t(Key::FigRunning)}</th>
                        <th scope="col">{move || t(Key::FigCompleted)}</th>
                        <th scope="col">{move || t(Key::FigPeople)}</th>
                        <th scope="col">{move || t(Key::FigFamilies)}</th>
                        <th scope="col">{move || t(Key::FigNewcomers)}</th>
                        <th scope="col">{move || t(Key::FigDatesHeld)}</th>
                        <th scope="col">{move || t(Key::FigWentWell)}</th>
                    </tr>
                </thead>
                <tbody>
                    {stats.rows.into_iter().map(|row| {
                        let institution = row.institution.clone();
                        let category = row.category.clone();
                        view! {
                            <tr>
                                <td>{move || institution.as_deref().map(|s| console.institution_name(s)).unwrap_or_else(|| t(Key::NoInstitution).to_string())}</td>
                                <td>{move || console.category_name(&category)}</td>
                                <td>{row.proposed}</td>
                                <td>{row.published}</td>
                                <td>{row.running}</td>
                                <td>{row.completed}</td>
                                <td>{row.people}</td>
                                <td>{row.families}</td>
                                <td>{row.newcomers}</td>
                                <td>{row.dates_held}</td>
                                <td>{format!("{} / {} / {}", row.went_well, row.went_mixed, row.went_badly)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Figure(label: Key, value: String) -> impl IntoView {
    let console = expect_context::<Console>();
    view! {
        <div class="figure">
            <span class="value">{value}</span>
            <span class="label">{move || console.t(label)}</span>
        </div>
    }
}

/// Horizontal bars: proposed, running and completed per name, on one scale.
/// The numbers are written next to the bars and the chart has a text
/// alternative, so nothing depends on seeing the colours.
#[component]
fn Chart(title: Key, rows: Vec<(String, StatsRow)>) -> impl IntoView {
    let console = expect_context::<Console>();
    let t = move |key| console.t(key);
    const LABEL: f64 = 190.0;
    const WIDTH: f64 = 560.0;
    const BAR: f64 = 12.0;
    const ROW: f64 = 3.0 * BAR + 16.0;
    let max = rows
        .iter()
        .map(|(_, r)| r.proposed.max(r.running).max(r.completed))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let scale = (WIDTH - LABEL - 40.0) / max;
    let height = ROW * rows.len() as f64 + 30.0;
    let summary = rows
        .iter()
        .map(|(name, r)| format!("{name}: {} / {} / {}", r.proposed, r.running, r.completed))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (name, row))| {
            let top = i as f64 * ROW;
            let bar = |n: usize, value: u32, class: &'static str| {
                let y = top + n as f64 * BAR;
                let width = (f64::from(value) * scale).max(1.0);
                view! {
                    <rect class=class x=LABEL y=y width=width height=BAR - 2.0/>
                    <text class="bar-value" x=LABEL + width + 4.0 y=y + BAR - 3.0>{value}</text>
                }
            };
            view! {
                <text class="bar-label" x="0" y=top + 1.6 * BAR>{name}</text>
                {bar(0, row.proposed, "bar proposed")}
                {bar(1, row.running, "bar running")}
                {bar(2, row.completed, "bar completed")}
            }
        })
        .collect_view();
    view! {
        <figure class="card chart">
            <figcaption><h2>{move || t(title)}</h2></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img"
                aria-label=move || format!("{}: {}", t(title), summary)>
                {bars}
                <g class="legend" transform=format!("translate({LABEL} {})", height - 14.0)>
                    <rect class="bar proposed" x="0" y="0" width="12" height="12"/>
                    <text x="16" y="11">{move || t(Key::FigProposed)}</text>
                    <rect class="bar running" x="120" y="0" width="12" height="12"/>
                    <text x="136" y="11">{move || t(Key::FigRunning)}</text>
                    <rect class="bar completed" x="240" y="0" width="12" height="12"/>
                    <text x="256" y="11">{move || t(Key::FigCompleted)}</text>
                </g>
            </svg>
        </figure>
    }
}
