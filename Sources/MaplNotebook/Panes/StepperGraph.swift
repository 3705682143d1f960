import MaplRender

/// The traced graph as the stepper's graph view draws it: a tree from the traced value down to the leaves
/// (as `graph(x)` draws it), each row knowing its node so the current one can be highlighted, together with
/// the edges its gradient flows along.
///
///     L = sum(#7)  []
///     └─ #7 = #6 ^ 2  [2]  ∂ ✓
///        └─ #6 = yhat - #5  [2]                 ◀ ∂
///           ├─ yhat = sigmoid(z)  [2]           (highlighted)
///           …
/// A node reached again is drawn once more as `(see above)` without its inputs.
struct StepperGraph {
    struct Row {
        /// The tree's lines before the branch (`│  ├─ `), the branch itself, and the node.
        var prefix: String
        var branch: String
        var node: Int
        /// The node's parent in the drawing, nil for the root.
        var parent: Int?
        var repeated: Bool
    }

    let rows: [Row]

    static let maxRows = 5000

    init(_ index: TraceIndex, ascii: Bool) {
        let trace = index.trace
        var rows: [Row] = []
        guard let root = trace.forward.last else { self.rows = []; return }
        let pipe = ascii ? "|  " : "│  ", tee = ascii ? "|- " : "├─ ", elbow = ascii ? "`- " : "└─ "
        var seen = Set<Int>()
        var stack: [(id: Int, parent: Int?, prefix: String, isLast: Bool, isRoot: Bool)] = [(root.nodeID, nil, "", true, true)]
        while let (id, parent, prefix, isLast, isRoot) = stack.popLast(), rows.count < StepperGraph.maxRows {
            let first = seen.insert(id).inserted
            let step = index.forwardStep(of: id)
            let leaf = step?.op == nil
            rows.append(Row(prefix: prefix, branch: isRoot ? "" : (isLast ? elbow : tee), node: id, parent: parent, repeated: !first && !leaf))
            guard first, let step else { continue }
            let childPrefix = prefix + (isRoot ? "" : (isLast ? "   " : pipe))
            for (k, input) in step.inputIDs.enumerated().reversed() {
                stack.append((input, id, childPrefix, k == step.inputIDs.count - 1, false))
            }
        }
        self.rows = rows
    }

    /// The row where `node` is drawn with its inputs.
    func row(of node: Int) -> Int? { rows.firstIndex { $0.node == node && !$0.repeated } }
}
