import MaplNN

/// `save`, `load` (safetensors for models, .npy for tensors) and `run` (a .mapl file in this session).
extension BuiltinRegistry {
    func registerNNFileBuiltins() {
        let c = "files"
        register("save(x, path)", category: c, "save(model, \"m.safetensors\") writes a model's weights; save(t, \"t.npy\") writes a tensor in NumPy's format") { a in
            let path = try a.string("path")
            switch a.value("x") {
            case .mapping:
                guard path.hasSuffix(".safetensors") else { throw a.error("path", "a model is saved as .safetensors, got \"\(path)\"") }
                let named = ModelWeights.named(try a.layer("x"))
                guard !named.isEmpty else { throw a.error("x", "this model has no parameters or state to save") }
                try Safetensors.write(named.map { ($0.name, $0.value.value) }, to: path)
            case .tensor(let t):
                guard path.hasSuffix(".npy") else { throw a.error("path", "a tensor is saved as .npy, got \"\(path)\"") }
                try NPY.write(t.value, to: path)
            case let v:
                throw a.error("x", "save takes a model (.safetensors) or a tensor (.npy), got \(Convert.describeKind(v))")
            }
            return .none
        }
        register("load(x, path=none)", category: c, "load(model, \"m.safetensors\") reads weights into a model (names and shapes must match); load(\"t.npy\") is a tensor") { a in
            if case .string(let path) = a.value("x") {
                guard a.isNone("path") else { throw a.error("path", "load(\"file.npy\") takes one argument; weights load into a model: load(model, \"m.safetensors\")") }
                guard path.hasSuffix(".npy") else {
                    throw a.error("x", "load(\"\(path)\"): only .npy files load as a value; a .safetensors file loads into a model: load(model, \"\(path)\")")
                }
                return .constant(try NPY.read(path))
            }
            guard case .mapping = a.value("x") else {
                throw a.error("x", "load takes a model and a .safetensors path, or a .npy path, got \(Convert.describeKind(a.value("x")))")
            }
            let path = try a.string("path")
            try ModelWeights.load(into: a.layer("x"), from: path)
            return .none
        }
        register("run(path)", category: c, "runs a .mapl file in this session: its bindings stay; errors point into the file") { a in
            let path = try a.string("path")
            let source: String
            do { source = try SourceFile.read(path) } catch let e as SourceFile.ReadError { throw a.error("path", e.description) }
            try a.interpreter.runFile(path, source: source)
            return .none
        }
    }
}

/// A model's state by the names a safetensors file uses (`layers.0.W`, as PyTorch's `nn.Sequential`): every
/// parameter and every buffer (a batchnorm's running statistics and batch count), as PyTorch's `state_dict` —
/// without the buffers a reloaded model would predict differently in evaluation mode.
enum ModelWeights {
    /// Every parameter and buffer once, under the first name it is reached by (a layer used twice is saved once).
    static func named(_ layer: Layer) -> [(name: String, value: Variable)] {
        var seen = Set<ObjectIdentifier>()
        return layer.namedState.filter { seen.insert(ObjectIdentifier($0.value)).inserted }
    }

    /// Copies the file's tensors into the model's parameters and buffers in place. Every one must be in the
    /// file with its shape, and the file may hold nothing else (PyTorch's `strict=True`); nothing is changed
    /// unless everything fits.
    static func load(into layer: Layer, from path: String) throws {
        let file = try Safetensors.read(path)
        var byName: [String: Tensor] = [:]
        for (name, t) in file { byName[name] = t }
        let params = named(layer)
        var updates: [(Variable, Tensor)] = []
        for (name, p) in params {
            let what = p.isParameter ? "parameter" : "buffer"
            guard let t = byName.removeValue(forKey: name) else {
                let held = file.map(\.name).sorted().joined(separator: ", ")
                throw RuntimeError("\(path) has no tensor '\(name)' for the model's \(what) of shape \(shapeString(p.shape)); it holds: \(held)")
            }
            guard t.shape == p.shape else {
                throw RuntimeError("\(path): '\(name)' has shape \(shapeString(t.shape)) but the model's \(what) has shape \(shapeString(p.shape))")
            }
            updates.append((p, t))
        }
        if !byName.isEmpty {
            throw RuntimeError("\(path) holds tensors the model does not have: " + byName.keys.sorted().joined(separator: ", "))
        }
        for (p, t) in updates { p.value = t }
    }
}
