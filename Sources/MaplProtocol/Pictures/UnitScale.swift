/// Where a value sits in a range, as a fraction in 0…1 — the one mapping from data to pixels, bins and grey
/// levels. It never yields NaN or ∞: a constant range (span 0, e.g. `lo + 1 == lo` for large values), a span
/// beyond `Double`'s range or a non-finite value all give a finite answer, so the `Int` conversions that
/// follow cannot trap.
public enum UnitScale {
    /// `(v − lo) / (hi − lo)` clamped to 0…1; 0 when the range is empty or the value is not finite.
    /// `lo` may be above `hi` (a y axis counts from the top).
    public static func fraction(_ v: Double, from lo: Double, to hi: Double) -> Double {
        // Halving first keeps `hi − lo` finite for any two finite ends (−1e308…1e308).
        let span = hi / 2 - lo / 2
        guard v.isFinite, span != 0, span.isFinite else { return 0 }
        let f = (v / 2 - lo / 2) / span
        return f.isNaN ? 0 : Swift.min(Swift.max(f, 0), 1)
    }

    /// The cell of `count` equal cells (pixels, bins) that `v` falls in: `0..<count`.
    public static func cell(_ v: Double, from lo: Double, to hi: Double, count: Int) -> Int {
        Swift.min(Int(fraction(v, from: lo, to: hi) * Double(count)), Swift.max(count - 1, 0))
    }

    /// The nearest of `count` evenly spaced points from lo (0) to hi (count − 1).
    public static func point(_ v: Double, from lo: Double, to hi: Double, count: Int) -> Int {
        Int((fraction(v, from: lo, to: hi) * Double(Swift.max(count - 1, 0))).rounded())
    }
}
