/// "Did you mean …?" — the closest known name, knowing the habits mapl's users bring from Python, NumPy and
/// PyTorch: capitalised keywords and classes (`True`, `None`, `ReLU`, `Linear`), module prefixes (`np.mean`)
/// and Python keywords (`def`, `elif`, `lambda`).
public enum Suggestions {
    /// The closest candidate, ignoring case (`Adam` → `adam`, `ReLU` → `relu`), within a small edit distance
    /// (at most 2, about a third of the name's length, and less than the whole name — one-letter names get no
    /// guesses), or nil. Ties go to the alphabetically first.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        // A name longer than any a person types gets no guess: the distance costs length × length.
        guard name.utf8.count <= 64 else { return nil }
        let limit = min(2, max(1, (name.count + 2) / 3))
        let lowered = name.lowercased()
        var best: (String, Int)? = nil
        // Names whose lengths differ by more than the limit cannot be within it: skip them without measuring.
        for c in Set(candidates) where c != name && abs(c.count - name.count) <= limit {
            let d = distance(lowered, c.lowercased())
            if d <= limit, d < name.count, best.map({ d < $0.1 || (d == $0.1 && c < $0.0) }) ?? true { best = (c, d) }
        }
        return best?.0
    }

    /// What to say after "unknown name 'x'": a Python/PyTorch spelling's mapl form, else the closest visible name.
    static func forUnknownName(_ name: String, among visible: [String]) -> String? {
        if let hint = pythonHints[name] { return hint }
        if let mapl = pythonNames[name] { return "did you mean '\(mapl)'?" }
        return closest(to: name, among: visible).map { "did you mean '\($0)'?" }
    }

    /// The message for `module.name` when `module` is an unbound Python module name (`np.mean`, `torch.relu`,
    /// `nn.Linear`, `F.softmax`): mapl has no modules, builtins are called directly. Nil for other names.
    static func forModule(_ module: String, field: String, among visible: [String]) -> String? {
        guard pythonModules.contains(module) else { return nil }
        let target = pythonNames[field] ?? (visible.contains(field) ? field : closest(to: field, among: visible))
        let plain = "unknown name '\(module)': mapl has no modules, builtins are called directly"
        return plain + (target.map { " — did you mean '\($0)'?" } ?? " (help() lists them)")
    }

    /// A hint for a Python keyword where mapl expects the end of a statement (`def f(x):`, `} elif`).
    static func forPythonKeyword(_ word: String) -> String? { pythonKeywords[word] }

    /// Python, NumPy and PyTorch names whose mapl spelling is not within edit distance.
    static let pythonNames: [String: String] = [
        "True": "true", "False": "false", "None": "none", "null": "none", "nil": "none", "NULL": "none",
        "Linear": "dense", "Dense": "dense", "Sequential": "seq", "Conv2d": "conv2d", "MaxPool2d": "maxpool2d",
        "AvgPool2d": "avgpool2d", "BatchNorm1d": "batchnorm", "BatchNorm2d": "batchnorm", "LayerNorm": "layernorm",
        "Flatten": "flatten", "Dropout": "dropout", "Embedding": "embedding", "RNN": "rnn", "LSTM": "lstm",
        "MultiheadAttention": "attention", "CrossEntropyLoss": "cross_entropy", "NLLLoss": "nll", "MSELoss": "mse",
        "BCELoss": "bce", "array": "tensor", "asarray": "tensor", "from_numpy": "tensor", "dot": "matmul",
        "SGD": "sgd", "Adam": "adam", "AdamW": "adamw", "RMSprop": "rmsprop", "concatenate": "concat", "cat": "concat",
    ]

    /// Whole hints for names whose mapl form is not a name.
    static let pythonHints: [String: String] = [
        "range": "mapl writes ranges as a..b, both ends included: range(n) is 0..n-1",
        "power": "powers are written a ^ b", "pow": "powers are written a ^ b",
        "pass": "mapl needs no 'pass': a block may be empty, { }",
        "self": "mapl has no classes: a model is a mapping built with >> or seq(...)",
    ]

    static let pythonModules: Set<String> = ["np", "numpy", "torch", "nn", "F", "functional", "optim", "math", "tf", "keras", "layers", "jnp"]

    static let pythonKeywords: [String: String] = [
        "def": "Python's 'def' is 'fn' in mapl: fn f(x) { … }, or f(x) = … on one line",
        "elif": "Python's 'elif' is 'else if' in mapl",
        "lambda": "Python's 'lambda x: …' is 'x -> …' in mapl",
        "import": "mapl has no imports: every builtin is always there (help() lists them)",
        "from": "mapl has no imports: every builtin is always there (help() lists them)",
        "class": "mapl has no classes: a model is a mapping built with >> or seq(...)",
        "elseif": "write 'else if'",
        "function": "a mapping is written fn f(x) { … }, or f(x) = … on one line",
    ]

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
