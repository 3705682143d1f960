import MaplNN
import MaplProtocol
import MaplRender

extension TensorSnapshot {
    /// A copy of `v`'s value (its elements when at most `ValueSnapshot.tensorLimit`) and its range and mean.
    public init(_ v: Variable) {
        let t = v.value
        let s = t.statistics(spread: false)
        self.init(shape: v.shape, isParameter: v.isParameter, requiresGrad: v.requiresGrad,
                  values: t.count <= ValueSnapshot.tensorLimit ? t.scalars.withUnsafeBufferPointer { Array($0) } : nil,
                  min: s.min, max: s.max, mean: s.mean)
    }
}

extension ValueSnapshot {
    /// Copies `value` (deeply, for tensors) so it can leave the session thread.
    public init(_ value: Value, printer: Printer, depth: Int = 0) {
        switch value {
        case .number(let x): self = .number(x)
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .string(s)
        case .none: self = .none
        case .tensor(let v): self = .tensor(TensorSnapshot(v))
        case .list(let items) where depth < 8:
            self = .list(items.prefix(ValueSnapshot.listLimit).map { ValueSnapshot($0, printer: printer, depth: depth + 1) })
        case .object(let h as LiveHistory) where depth < 8:
            self = ValueSnapshot(.record(h.record), printer: printer, depth: depth)
        case .record(let r) where depth < 8:
            self = .record(r.fields.map { Field(name: $0.name, value: ValueSnapshot($0.value, printer: printer, depth: depth + 1)) })
        default: self = .other(kind: value.typeName, display: printer.summary(value))
        }
    }
}
