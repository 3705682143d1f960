import MaplProtocol
import Foundation

/// Compact number labels for plot axes (`0.1`, `2.3`, `1.2e+04`, `-0.003`) and where to put ticks.
public enum AxisFormat {
    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if !v.isFinite { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return String(format: "%.1e", v) }
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 10 { return trim(String(format: "%.1f", v)) }
        if a >= 1 { return trim(String(format: "%.2f", v)) }
        return trim(String(format: "%.3f", v))
    }

    private static func trim(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Round tick values (steps of 1, 2 or 5 times a power of ten) inside `low…high`, at most about
    /// `maxCount` of them; whole numbers only when `integers` (an index or epoch axis is never labelled 51.5).
    public static func niceTicks(low: Double, high: Double, maxCount: Int, integers: Bool) -> [Double] {
        guard low.isFinite, high.isFinite, high > low, maxCount >= 1 else { return low.isFinite ? [low] : [] }
        let raw = (high - low) / Double(maxCount)
        guard raw.isFinite, raw > 0 else { return [low] }
        let magnitude = pow(10, floor(log10(raw)))
        let residual = raw / magnitude
        var step = (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude
        if integers { step = Swift.max(step.rounded(), 1) }
        guard step.isFinite, step > 0 else { return [low] }
        var ticks: [Double] = []
        var k = (low / step).rounded(.up)
        while ticks.count <= maxCount + 1 {
            let v = k * step
            guard v <= high + step * 1e-9 else { break }
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return ticks
    }
}
