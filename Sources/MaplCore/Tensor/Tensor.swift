/// A float32 array of any rank, stored contiguously in row-major order.
///
/// `Tensor` is a value: it wraps a Swift array, so copies share storage until one of them is written
/// (copy-on-write). `reshape` is O(1) — it shares the buffer. Strides are always the row-major strides of
/// the shape; operations that reorder data (`transposed`) produce a new contiguous tensor, and the matrix
/// product takes transposes as BLAS flags so the backward pass never materialises one.
///
/// `Tensor` does no autodiff bookkeeping; `Variable` wraps it with a gradient and a place in the graph.
public struct Tensor: Sendable {
    /// The extent of each axis; `[]` is a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]
    /// True for the 0/1 result of a comparison (`x > 0`), which indexes as a boolean mask (`x[x > 0]`), as
    /// NumPy's bool arrays do; any other tensor indexes by position. Kept by reshaping and indexing; every
    /// computation makes a plain tensor (NumPy's bool arithmetic gives numbers too, except `*` and `+` of
    /// two masks, which the language keeps as masks).
    public var isMask = false

    /// Makes a tensor from elements and a shape; throws if they disagree.
    public init(shape: [Int], scalars: [Float]) throws {
        guard try Shape.checkedCount(shape) == scalars.count else {
            throw TensorError("\(scalars.count) values cannot fill shape \(shapeString(shape))")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal unchecked initialiser for kernels whose shapes are correct by construction.
    @usableFromInline
    package init(unchecked shape: [Int], _ scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor whose elements `body` writes, for kernels that write every one: it skips the zero fill that
    /// `[Float](repeating: 0, …)` would spend on memory about to be overwritten (a measurable share of
    /// every large output). `body` MUST initialise all `Shape.count(shape)` elements.
    /// Inlinable, so that the kernels in other modules that pass their loop here (every elementwise op) get
    /// it specialised with their function: without, each element was an indirect call.
    @inlinable @inline(__always)
    package init(uninitializedShape shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let n = Shape.count(shape)
        self.init(unchecked: shape, try [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            try body(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]))
            initialised = n
        })
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: value, count: Shape.count(shape))
    }

    /// A rank-0 tensor holding one number.
    public init(_ value: Float) {
        self.shape = []
        self.scalars = [value]
    }

    /// A 1-D tensor of the given values.
    public init(_ values: [Float]) {
        self.shape = [values.count]
        self.scalars = values
    }

    /// The same values in storage of its own, never shared: what a snapshot handed to another thread holds
    /// while the original goes on being updated in place.
    public func copied() -> Tensor {
        Tensor(unchecked: shape, scalars.withUnsafeBufferPointer { Array($0) })
    }

    /// Whether both are the same storage under the same shape — then they hold the same values, since
    /// storage that two tensors share is never written (a write copies first).
    public func sharesStorage(with other: Tensor) -> Bool {
        shape == other.shape && isMask == other.isMask && scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count }
        }
    }

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { scalars.count }
    /// The row-major strides of the shape, in elements.
    public var strides: [Int] { Shape.strides(shape) }
    /// True for a rank-0 tensor or any tensor holding exactly one element.
    public var isScalarLike: Bool { scalars.count == 1 }

    /// The single element of a one-element tensor.
    public func item() throws -> Float {
        guard scalars.count == 1 else {
            throw TensorError("item() needs a tensor with one element, got shape \(shapeString(shape))")
        }
        return scalars[0]
    }

    /// The same elements under a new shape; one dimension may be -1 and is inferred. O(1).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let resolved = try Shape.resolveReshape(newShape, count: count, from: shape)
        var out = Tensor(unchecked: resolved, scalars)
        out.isMask = isMask
        return out
    }
}

extension Tensor: Equatable {
    /// Exact equality of shape and every element (NaN is unequal to itself, as in IEEE).
    public static func == (a: Tensor, b: Tensor) -> Bool { a.shape == b.shape && a.scalars == b.scalars }
}
