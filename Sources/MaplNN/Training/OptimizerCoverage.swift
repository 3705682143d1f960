/// Whether an optimizer trains a model: `fit` with an optimizer made for another model would train
/// nothing (the loss stays where it started, epoch after epoch), and one made for part of a model leaves
/// the rest at its initial values.
extension Trainer {
    /// The model's layers (as `layers[2]`, `layers[1].layers[0]`, or the layer's own signature for a
    /// single layer) whose parameters `optimizer` does not hold — a parameter by name (`layers[0].b`) when
    /// the layer's others are held. Empty when every parameter is held.
    public static func layersLeftOut(of model: Layer, by optimizer: Optimizer) -> [String] {
        let held = Set(optimizer.parameters.map(ObjectIdentifier.init))
        var out: [String] = []
        func walk(_ layer: Layer, _ path: String) {
            let own = layer.ownParameters
            let missing = own.filter { !held.contains(ObjectIdentifier($0.value)) }
            if !missing.isEmpty {
                let name = path.isEmpty ? layer.signature : "\(path) (\(layer.signature))"
                if missing.count == own.count {
                    out.append(name)
                } else {
                    out += missing.map { path.isEmpty ? $0.name : "\(path).\($0.name)" }
                }
            }
            for (i, child) in layer.children.enumerated() {
                walk(child, path.isEmpty ? "layers[\(i)]" : "\(path).layers[\(i)]")
            }
        }
        walk(model, "")
        return out
    }

    /// Throws when the model has parameters and `optimizer` holds none of them.
    public static func checkOptimizerHoldsTheModel(_ model: Layer, _ optimizer: Optimizer) throws {
        let parameters = model.parameters
        guard !parameters.isEmpty else { return }
        let held = Set(optimizer.parameters.map(ObjectIdentifier.init))
        guard parameters.contains(where: { held.contains(ObjectIdentifier($0)) }) else {
            throw TensorError("fit: the optimizer holds none of the model's parameters, so training would change nothing (was it made for another model?): make it from this one, e.g. opt=\(optimizer.kind)(model)")
        }
    }
}
