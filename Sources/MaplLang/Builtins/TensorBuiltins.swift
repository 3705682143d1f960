import MaplNN

/// Creating tensors and changing their shape.
extension BuiltinRegistry {
    func registerTensorBuiltins() {
        let c = "tensors"
        register("tensor(data)", category: c, "a new tensor (a copy, cut off from any graph) from a number, a nested list or a tensor") { a in
            .constant(try a.tensor("data"))
        }
        register("zeros(dims...)", category: c, "a tensor of zeros: zeros(2, 3) or zeros(x.shape)") { a in
            .constant(try Tensor.zeros(a.dims()))
        }
        register("ones(dims...)", category: c, "a tensor of ones: ones(2, 3) or ones(x.shape)") { a in
            .constant(try Tensor.ones(a.dims()))
        }
        register("full(shape, value)", category: c, "a tensor of the given shape filled with one value: full([2, 3], 0.5)") { a in
            .constant(try Tensor.full(a.intList("shape"), a.float("value")))
        }
        register("rand(dims...)", category: c, "uniform random numbers in [0, 1): rand(2, 3)") { a in
            .constant(try Tensor.rand(a.dims()))
        }
        register("randn(dims...)", category: c, "standard normal random numbers: randn(2, 3)") { a in
            .constant(try Tensor.randn(a.dims()))
        }
        register("arange(a, b=none, step=1)", category: c, "arange(n) is 0, 1, …, n−1; arange(a, b, step) counts from a up to (not including) b") { a in
            if a.isNone("b") { return .constant(try Tensor.arange(0, a.double("a"), a.double("step"))) }
            return .constant(try Tensor.arange(a.double("a"), a.double("b"), a.double("step")))
        }
        register("linspace(a, b, n)", category: c, "n evenly spaced numbers from a to b inclusive") { a in
            let n = try a.int("n")
            guard n <= 1 << 31 else { throw a.error("n", "linspace would make \(n) elements") }
            return .constant(try Tensor.linspace(a.double("a"), a.double("b"), n))
        }
        register("eye(n)", category: c, "the n×n identity matrix") { a in
            let n = try a.int("n")
            guard n >= 0 else { throw a.error("n", "the size must not be negative, got \(n)") }
            return .constant(try Tensor.eye(n))
        }
        register("onehot(labels, n)", category: c, "one-hot rows: labels [k] of class numbers give [k, n]") { a in
            let labels = try a.tensor("labels"), n = try a.int("n")
            let (total, overflow) = labels.count.multipliedReportingOverflow(by: Swift.max(n, 0))
            guard !overflow, total <= 1 << 31 else { throw a.error("n", "onehot would make \(labels.count) rows of \(n) classes — too large") }
            return .constant(try Tensor.onehot(labels, n))
        }
        register("param(t)", category: c, "a trainable tensor (a parameter): backward adds into its .grad; in-place updates are shared") { a in
            .tensor(Variable.parameter(try a.tensor("t")))
        }
        register("detach(t)", category: c, "the same values cut off from the gradient graph") { a in
            .tensor(try a.variable("t").detached())
        }
        register("reshape(x, dims...)", category: c, "the same elements in a new shape; one dimension may be -1: reshape(x, 2, -1)") { a in
            .tensor(try Variable.reshape(a.variable("x"), a.dims()))
        }
        register("transpose(x, a=-2, b=-1)", category: c, "swaps two axes (the last two by default); x.T does the same") { a in
            .tensor(try Variable.transpose(a.variable("x"), a.int("a"), a.int("b")))
        }
        register("concat(tensors, axis=0)", category: c, "joins a list of tensors along an existing axis") { a in
            .tensor(try Variable.concat(a.variables("tensors"), axis: a.int("axis")))
        }
        register("stack(tensors, axis=0)", category: c, "joins a list of equal-shaped tensors along a new axis") { a in
            .tensor(try Variable.stack(a.variables("tensors"), axis: a.int("axis")))
        }
        register("item(x)", category: c, "the number in a one-element tensor") { a in
            let t = try a.tensor("x")
            guard t.count == 1 else { throw a.error("x", "item needs a tensor with one element, got shape \(shapeString(t.shape))") }
            return .number(Double(t.scalars[0]))
        }
        register("len(x)", category: c, "the length of a list or string, the first dimension of a tensor, the size of a dataset") { a in
            switch a.value("x") {
            case .list(let items): return .number(Double(items.count))
            case .string(let s): return .number(Double(s.count))
            case .record(let r): return .number(Double(r.fields.count))
            case .tensor(let t):
                guard t.rank >= 1 else { throw a.error("x", "a scalar tensor has no length") }
                return .number(Double(t.shape[0]))
            case .object(let o as LengthValue): return .number(Double(o.length))
            case .mapping(let m as LengthValue): return .number(Double(m.length))
            case let v: throw a.error("x", "\(v.kindWithArticle) has no length")
            }
        }
        register("seed(n)", category: c, "makes every later random draw reproducible") { a in
            let n = try a.int("n")
            guard let s = UInt64(exactly: n) else { throw a.error("n", "the seed must not be negative, got \(n)") }
            Random.seed(s)
            return .none
        }
        register("matmul(a, b)", category: c, "the matrix product a @ b (NumPy rules: batched, 1-D operands promoted)") { a in
            .tensor(try Variable.matmul(a.variable("a"), a.variable("b")))
        }
    }
}

extension Arguments {
    /// A shape from `dims...`: either whole numbers, or one list / 1-D tensor (`zeros(x.shape)`).
    func dims() throws -> [Int] {
        let name = parameters.first(where: \.variadic)?.name ?? "dims"
        guard case .list(let items) = value(name) else { return [] }
        let shape: [Int]
        if items.count == 1, case .list = items[0] {
            shape = try Convert.intList(items[0], argument: position(name), what: what(name))
        } else if items.count == 1, case .tensor(let t) = items[0], t.rank == 1 {
            shape = try Convert.intList(items[0], argument: position(name), what: what(name))
        } else {
            shape = try items.map { try Convert.int($0, argument: position(name), what: what(name)) }
        }
        guard shape.allSatisfy({ $0 >= -1 }) else { throw error(name, "dimensions must not be negative, got \(shapeString(shape))") }
        return shape
    }

    /// A list (or a tensor, whose rows are taken) of tensors.
    func variables(_ name: String) throws -> [Variable] {
        switch value(name) {
        case .list(let items):
            return try items.map { try Convert.variable($0, argument: position(name), what: what(name) + " items") }
        case .tensor(let t):
            guard t.rank >= 1 else { throw error(name, "expected a list of tensors, got a scalar") }
            return try (0..<t.shape[0]).map { try Variable.index(t, [.at($0)]) }
        case let v:
            throw error(name, "expected a list of tensors, got \(v.kindWithArticle)")
        }
    }
}
