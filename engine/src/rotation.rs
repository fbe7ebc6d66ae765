//! Host rotation: who should host the group's next date. Fair first (who
//! hosted least), then whose free days include the date's, then who hosted
//! longest ago, then the order they joined — so the same group and date
//! always give the same suggestion.

pub use sammen_shared::group::HostReason;
use sammen_shared::week::Weekday;
use uuid::Uuid;

/// A member as the rotation sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub member_id: Uuid,
    /// Dates hosted or accepted to host, not cancelled.
    pub hosted: u32,
    /// Days they are free (empty: they did not say).
    pub free_days: Vec<Weekday>,
    /// When they last hosted, as any ordered stamp (seconds); `None` if never.
    pub last_hosted: Option<i64>,
}

/// The member who should host a date on `day`, skipping `exclude` (say, the
/// host who just passed the date on). `None` when nobody is left.
pub fn next_host(
    members: &[Candidate],
    day: Weekday,
    exclude: &[Uuid],
) -> Option<(Uuid, HostReason)> {
    let eligible: Vec<(usize, &Candidate)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !exclude.contains(&m.member_id))
        .collect();
    let fewest = eligible.iter().map(|(_, m)| m.hosted).min()?;
    let least: Vec<&(usize, &Candidate)> = eligible
        .iter()
        .filter(|(_, m)| m.hosted == fewest)
        .collect();
    let free: Vec<&&(usize, &Candidate)> = least
        .iter()
        .filter(|(_, m)| m.free_days.contains(&day))
        .collect();
    let (pool, reason): (Vec<&(usize, &Candidate)>, HostReason) = if free.is_empty() {
        (least, HostReason::Fewest)
    } else {
        (
            free.into_iter().copied().collect(),
            HostReason::FewestAndFree,
        )
    };
    pool.into_iter()
        // Never hosted sorts first (None < Some), then longest ago, then the
        // order they joined.
        .min_by_key(|(position, m)| (m.last_hosted, *position))
        .map(|(_, m)| (m.member_id, reason))
}

/// Who takes each of a series of dates (a rota of mornings), in order:
/// each date goes to [`next_host`] as if the dates before it were already
/// taken, so a series goes round the group. `dates` are each date's weekday
/// and stamp (as [`Candidate::last_hosted`]), earliest first; `members` are
/// updated with the turns they get.
pub fn take_turns(
    members: &mut [Candidate],
    dates: &[(Weekday, i64)],
) -> Vec<Option<(Uuid, HostReason)>> {
    dates
        .iter()
        .map(|&(day, stamp)| {
            let turn = next_host(members, day, &[])?;
            if let Some(member) = members.iter_mut().find(|m| m.member_id == turn.0) {
                member.hosted += 1;
                member.last_hosted = Some(stamp);
            }
            Some(turn)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::{Mon, Thu, Tue};

    fn member(n: u128, hosted: u32, days: &[Weekday], last: Option<i64>) -> Candidate {
        Candidate {
            member_id: Uuid::from_u128(n),
            hosted,
            free_days: days.to_vec(),
            last_hosted: last,
        }
    }

    #[test]
    fn who_hosted_least_hosts_next() {
        let members = [
            member(1, 2, &[Thu], Some(10)),
            member(2, 1, &[Thu], Some(20)),
            member(3, 1, &[Mon], Some(5)),
        ];
        assert_eq!(
            next_host(&members, Thu, &[]),
            Some((Uuid::from_u128(2), HostReason::FewestAndFree))
        );
    }

    #[test]
    fn among_equals_the_free_one_then_the_longest_ago() {
        let members = [
            member(1, 0, &[Mon], None),
            member(2, 0, &[Tue], None),
            member(3, 0, &[Tue], None),
        ];
        assert_eq!(next_host(&members, Tue, &[]).unwrap().0, Uuid::from_u128(2));
        let members = [
            member(1, 1, &[Tue], Some(50)),
            member(2, 1, &[Tue], Some(40)),
        ];
        assert_eq!(next_host(&members, Tue, &[]).unwrap().0, Uuid::from_u128(2));
    }

    #[test]
    fn when_nobody_is_free_the_fewest_still_host() {
        let members = [member(1, 1, &[Mon], None), member(2, 0, &[Mon], None)];
        assert_eq!(
            next_host(&members, Thu, &[]),
            Some((Uuid::from_u128(2), HostReason::Fewest))
        );
    }

    #[test]
    fn a_swap_passes_the_date_on() {
        let members = [member(1, 0, &[Thu], None), member(2, 0, &[Thu], None)];
        let first = next_host(&members, Thu, &[]).unwrap().0;
        let second = next_host(&members, Thu, &[first]).unwrap().0;
        assert_ne!(first, second);
        assert_eq!(next_host(&members, Thu, &[first, second]), None);
    }

    #[test]
    fn a_rota_of_mornings_goes_round_the_group_and_minds_free_days() {
        use Weekday::{Fri, Wed};
        // Three helpers; the third can only do Mondays. Two weeks of
        // Monday–Friday mornings.
        let mut members = vec![
            member(1, 0, &[], None),
            member(2, 0, &[], None),
            member(3, 0, &[Mon], None),
        ];
        let week = [Mon, Tue, Wed, Thu, Fri];
        let dates: Vec<(Weekday, i64)> = (0..10).map(|i| (week[i % 5], i as i64)).collect();
        let turns = take_turns(&mut members, &dates);
        let who: Vec<u128> = turns.iter().map(|t| t.unwrap().0.as_u128()).collect();
        // Fewest first: the Monday-only helper takes the first Monday (free
        // that day), then the others in turn; counts stay within one.
        assert_eq!(who[0], 3);
        assert_eq!(turns[0].unwrap().1, HostReason::FewestAndFree);
        let count = |n: u128| who.iter().filter(|w| **w == n).count();
        assert_eq!(count(1) + count(2) + count(3), 10);
        assert!(
            [count(1), count(2), count(3)]
                .iter()
                .all(|c| (3..=4).contains(c)),
            "{who:?}"
        );
        assert_eq!(members.iter().map(|m| m.hosted).sum::<u32>(), 10);
        // The same series, the same turns.
        let mut again = vec![
            member(1, 0, &[], None),
            member(2, 0, &[], None),
            member(3, 0, &[Mon], None),
        ];
        assert_eq!(take_turns(&mut again, &dates), turns);
        assert_eq!(take_turns(&mut [], &dates), vec![None; 10]);
    }

    #[test]
    fn a_round_of_dates_visits_everybody_once() {
        let mut members: Vec<Candidate> = (1..=5).map(|n| member(n, 0, &[Thu], None)).collect();
        let mut hosts = Vec::new();
        for stamp in 0..5 {
            let (id, _) = next_host(&members, Thu, &[]).unwrap();
            let m = members.iter_mut().find(|m| m.member_id == id).unwrap();
            m.hosted += 1;
            m.last_hosted = Some(stamp);
            hosts.push(id);
        }
        hosts.sort();
        hosts.dedup();
        assert_eq!(hosts.len(), 5);
    }
}
