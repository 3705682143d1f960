import Foundation

/// Plain (non-recording) tensor arithmetic with NumPy broadcasting. Backward rules are written with these.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try zip(a, b, +) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try zip(a, b, -) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try zip(a, b, *) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try zip(a, b, /) }
    public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    public static func - (a: Tensor, s: Float) -> Tensor { a.map { $0 - s } }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    public static func / (a: Tensor, s: Float) -> Tensor { a.map { $0 / s } }
    public static func * (s: Float, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// `self += other`, in place, with `other` broadcast to this tensor's shape.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) throws {
        if other.shape == shape {
            other.scalars.withUnsafeBufferPointer { o in
                scalars.withUnsafeMutableBufferPointer { x in
                    for i in 0..<x.count { x[i] += alpha * o[i] }
                }
            }
        } else {
            let sum = try Tensor.zip(self, other) { $0 + alpha * $1 }
            guard sum.shape == shape else {
                throw TensorError("cannot add a tensor of shape \(shapeString(other.shape)) in place into one of shape \(shapeString(shape))")
            }
            self = sum
        }
    }

    /// Elementwise comparison giving 0/1.
    public enum Comparison: String, Sendable { case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=" }

    /// `a op b` elementwise, as a 0/1 tensor marked as a mask (`isMask`).
    public static func compare(_ a: Tensor, _ b: Tensor, _ op: Comparison) throws -> Tensor {
        var out: Tensor
        switch op {
        case .eq: out = try zip(a, b) { $0 == $1 ? 1 : 0 }
        case .ne: out = try zip(a, b) { $0 != $1 ? 1 : 0 }
        case .lt: out = try zip(a, b) { $0 < $1 ? 1 : 0 }
        case .le: out = try zip(a, b) { $0 <= $1 ? 1 : 0 }
        case .gt: out = try zip(a, b) { $0 > $1 ? 1 : 0 }
        case .ge: out = try zip(a, b) { $0 >= $1 ? 1 : 0 }
        }
        out.isMask = true
        return out
    }

    /// True when shapes broadcast and every pair of elements is within `atol + rtol·|b|` (NumPy's `allclose`).
    public static func allClose(_ a: Tensor, _ b: Tensor, rtol: Float = 1e-5, atol: Float = 1e-8) -> Bool {
        guard let d = try? zip(a, b, { abs($0 - $1) <= atol + rtol * abs($1) || ($0 == $1) ? 1 : 0 }) else { return false }
        return d.scalars.allSatisfy { $0 == 1 }
    }
}
