/// The IDX format of the MNIST files (LeCun): a 4-byte magic `00 00 <type> <rank>`, then `rank` big-endian
/// 32-bit dimensions, then the elements in row-major order. Only the unsigned-byte type (0x08) is supported —
/// the type every MNIST-family file uses — at any rank. Files may be gzip-compressed (detected by content,
/// not by name).
public enum IDX {
    /// Reads the IDX file at `path` (gzip-compressed or not).
    public static func read(_ path: String) throws -> IDXArray {
        try parse(Files.read(path), name: path)
    }

    /// Parses IDX bytes (gzip-compressed or not); `name` is used in error messages. A gzip stream is
    /// decompressed only as far as its IDX header says the file reaches: a gzip bomb or a forged size
    /// trailer costs no more memory than the declared array.
    public static func parse(_ raw: [UInt8], name: String = "IDX data") throws -> IDXArray {
        let bytes = try decompressed(raw, name: name)
        let header = try Header(bytes, name: name)
        let available = bytes.count - header.size
        guard available >= header.count else {
            throw DataError("'\(name)' is truncated: shape \(shapeString(header.shape)) needs \(header.count) data bytes, the file has \(available)")
        }
        guard available == header.count else {
            throw DataError("'\(name)' is corrupt: shape \(shapeString(header.shape)) needs \(header.count) data bytes, the file has \(available - header.count) extra")
        }
        return IDXArray(shape: header.shape, bytes: [UInt8](bytes[header.size...]))
    }

    /// The IDX bytes of `raw`: decompressed when it is gzip, as far as its header says the file reaches.
    public static func decompressed(_ raw: [UInt8], name: String) throws -> [UInt8] {
        guard Gzip.isGzip(raw) else { return raw }
        do {
            return try Gzip.decompress(raw, name: name, limit: declaredSize)
        } catch let e as Gzip.LimitExceeded {
            // Say what the header declared (or why it is no IDX header) and that the data goes on past it.
            let header = try Header(e.head, name: name)
            if header.count.addingReportingOverflow(header.size).overflow {
                throw DataError("'\(name)' is corrupt: shape \(shapeString(header.shape)) declares more bytes than a file can hold")
            }
            throw DataError("'\(name)' is corrupt: shape \(shapeString(header.shape)) needs \(header.count) data bytes, but it decompresses to more")
        }
    }

    /// An IDX header: the magic `00 00 08 <rank>` and `rank` big-endian 32-bit dimensions.
    private struct Header {
        var shape: [Int] = [], size: Int, count = 1

        /// Reads the header at the start of `bytes`, throwing what is wrong with it.
        init(_ bytes: [UInt8], name: String) throws {
            guard bytes.count >= 4 else {
                throw DataError("'\(name)' is truncated: an IDX file needs a 4-byte header, it has \(bytes.count) bytes")
            }
            guard bytes[0] == 0, bytes[1] == 0 else {
                let head = bytes.prefix(4).map { IDX.hex($0) }.joined(separator: " ")
                throw DataError("'\(name)' is not an IDX file: it starts with \(head), an IDX file starts with 00 00 <type> <rank>")
            }
            guard bytes[2] == 0x08 else {
                let names: [UInt8: String] = [0x09: "signed byte", 0x0B: "short", 0x0C: "int", 0x0D: "float", 0x0E: "double"]
                let what = names[bytes[2]].map { "\($0) (0x\(IDX.hex(bytes[2])))" } ?? "unknown type 0x\(IDX.hex(bytes[2]))"
                throw DataError("'\(name)': IDX element type \(what) is not supported; only unsigned bytes (0x08) are")
            }
            let rank = Int(bytes[3])
            size = 4 + 4 * rank
            guard bytes.count >= size else {
                throw DataError("'\(name)' is truncated: its header declares \(rank) dimensions (\(size) bytes) but the file has \(bytes.count) bytes")
            }
            for d in 0..<rank {
                let o = 4 + 4 * d
                let dim = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
                shape.append(dim)
                let (product, overflow) = count.multipliedReportingOverflow(by: dim)
                guard !overflow else { throw DataError("'\(name)' is corrupt: dimensions \(shapeString(shape)) are too large") }
                count = product
            }
        }
    }

    /// The file size an IDX header declares (header + elements), from the first bytes of a file: nil while
    /// the header is incomplete, the header's own size when it is not an IDX header (parsing then reports
    /// why), so decompression never produces more than the file can need.
    static func declaredSize(_ head: [UInt8]) -> Int? {
        guard head.count >= 4 else { return nil }
        guard head[0] == 0, head[1] == 0, head[2] == 0x08 else { return 4 }
        let headerSize = 4 + 4 * Int(head[3])
        guard head.count >= headerSize else { return head.count >= Gzip.headBytes ? headerSize : nil }
        var count = 1
        for d in 0..<Int(head[3]) {
            let o = 4 + 4 * d
            let dim = Int(head[o]) << 24 | Int(head[o + 1]) << 16 | Int(head[o + 2]) << 8 | Int(head[o + 3])
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { return headerSize }   // parsing names the fault
            count = product
        }
        // Dimensions below 2³² can multiply to just under Int.max, where adding the header overflows.
        let (size, overflow) = count.addingReportingOverflow(headerSize)
        return overflow ? headerSize : size
    }

    /// The IDX encoding of an unsigned-byte array (header + data, uncompressed).
    public static func encode(_ array: IDXArray) throws -> [UInt8] {
        guard array.shape.count <= 255 else { throw DataError("IDX: rank \(array.shape.count) is more than 255") }
        guard array.shape.allSatisfy({ $0 >= 0 && $0 <= Int(UInt32.max) }), array.shape.reduce(1, *) == array.bytes.count else {
            throw DataError("IDX: \(array.bytes.count) bytes do not fill shape \(shapeString(array.shape))")
        }
        var out: [UInt8] = [0, 0, 0x08, UInt8(array.shape.count)]
        for d in array.shape { out += [UInt8(truncatingIfNeeded: d >> 24), UInt8(truncatingIfNeeded: d >> 16), UInt8(truncatingIfNeeded: d >> 8), UInt8(truncatingIfNeeded: d)] }
        return out + array.bytes
    }

    fileprivate static func hex(_ b: UInt8) -> String { b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
}

/// An IDX array as stored: its shape and its raw bytes (kept as bytes — a quarter of the float size).
public struct IDXArray: Equatable {
    /// The dimensions from the header.
    public var shape: [Int]
    /// The elements in row-major order; `bytes.count == shape.product`.
    public var bytes: [UInt8]

    /// An array of `shape` holding `bytes` (checked when encoded).
    public init(shape: [Int], bytes: [UInt8]) { self.shape = shape; self.bytes = bytes }

    /// The elements as a float tensor of the same shape, values 0…255 unscaled.
    public func tensor() throws -> Tensor {
        try Tensor(shape: shape, scalars: bytes.map { Float($0) })
    }
}
