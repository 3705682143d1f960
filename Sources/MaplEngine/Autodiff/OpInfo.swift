/// What an operation is, for people: its name, its local derivative rule in symbols (`∂σ/∂x = σ·(1−σ)`),
/// and how the stepper explains a gradient passing through it — how each operand's gradient is made from
/// the upstream one (`upstream ⊙ b`) and, for an elementwise op, the rule with its numbers in
/// (`0.5915·0.4085`). Each op declares it beside its forward and backward, so an op carries its explanation
/// wherever it is recorded and renamed (micrograd's lesson); `OpCatalog` lists every op.
public struct OpInfo: Sendable {
    public let name: String
    /// The local derivative rule in symbols, as the graph view and the stepper show it.
    public let rule: String
    private let flow: (@Sendable (OpFlowContext) -> OpFlow)?
    private let factor: (@Sendable (_ x: Tensor, _ y: Tensor, _ format: ([Float]) -> [String]) -> OpFactor?)?
    private let partialRule: (@Sendable (_ needsGradient: [Bool]) -> String?)?

    /// - Parameters:
    ///   - flow: how operand `k`'s gradient is made from the upstream one, in symbols with the operands' names.
    ///   - factor: for an elementwise op, ∂y/∂x per element from its input `x` and output `y`, with the rule's
    ///     terms written out (`format` writes numbers as the stepper does) where the formula is short.
    ///   - partialRule: the rule to show when only some operands need a gradient, where the full rule would
    ///     mention one that is undefined there (nil: the full rule).
    public init(_ name: String, _ rule: String,
                flow: (@Sendable (OpFlowContext) -> OpFlow)? = nil,
                factor: (@Sendable (_ x: Tensor, _ y: Tensor, _ format: ([Float]) -> [String]) -> OpFactor?)? = nil,
                partialRule: (@Sendable (_ needsGradient: [Bool]) -> String?)? = nil) {
        self.name = name; self.rule = rule; self.flow = flow; self.factor = factor; self.partialRule = partialRule
    }

    /// Whether the op says how the gradient flows to its operands (every op in `OpCatalog` must).
    public var explainsFlow: Bool { flow != nil }

    /// The rule as a step shows it, given which operands need a gradient.
    public func shownRule(needsGradient: [Bool]) -> String { partialRule?(needsGradient) ?? rule }

    /// How the gradient of operand `context.argument` is made (nil when the op does not say).
    public func flow(_ context: OpFlowContext) -> OpFlow? { flow?(context) }

    /// The local derivative's numbers for input `x` and output `y` (nil for an op that is not elementwise).
    public func factor(x: Tensor, y: Tensor, format: ([Float]) -> [String]) -> OpFactor? {
        guard x.shape == y.shape else { return nil }
        return factor?(x, y, format)
    }
}

extension OpInfo: Equatable {
    /// Two ops are the same when they have the same name and rule (the explanation follows from them).
    public static func == (a: OpInfo, b: OpInfo) -> Bool { a.name == b.name && a.rule == b.rule }
}

/// What an op's flow explanation sees of one recorded node: which operand it explains, the operands' names
/// and values as the node used them, its output and the upstream gradient.
public struct OpFlowContext {
    /// Which operand (0 for `a` in `a * b`).
    public let argument: Int
    /// The operands' display names, written as operands of an infix operator (`(yhat - y)`).
    public let operands: [String]
    /// The operands' values as the node used them.
    public let inputs: [Tensor]
    public let output: Tensor
    public let upstream: Tensor

    public init(argument: Int, operands: [String], inputs: [Tensor], output: Tensor, upstream: Tensor) {
        self.argument = argument; self.operands = operands; self.inputs = inputs; self.output = output; self.upstream = upstream
    }

    /// The explained operand's name.
    public var operand: String { operands[argument] }
    /// The explained operand's value.
    public var input: Tensor { inputs[argument] }

    /// `make()` when the operand was broadcast to the node's shape (a bias added to a batch): the gradient
    /// before it is summed back to the operand's shape, so the stepper can show the sum it really is.
    public func unreduced(_ make: () throws -> Tensor) -> Tensor? {
        input.shape != output.shape ? try? make() : nil
    }
}

/// How one operand's gradient is made: in symbols (`upstream ⊙ b`), and — for an operand broadcast to the
/// node's shape — the gradient at the node's shape before it is summed back (`OpFlowContext.unreduced`).
public struct OpFlow {
    public let how: String
    public let unreduced: Tensor?
    public init(_ how: String, unreduced: Tensor? = nil) { self.how = how; self.unreduced = unreduced }
}

/// The numbers of an elementwise op's local derivative: `terms` written out (`0.5915·0.4085`) where the rule
/// has a short formula, and the resulting `values` (∂y/∂x per element).
public struct OpFactor {
    public let terms: [String]?
    public let values: Tensor
    public init(terms: [String]?, values: Tensor) { self.terms = terms; self.values = values }
}

extension OpInfo {
    /// An elementwise op `y = f(x)`: its gradient is `upstream ⊙ rule`, and its numbers are `derivative(x, y)`
    /// per element, with `terms(xs, ys, format)` written out when given.
    public static func elementwise(_ name: String, _ rule: String,
                                   derivative: @escaping @Sendable (_ x: Float, _ y: Float) -> Float,
                                   terms: (@Sendable (_ x: [Float], _ y: [Float], _ format: ([Float]) -> [String]) -> [String])? = nil) -> OpInfo {
        OpInfo(name, rule, flow: { _ in OpFlow("upstream ⊙ rule") }, factor: { x, y, format in
            let (xs, ys) = (x.scalars, y.scalars)
            let values = zip(xs, ys).map { derivative($0, $1) }
            return OpFactor(terms: terms?(xs, ys, format), values: Tensor(unchecked: y.shape, values))
        })
    }

    /// An elementwise op whose ∂y/∂x per element is `values(x, y)`, with no short formula to write out
    /// (dropout's mask).
    public static func elementwise(_ name: String, _ rule: String,
                                   values: @escaping @Sendable (_ x: Tensor, _ y: Tensor) -> Tensor) -> OpInfo {
        OpInfo(name, rule, flow: { _ in OpFlow("upstream ⊙ rule") }, factor: { x, y, _ in OpFactor(terms: nil, values: values(x, y)) })
    }
}
