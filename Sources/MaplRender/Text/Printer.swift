import Foundation
import MaplCore
import MaplProtocol

/// How values look at the prompt and in `print`.
///
/// Tensors print as PyTorch does (which NumPy users read at once): `tensor([0.3700, 0.4900])`, a fixed
/// number of decimals (`precision`, 4 by default), columns aligned, scientific notation when magnitudes
/// differ too much, and long tensors (more than `threshold` elements) elided to `edgeItems` per edge with
/// `...`. The shape is added (`shape=[2, 2]`) when it is not plain from the brackets (rank ≥ 2, elided or
/// empty); parameters add `requires_grad=true`, values computed from them `grad_fn=<op>`. Rank-0 tensors
/// print as plain numbers, as numbers do (`number`): `3`, `2.5`, `0.3333`, `1e-08`.
public struct Printer {
    public var precision = 4
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    /// The full-print limit `show_limit(n)` set: tensors up to `n` elements print in full (and show as grids
    /// in the notebook and the stepper); nil when unset — `mapl run` then elides past `threshold`, the
    /// notebook shows in full what fits its pane.
    public var showLimit: Int? {
        didSet { threshold = showLimit ?? Printer.defaultThreshold }
    }
    /// Elements beyond which a printed tensor is elided when no `show_limit` is set (PyTorch's figure).
    public static let defaultThreshold = 1000
    public init() {}

    /// How deep lists and records print before their contents are elided as `[…]` / `{…}`: a list nested
    /// 100,000 deep (`L = [L]` in a loop) printed 0.5 GB.
    public var maxDepth = 20

    /// A number as values show (numbers and rank-0 tensors alike): whole numbers as integers (`3`), others
    /// with at most `precision` decimals, trailing zeros dropped (`0.3333`, `2.5`, `0.3` for `0.1 + 0.2`), and
    /// in scientific notation below 1e-4 or from 1e16 (`1e-08`, `1.2346e+20`), so `precision(n)` governs every
    /// number printed. `str(x)` gives the same text; `format(x, digits=n)` fixes the decimals.
    public func number(_ x: Double) -> String {
        if !x.isFinite { return Printer.formatNumber(x) }
        let magnitude = Swift.abs(x)
        if x == x.rounded(), magnitude < 1e16 { return Printer.formatNumber(x) }
        if magnitude >= 1e-4 && magnitude < 1e16 {
            return Printer.trimmingZeros(String(format: "%.\(precision)f", x))
        }
        // Scientific: trim the mantissa's zeros (1.0000e-08 → 1e-08), keep the exponent as C writes it.
        let text = String(format: "%.\(precision)e", x)
        guard let e = text.firstIndex(of: "e") else { return text }
        return Printer.trimmingZeros(String(text[..<e])) + text[e...]
    }

    /// `x` with exactly `digits` decimals, as Python's `f"{x:.{digits}f}"`: `0.333`, `2.000`, `nan`, `-inf`.
    public static func fixed(_ x: Double, digits: Int) -> String {
        if !x.isFinite { return formatNumber(x) }
        return String(format: "%.\(digits)f", x)
    }

    /// `0.5000` → `0.5`, `2.000` → `2`; text without a decimal point is left alone.
    package static func trimmingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t = t.dropLast() }
        return String(t)
    }

    /// A double as Python's repr writes it (whole numbers without a decimal point, otherwise the shortest
    /// exact form): for error messages, where the exact value matters more than the display precision.
    public static func formatNumber(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), Swift.abs(x) < 1e16, let i = Int(exactly: x) { return String(i) }
        return "\(x)"
    }

    package static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    // MARK: - Tensors

    /// A one-line form for traces and the stepper: up to `maxItems` values with the printer's decimals
    /// (`[-0.4085, 0.6201]`, nested brackets for small matrices, a plain number for a scalar); a larger
    /// tensor as its shape, its first values and `…` (`[2, 784] [0.0000, 0.1000, 0.2000, 0.3000, …]`).
    public func compact(_ t: Tensor, maxItems: Int = 6) -> String {
        if t.rank == 0 { return formatScalar(t.scalars.first ?? 0) }
        if t.count == 0 { return shapeString(t.shape) + " []" }
        if t.count <= maxItems {
            let style = ElementStyle(t.scalars, precision: precision)
            func nest(_ axis: Int, _ offset: Int) -> String {
                let n = t.shape[axis], stride = t.strides[axis]
                let parts = (0..<n).map { i in
                    axis == t.rank - 1 ? style.format(t.scalars[offset + i * stride]) : nest(axis + 1, offset + i * stride)
                }
                return "[" + parts.joined(separator: ", ") + "]"
            }
            return nest(0, 0)
        }
        let head = Array(t.scalars.prefix(Swift.max(1, Swift.min(4, maxItems))))
        let style = ElementStyle(head, precision: precision)
        return shapeString(t.shape) + " [" + head.map(style.format).joined(separator: ", ") + ", …]"
    }

    /// Each value in the style `compact` would give the whole list, so a row of terms lines up with it.
    public func compactTerms(_ values: [Float]) -> [String] {
        let style = ElementStyle(values, precision: precision)
        return values.map(style.format)
    }

    /// A rank-0 tensor's value: printed as the number it holds, exactly as a plain number would be.
    package func formatScalar(_ x: Float) -> String { number(Double(x)) }

    /// The elements that will be shown (all, or only the edges when summarizing) — they decide the style.
    package func shown(_ t: Tensor, summarize: Bool) -> [Float] {
        guard summarize else { return t.scalars }
        var out: [Float] = []
        func walk(_ axis: Int, _ offset: Int) {
            let n = t.shape[axis], stride = t.strides[axis]
            let positions = n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
            for i in positions {
                if axis == t.rank - 1 { out.append(t.scalars[offset + i * stride]) } else { walk(axis + 1, offset + i * stride) }
            }
        }
        walk(0, 0)
        return out
    }

    /// The bracketed text for the sub-tensor at `offset` from `axis` on; `indent` is its column.
    package func block(_ t: Tensor, axis: Int, offset: Int, indent: Int, summarize: Bool, style: ElementStyle) -> String {
        let n = t.shape[axis], stride = t.strides[axis]
        let elide = summarize && n > 2 * edgeItems
        let positions: [Int?] = elide ? Array(0..<edgeItems).map(Optional.some) + [nil] + Array((n - edgeItems)..<n).map(Optional.some)
                                      : Array(0..<n).map(Optional.some)
        if axis == t.rank - 1 {
            let items = positions.map { $0.map { style.padded(t.scalars[offset + $0 * stride]) } ?? "..." }
            let perLine = max(1, (lineWidth - indent - 1) / (style.width + 2))
            var lines: [String] = []
            var i = 0
            while i < items.count {
                lines.append(items[i..<min(i + perLine, items.count)].joined(separator: ", "))
                i += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let separator = "," + String(repeating: "\n", count: t.rank - 1 - axis) + String(repeating: " ", count: indent + 1)
        let parts = positions.map { p in
            p.map { block(t, axis: axis + 1, offset: offset + $0 * stride, indent: indent + 1, summarize: summarize, style: style) } ?? "..."
        }
        return "[" + parts.joined(separator: separator) + "]"
    }
}
