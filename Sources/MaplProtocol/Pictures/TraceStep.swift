import MaplCore

/// One node of a traced computation as the stepper shows it: on the forward pass its formula and value; on
/// the backward pass also the gradient arriving from above (and, for a node used several times, each use's
/// share of it), the op's local rule (with its numbers when the op is elementwise) and the gradient it sends
/// to each input.
public struct TraceStep: Sendable {
    /// Which pass the step belongs to.
    public enum Phase: String, Sendable { case forward, backward }

    /// The gradient one input receives from this node: `∂L/∂z = upstream ⊙ rule = […]`.
    public struct Flow: Sendable {
        /// The input's display name (`z`, `W.T @ x`, `0.5`).
        public let input: String
        /// The input's node id.
        public let inputID: Int
        /// Which operand of the op the input is (0 for `a` in `a * b`); `x * x` sends two flows to `x`.
        public let argument: Int
        public let gradient: Tensor
        /// How the gradient is made from the upstream one, in symbols (`upstream ⊙ b`, `upstream·Wᵀ`), when
        /// the op has a short rule per operand.
        public let how: String?
        /// When the input was broadcast to the node's shape: the gradient at the node's shape before it is
        /// summed back to the input's (for `z = x @ W + b` with a batch of 3 rows, `b`'s three rows).
        public let unreduced: Tensor?

        public init(input: String, inputID: Int, argument: Int, gradient: Tensor, how: String? = nil, unreduced: Tensor? = nil) {
            self.input = input; self.inputID = inputID; self.argument = argument; self.gradient = gradient
            self.how = how; self.unreduced = unreduced
        }
    }

    /// One use's share of a node's gradient: what consumer `from` (argument `argument` of it) sent. A node
    /// used several times (`x * x`, a weight used twice, a residual) gets one per use; they sum to `upstream`.
    public struct Contribution: Sendable {
        /// The consumer's display name.
        public let from: String
        /// The consumer's node id.
        public let fromID: Int
        /// Which operand of the consumer this node is.
        public let argument: Int
        public let gradient: Tensor

        public init(from: String, fromID: Int, argument: Int, gradient: Tensor) {
            self.from = from; self.fromID = fromID; self.argument = argument; self.gradient = gradient
        }
    }

    /// The numbers of an elementwise op's local derivative: `terms` written out (`0.5915·0.4085`), when the
    /// rule has a short formula, and the resulting `values` (∂y/∂x per element).
    public struct LocalFactor: Sendable {
        public let terms: [String]?
        public let values: Tensor
        public init(terms: [String]?, values: Tensor) { self.terms = terms; self.values = values }
    }

    /// The model stage that made the node (`dense(784, 128)`, stage 1), from the engine's `LayerScope`.
    /// Parameters and inputs, made outside any forward pass, take the layer of the node that uses them first.
    public struct Layer: Sendable, Equatable {
        /// Unique per application of a stage within the process (a layer applied twice is two layers here).
        public let id: Int
        /// How the stage was written: `dense(784, 128)`, `relu`.
        public let name: String
        /// `dense`, `relu`, `conv2d`, `fn`, …
        public let kind: String
        /// The stage's 0-based position in its model.
        public let index: Int
        /// Nested stages, outermost first, when the stage itself applied a model (else just `name`).
        public let path: [String]

        public init(id: Int, name: String, kind: String, index: Int, path: [String]) {
            self.id = id; self.name = name; self.kind = kind; self.index = index; self.path = path
        }
    }

    public let phase: Phase
    /// The node's display name: its label (`yhat`), the expression that computed it (`W.T @ x`), a constant's
    /// value (`0.5`), or its op applied to its inputs' names (`relu(affine(xb, W, b))`).
    public let name: String
    /// The engine's node id (stable within the process).
    public let nodeID: Int
    /// The op's name (`sigmoid`, `matmul`); nil for a leaf.
    public let op: String?
    /// The inputs' display names, in order.
    public let inputs: [String]
    /// The inputs' node ids, in order.
    public let inputIDs: [Int]
    /// The node as an equation: `yhat = sigmoid(z)`, `z = W.T @ x + b`, `W.T @ x`, `W (parameter)`.
    public let formula: String
    public let shape: [Int]
    public let value: Tensor
    public let isParameter: Bool
    /// Whether the node gets a gradient at all: parameters and what is computed from them. (The engine records
    /// no op for what is computed from constants only, so every node with an op needs one.)
    public var requiresGrad: Bool { isParameter || op != nil }
    /// The layer that made the node, when it was made inside a model.
    public let layer: Layer?
    /// Backward only: ∂L/∂node, summed over every use of the node.
    public let upstream: Tensor?
    /// Backward only: the uses' shares of `upstream`, in the order the backward pass delivered them (empty
    /// for the root, whose gradient is the seed 1).
    public let contributions: [Contribution]
    /// Backward only: the op's local derivative rule (`OpInfo.rule`).
    public let rule: String?
    /// Backward only, elementwise ops: the local derivative's numbers.
    public let factor: LocalFactor?
    /// Backward only: the gradients sent to inputs that need one.
    public let flows: [Flow]

    public init(phase: Phase, name: String, nodeID: Int, op: String?, inputs: [String], inputIDs: [Int] = [], formula: String,
                shape: [Int], value: Tensor, isParameter: Bool, layer: Layer? = nil, upstream: Tensor?,
                contributions: [Contribution] = [], rule: String?, factor: LocalFactor?, flows: [Flow]) {
        self.phase = phase; self.name = name; self.nodeID = nodeID; self.op = op; self.inputs = inputs; self.inputIDs = inputIDs
        self.formula = formula; self.shape = shape; self.value = value; self.isParameter = isParameter
        self.layer = layer; self.upstream = upstream; self.contributions = contributions
        self.rule = rule; self.factor = factor; self.flows = flows
    }

    /// The same step on the other pass (the builder makes each backward step from its forward one).
    package func with(phase: Phase, upstream: Tensor?, contributions: [Contribution], rule: String?, factor: LocalFactor?,
              flows: [Flow]) -> TraceStep {
        TraceStep(phase: phase, name: name, nodeID: nodeID, op: op, inputs: inputs, inputIDs: inputIDs, formula: formula,
                  shape: shape, value: value, isParameter: isParameter, layer: layer,
                  upstream: upstream, contributions: contributions, rule: rule, factor: factor, flows: flows)
    }
}

/// A traced computation — `trace(L)`: the forward steps in topological order (inputs before the nodes that
/// use them), then the backward steps in the order reverse-mode differentiation runs them. The notebook's
/// stepper pages through `all`; `mapl run` prints every step with `TraceText`.
public struct TraceSteps: Sendable {
    /// The name of the traced value (its label, else its own text: `sum(W * W)`), used in `∂L/∂…`.
    public let root: String
    public let forward: [TraceStep]
    public let backward: [TraceStep]
    /// Why there are no backward steps, when there are none (a non-scalar, a constant, a released graph).
    public let note: String?

    public init(root: String, forward: [TraceStep], backward: [TraceStep], note: String?) {
        self.root = root; self.forward = forward; self.backward = backward; self.note = note
    }

    /// Forward then backward steps, as the stepper pages through them.
    public var all: [TraceStep] { forward + backward }

    /// The step at `index` of `all` (forward steps first), or nil outside.
    public func step(_ index: Int) -> TraceStep? {
        if index >= 0 && index < forward.count { return forward[index] }
        let b = index - forward.count
        return b >= 0 && b < backward.count ? backward[b] : nil
    }

    /// How many steps `all` has.
    public var count: Int { forward.count + backward.count }
}
