import Foundation
import MaplNN

/// How values look at the prompt and in `print`.
///
/// Tensors print as PyTorch does (which NumPy users read at once): `tensor([0.3700, 0.4900])`, a fixed
/// number of decimals (`precision`, 4 by default), columns aligned, scientific notation when magnitudes
/// differ too much, and long tensors (more than `threshold` elements) elided to `edgeItems` per edge with
/// `...`. The shape is added (`shape=[2, 2]`) when it is not plain from the brackets (rank ≥ 2, elided or
/// empty); parameters add `requires_grad=true`, values computed from them `grad_fn=<op>`. Rank-0 tensors
/// print as plain numbers. Numbers print as Python does (`3`, `2.5`, `1e-08`).
public struct Printer {
    public var precision = 4
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    public init() {}

    /// How deep lists and records print before their contents are elided as `[…]` / `{…}`: a list nested
    /// 100,000 deep (`L = [L]` in a loop) printed 0.5 GB.
    public var maxDepth = 20

    /// The form the prompt echoes (strings quoted).
    public func repr(_ v: Value) -> String { repr(v, depth: 0) }

    private func repr(_ v: Value, depth: Int) -> String {
        switch v {
        case .list(let items) where depth >= maxDepth: return items.isEmpty ? "[]" : "[…]"
        case .record(let r) where depth >= maxDepth: return r.fields.isEmpty ? "{}" : "{…}"
        default: break
        }
        switch v {
        case .number(let x): return Printer.formatNumber(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return Printer.quote(s)
        case .none: return "none"
        case .tensor(let t): return format(t)
        case .list(let items): return "[" + items.map { repr($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { "\($0.name): \(repr($0.value, depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .mapping(let m): return m.displayString
        case .object(let o): return o.displayString
        }
    }

    /// The form `print` writes (strings as they are).
    public func text(_ v: Value) -> String {
        if case .string(let s) = v { return s }
        return repr(v)
    }

    /// One line about a value for `vars()`: `tensor [2, 3] (parameter)`, `3`, `<fn f(x)>`.
    public func summary(_ v: Value) -> String {
        switch v {
        case .tensor(let t):
            if t.rank == 0 { return "tensor " + formatScalar(t.value.scalars.first ?? 0) }
            return "tensor \(shapeString(t.shape))" + (t.isParameter ? " (parameter)" : "")
        case .list(let items): return "list of \(items.count)"
        case .record(let r): return "record {" + r.names.joined(separator: ", ") + "}"
        case .string(let s):
            // prefix(41), not count: counting the characters of a gigabyte string takes seconds.
            return s.prefix(41).count > 40 ? Printer.quote(String(s.prefix(40))) + "…" : Printer.quote(s)
        default: return repr(v)
        }
    }

    /// A double as Python prints it: whole numbers without a decimal point, otherwise the shortest repr.
    public static func formatNumber(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), Swift.abs(x) < 1e16, let i = Int(exactly: x) { return String(i) }
        return "\(x)"
    }

    static func quote(_ s: String) -> String {
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

    /// A tensor's full printed form.
    public func format(_ v: Variable) -> String {
        let t = v.value
        var extras: [String] = []
        if t.rank == 0 {
            return formatScalar(t.scalars.first ?? 0)
        }
        let summarize = t.count > threshold
        if t.rank >= 2 || summarize || t.count == 0 { extras.append("shape=\(shapeString(t.shape))") }
        if v.isParameter { extras.append("requires_grad=true") } else if let op = v.op, v.requiresGrad { extras.append("grad_fn=<\(op.name)>") }
        let prefix = "tensor("
        let body: String
        if t.count == 0 {
            body = "[]"
        } else {
            let style = ElementStyle(shown(t, summarize: summarize), precision: precision)
            body = block(t, axis: 0, offset: 0, indent: prefix.count, summarize: summarize, style: style)
        }
        return prefix + body + extras.map { ", " + $0 }.joined() + ")"
    }

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

    /// A single number in a tensor's style (used for rank-0 tensors).
    func formatScalar(_ x: Float) -> String {
        if x.isFinite, x == x.rounded(), Swift.abs(x) < 1e8 { return Printer.formatNumber(Double(x)) }
        return ElementStyle([x], precision: precision).format(x)
    }

    /// The elements that will be shown (all, or only the edges when summarizing) — they decide the style.
    private func shown(_ t: Tensor, summarize: Bool) -> [Float] {
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
    private func block(_ t: Tensor, axis: Int, offset: Int, indent: Int, summarize: Bool, style: ElementStyle) -> String {
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

/// How each element of one tensor is written: whole numbers as `1.`, fixed decimals, or scientific — the
/// same for every element so columns align.
struct ElementStyle {
    enum Mode { case integer, fixed, scientific }
    let mode: Mode
    let precision: Int
    private(set) var width = 1

    init(_ values: [Float], precision: Int) {
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

    func format(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        switch mode {
        case .integer: return String(format: "%.0f.", Double(x))
        case .fixed: return String(format: "%.\(precision)f", Double(x))
        case .scientific: return String(format: "%.\(precision)e", Double(x))
        }
    }

    func padded(_ x: Float) -> String {
        let s = format(x)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
