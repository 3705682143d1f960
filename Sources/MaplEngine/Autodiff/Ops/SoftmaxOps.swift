import Foundation

/// softmax and log-softmax along an axis, computed stably (the maximum is subtracted first).
extension Variable {
    /// softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ — ∂L/∂x = y ⊙ (g − Σ g⊙y)
    public static func softmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        let a = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape)
        let y = try Tensor.softmax(x.value, axis: a)
        return record(OpInfo("softmax", "∂L/∂x = y ⊙ (g − Σⱼ gⱼyⱼ)"), [x], y) { g in
            let gy = try g * y
            let dot = try gy.sum(axis: a, keepdims: true)
            return [try gy - y * dot]
        }
    }

    /// log softmax(x)ᵢ = xᵢ − log Σⱼ e^xⱼ — ∂L/∂x = g − softmax(x) · Σ g
    public static func logSoftmax(_ x: Variable, axis: Int = -1) throws -> Variable {
        let a = try Shape.normalizeAxis(axis, rank: x.rank, shape: x.shape)
        let y = try Tensor.logSoftmax(x.value, axis: a)
        return record(OpInfo("log_softmax", "∂L/∂x = g − softmax(x)·Σⱼ gⱼ"), [x], y) { g in
            let total = try g.sum(axis: a, keepdims: true)
            return [try g - y.map { Foundation.exp($0) } * total]
        }
    }
}

extension Tensor {
    /// Stable softmax along `axis`.
    public static func softmax(_ x: Tensor, axis: Int) throws -> Tensor {
        let shifted = try x - x.max(axis: axis, keepdims: true)
        let e = shifted.map { Foundation.exp($0) }
        return try e / e.sum(axis: axis, keepdims: true)
    }

    /// Stable log-softmax along `axis`.
    public static func logSoftmax(_ x: Tensor, axis: Int) throws -> Tensor {
        let shifted = try x - x.max(axis: axis, keepdims: true)
        let lse = try shifted.map { Foundation.exp($0) }.sum(axis: axis, keepdims: true).map { Foundation.log($0) }
        return try shifted - lse
    }
}
