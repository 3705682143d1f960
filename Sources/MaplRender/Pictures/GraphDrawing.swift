import MaplCore
import MaplProtocol

/// The computation graph behind a value, drawn as a tree from the output down to the leaves — `graph(loss)`.
///
///     L  mean  []
///     └─ pow  [2]
///        ├─ sub  [2]
///        │  ├─ yhat  sigmoid  [2]
///        │  │  └─ z  add  [2]
///        …
/// A node reached a second time is drawn once and then referred to as `(see #id)`.
public enum GraphDrawing {

    /// Draws a `graph` event's nodes.
    public static func render(_ graph: GraphData, maxLines: Int = 200) -> [String] {
        let byID = Dictionary(graph.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard let root = byID[graph.root] else { return ["(empty graph)"] }
        var lines: [String] = []
        var seen = Set<Int>()
        // Iterative depth-first walk so very deep graphs cannot overflow the stack.
        var stack: [(node: GraphData.Node, prefix: String, isLast: Bool, isRoot: Bool)] = [(root, "", true, true)]
        while let (node, prefix, isLast, isRoot) = stack.popLast() {
            if lines.count >= maxLines { lines.append("… (\(graph.totalNodes) nodes in all)"); break }
            let branch = isRoot ? "" : (isLast ? "└─ " : "├─ ")
            let firstVisit = seen.insert(node.id).inserted
            let isLeaf = node.op == nil
            lines.append(prefix + branch + describe(node) + (firstVisit || isLeaf ? "" : "  (see #\(node.id))"))
            guard firstVisit else { continue }
            let childPrefix = prefix + (isRoot ? "" : (isLast ? "   " : "│  "))
            for (i, inputID) in node.inputs.enumerated().reversed() {
                guard let input = byID[inputID] else { continue }
                stack.append((input, childPrefix, i == node.inputs.count - 1, false))
            }
        }
        return lines
    }

    /// `label  op  shape  #id` for a node; leaves say whether they are parameters.
    public static func describe(_ node: GraphData.Node) -> String {
        var parts: [String] = []
        if let label = node.label { parts.append(label) }
        if let op = node.op { parts.append(op) } else { parts.append(node.isParameter ? "param" : "const") }
        parts.append(shapeString(node.shape))
        return parts.joined(separator: "  ") + "  #\(node.id)"
    }
}
