/// An elementwise (or, for softmax, row-wise) function used as a layer: `relu`, `sigmoid`, `tanh`,
/// `softmax`, `log_softmax`, `gelu`, `leaky_relu`. Its `kind` is the function's name as users write it.
///
/// Activations have no parameters and behave the same in training and evaluation.
public final class Activation: Layer {
    /// Which function.
    public enum Function: Equatable, Sendable {
        case relu, sigmoid, tanh, gelu
        /// x if x > 0 else slope·x (PyTorch's default slope is 0.01).
        case leakyRelu(slope: Float)
        /// Along `axis` (default the last, as PyTorch's `dim=-1` and Keras).
        case softmax(axis: Int)
        case logSoftmax(axis: Int)
    }

    /// The function this layer applies.
    public let function: Function

    /// An activation layer applying `function`.
    public init(_ function: Function) { self.function = function }

    /// The activation's name as the language spells it.
    public var kind: String {
        switch function {
        case .relu: return "relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu: return "gelu"
        case .leakyRelu: return "leaky_relu"
        case .softmax: return "softmax"
        case .logSoftmax: return "log_softmax"
        }
    }

    public var signature: String {
        switch function {
        case .leakyRelu(let s) where s != 0.01: return "leaky_relu(\(s))"
        case .softmax(let a) where a != -1: return "softmax(axis=\(a))"
        case .logSoftmax(let a) where a != -1: return "log_softmax(axis=\(a))"
        default: return kind
        }
    }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        switch function {
        case .relu: return Variable.relu(x)
        case .sigmoid: return Variable.sigmoid(x)
        case .tanh: return Variable.tanh(x)
        case .gelu: return Variable.gelu(x)
        case .leakyRelu(let s): return Variable.leakyRelu(x, slope: s)
        case .softmax(let a): return try Variable.softmax(x, axis: a)
        case .logSoftmax(let a): return try Variable.logSoftmax(x, axis: a)
        }
    }

    /// The activation named `name` (`relu`, `sigmoid`, `tanh`, `softmax`, `log_softmax`, `gelu`,
    /// `leaky_relu`), or nil for an unknown name.
    public static func named(_ name: String) -> Activation? {
        switch name {
        case "relu": return relu
        case "sigmoid": return sigmoid
        case "tanh": return tanh
        case "gelu": return gelu
        case "leaky_relu": return leakyRelu()
        case "softmax": return softmax()
        case "log_softmax": return logSoftmax()
        default: return nil
        }
    }

    /// The names `named(_:)` accepts.
    public static let names = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "gelu", "leaky_relu"]

    public static var relu: Activation { Activation(.relu) }
    public static var sigmoid: Activation { Activation(.sigmoid) }
    public static var tanh: Activation { Activation(.tanh) }
    public static var gelu: Activation { Activation(.gelu) }
    public static func leakyRelu(_ slope: Float = 0.01) -> Activation { Activation(.leakyRelu(slope: slope)) }
    public static func softmax(axis: Int = -1) -> Activation { Activation(.softmax(axis: axis)) }
    public static func logSoftmax(axis: Int = -1) -> Activation { Activation(.logSoftmax(axis: axis)) }
}
