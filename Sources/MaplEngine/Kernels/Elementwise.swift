import CKernels

/// Elementwise kernels: a unary map and a NumPy-broadcasting binary zip.
///
/// Both are `@inline(__always)`, so on one thread the closure an op passes is compiled into the loop. Large
/// same-shape loops run in parts on the engine's worker threads (`Parallel.ranges`); every element is
/// computed alone, by the same function, so the result does not depend on the split. The parts' loop holds
/// the closure as a value, though, and calls it for every element (engine-bench: a closure `map` of 10⁶
/// floats ≈ 1.4 ns an element, against ≈ 0.1 for `x + x`): the hot ones have loops of their own — `+ − × ÷`
/// (CKernels/Arithmetic.c), `relu()`, `reluGradient`. (The closures are pure: no op draws random numbers or
/// touches shared state inside one.)
extension Tensor {
    /// Applies `f` to every element.
    @inline(__always)
    public func map(_ f: (Float) -> Float) -> Tensor {
        Tensor(uninitializedShape: shape) { y in
            scalars.withUnsafeBufferPointer { x in
                Parallel.ranges(x.count, work: 2 * x.count, alignment: 16) { part in
                    for i in part { y[i] = f(x[i]) }
                }
            }
        }
    }

    /// Applies `f` to every element in place.
    @inline(__always)
    public mutating func mapInPlace(_ f: (Float) -> Float) {
        scalars.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count { y[i] = f(y[i]) }
        }
    }

    /// Combines `a` and `b` element by element after NumPy broadcasting.
    @inline(__always)
    public static func zip(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) throws -> Tensor {
        if a.shape == b.shape {
            return Tensor(uninitializedShape: a.shape) { z in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        Parallel.ranges(z.count, work: 3 * z.count, alignment: 16) { part in
                            for i in part { z[i] = f(x[i], y[i]) }
                        }
                    }
                }
            }
        }
        let shape = try Shape.broadcast(a.shape, b.shape)
        if b.count == 1 && shape == a.shape {
            let s = b.scalars[0]
            return a.map { f($0, s) }
        }
        if a.count == 1 && shape == b.shape {
            let s = a.scalars[0]
            return b.map { f(s, $0) }
        }
        var out = [Float](repeating: 0, count: Shape.count(shape))
        let sa = Shape.broadcastStrides(a.shape, to: shape)
        let sb = Shape.broadcastStrides(b.shape, to: shape)
        a.scalars.withUnsafeBufferPointer { x in
            b.scalars.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    BroadcastWalk.rows(shape: shape, sa, sb) { outBase, aBase, bBase, n, aStep, bStep in
                        var ia = aBase, ib = bBase
                        for j in 0..<n {
                            z[outBase + j] = f(x[ia], y[ib])
                            ia += aStep; ib += bStep
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: shape, out)
    }

    /// `g ⊙ dydx(x, y)` in one pass over three same-shaped tensors: the backward of an elementwise op `y = f(x)`
    /// from its upstream gradient, input and output — no intermediate derivative tensor. (Shapes always agree
    /// on the tape; a mismatch falls back to the broadcasting path, which names the shapes if they clash.)
    @inline(__always)
    public static func chain(_ g: Tensor, _ x: Tensor, _ y: Tensor, _ dydx: (_ x: Float, _ y: Float) -> Float) throws -> Tensor {
        guard g.shape == x.shape, x.shape == y.shape else { return try zip(g, zip(x, y, dydx), *) }
        return Tensor(uninitializedShape: g.shape) { out in
            g.scalars.withUnsafeBufferPointer { pg in
                x.scalars.withUnsafeBufferPointer { px in
                    y.scalars.withUnsafeBufferPointer { py in
                        Parallel.ranges(out.count, work: 4 * out.count, alignment: 16) { part in
                            for i in part { out[i] = pg[i] * dydx(px[i], py[i]) }
                        }
                    }
                }
            }
        }
    }

    /// Sums a broadcast result back down to `target`, the shape an operand had before broadcasting.
    /// This is the reduction every broadcasting op's backward needs; it accumulates in double precision as
    /// every sum of the engine does (`fibreSums`), row by row in order.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var out = [Double](repeating: 0, count: Shape.count(target))
        let st = Shape.broadcastStrides(target, to: shape)
        let zeros = [Int](repeating: 0, count: shape.count)
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                BroadcastWalk.rows(shape: shape, st, zeros) { gBase, oBase, _, n, oStep, _ in
                    if oStep == 0 {
                        o[oBase] += Tensor.sum(g.baseAddress! + gBase, count: n)
                    } else if oStep == 1 {
                        mapl_accumulate_rows(o.baseAddress! + oBase, g.baseAddress! + gBase, 1, n, n)
                    } else {
                        var io = oBase
                        for j in 0..<n { o[io] += Double(g[gBase + j]); io += oStep }
                    }
                }
            }
        }
        return Tensor(unchecked: target, out.map { Float($0) })
    }
}

