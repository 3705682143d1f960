import Foundation
import MaplNN
import MaplProtocol
import MaplRender

/// How interpreter values print: the printer's number and tensor forms (MaplRender) applied to the language's values.
extension Printer {
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
    func gradientNote(_ v: Variable) -> [String] {
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
}
