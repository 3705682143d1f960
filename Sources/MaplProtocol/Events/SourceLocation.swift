/// A position in source text: 1-based line and column (columns count characters), plus the character offset.
public struct SourceLocation: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) { self.line = line; self.column = column; self.offset = offset }
    public static let start = SourceLocation(line: 1, column: 1, offset: 0)
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }
    public var description: String { "\(line):\(column)" }
}

/// The span of source a token or tree node covers: `start` inclusive, `end` exclusive.
public struct SourceRange: Sendable, Equatable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation
    public init(_ start: SourceLocation, _ end: SourceLocation) { self.start = start; self.end = end }
    /// The smallest range covering both.
    public func to(_ other: SourceRange) -> SourceRange { SourceRange(Swift.min(start, other.start), Swift.max(end, other.end)) }
    public var description: String { start.description }
}
