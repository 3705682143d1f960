import MaplEngine
import MaplProtocol
import MaplRender

extension GraphData {
    /// The graph behind `root`, walked without recursion.
    public init(_ root: Variable) {
        var nodes: [Node] = []
        var seen = Set<ObjectIdentifier>([ObjectIdentifier(root)])
        var queue = [root]
        var head = 0
        var total = 0
        while head < queue.count {
            let v = queue[head]; head += 1
            total += 1
            if nodes.count < GraphData.maxNodes {
                nodes.append(Node(id: v.id, label: v.label, op: v.op?.name, shape: v.shape, isParameter: v.isParameter,
                                  inputs: v.inputs.map(\.id)))
            }
            for input in v.inputs where seen.insert(ObjectIdentifier(input)).inserted { queue.append(input) }
        }
        self.init(root: root.id, nodes: nodes, truncated: total > nodes.count, totalNodes: total)
    }
}

extension GraphDrawing {
    public static func render(_ root: Variable, maxLines: Int = 200) -> [String] { render(GraphData(root), maxLines: maxLines) }
}
