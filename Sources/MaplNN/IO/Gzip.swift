import CZlib

/// gzip decompression of an in-memory buffer with zlib's `inflate` (windowBits 15 + 16 selects the gzip
/// wrapper and its CRC-32 check). Reading the file whole and inflating in memory keeps error handling in one
/// place: a truncated or corrupt stream is reported with the file's name instead of yielding short data.
public enum Gzip {
    /// Thrown when the output grows past `decompress`'s limit; `head` is its first bytes, so the caller can
    /// say what its contents declared. Its message is a plain statement for callers that do not catch it.
    public struct LimitExceeded: Error, CustomStringConvertible {
        public let name: String, limit: Int, head: [UInt8]
        public var description: String { "'\(name)' is corrupt: it decompresses to more than the \(limit) bytes its contents declare" }
    }

    /// How much of the output `limit` is shown at most (an IDX header is at most 1,024 bytes).
    public static let headBytes = 4096

    /// True when `bytes` starts with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed contents of the gzip stream `bytes` (several concatenated members are joined, as the
    /// `gunzip` tool does). `name` is the file name used in error messages.
    ///
    /// `limit` bounds the output: it sees the first bytes decompressed so far and returns the most the whole
    /// output may have once it can tell (an IDX header declares its size), or nil while it cannot. Output
    /// beyond the limit is an error, so a gzip bomb stops at the size its contents claim. The size trailer
    /// (ISIZE) is never trusted for an allocation: the buffer starts small and doubles, up to the limit.
    public static func decompress(_ bytes: [UInt8], name: String, limit: (_ head: [UInt8]) -> Int? = { _ in nil }) throws -> [UInt8] {
        guard isGzip(bytes) else { throw DataError("'\(name)' is not a gzip file (it does not start with 1f 8b)") }
        guard bytes.count >= 18 else { throw DataError("'\(name)' is truncated: a gzip file needs at least 18 bytes, it has \(bytes.count)") }
        // zlib counts its input in 32 bits (`avail_in`); no data file mapl reads comes near 4 GiB compressed.
        guard bytes.count <= Int(UInt32.max) else { throw DataError("'\(name)' is too large to decompress: \(bytes.count) bytes, at most 4 GiB") }
        var output = [UInt8](repeating: 0, count: 64 << 10)
        var produced = 0
        var bound: Int? = nil   // the output's limit once known
        var askedWithFullHead = false

        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("cannot decompress '\(name)': zlib failed to initialise")
        }
        defer { inflateEnd(&stream) }

        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
            stream.avail_in = UInt32(input.count)
            while true {
                // The limit is asked while the output is short (a header's worth): never a copy of it all.
                if bound == nil, !askedWithFullHead {
                    askedWithFullHead = produced >= headBytes
                    bound = limit(Array(output[0..<min(produced, headBytes)]))
                }
                if let bound, produced > bound {
                    throw LimitExceeded(name: name, limit: bound, head: Array(output[0..<min(produced, headBytes)]))
                }
                if produced == output.count {
                    // Double, but never past the limit by more than one byte (the byte that proves the excess).
                    var grown = output.count * 2
                    if let bound, bound < grown { grown = max(bound + 1, output.count + 1) }   // bound + 1 ≤ grown: no overflow
                    try MemoryBudget.check(count: grown, elementSize: 1, what: "decompressing '\(name)'")
                    output += [UInt8](repeating: 0, count: grown - output.count)   // a memset and a memcpy, even unoptimised
                }
                // At most 4 MiB per call, with a stop check between calls: Ctrl-C lands within milliseconds
                // even in a large file.
                try Interrupted.check()
                let room = output.count - produced
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(min(room, 1 << 22))
                    let before = Int(stream.avail_out)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    produced += before - Int(stream.avail_out)
                    return s
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member may follow; anything else after the stream is ignored, like gunzip.
                    let consumed = input.count - Int(stream.avail_in)
                    if stream.avail_in >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B {
                        inflateReset(&stream)
                        continue
                    }
                    return
                case Z_BUF_ERROR:
                    // No progress possible: with output room left, that means the input ran out mid-stream.
                    if stream.avail_out > 0 {
                        throw DataError("'\(name)' is truncated: the gzip stream ends early (after \(produced) decompressed bytes)")
                    }
                case Z_DATA_ERROR:
                    let why = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    throw DataError("'\(name)' is corrupt: gzip data error (\(why))")
                case Z_MEM_ERROR:
                    throw DataError("cannot decompress '\(name)': out of memory")
                default:
                    throw DataError("cannot decompress '\(name)': zlib error \(status)")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// The gzip encoding of `bytes` (used by tests and by anything that wants to write `.gz` files).
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError("gzip: zlib failed to initialise")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        var input = bytes
        let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw DataError("gzip: compression failed (zlib error \(status))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
