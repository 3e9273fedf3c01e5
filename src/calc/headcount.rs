//! Head counts in whole people: productive reps after shrinkage, the reps needed for a number
//! of productive ones, and the fewest that keep up with a load. Shrinkage is applied in integer
//! arithmetic on parts per million, so 90 reps at 30% shrinkage are exactly 63 productive reps
//! (a naive `f64` product is 62.999… and floors to 62).

/// Shrinkage in parts per million, the unit in which head counts are computed exactly.
fn shrinkage_ppm(shrinkage: f64) -> u64 {
    // Clamped to [0, 1): callers validate; a shrinkage of 1 would leave nobody.
    let s = if shrinkage.is_finite() { shrinkage.clamp(0.0, 0.999_999) } else { 0.0 };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let ppm = (s * 1e6).round() as u64;
    ppm
}

/// Productive reps `floor(reps × (1 − shrinkage))`, exact: shrinkage is taken to the nearest
/// millionth and the floor done in integers (90 reps at 0.30 → 63, not 62). Shrinkage outside
/// [0, 1) is clamped into it (callers validate first).
#[must_use]
pub fn productive_reps(reps: u32, shrinkage: f64) -> u32 {
    let keep = 1_000_000 - shrinkage_ppm(shrinkage);
    u32::try_from(u64::from(reps) * keep / 1_000_000).unwrap_or(u32::MAX)
}

/// The fewest reps whose [`productive_reps`] reach `productive` under `shrinkage`:
/// `ceil(productive / (1 − shrinkage))` in integers (63 productive at 0.30 → 90, not 91).
#[must_use]
pub fn reps_for_productive(productive: u32, shrinkage: f64) -> u32 {
    let keep = 1_000_000 - shrinkage_ppm(shrinkage);
    u32::try_from((u64::from(productive) * 1_000_000).div_ceil(keep)).unwrap_or(u32::MAX)
}

/// Fewest productive reps that do `traffic` erlangs of work: the first whole number above it
/// (with fewer, more work arrives than they do and the queue grows, or leads go cold).
#[must_use]
pub fn keeps_up_productive(traffic: f64) -> u32 {
    // Traffic is finite and non-negative (validated demand); the floor fits a u32 for any pod
    // the schema allows.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole =
        if traffic.is_finite() && traffic >= 0.0 { traffic.floor().min(f64::from(u32::MAX - 1)) as u32 } else { 0 };
    whole + 1
}
