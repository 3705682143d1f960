/// How each element of one tensor is written: whole numbers as `1.`, fixed decimals, or scientific — the
/// same for every element so columns align.
package struct ElementStyle {
    package enum Mode { case integer, fixed, scientific }
    package let mode: Mode
    package let precision: Int
    package private(set) var width = 1

    package init(_ values: [Float], precision: Int) {
        self.precision = precision
        let finite = values.filter(\.isFinite)
        let magnitudes = finite.map { Swift.abs($0) }.filter { $0 > 0 }
        let largest = magnitudes.max() ?? 0, smallest = magnitudes.min() ?? 0
        if finite.allSatisfy({ $0 == $0.rounded() }) {
            mode = largest >= 1e8 ? .scientific : .integer
        } else if largest >= 1e8 || smallest < 1e-4 || (smallest > 0 && largest / smallest > 1000) {
            mode = .scientific
        } else {
            mode = .fixed
        }
        width = values.map { format($0).count }.max() ?? 1
    }

    package func format(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        switch mode {
        case .integer: return String(format: "%.0f.", Double(x))
        case .fixed: return String(format: "%.\(precision)f", Double(x))
        case .scientific: return String(format: "%.\(precision)e", Double(x))
        }
    }

    package func padded(_ x: Float) -> String {
        let s = format(x)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
