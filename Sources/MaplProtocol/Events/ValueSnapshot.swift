import MaplCore

/// A value copied out of the session for another thread: plain data, no references into the interpreter.
/// Tensors are copied whole up to `ValueSnapshot.tensorLimit` elements; larger ones keep their shape and
/// statistics only.
public indirect enum ValueSnapshot: Sendable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case none
    case tensor(TensorSnapshot)
    case list([ValueSnapshot])
    case record([Field])
    /// A mapping, optimizer, dataset, …: its kind and how it prints.
    case other(kind: String, display: String)

    public struct Field: Sendable {
        public var name: String
        public var value: ValueSnapshot
        public init(name: String, value: ValueSnapshot) { self.name = name; self.value = value }
    }

    /// Elements beyond which a tensor travels as shape and statistics only.
    public static let tensorLimit = 1 << 16
    /// Items beyond which a list is cut (the count is kept in `TensorSnapshot`-like fashion by the printed form).
    public static let listLimit = 1000

    /// The kind as `type(x)` reports it.
    public var kind: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .string: return "string"
        case .none: return "none"
        case .tensor: return "tensor"
        case .list: return "list"
        case .record: return "record"
        case .other(let kind, _): return kind
        }
    }
}

/// A tensor's shape, how it relates to gradients, and its values (or, when large, their statistics).
public struct TensorSnapshot: Sendable {
    public var shape: [Int]
    public var isParameter: Bool
    public var requiresGrad: Bool
    /// Every element, row-major; nil when the tensor is larger than `ValueSnapshot.tensorLimit`.
    public var values: [Float]?
    /// Over the finite elements (nil when there are none).
    public var min: Float?
    public var max: Float?
    public var mean: Double?

    public init(shape: [Int], isParameter: Bool, requiresGrad: Bool, values: [Float]?, min: Float?, max: Float?, mean: Double?) {
        self.shape = shape; self.isParameter = isParameter; self.requiresGrad = requiresGrad
        self.values = values; self.min = min; self.max = max; self.mean = mean
    }
}
