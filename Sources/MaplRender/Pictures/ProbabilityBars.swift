import MaplProtocol
import Foundation

/// A model's predicted probabilities as horizontal bars, most probable class first — what `show(d, i,
/// model=m)` draws beside the digit:
///
///     7 ██████████ 0.982
///     1 ▏          0.010
///     9            0.004
public enum ProbabilityBars {
    private static let eighths: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The class indices in order of decreasing probability (NaN last), at most `top` of them.
    public static func ranking(_ probabilities: [Double], top: Int) -> [Int] {
        let order = probabilities.indices.sorted { a, b in
            let pa = probabilities[a], pb = probabilities[b]
            if pa.isNaN != pb.isNaN { return pb.isNaN }
            return pa > pb || (pa == pb && a < b)
        }
        return Array(order.prefix(Swift.max(top, 0)))
    }

    /// One row per class of the `top` most probable: its number, a bar `barWidth` cells long at
    /// probability 1, and the probability. The predicted class (the first) is in `.emphasis` ink.
    public static func picture(_ probabilities: [Double], top: Int = 3, barWidth: Int = 10, ascii: Bool = false) -> Picture {
        let classes = ranking(probabilities, top: top)
        let labelWidth = classes.map { String($0).count }.max() ?? 1
        var picture = Picture()
        for (rank, k) in classes.enumerated() {
            let p = probabilities[k]
            let ink: Picture.Ink = rank == 0 ? .emphasis : .series(0)
            var row = Picture.row(AxisFormat.pad(String(k), labelWidth) + " ", rank == 0 ? .emphasis : .text)
            let bar = bar(p, width: Swift.max(barWidth, 1), ascii: ascii)
            row += Picture.row(bar, ink)
            row += Picture.row(String(repeating: " ", count: Swift.max(barWidth - bar.count, 0)) + " " + format(p),
                               rank == 0 ? .emphasis : .text)
            picture.rows.append(row)
        }
        return picture
    }

    /// A probability to three decimals ("nan" when it is not a number).
    public static func format(_ p: Double) -> String { p.isFinite ? String(format: "%.3f", p) : AxisFormat.label(p) }

    /// The bar of probability `p` (clamped to 0…1) in eighths of a cell, or `#` in ASCII.
    static func bar(_ p: Double, width: Int, ascii: Bool) -> String {
        let clamped = p.isFinite ? Swift.min(Swift.max(p, 0), 1) : 0
        if ascii {
            let n = Int((clamped * Double(width)).rounded())
            return String(repeating: "#", count: n)
        }
        let total = Int((clamped * Double(width * 8)).rounded())
        var s = String(repeating: "█", count: total / 8) + eighths[total % 8]
        if s.isEmpty && clamped > 0 { s = "▏" }
        return s
    }
}
