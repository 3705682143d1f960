/// NumPy's `.npy` format: the magic `\x93NUMPY`, a version (1.0: 2-byte header length; 2.0 and 3.0: 4-byte),
/// then a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces
/// and a newline so the data starts on a 64-byte boundary, then the raw elements.
///
/// Writing produces exactly what `np.save` does for a float32 array (version 1.0, `<f4`). Reading accepts
/// little-endian or byte-sized `f8 f4 f2 i8 i4 i2 i1 u1 b1` and converts to float32; Fortran order,
/// big-endian data and other types are rejected with a clear message.
public enum NPY {
    /// The array stored in the `.npy` file at `path`, as float32.
    public static func read(_ path: String) throws -> Tensor { try decode(Files.read(path), name: path) }

    /// Writes `tensor` to `path` as a float32 `.npy` file.
    public static func write(_ tensor: Tensor, to path: String) throws { try Files.write(encode(tensor), to: path) }

    /// The `.npy` bytes of `tensor` (float32, C order).
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let shape: String
        switch tensor.rank {
        case 0: shape = "()"
        case 1: shape = "(\(tensor.shape[0]),)"
        default: shape = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }".utf8)
        // Version 1.0 has room for a 65535-byte header, far beyond any shape a tensor can have; pad so that
        // magic (6) + version (2) + length (2) + header + newline is a multiple of 64, as NumPy does.
        let used = 10 + header.count + 1
        header += repeatElement(UInt8(ascii: " "), count: (64 - used % 64) % 64)
        header.append(0x0A)
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        out += [UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        out += header
        out += StoredElement.encodeF32(tensor.scalars)
        return out
    }

    /// Parses `.npy` bytes; `name` is the file name used in error messages.
    public static func decode(_ bytes: [UInt8], name: String = "npy data") throws -> Tensor {
        func fail(_ message: String) -> DataError { DataError("'\(name)' is not a readable .npy file: \(message)") }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("it does not start with \\x93NUMPY") }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the header is truncated") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw fail("format version \(major).\(bytes[7]) is not supported (1.0, 2.0 and 3.0 are)")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("the header (\(headerLength) bytes) runs past the end of the file") }
        let text = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        let header = try NPYHeader(text, fail: fail)
        guard !header.fortranOrder else {
            throw fail("the array is stored in Fortran order; save it in C order (np.ascontiguousarray) first")
        }
        let element: StoredElement
        switch header.descr {
        case "<f8": element = .f64
        case "<f4": element = .f32
        case "<f2": element = .f16
        case "<i8": element = .i64
        case "<i4": element = .i32
        case "<i2": element = .i16
        case "|i1", "<i1": element = .i8
        case "|u1", "<u1": element = .u8
        case "|b1": element = .bool
        default:
            let hint = header.descr.hasPrefix(">") ? " (big-endian data: convert with arr.astype('<f4'))" : ""
            throw fail("dtype '\(header.descr)' is not supported\(hint); supported are <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1")
        }
        var count = 1
        for d in header.shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw fail("shape \(shapeString(header.shape)) is too large") }
            count = p
        }
        let dataStart = headerStart + headerLength
        let (needed, overflow) = count.multipliedReportingOverflow(by: element.size)
        guard !overflow, bytes.count - dataStart >= needed else {
            throw fail("shape \(shapeString(header.shape)) of \(header.descr) needs \(needed) data bytes, the file has \(bytes.count - dataStart)")
        }
        return try Tensor(shape: header.shape, scalars: element.decode(bytes, offset: dataStart, count: count))
    }
}

/// The three fields of a `.npy` header dict, parsed from its Python literal. The grammar is small and fixed
/// (string keys; a string, a boolean or a tuple of integers as values), so a tiny scanner is enough.
struct NPYHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    init(_ text: String, fail: (String) -> DataError) throws {
        let chars = Array(text.unicodeScalars)
        var i = 0
        func skip() { while i < chars.count, chars[i] == " " || chars[i] == "\n" || chars[i] == "\t" { i += 1 } }
        func expect(_ c: Unicode.Scalar) throws {
            skip()
            guard i < chars.count, chars[i] == c else { throw fail("malformed header \(text.trimmedHeader): expected '\(c)'") }
            i += 1
        }
        func quoted() throws -> String {
            skip()
            guard i < chars.count, chars[i] == "'" || chars[i] == "\"" else { throw fail("malformed header \(text.trimmedHeader): expected a quoted string") }
            let q = chars[i]
            i += 1
            var s = String.UnicodeScalarView()
            while i < chars.count, chars[i] != q { s.append(chars[i]); i += 1 }
            guard i < chars.count else { throw fail("malformed header \(text.trimmedHeader): unterminated string") }
            i += 1
            return String(s)
        }
        var seen = Set<String>()
        try expect("{")
        while true {
            skip()
            if i < chars.count, chars[i] == "}" { break }
            let key = try quoted()
            try expect(":")
            skip()
            switch key {
            case "descr":
                descr = try quoted()
            case "fortran_order":
                if text.unicodeScalars.dropFirst(i).starts(with: "True".unicodeScalars) { fortranOrder = true; i += 4 }
                else if text.unicodeScalars.dropFirst(i).starts(with: "False".unicodeScalars) { fortranOrder = false; i += 5 }
                else { throw fail("malformed header \(text.trimmedHeader): fortran_order must be True or False") }
            case "shape":
                try expect("(")
                shape = []
                while true {
                    skip()
                    if i < chars.count, chars[i] == ")" { i += 1; break }
                    var digits = ""
                    while i < chars.count, chars[i].properties.numericType != nil || chars[i] == "L" {
                        if chars[i] != "L" { digits.unicodeScalars.append(chars[i]) }
                        i += 1
                    }
                    guard let d = Int(digits), d >= 0 else { throw fail("malformed header \(text.trimmedHeader): bad shape entry") }
                    shape.append(d)
                    skip()
                    if i < chars.count, chars[i] == "," { i += 1 }
                }
            default:
                throw fail("malformed header \(text.trimmedHeader): unknown key '\(key)'")
            }
            seen.insert(key)
            skip()
            if i < chars.count, chars[i] == "," { i += 1; continue }
            try expect("}")
            break
        }
        guard seen == ["descr", "fortran_order", "shape"] else {
            throw fail("malformed header \(text.trimmedHeader): it needs descr, fortran_order and shape")
        }
    }
}

private extension String {
    /// The header text without its padding, for error messages.
    var trimmedHeader: String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\n" { s = s.dropLast() }
        return "\"" + s + "\""
    }
}
