import MaplNN

/// backward, zero_grad, grad, gradcheck.
extension BuiltinRegistry {
    func registerGradientBuiltins() {
        let c = "gradients"
        register("backward(loss)", category: c, "reverse-mode differentiation from a scalar: adds into .grad of every parameter it depends on") { a in
            guard case .tensor(let loss) = a.value("loss") else {
                throw a.error("loss", "backward needs a scalar tensor computed from parameters, got \(Convert.describeKind(a.value("loss")))")
            }
            try loss.backward()
            return .none
        }
        register("zero_grad(x)", category: c, "clears the gradients of a parameter, a list of parameters, a model or an optimizer") { a in
            let params = try a.parameters("x")
            for p in params { p.grad = nil }
            return .none
        }
        register("grad(f)", category: c, "the gradient mapping of a scalar-valued mapping: grad(x -> sum(x^2))([1, 2]) is [2, 4]") { a in
            .mapping(GradientMapping(try a.mapping("f")))
        }
        register("gradcheck(f, x)", category: c, "the largest relative error between grad(f)(x) and central finite differences (< 0.01 passes)") { a in
            let f = try a.mapping("f")
            let x = try a.tensor("x")
            let interp = a.interpreter
            // f runs differentiated: a grad inside it must give a gradient that can be differentiated again.
            let scalar = { (v: Variable) in
                try interp.differentiating { try GradientMapping.scalarResult(interp.apply(f, [.tensor(v)]), of: f) }
            }
            // A probe pass finds the parameters f closes over, so the check leaves their .grad as it was.
            let others = try scalar(Variable.parameter(x)).topologicalOrder().filter(\.isParameter)
            let saved = others.map(\.grad)
            defer { for (p, g) in zip(others, saved) { p.grad = g } }
            return .number(Double(try Gradients.check(scalar, at: x)))
        }
    }
}

extension Arguments {
    /// Every parameter in a parameter, a list (nested) of them, or anything holding parameters.
    func parameters(_ name: String) throws -> [Variable] {
        func collect(_ v: Value) throws -> [Variable] {
            switch v {
            case .tensor(let t):
                guard t.isParameter else {
                    throw error(name, "this tensor is not a parameter (make one with param(...))")
                }
                return [t]
            case .list(let items): return try items.flatMap(collect)
            case .mapping(let m as ParameterHolder): return m.parameterList
            case .object(let o as ParameterHolder): return o.parameterList
            case .mapping: return []  // an activation or plain function has no parameters
            default: throw error(name, "expected parameters, a model or an optimizer, got \(v.kindWithArticle)")
            }
        }
        return try collect(value(name))
    }
}

/// `grad(f)`: x ↦ ∂f/∂x for a scalar-valued `f`. Extra arguments are passed on to `f` unchanged.
public final class GradientMapping: Mapping {
    let f: Mapping
    init(_ f: Mapping) { self.f = f }
    public var name: String { "grad(\(f.name))" }
    public func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        guard let first = args.first else { throw RuntimeError("\(name) needs the point to differentiate at, got no arguments") }
        let rest = Array(args.dropFirst())
        if interpreter.differentiationDepth > 0, GradMode.isEnabled, case .tensor(let point) = first, point.requiresGrad {
            // Inside a function an outer grad (or gradcheck) differentiates, at a point that depends on its
            // input: the gradient is built in recorded ops, so the outer one can differentiate through it
            // (second derivatives; an op without a rule for that is an error naming it, never a silent 0).
            let y = try interpreter.differentiating {
                try GradientMapping.scalarResult(interpreter.apply(f, [.tensor(point)] + rest, keywords: keywords), of: f)
            }
            guard y.value.count == 1 else {
                throw RuntimeError("grad needs \(f.name) to return a scalar, but it returned shape \(shapeString(y.shape))")
            }
            return .tensor(try Variable.gradient(of: y, withRespectTo: point))
        }
        let x = try Convert.tensor(first, argument: .positional(0), what: "the point of \(name)")
        // As Gradients.gradient, but parameters that f closes over keep their .grad: grad(f) is a pure function.
        // Recorded even inside nograd (or gradcheck's probes): grad computes a gradient wherever it is called.
        return try GradMode.withGrad {
            let leaf = Variable.parameter(x)
            let y = try interpreter.differentiating {
                try GradientMapping.scalarResult(interpreter.apply(f, [.tensor(leaf)] + rest, keywords: keywords), of: f)
            }
            guard y.value.count == 1 else {
                throw RuntimeError("grad needs \(f.name) to return a scalar, but it returned shape \(shapeString(y.shape))")
            }
            guard y.requiresGrad else { return .constant(Tensor(repeating: 0, shape: x.shape)) }  // f ignores x
            let others = y.topologicalOrder().filter { $0.isParameter && $0 !== leaf }
            let saved = others.map(\.grad)
            defer { for (p, g) in zip(others, saved) { p.grad = g } }
            try y.backward()
            return .constant(leaf.grad ?? Tensor(repeating: 0, shape: x.shape))
        }
    }

    /// A mapping's result as the scalar tensor the gradient needs.
    static func scalarResult(_ v: Value, of f: Mapping) throws -> Variable {
        switch v {
        case .tensor(let t): return t
        case .number(let x): return Variable(Tensor(Float(x)))
        default: throw RuntimeError("grad needs \(f.name) to return a scalar tensor, but it returned \(v.kindWithArticle)")
        }
    }
}

extension Interpreter {
    /// Runs `body` (a function being differentiated by `grad` or `gradcheck`) with the nesting depth raised,
    /// so a `grad` inside it knows its result will be differentiated again.
    func differentiating<T>(_ body: () throws -> T) rethrows -> T {
        differentiationDepth += 1
        defer { differentiationDepth -= 1 }
        return try body()
    }
}
