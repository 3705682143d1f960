import Foundation
import MaplCore

/// A JSON value: what every part of a Jupyter message is (header, parent header, metadata, content).
///
/// Its own small reader and writer rather than `JSONSerialization`, so integers stay integers (a message's
/// `execution_count`, `cursor_pos`), booleans stay booleans, and input from the wire is read with limits
/// (nesting depth) instead of trusted.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var int: Int? {
        switch self {
        case .int(let i): return i
        // Only doubles that are exact integers (|d| ≤ 2^53) convert: no rounding, no overflow.
        case .double(let d) where d.rounded() == d && abs(d) <= 9_007_199_254_740_992: return Int(d)
        default: return nil
        }
    }
    public var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var object: [String: JSON]? { if case .object(let o) = self { return o }; return nil }

    // MARK: Writing

    /// The value as compact JSON text (UTF-8).
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    public var text: String { String(decoding: serialized, as: UTF8.self) }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        // JSON has no NaN or infinity: they go as null rather than as text no reader accepts.
        case .double(let d): out += Array((d.isFinite ? "\(d)" : "null").utf8)
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            // Sorted keys: the same message always serializes to the same bytes.
            for (i, member) in o.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.quote(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func quote(_ s: String, into out: inout [UInt8]) { out += Array(JSONValue.quote(s).utf8) }

    // MARK: Reading

    /// Nesting deeper than this is refused rather than followed (each level is a stack frame).
    public static let maxDepth = JSONValue.maxDepth

    /// Reads one JSON value that makes up all of `bytes` (whitespace around it allowed), with the project's
    /// one JSON reader (`JSONValue`: JSON's number grammar, duplicate keys refused, depth limited, errors with
    /// their byte). Whole numbers that fit an `Int` stay integers; other numbers are the nearest double.
    public init(parsing bytes: [UInt8]) throws { self.init(try JSONValue.parse(bytes)) }

    public init(parsing text: String) throws { try self.init(parsing: Array(text.utf8)) }

    private init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = n.exactInteger.map(JSON.int) ?? .double(n.double)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JSON.init))
        case .object(let members): self = .object(Dictionary(members.map { ($0.0, JSON($0.1)) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
                ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(Dictionary(elements, uniquingKeysWith: { $1 })) }
    public init(nilLiteral: ()) { self = .null }
}
