@_exported import MaplEngine

/// A mapping with (possibly) trainable parameters: layers, activations, and models made of them.
///
/// Everything in mapl is a mapping; in Swift, a `Layer` is a mapping that the nn library knows how to
/// train, summarise and save. Layers are reference types because parameters are shared objects: a model
/// and a name bound to one of its layers see the same weights.
public protocol Layer: AnyObject {
    /// The layer's kind as users write it (`dense`, `conv2d`, `relu`, …).
    var kind: String { get }
    /// The forward pass.
    func callAsFunction(_ x: Variable) throws -> Variable
    /// This layer's own parameters with their field names (`W`, `b`, …), not its children's.
    var ownParameters: [(name: String, value: Variable)] { get }
    /// This layer's own state that is not trained but is part of the model — PyTorch's buffers, such as a
    /// batchnorm's running statistics — as constant leaves whose `value` the layer updates (and `load`
    /// replaces). Saved with the parameters.
    var ownBuffers: [(name: String, value: Variable)] { get }
    /// Sub-layers, in order (a `Sequential`'s stages; empty for a plain layer).
    var children: [Layer] { get }
    /// Switches training behaviour (dropout, batchnorm statistics) on this layer only.
    func setTraining(_ training: Bool)
    /// A one-line description with the constructor's arguments, e.g. `dense(784, 128)`.
    var signature: String { get }
}

extension Layer {
    public var ownParameters: [(name: String, value: Variable)] { [] }
    public var ownBuffers: [(name: String, value: Variable)] { [] }
    public var children: [Layer] { [] }
    public func setTraining(_ training: Bool) {}
    public var signature: String { kind }

    /// Every parameter of this layer and its descendants, depth first, with dotted paths
    /// (`layers.1.W`) — the names safetensors files use.
    public var namedParameters: [(name: String, value: Variable)] {
        var out = ownParameters
        for (i, child) in children.enumerated() {
            out += child.namedParameters.map { ("layers.\(i).\($0.name)", $0.value) }
        }
        return out
    }

    /// Every parameter, depth first.
    public var parameters: [Variable] { namedParameters.map(\.value) }

    /// Every buffer of this layer and its descendants, depth first, with dotted paths
    /// (`layers.1.running_mean`), as `namedParameters`.
    public var namedBuffers: [(name: String, value: Variable)] {
        var out = ownBuffers
        for (i, child) in children.enumerated() {
            out += child.namedBuffers.map { ("layers.\(i).\($0.name)", $0.value) }
        }
        return out
    }

    /// Every parameter and buffer — PyTorch's `state_dict`: what a saved model must hold to predict alike.
    public var namedState: [(name: String, value: Variable)] { namedParameters + namedBuffers }

    /// Switches this layer and all its descendants between training and evaluation.
    public func train(_ training: Bool = true) {
        setTraining(training)
        for child in children { child.train(training) }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
