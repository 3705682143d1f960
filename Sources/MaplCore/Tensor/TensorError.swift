/// An error a user caused, with a message that says what went wrong and what to do: the library's errors
/// conform, and the language layer places any of them at the line and column of the call.
public protocol UserFacingError: Error {
    var message: String { get }
}

/// Every failure a user can cause in the engine: a thrown error that names the shapes or values involved,
/// never a trap. The language layer adds the line, column and caret.
public struct TensorError: UserFacingError, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A number as messages show it: Swift's shortest form (`0.1`, `1e-08`), except that NaN is always `nan` —
/// x86 gives 0/0 a NaN with the sign bit set, which Swift writes `-nan`; NumPy and PyTorch write `nan`.
public func numberString(_ x: Double) -> String { x.isNaN ? "nan" : "\(x)" }

/// `numberString` for float32 values.
public func numberString(_ x: Float) -> String { x.isNaN ? "nan" : "\(x)" }

/// Formats a shape the way users write it: `[64, 784]`.
@inlinable
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
