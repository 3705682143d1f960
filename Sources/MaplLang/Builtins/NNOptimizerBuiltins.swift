import MaplNN

/// Optimizers (`sgd`, `rmsprop`, `adam`, `adamw`) and the penalties `l1`, `l2` (`step` is with the training steps).
extension BuiltinRegistry {
    func registerNNOptimizerBuiltins() {
        let c = "optimizers"
        register("sgd(m, lr=0.01, momentum=0, nesterov=false, weight_decay=0)", category: c, "stochastic gradient descent (PyTorch's rule) over a model's or a list's parameters") { a in
            .object(OptimizerValue(try SGD(a.trainables("m"), lr: a.float("lr"), momentum: a.float("momentum"),
                                           nesterov: a.bool("nesterov"), weightDecay: a.float("weight_decay"))))
        }
        register("rmsprop(m, lr=0.001, alpha=0.99)", category: c, "RMSprop: steps scaled by a running average (factor alpha) of squared gradients") { a in
            .object(OptimizerValue(try RMSprop(a.trainables("m"), lr: a.float("lr"), alpha: a.float("alpha"))))
        }
        register("adam(m, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0)", category: c, "Adam with bias correction (PyTorch's rule; weight_decay adds to the gradient)") { a in
            .object(OptimizerValue(try Adam(a.trainables("m"), lr: a.float("lr"), beta1: a.float("beta1"), beta2: a.float("beta2"),
                                            eps: a.float("eps"), weightDecay: a.float("weight_decay"))))
        }
        register("adamw(m, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)", category: c, "Adam with decoupled weight decay (PyTorch's AdamW)") { a in
            .object(OptimizerValue(try AdamW(a.trainables("m"), lr: a.float("lr"), beta1: a.float("beta1"), beta2: a.float("beta2"),
                                             eps: a.float("eps"), weightDecay: a.float("weight_decay"))))
        }
        register("l1(model)", category: c, "Σ|w| over a model's weights (rank ≥ 2; not biases) or over a list of parameters: add strength·l1(m) to a loss") { a in
            .tensor(try a.penaltyTargets("model", Regularization.l1, Regularization.l1))
        }
        register("l2(model)", category: c, "Σw² over a model's weights (rank ≥ 2; not biases) or over a list of parameters: add strength·l2(m) to a loss") { a in
            .tensor(try a.penaltyTargets("model", Regularization.l2, Regularization.l2))
        }
    }
}

/// An optimizer as a mapl value: `step(opt)`, `zero_grad(opt)`, `opt.lr` (read and write), and its settings
/// as read-only fields.
public final class OptimizerValue: ObjectValue, ParameterHolder {
    public let optimizer: Optimizer
    public init(_ optimizer: Optimizer) { self.optimizer = optimizer }

    public var typeName: String { "optimizer" }
    public var displayString: String {
        "<optimizer \(optimizer.kind) lr=\(optimizer.lr), \(optimizer.parameters.count) parameters>"
    }
    public var parameterList: [Variable] { optimizer.parameters }

    /// The settings each kind has, in its signature's order.
    private var settings: [(String, Value)] {
        func n(_ x: Float) -> Value { Value.float32(x) }
        switch optimizer {
        case let o as SGD: return [("momentum", n(o.momentum)), ("nesterov", .bool(o.nesterov)), ("weight_decay", n(o.weightDecay))]
        case let o as RMSprop: return [("alpha", n(o.alpha)), ("eps", n(o.eps))]
        case let o as Adam: return [("beta1", n(o.beta1)), ("beta2", n(o.beta2)), ("eps", n(o.eps)), ("weight_decay", n(o.weightDecay))]
        default: return []
        }
    }

    public var fieldNames: [String] { ["lr", "kind", "params"] + settings.map(\.0) }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "lr": return Value.float32(optimizer.lr)
        case "kind": return .string(optimizer.kind)
        case "params": return .list(optimizer.parameters.map { .tensor($0) })
        default: return settings.first(where: { $0.0 == name })?.1
        }
    }
    public func setField(_ name: String, _ value: Value) throws {
        guard name == "lr" else {
            throw RuntimeError(fieldNames.contains(name) ? "an optimizer's '\(name)' is read-only; only lr can be changed"
                                                         : "an optimizer has no field '\(name)'; fields: " + fieldNames.joined(separator: ", "))
        }
        let lr = try Convert.double(value, what: "the learning rate")
        guard lr >= 0, lr.isFinite else { throw RuntimeError("the learning rate must be a number ≥ 0, got \(Printer.formatNumber(lr))") }
        optimizer.lr = Float(lr)
    }
}

extension Arguments {
    /// The parameters an optimizer trains: from a model, a parameter, or a (nested) list mixing them. Throws
    /// at the argument for anything else, for a tensor that is not a parameter, and when none are found.
    func trainables(_ name: String) throws -> [Variable] {
        func collect(_ v: Value) throws -> [Variable] {
            switch v {
            case .tensor(let t):
                guard t.isParameter else {
                    throw error(name, "'\(name)' holds a tensor of shape \(shapeString(t.shape)) that is not a parameter (make one with param(...))")
                }
                return [t]
            case .list(let items): return try items.flatMap(collect)
            case .mapping(let m as ParameterHolder): return m.parameterList
            case .object(let o as ParameterHolder): return o.parameterList
            case .mapping: return []
            default:
                throw error(name, "'\(name)' must be a model, a parameter or a list of them, got \(Convert.describeKind(v))")
            }
        }
        let params = try collect(value(name))
        guard !params.isEmpty else { throw error(name, "'\(name)' has no parameters to train") }
        return params
    }

    /// The optimizer argument.
    func optimizer(_ name: String) throws -> Optimizer {
        if case .object(let o as OptimizerValue) = value(name) { return o.optimizer }
        throw error(name, "'\(name)' must be an optimizer (sgd, adam, …), got \(Convert.describeKind(value(name)))")
    }

    /// A penalty over a model's weights (a mapping) or over the parameters in a list.
    func penaltyTargets(_ name: String, _ onModel: (Layer) throws -> Variable, _ onList: ([Variable]) throws -> Variable) throws -> Variable {
        if case .mapping = value(name) { return try onModel(layer(name)) }
        return try onList(trainables(name))
    }
}
