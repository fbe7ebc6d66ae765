//! What came of it: the figures a coordinator and the municipality admin
//! see per institution and category. Counts only — no person data — so the
//! same figures can leave as CSV.

use serde::{Deserialize, Serialize};

use crate::week::WeeklySlot;

/// The figures of one institution and category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsRow {
    /// `None`: the municipality's own initiatives.
    pub institution: Option<String>,
    pub category: String,
    /// Every initiative ever proposed (in any state).
    pub proposed: u32,
    /// Published now.
    pub published: u32,
    /// Published and someone joined.
    pub running: u32,
    pub completed: u32,
    /// People and families who joined (each signup counts once).
    pub people: u32,
    /// Of those, families (playdate and walking groups).
    pub families: u32,
    /// Families new in the area.
    pub newcomers: u32,
    /// Group dates marked as held.
    pub dates_held: u32,
    /// Hours a week of help that volunteers who said yes give to these
    /// initiatives' needs.
    pub volunteer_hours_used: f64,
    /// Members' answers to "how did it go?" after held dates, by answer.
    #[serde(default)]
    pub went_well: u32,
    #[serde(default)]
    pub went_mixed: u32,
    #[serde(default)]
    pub went_badly: u32,
}

/// The period the figures cover: dates (`YYYY-MM-DD`, both days included);
/// either end may be open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Period {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The figures, per institution and category, with the whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
    /// Hours a week all offers of help together hold.
    pub volunteer_hours_offered: f64,
}

impl StatsRow {
    /// Adds `other`'s figures to these.
    pub fn add(&mut self, other: &StatsRow) {
        self.proposed += other.proposed;
        self.published += other.published;
        self.running += other.running;
        self.completed += other.completed;
        self.people += other.people;
        self.families += other.families;
        self.newcomers += other.newcomers;
        self.dates_held += other.dates_held;
        self.volunteer_hours_used += other.volunteer_hours_used;
        self.went_well += other.went_well;
        self.went_mixed += other.went_mixed;
        self.went_badly += other.went_badly;
    }
}

/// Hours a week in these slots (unreadable slots count nothing).
pub fn weekly_hours(slots: &[WeeklySlot]) -> f64 {
    slots
        .iter()
        .filter_map(WeeklySlot::minutes)
        .map(|(from, to)| f64::from(to.saturating_sub(from)) / 60.0)
        // A fold from +0.0: `sum` of no floats is -0.0, shown as "-0,0".
        .fold(0.0, |total, hours| total + hours)
}

/// The header of the CSV export, in the order of [`csv_line`].
pub const CSV_HEADER: &str = "institution,category,proposed,published,running,completed,people,\
families,newcomers,dates_held,volunteer_hours_used_per_week,went_well,went_mixed,went_badly";

/// One row as CSV. Slugs only (no free text), so nothing needs quoting
/// but the institution, which is quoted anyway.
pub fn csv_line(row: &StatsRow) -> String {
    format!(
        "\"{}\",\"{}\",{},{},{},{},{},{},{},{},{:.1},{},{},{}",
        row.institution
            .as_deref()
            .unwrap_or("")
            .replace('"', "\"\""),
        row.category.replace('"', "\"\""),
        row.proposed,
        row.published,
        row.running,
        row.completed,
        row.people,
        row.families,
        row.newcomers,
        row.dates_held,
        row.volunteer_hours_used,
        row.went_well,
        row.went_mixed,
        row.went_badly
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::week::Weekday;

    #[test]
    fn hours_add_up_over_slots() {
        let slot = |from: &str, to: &str| WeeklySlot {
            day: Weekday::Mon,
            from: from.into(),
            to: to.into(),
        };
        assert_eq!(
            weekly_hours(&[slot("07:00", "09:00"), slot("15:30", "17:00")]),
            3.5
        );
        assert_eq!(weekly_hours(&[slot("nonsense", "09:00")]), 0.0);
        assert!(
            weekly_hours(&[]).is_sign_positive(),
            "no hours is 0, not -0"
        );
    }

    #[test]
    fn csv_lines_match_the_header() {
        let line = csv_line(&StatsRow {
            institution: Some("regnbuen".into()),
            category: "playdate_group".into(),
            proposed: 2,
            ..StatsRow::default()
        });
        assert_eq!(line.split(',').count(), CSV_HEADER.split(',').count());
        assert!(line.starts_with("\"regnbuen\",\"playdate_group\",2,"));
    }
}
