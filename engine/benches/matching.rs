//! How long ranking takes as the offers grow: 1 000, 10 000, 100 000 offers
//! for one need (snow shovels, weekday mornings, a place), keeping the top 20.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sammen_engine::matching::{rank, Need, Offer};
use sammen_shared::geo::GeoPoint;
use sammen_shared::offer::Area;
use sammen_shared::week::{Weekday, WeeklySlot};
use uuid::Uuid;

const OTTERUP: GeoPoint = GeoPoint {
    lat: 55.5151,
    lon: 10.3976,
};

/// Offers spread over ≈ 40 × 40 km around Otterup, a third with a shovel,
/// free one to three weekday slots each.
fn offers(count: usize) -> Vec<Offer> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let r = next();
            let tools = match r % 3 {
                0 => vec!["Sneskovl".to_string()],
                1 => vec!["trailer".to_string(), "skovl".to_string()],
                _ => vec!["stige".to_string()],
            };
            let slots = (0..1 + (r >> 8) % 3)
                .map(|s| {
                    let day = Weekday::ALL[((r >> (12 + s * 3)) % 7) as usize];
                    let from = 6 + (r >> (20 + s * 4)) % 12;
                    WeeklySlot {
                        day,
                        from: format!("{from:02}:00"),
                        to: format!("{:02}:30", from + 2),
                    }
                })
                .collect();
            let (dlat, dlon) = (
                ((r >> 32) % 1000) as f64 / 1000.0 - 0.5,
                ((r >> 42) % 1000) as f64 / 1000.0 - 0.5,
            );
            Offer {
                offer_id: Uuid::from_u128(i as u128),
                skills: vec![],
                tools,
                slots,
                area: Area {
                    name: "Nordfyn".into(),
                    point: Some(GeoPoint {
                        lat: OTTERUP.lat + dlat * 0.36,
                        lon: OTTERUP.lon + dlon * 0.64,
                    }),
                    radius_km: 3 + ((r >> 52) % 20) as u32,
                },
                languages: vec!["da".into()],
            }
        })
        .collect()
}

fn need() -> Need {
    Need {
        tools: vec!["snow shovel".into()],
        place: Some(OTTERUP),
        slots: Weekday::ALL[..5]
            .iter()
            .map(|day| WeeklySlot {
                day: *day,
                from: "07:00".into(),
                to: "09:00".into(),
            })
            .collect(),
        people: 3,
        languages: vec![],
        ..Default::default()
    }
}

fn ranking(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank");
    let need = need();
    for count in [1_000, 10_000, 100_000] {
        let offers = offers(count);
        group.throughput(Throughput::Elements(count as u64));
        group.sample_size(if count >= 100_000 { 20 } else { 50 });
        group.bench_with_input(BenchmarkId::from_parameter(count), &offers, |b, offers| {
            b.iter(|| rank(&need, offers, 20))
        });
    }
    group.finish();
}

criterion_group!(benches, ranking);
criterion_main!(benches);
