/// Every failure a user can cause in the engine: a thrown error that names the shapes or values involved,
/// never a trap. The language layer adds the line, column and caret.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Formats a shape the way users write it: `[64, 784]`.
@inlinable
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
