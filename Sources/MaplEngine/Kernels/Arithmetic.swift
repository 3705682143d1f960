import CKernels
import Foundation

/// Plain (non-recording) tensor arithmetic with NumPy broadcasting. Backward rules are written with these.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try arithmetic(a, b, MAPL_ADD, +) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try arithmetic(a, b, MAPL_SUBTRACT, -) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try arithmetic(a, b, MAPL_MULTIPLY, *) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try arithmetic(a, b, MAPL_DIVIDE, /) }
    public static func + (a: Tensor, s: Float) -> Tensor { a.arithmetic(MAPL_ADD, s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.arithmetic(MAPL_SUBTRACT, s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.arithmetic(MAPL_MULTIPLY, s) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.arithmetic(MAPL_DIVIDE, s) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.arithmetic(MAPL_MULTIPLY, s, scalarFirst: true) }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// `a op b` with broadcasting: same shapes, or one side a single element, in one vectorised C loop per
    /// part (`mapl_arithmetic`); other broadcasts through `zip` with `f`, the same operator.
    private static func arithmetic(_ a: Tensor, _ b: Tensor, _ op: MaplArithmetic, _ f: (Float, Float) -> Float) throws -> Tensor {
        if a.shape == b.shape {
            return Tensor(uninitializedShape: a.shape) { z in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        guard let z0 = z.baseAddress, let x0 = x.baseAddress, let y0 = y.baseAddress else { return }
                        Parallel.ranges(z.count, work: 3 * z.count, alignment: 16) { part in
                            mapl_arithmetic(op, x0 + part.lowerBound, y0 + part.lowerBound, z0 + part.lowerBound, part.count)
                        }
                    }
                }
            }
        }
        let shape = try Shape.broadcast(a.shape, b.shape)
        if b.count == 1 && shape == a.shape { return a.arithmetic(op, b.scalars[0]) }
        if a.count == 1 && shape == b.shape { return b.arithmetic(op, a.scalars[0], scalarFirst: true) }
        return try zip(a, b, f)
    }

    /// `self op s` (`s op self` when `scalarFirst`) for every element, as `arithmetic(_:_:_:_:)`.
    private func arithmetic(_ op: MaplArithmetic, _ s: Float, scalarFirst: Bool = false) -> Tensor {
        Tensor(uninitializedShape: shape) { z in
            scalars.withUnsafeBufferPointer { x in
                guard let z0 = z.baseAddress, let x0 = x.baseAddress else { return }
                Parallel.ranges(z.count, work: 2 * z.count, alignment: 16) { part in
                    mapl_arithmetic_scalar(op, x0 + part.lowerBound, s, scalarFirst ? 1 : 0, z0 + part.lowerBound, part.count)
                }
            }
        }
    }

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
