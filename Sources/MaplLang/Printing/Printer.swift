import Foundation
import MaplNN

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

    /// The form the prompt echoes (strings quoted).
    public func repr(_ v: Value) -> String { repr(v, depth: 0) }

    private func repr(_ v: Value, depth: Int) -> String {
        switch v {
        case .list(let items) where depth >= maxDepth: return items.isEmpty ? "[]" : "[…]"
        case .record(let r) where depth >= maxDepth: return r.fields.isEmpty ? "{}" : "{…}"
        default: break
        }
        switch v {
        case .number(let x): return number(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return Printer.quote(s)
        case .none: return "none"
        case .tensor(let t): return format(t)
        case .list(let items): return "[" + items.map { repr($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let r) where r.kind == .history: return historySummary(r)
        case .object(let h as LiveHistory): return historySummary(h.record) + (h.run.isOver ? "" : "\n(training is paused: the fields grow as it goes on)")
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

    /// What a `fit` history prints as: the epochs and batches, the last value of each per-epoch series, and
    /// the fields with their shapes — not every batch loss.
    ///
    ///     fit history: 5 epochs, 4690 batches; last loss 0.0213, val_loss 0.0712, val_accuracy 0.9745
    ///     fields: loss [5], val_loss [5], val_accuracy [5], batch_loss [4690]
    func historySummary(_ r: Record) -> String {
        func tensor(_ name: String) -> Tensor? { r[name]?.variable?.value }
        let epochs = tensor("loss")?.count ?? 0
        var head = "fit history: \(epochs) epoch\(epochs == 1 ? "" : "s")"
        if let batches = tensor("batch_loss")?.count { head += ", \(batches) batch\(batches == 1 ? "" : "es")" }
        let last = r.fields.compactMap { field -> String? in
            guard !field.name.hasPrefix("batch"), let t = field.value.variable?.value, t.rank == 1, let x = t.scalars.last else { return nil }
            return "\(field.name) \(number(Double(x)))"
        }
        if !last.isEmpty { head += "; last " + last.joined(separator: ", ") }
        let fields = r.fields.map { field -> String in
            if let t = field.value.variable?.value { return "\(field.name) \(shapeString(t.shape))" }
            return "\(field.name) (\(field.value.typeName))"
        }
        return head + "\nfields: " + fields.joined(separator: ", ")
    }

    /// One line about a value for `vars()`: `tensor [2, 3] (parameter)`, `3`, `<fn f(x)>`.
    public func summary(_ v: Value) -> String {
        switch v {
        case .tensor(let t):
            if t.rank == 0 { return "tensor " + formatScalar(t.value.scalars.first ?? 0) }
            return "tensor \(shapeString(t.shape))" + (t.isParameter ? " (parameter)" : "")
        case .list(let items): return "list of \(items.count)"
        case .record(let r): return "record {" + r.names.joined(separator: ", ") + "}"
        case .object(let h as LiveHistory): return "record {" + h.record.names.joined(separator: ", ") + "}"
        case .string(let s):
            // prefix(41), not count: counting the characters of a gigabyte string takes seconds.
            return s.prefix(41).count > 40 ? Printer.quote(String(s.prefix(40))) + "…" : Printer.quote(s)
        default: return repr(v)
        }
    }

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
    static func trimmingZeros(_ text: String) -> String {
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
        extras += gradientNote(v)
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

    /// `requires_grad=true` for a parameter, `grad_fn=<op>` for a value computed from one, else nothing.
    private func gradientNote(_ v: Variable) -> [String] {
        if v.isParameter { return ["requires_grad=true"] }
        if let op = v.op, v.requiresGrad { return ["grad_fn=<\(op.name)>"] }
        return []
    }

    /// A matrix (or a tensor of higher rank) as the notebook's transcript shows it: a heading
    /// (`tensor [4, 3]`, `requires_grad=true` when it applies) and the grid, its rows past the full-print
    /// limit elided in the middle as the printed form elides them; nil for what prints as text (numbers,
    /// vectors, empty tensors, lists, tensors too large to copy out of the session).
    public func grid(_ value: Value) -> ValueGrid? {
        guard case .tensor(let v) = value, v.value.rank >= 2, v.value.count > 0, v.value.count <= ValueSnapshot.tensorLimit else { return nil }
        let t = v.value
        let columns = Swift.max(t.shape.last ?? 1, 1)
        let maxRows = t.count <= threshold ? Int.max : Swift.max(2 * edgeItems, threshold / columns)
        let heading = (["tensor " + shapeString(t.shape)] + gradientNote(v)).joined(separator: "  ")
        return ValueGrid(heading: heading, grid: MatrixGrid(shape: t.shape, values: t.scalars, precision: precision, maxRows: maxRows))
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

    /// A rank-0 tensor's value: printed as the number it holds, exactly as a plain number would be.
    func formatScalar(_ x: Float) -> String { number(Double(x)) }

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
