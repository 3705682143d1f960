/// An error raised by a builtin or a mapping before the interpreter knows where in the source it happened.
/// The interpreter turns it into a `MaplError` at the call (or at the offending argument when `argument`
/// names one the call wrote).
public struct RuntimeError: Error, CustomStringConvertible {
    public var message: String
    public var argument: ArgumentPosition?
    public var kind: MaplError.Kind
    public init(_ message: String, argument: ArgumentPosition? = nil, kind: MaplError.Kind = .runtime) {
        self.message = message; self.argument = argument; self.kind = kind
    }
    public var description: String { message }
}

/// Which argument of a call an error is about.
public enum ArgumentPosition: Equatable {
    case positional(Int)
    case keyword(String)
}
