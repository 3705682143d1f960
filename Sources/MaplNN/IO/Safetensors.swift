/// The safetensors weight format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {str: str}}`,
/// then the byte buffer; offsets are relative to the buffer's start.
///
/// Writing stores float32 (`F32`) tensors sorted by name, with compact JSON padded with spaces to a multiple
/// of 8 bytes — the layout the Python library produces, byte for byte. Reading accepts F32, F64, F16, BF16,
/// I64, I32, I16, I8, U8 and BOOL, converting to float32, and rejects malformed headers, unknown dtypes,
/// offsets outside the buffer, sizes that disagree with the shape, and overlapping tensors. Holes between
/// tensors (which the spec discourages) are tolerated.
public enum Safetensors {
    /// The tensors of a safetensors file, in the order they are laid out in the buffer.
    public static func read(_ path: String) throws -> [(name: String, tensor: Tensor)] {
        try decode(Files.read(path), name: path).tensors
    }

    /// The tensors and the `__metadata__` strings of a safetensors file.
    public static func readWithMetadata(_ path: String) throws -> (tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        try decode(Files.read(path), name: path)
    }

    /// Writes `tensors` (stored sorted by name, as float32) and optional metadata to `path`.
    public static func write(_ tensors: [(String, Tensor)], to path: String, metadata: [String: String]? = nil) throws {
        try Files.write(encode(tensors, metadata: metadata), to: path)
    }

    /// Writes a dictionary of tensors to `path`.
    public static func write(_ tensors: [String: Tensor], to path: String, metadata: [String: String]? = nil) throws {
        try write(tensors.map { ($0.key, $0.value) }, to: path, metadata: metadata)
    }

    /// The file bytes for `tensors` and `metadata`. Names must be unique and non-empty, and `__metadata__` is
    /// reserved.
    public static func encode(_ tensors: [(String, Tensor)], metadata: [String: String]? = nil) throws -> [UInt8] {
        // Byte-wise name order, as the Rust implementation sorts (`String`'s `Ord`).
        let sorted = tensors.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for (i, entry) in sorted.enumerated() {
            guard !entry.0.isEmpty else { throw DataError("safetensors: a tensor name cannot be empty") }
            guard entry.0 != "__metadata__" else { throw DataError("safetensors: '__metadata__' is reserved and cannot name a tensor") }
            if i > 0, sorted[i - 1].0 == entry.0 { throw DataError("safetensors: the name '\(entry.0)' is used twice") }
        }
        var parts: [String] = []
        if let metadata {
            let fields = metadata.keys.sorted().map { "\(JSONValue.quote($0)):\(JSONValue.quote(metadata[$0] ?? ""))" }
            parts.append("\"__metadata__\":{" + fields.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in sorted {
            let end = offset + 4 * tensor.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(JSONValue.quote(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        let n = UInt64(header.count)
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> UInt64(8 * k))) }
        out += header
        for (_, tensor) in sorted { out += StoredElement.encodeF32(tensor.scalars) }
        return out
    }

    /// Parses safetensors bytes; `name` is the file name used in error messages.
    public static func decode(_ bytes: [UInt8], name: String = "safetensors data") throws -> (tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        func fail(_ message: String) -> DataError { DataError("'\(name)' is not a valid safetensors file: \(message)") }
        guard bytes.count >= 8 else { throw fail("it has \(bytes.count) bytes, fewer than the 8-byte header length") }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(bytes[k]) << UInt64(8 * k) }
        guard n <= UInt64(bytes.count - 8) else { throw fail("the header length \(n) runs past the end of the file (\(bytes.count) bytes)") }
        guard n <= 100_000_000 else { throw fail("the header length \(n) is implausibly large") }
        let headerEnd = 8 + Int(n)
        guard n >= 2, bytes[8] == UInt8(ascii: "{") else { throw fail("the header does not start with '{'") }
        let header: JSONValue
        do { header = try JSONValue.parse(Array(bytes[8..<headerEnd])) } catch let e as DataError { throw fail("header \(e.message)") }
        guard case let .object(members) = header else { throw fail("the header is not a JSON object") }
        let bufferSize = bytes.count - headerEnd

        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: StoredElement, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                guard case let .object(fields) = value else { throw fail("__metadata__ must be an object of strings") }
                for (k, v) in fields {
                    guard case let .string(s) = v else { throw fail("__metadata__ value for '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard case let .object(info) = value else { throw fail("the entry for '\(key)' is not an object") }
            let field = { (f: String) in info.first(where: { $0.0 == f })?.1 }
            guard case let .string(dtypeName)? = field("dtype") else { throw fail("'\(key)' has no dtype") }
            guard let dtype = StoredElement(rawValue: dtypeName.lowercased()) else {
                throw fail("'\(key)' has dtype \(dtypeName); supported are F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL")
            }
            guard case let .array(shapeItems)? = field("shape") else { throw fail("'\(key)' has no shape list") }
            var shape: [Int] = []
            var count = 1
            for item in shapeItems {
                guard case let .number(n) = item, let d = n.exactInteger, d >= 0 else { throw fail("'\(key)' has a shape entry that is not a non-negative integer") }
                shape.append(d)
                let (p, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("'\(key)' has a shape \(shapeString(shape)) that is too large") }
                count = p
            }
            guard case let .array(offsets)? = field("data_offsets"), offsets.count == 2,
                  case let .number(b) = offsets[0], let begin = b.exactInteger, case let .number(e) = offsets[1], let end = e.exactInteger else {
                throw fail("'\(key)' needs data_offsets [begin, end] of two integers")
            }
            guard begin >= 0, begin <= end, end <= bufferSize else {
                throw fail("'\(key)' has data_offsets [\(begin), \(end)] outside the \(bufferSize)-byte buffer")
            }
            let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, end - begin == expected else {
                throw fail("'\(key)' has shape \(shapeString(shape)) of \(dtypeName), which needs \(expected) bytes, but data_offsets [\(begin), \(end)] span \(end - begin)")
            }
            entries.append((key, dtype, shape, begin, end))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for i in entries.indices.dropFirst() where entries[i].begin < entries[i - 1].end {
            throw fail("tensors '\(entries[i - 1].name)' [\(entries[i - 1].begin), \(entries[i - 1].end)] and '\(entries[i].name)' [\(entries[i].begin), \(entries[i].end)] overlap")
        }
        let tensors = try entries.map { e -> (name: String, tensor: Tensor) in
            let values = e.dtype.decode(bytes, offset: headerEnd + e.begin, count: (e.end - e.begin) / e.dtype.size)
            return (e.name, try Tensor(shape: e.shape, scalars: values))
        }
        return (tensors, metadata)
    }
}