/// Walks the rows (all axes but the last) of a broadcast iteration, handing each row's base offsets and
/// last-axis steps to `body`, so the innermost loop is a plain strided loop.
@usableFromInline
enum BroadcastWalk {
    @inline(__always) @usableFromInline
    static func rows(shape: [Int], _ sa: [Int], _ sb: [Int],
                     _ body: (_ outBase: Int, _ aBase: Int, _ bBase: Int, _ n: Int, _ aStep: Int, _ bStep: Int) -> Void) {
        let rank = shape.count
        if rank == 0 { body(0, 0, 0, 1, 0, 0); return }
        let n = shape[rank - 1]
        let total = Shape.count(shape)
        if total == 0 { return }
        let rows = total / n
        var counter = [Int](repeating: 0, count: rank)
        var aBase = 0, bBase = 0
        for r in 0..<rows {
            body(r * n, aBase, bBase, n, sa[rank - 1], sb[rank - 1])
            // advance the row counter (axes rank-2 down to 0)
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                aBase += sa[axis]; bBase += sb[axis]
                if counter[axis] < shape[axis] { break }
                aBase -= sa[axis] * shape[axis]; bBase -= sb[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// relu's forward, `x <= 0 ? 0 : x` (NaN stays NaN), as a loop of its own: through `map` the function
    /// is called per element (the parts' closure captures it, so it is not compiled into the loop), which
    /// made relu the CNN's costliest pass after its convolutions.
    public func relu() -> Tensor {
        Tensor(uninitializedShape: shape) { y in
            scalars.withUnsafeBufferPointer { x in
                Parallel.ranges(x.count, work: 2 * x.count, alignment: 16) { part in
                    for i in part { let v = x[i]; y[i] = v <= 0 ? 0 : v }
                }
            }
        }
    }

    /// relu's backward from its output, `g · (y > 0 ? 1 : 0)`, that can also sum the result over rows into
    /// `columnSums` (length = the last axis; added to in double precision, row by row in order), straight from
    /// the masked rows while they are in cache. It exists for fused nodes such as `affine(…, relu: true)`: no
    /// separate relu node, output or gradient tensor. Same arithmetic as relu's rule, so bit-identical.
    /// Throws if `g` and `y` differ in shape or `columnSums` does not match the last axis.
    public static func reluGradient(_ g: Tensor, output y: Tensor, columnSums: inout [Double]?) throws -> Tensor {
        guard g.shape == y.shape else {
            throw TensorError("reluGradient: gradient \(shapeString(g.shape)) and output \(shapeString(y.shape)) must have the same shape")
        }
        let cols = g.rank == 0 ? 1 : g.shape[g.rank - 1]  // a scalar is one row of one column
        if let sums = columnSums, sums.count != cols {
            throw TensorError("reluGradient: \(sums.count) column sums for a last axis of \(cols)")
        }
        let rows = cols == 0 ? 0 : g.count / cols
        let masked = Tensor(uninitializedShape: g.shape) { out in
            g.scalars.withUnsafeBufferPointer { pg in
                y.scalars.withUnsafeBufferPointer { py in
                    Parallel.ranges(out.count, work: 3 * out.count, alignment: 16) { part in
                        for i in part { out[i] = pg[i] * (py[i] > 0 ? 1 : 0) }
                    }
                }
            }
        }
        // The bias gradient: the masked rows, still in cache, added by the sums' own kernel (row order, double).
        masked.scalars.withUnsafeBufferPointer { pm in
            columnSums?.withUnsafeMutableBufferPointer { ps in
                guard let m0 = pm.baseAddress, let s0 = ps.baseAddress else { return }
                mapl_accumulate_rows(s0, m0, rows, cols, cols)
            }
        }
        return masked
    }
}
