import MaplProtocol
import MaplCore

/// What the walk knows about one node's gradient at a given step: before the backward pass reaches a node its
/// gradient does not exist yet — it is not zero — and a node used several times collects it share by share.
public enum GradientKnowledge: Sendable {
    /// The node needs no gradient: a constant, or computed from constants only.
    case notNeeded
    /// Not computed yet: every forward step, and backward steps before any use of the node has sent its share.
    case notComputedYet
    /// Some uses have sent their share (`received`, in order), `expected` in all.
    case partial(received: [TraceStep.Contribution], expected: Int)
    /// The whole of ∂L/∂node.
    case complete(Tensor)
}

/// A run of consecutive steps of one pass made by one layer (model stage) — or, outside any model, by the
/// loss and other ops — as the stepper's layer view shows them.
public struct TraceGroup: Sendable, Equatable {
    public let phase: TraceStep.Phase
    /// The stage as written (`dense(784, 128)`), or for steps outside a model their ops (`cross_entropy`).
    public let name: String
    /// `dense`, `relu`, …; `loss` for the run holding the traced value, `ops` for other steps outside a model.
    public let kind: String
    /// The layer's id (`TraceStep.Layer.id`), nil outside any model.
    public let layerID: Int?
    /// The stage's position in its model, when in one.
    public let stageIndex: Int?
    /// The steps, as indices into `TraceSteps.all`.
    public let steps: Range<Int>
}

/// Lookups over a trace, built once: where each node's steps are, which nodes need gradients, and the layer
/// groups of both passes. The stepper keeps one; `gradient(of:atStep:)` answers "what is ∂L/∂node here?".
public struct TraceIndex: Sendable {
    public let trace: TraceSteps
    /// Node id → its forward step's index in `all`.
    public let forwardStep: [Int: Int]
    /// Node id → its backward step's index in `all`.
    public let backwardStep: [Int: Int]
    /// The layer groups of the forward pass, then of the backward pass; empty when no step was made inside a
    /// model.
    public let groups: [TraceGroup]

    public init(_ trace: TraceSteps) {
        self.trace = trace
        var f: [Int: Int] = [:], b: [Int: Int] = [:]
        for (i, s) in trace.forward.enumerated() where f[s.nodeID] == nil { f[s.nodeID] = i }
        for (i, s) in trace.backward.enumerated() where b[s.nodeID] == nil { b[s.nodeID] = trace.forward.count + i }
        forwardStep = f
        backwardStep = b
        let modelled = trace.forward.contains { $0.layer != nil }
        groups = modelled
            ? TraceIndex.runs(trace.forward, offset: 0, phase: .forward, rootID: trace.forward.last?.nodeID)
                + TraceIndex.runs(trace.backward, offset: trace.forward.count, phase: .backward, rootID: trace.forward.last?.nodeID)
            : []
    }

    /// True when the trace went through a model, so its steps group per layer.
    public var hasLayers: Bool { !groups.isEmpty }

    /// The forward step of node `id`.
    public func forwardStep(of id: Int) -> TraceStep? { forwardStep[id].map { trace.forward[$0] } }

    /// The group holding step `index` of `all`, as an index into `groups`.
    public func group(ofStep index: Int) -> Int? { groups.firstIndex { $0.steps.contains(index) } }

    /// What is known about ∂L/∂(node `id`) once step `index` of `all` has been shown: nothing during the forward
    /// pass; during the backward pass, the shares of the uses whose steps have run, and the whole gradient
    /// once the node's own step has come (or all its uses have sent theirs).
    public func gradient(of id: Int, atStep index: Int) -> GradientKnowledge {
        let node = forwardStep(of: id)
        if let node, !node.requiresGrad { return .notNeeded }
        guard index >= trace.forward.count else { return .notComputedYet }
        guard let own = backwardStep[id], let step = trace.step(own) else {
            // Needs a gradient the pass never delivered (it stopped early, or the node is not a leaf's ancestor).
            return node == nil ? .notNeeded : .notComputedYet
        }
        if own <= index, let upstream = step.upstream { return .complete(upstream) }
        let received = step.contributions.filter { c in backwardStep[c.fromID].map { $0 <= index } ?? false }
        if received.isEmpty { return .notComputedYet }
        if received.count == step.contributions.count, let upstream = step.upstream { return .complete(upstream) }
        return .partial(received: received, expected: step.contributions.count)
    }

    /// Maximal runs of consecutive steps with the same layer (nil: outside any model).
    private static func runs(_ steps: [TraceStep], offset: Int, phase: TraceStep.Phase, rootID: Int?) -> [TraceGroup] {
        var groups: [TraceGroup] = []
        var start = 0
        while start < steps.count {
            let id = steps[start].layer?.id
            var end = start + 1
            while end < steps.count && steps[end].layer?.id == id { end += 1 }
            let run = steps[start..<end]
            if let layer = run.first?.layer {
                // A loss is a layer of its own, named after it, but no stage of the model.
                groups.append(TraceGroup(phase: phase, name: layer.name, kind: layer.kind, layerID: layer.id,
                                         stageIndex: layer.kind == "loss" ? nil : layer.index,
                                         steps: (offset + start)..<(offset + end)))
            } else {
                var ops: [String] = []
                for s in run { if let op = s.op, !ops.contains(op) { ops.append(op) } }
                let name = ops.isEmpty ? "inputs" : (ops.count > 3 ? ops.prefix(3).joined(separator: ", ") + ", …" : ops.joined(separator: ", "))
                let isLoss = rootID.map { r in run.contains { $0.nodeID == r } } ?? false
                groups.append(TraceGroup(phase: phase, name: name, kind: isLoss ? "loss" : "ops", layerID: nil, stageIndex: nil,
                                         steps: (offset + start)..<(offset + end)))
            }
            start = end
        }
        return groups
    }
}
