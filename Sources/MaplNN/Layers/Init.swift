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

    /// Throws unless every size is positive, naming the layer and its arguments.
    static func requirePositive(_ layer: String, _ sizes: [(String, Int)]) throws {
        for (name, v) in sizes where v <= 0 {
            throw TensorError("\(layer): \(name) must be a positive integer, got \(v)")
        }
    }
}
