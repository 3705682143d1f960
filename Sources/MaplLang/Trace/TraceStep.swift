import MaplEngine

/// One node of a traced computation as the stepper shows it: on the forward pass its formula and value; on
/// the backward pass also the gradient arriving from above, the op's local rule (with its numbers when the op
/// is elementwise) and the gradient it sends to each input.
public struct TraceStep: Sendable {
    /// Which pass the step belongs to.
    public enum Phase: String, Sendable { case forward, backward }

    /// The gradient one input receives from this node: `∂L/∂z = […]`.
    public struct Flow: Sendable {
        /// The input's display name (`z`, `#7`).
        public let input: String
        public let gradient: Tensor
    }

    /// The numbers of an elementwise op's local derivative: `terms` written out (`0.5915·0.4085`), when the
    /// rule has a short formula, and the resulting `values` (∂y/∂x per element).
    public struct LocalFactor: Sendable {
        public let terms: [String]?
        public let values: Tensor
    }

    public let phase: Phase
    /// The node's display name: its label (`yhat`), a scalar constant's value, or `#id`.
    public let name: String
    /// The engine's node id (stable within the process).
    public let nodeID: Int
    /// The op's name (`sigmoid`, `matmul`); nil for a leaf.
    public let op: String?
    /// The inputs' display names, in order.
    public let inputs: [String]
    /// The node as an equation: `yhat = sigmoid(z)`, `z = #9 + b`, `W (parameter)`.
    public let formula: String
    public let shape: [Int]
    public let value: Tensor
    public let isParameter: Bool
    /// Backward only: ∂L/∂node, summed over every use of the node.
    public let upstream: Tensor?
    /// Backward only: the op's local derivative rule (`OpInfo.rule`).
    public let rule: String?
    /// Backward only, elementwise ops: the local derivative's numbers.
    public let factor: LocalFactor?
    /// Backward only: the gradients sent to inputs that need one.
    public let flows: [Flow]
}

/// A traced computation — `trace(L)`: the forward steps in topological order (inputs before the nodes that
/// use them), then the backward steps in the order reverse-mode differentiation runs them. The notebook's
/// stepper pages through `all`; `mapl run` prints every step with `TraceText`.
public struct TraceSteps: Sendable {
    /// The name of the traced value (its label, else `L`), used in `∂L/∂…`.
    public let root: String
    public let forward: [TraceStep]
    public let backward: [TraceStep]
    /// Why there are no backward steps, when there are none (a non-scalar, a constant, a released graph).
    public let note: String?

    /// Forward then backward steps, as the stepper pages through them.
    public var all: [TraceStep] { forward + backward }
}
