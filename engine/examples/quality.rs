//! Prints how close the composer gets to the exhaustive optimum on 200 random
//! small instances (4 to 12 families):
//! `cargo run -p sammen-engine --release --example quality [count] [seed]`.

use sammen_engine::quality::quality_report;

fn main() {
    let mut args = std::env::args().skip(1);
    let count = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(2024);
    let started = std::time::Instant::now();
    let report = quality_report(count, seed);
    println!(
        "composer vs exhaustive optimum, {} instances (seed {seed})",
        report.instances
    );
    println!("  mean ratio            {:.4}", report.mean_ratio);
    println!("  worst ratio           {:.4}", report.worst_ratio);
    println!(
        "  optimal               {} of {}",
        report.optimal, report.instances
    );
    println!("  missed a shared day   {}", report.missed_days);
    println!(
        "  greedy start only     mean {:.4}, worst {:.4}",
        report.greedy_mean_ratio, report.greedy_worst_ratio
    );
    println!(
        "  random partition      mean {:.4}",
        report.random_mean_ratio
    );
    println!("  took {:.1} s", started.elapsed().as_secs_f64());
}
