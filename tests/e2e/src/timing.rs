//! Figures the window benchmarks take: timings read back from the page, and their
//! percentiles.

/// The value at fraction `p` (0–1) of `sorted`, nearest rank.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A page's array of timings (ms), sorted.
pub fn sorted(v: &serde_json::Value) -> Vec<f64> {
    let mut out: Vec<f64> = serde_json::from_value(v.clone()).expect("an array of numbers");
    out.sort_by(f64::total_cmp);
    out
}
