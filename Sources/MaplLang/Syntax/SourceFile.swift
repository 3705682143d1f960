import Foundation
import MaplNN

/// Reading a program from a file: the one place `mapl run FILE` and `run("file.mapl")` turn a path into
/// source text, so both say exactly what is wrong — "no such file", "is a directory", "permission denied",
/// "invalid UTF-8 at line 3, column 7 (byte 0xB7)". A UTF-8 byte-order mark at the start is dropped.
public enum SourceFile {
    /// Why a file could not be read as a program. `location` is set for a decoding error.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public let location: SourceLocation?
        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// Programs are text typed by people; anything larger is a mistaken path (a data file, /dev/zero), and
    /// reading it whole would only exhaust memory.
    public static let maxBytes = 64 << 20   // 64 MiB

    /// The text of the program at `path`. A named pipe is read only when `pipes` (`mapl run <(command)`):
    /// inside a session, `run()` of a pipe would wait for a writer.
    public static func read(_ path: String, pipes: Bool = false) throws -> String {
        let bytes: [UInt8]
        do { bytes = try Files.contents(path, limit: maxBytes, pipes: pipes) } catch let e as Files.ReadError {
            throw ReadError(path: path, reason: e.reason, location: nil)
        }
        return try decode(bytes, path: path)
    }

    /// `bytes` as UTF-8 text; the first invalid byte is reported with its line and column (columns count
    /// characters, as in every other position mapl reports).
    public static func decode(_ bytes: [UInt8], path: String) throws -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let bad = firstInvalidUTF8(body) {
            let before = String(decoding: body[body.startIndex..<bad], as: UTF8.self)
            var line = 1, column = 1
            for c in before {
                if c.isLineBreak { line += 1; column = 1 } else { column += 1 }
            }
            let byte = "0x" + String(body[bad], radix: 16, uppercase: true).leftPadded(to: 2)
            throw ReadError(path: path, reason: "invalid UTF-8 at line \(line), column \(column) (byte \(byte)); save the file as UTF-8",
                            location: SourceLocation(line: line, column: column, offset: before.count))
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The index of the first byte that starts no valid UTF-8 sequence, or nil when all of it is valid.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
