import Foundation

/// Compact number labels for plot axes: `0.1`, `2.3`, `1.2e+04`, `-0.003`.
enum AxisFormat {
    static func label(_ v: Double) -> String {
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
}
