import Foundation

/// Parameter initialisation shared by the layers. Every draw goes through `Random` (via `Tensor.uniform`
/// and `Tensor.randn`), so `seed(n)` fixes every layer's starting weights.
enum Init {
    /// A trainable tensor uniform in [−bound, bound).
    ///
    /// PyTorch's default for `Linear` and `Conv2d` is `kaiming_uniform(a=√5)`, whose bound works out to
    /// 1/√fan_in — the same bound its biases use — so one helper serves weights and biases.
    static func uniform(_ shape: [Int], bound: Float, label: String) throws -> Variable {
        Variable.parameter(try Tensor.uniform(shape, low: -bound, high: bound), label: label)
    }

    /// 1/√fan_in, PyTorch's default bound (guarding a zero fan-in, which a layer with no inputs has).
    static func fanInBound(_ fanIn: Int) -> Float { 1 / Float(Swift.max(fanIn, 1)).squareRoot() }

    /// Throws unless a parameter of `shape` can exist — no overflow, not beyond `Shape.maxElements`, within
    /// what the process can allocate (`MemoryBudget`) — naming the layer and the parameter. Layers call it
    /// before any arithmetic on their sizes (fan-in products, `4·hidden`), which is then in range.
    static func checkShape(_ layer: String, _ parameter: String, _ shape: [Int]) throws {
        guard let n = try? Shape.checkedCount(shape) else {
            throw TensorError("\(layer): \(parameter) of shape \(shapeString(shape)) is too large")
        }
        do { try MemoryBudget.check(count: n, shape: shape) } catch let e as TensorError {
            throw TensorError("\(layer): \(parameter) \(e.message)")
        }
    }

    /// A trainable tensor of `shape` filled with `value` (checked as `checkShape`).
    static func constant(_ layer: String, _ shape: [Int], _ value: Float, label: String) throws -> Variable {
        try checkShape(layer, label, shape)
        return Variable.parameter(try Tensor.full(shape, value), label: label)
    }

    /// Throws unless every size is positive, naming the layer and its arguments.
    static func requirePositive(_ layer: String, _ sizes: [(String, Int)]) throws {
        for (name, v) in sizes where v <= 0 {
            throw TensorError("\(layer): \(name) must be a positive integer, got \(v)")
        }
    }
}
