//! The composer's quality against the exhaustive optimum (printed first), and
//! how long composing takes for 50, 500 and 2 000 families.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sammen_engine::composer::{compose, Rules};
use sammen_engine::quality::{quality_report, random_instance};

fn quality(c: &mut Criterion) {
    let report = quality_report(200, 2024);
    println!(
        "quality on {} instances of 4-12 families: mean ratio {:.4}, worst {:.4}, optimal {}, \
         missed a shared day {}; greedy start only: mean {:.4}, worst {:.4}; random: mean {:.4}",
        report.instances,
        report.mean_ratio,
        report.worst_ratio,
        report.optimal,
        report.missed_days,
        report.greedy_mean_ratio,
        report.greedy_worst_ratio,
        report.random_mean_ratio
    );
    let instance = random_instance(12, 12);
    c.bench_function("compose/12 (one quality instance)", |b| {
        b.iter(|| compose(&instance.members, &instance.rules, 1))
    });
}

fn composing(c: &mut Criterion) {
    let mut group = c.benchmark_group("compose");
    group.sample_size(10);
    for count in [50, 500, 2_000] {
        // Spread the families like a real municipality: more of them, more
        // room (≈ 6 km around Billund for 50, wider for more).
        let mut instance = random_instance(count as u64, count);
        let spread = (count as f64 / 50.0).sqrt();
        for member in &mut instance.members {
            if let Some(point) = member.point.as_mut() {
                point.lat = 55.7308 + (point.lat - 55.7308) * spread;
                point.lon = 9.1153 + (point.lon - 9.1153) * spread;
            }
        }
        let rules = Rules::sizes(4, 6);
        group.throughput(Throughput::Elements(count as u64));
        group.measurement_time(Duration::from_secs(if count >= 2_000 { 40 } else { 10 }));
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &instance.members,
            |b, members| b.iter(|| compose(members, &rules, 7)),
        );
    }
    group.finish();
}

criterion_group!(benches, quality, composing);
criterion_main!(benches);
