//! "When are you usually free?" as a grid of weekdays × parts of the day:
//! a phone answers it with taps, and each tick becomes the weekly slot the
//! matching engine compares with a need's times.

use leptos::prelude::*;
use sammen_shared::week::{part_slot, Weekday, WeeklySlot, DAY_PARTS};

use crate::draft::{flag_text, FormDraft};
use crate::i18n::{self, t, Key};
use crate::views::form::Checkbox;

/// The names of [`DAY_PARTS`]: morning, afternoon and evening.
const PARTS: [Key; 3] = [Key::Morning, Key::Afternoon, Key::Evening];

/// The 21 ticks of one form, day by day, kept in the form's draft under
/// `{field}.{n}`.
#[derive(Clone)]
pub struct WeekGrid {
    field: &'static str,
    ticks: Vec<RwSignal<bool>>,
}

impl WeekGrid {
    pub fn open(draft: &FormDraft, field: &'static str) -> WeekGrid {
        let ticks = (0..Weekday::ALL.len() * PARTS.len())
            .map(|n| draft.flag(&format!("{field}.{n}")))
            .collect();
        WeekGrid { field, ticks }
    }

    /// The ticks as draft fields (read tracked, so the draft follows them).
    pub fn draft_fields(&self, fields: &mut Vec<(String, String)>) {
        for (n, tick) in self.ticks.iter().enumerate() {
            fields.push((format!("{}.{n}", self.field), flag_text(tick.get())));
        }
    }

    /// One weekly slot per tick.
    pub fn slots(&self) -> Vec<WeeklySlot> {
        self.ticks
            .iter()
            .enumerate()
            .filter(|(_, tick)| tick.get_untracked())
            .map(|(n, _)| part_slot(Weekday::ALL[n / DAY_PARTS.len()], n % DAY_PARTS.len()))
            .collect()
    }
}

/// A row per weekday, a group named by the day, with a box per part of the
/// day named by its part: built from the same [`Checkbox`] as every other
/// tick in the widget (a new kind of control would cost the wasm more),
/// with the label kept for screen readers and the columns' heads shown.
#[component]
pub fn WeekTimes(grid: WeekGrid, legend: Key) -> impl IntoView {
    let mut ticks = grid.ticks.into_iter();
    let days = Weekday::ALL.map(|day| {
        let boxes: Vec<_> = PARTS
            .iter()
            .zip(ticks.by_ref())
            .enumerate()
            .map(|(part_index, (&part, tick))| {
                let n = day as usize * PARTS.len() + part_index;
                view! {
                    <Checkbox name=format!("{}.{n}", grid.field)
                        label=i18n::live(move |lang| i18n::text(lang, part).to_string()) checked=tick/>
                }
            })
            .collect();
        view! {
            <fieldset class="day">
                <legend>{i18n::live(move |lang| i18n::weekday(lang, day).to_string())}</legend>
                {boxes}
            </fieldset>
        }
    });
    view! {
        <fieldset class="week">
            <legend>{t(legend)}</legend>
            // Column heads for the eye, short enough for a phone; each box's
            // own name says the part of the day and these hours.
            <div class="wh" aria-hidden="true">
                <span></span>
                <span>"8–12"</span>
                <span>"12–17"</span>
                <span>"17–21"</span>
            </div>
            {days}
        </fieldset>
    }
}
