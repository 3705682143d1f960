import MaplNN

/// A `MaplNN.Layer` seen from the language: callable on a tensor, with `layers`, `params` and its own
/// parameters (`W`, `b`) and buffers (`running_mean`) as fields. Parameters are the layer's very
/// `Variable`s, so updates through a field reach the model.
public final class LayerMapping: Mapping, ParameterHolder {
    public let layer: Layer
    public init(_ layer: Layer) { self.layer = layer }
    public var name: String { layer.kind }
    public var displayString: String { "<mapping \(layer.signature)>" }
    public func call(_ args: [Value], keywords: [(name: String, value: Value)], interpreter: Interpreter) throws -> Value {
        guard keywords.isEmpty else { throw RuntimeError("\(layer.kind) takes no keyword arguments") }
        guard args.count == 1 else { throw RuntimeError("\(layer.kind) takes 1 argument (a tensor), got \(args.count)") }
        let x = try Convert.variable(args[0], argument: .positional(0), what: "the input of \(layer.kind)")
        return .tensor(try layer(x))
    }
    public var fieldNames: [String] { ["layers", "params", "kind"] + layer.ownParameters.map(\.name) + layer.ownBuffers.map(\.name) }
    public func field(_ name: String) throws -> Value? {
        switch name {
        case "layers": return .list(layer.children.map { .mapping(LayerMapping($0)) })
        case "params": return .list(layer.parameters.map { .tensor($0) })
        case "kind": return .string(layer.kind)
        default:
            if let p = layer.ownParameters.first(where: { $0.name == name }) { return .tensor(p.value) }
            return layer.ownBuffers.first(where: { $0.name == name }).map { .constant($0.value.value) }
        }
    }
    public var parameterList: [Variable] { layer.parameters }
}
