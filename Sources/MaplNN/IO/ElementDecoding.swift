/// The element types weight files store, and their conversion to float32 — shared by the safetensors and
/// NumPy readers so both convert the same way. Every stored type is read little-endian.
public enum StoredElement: String, CaseIterable {
    case f64, f32, f16, bf16, i64, i32, i16, i8, u8, bool

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// Converts `count` little-endian elements starting at `offset` in `bytes` to float32. The caller has
    /// checked that the range lies inside `bytes`. Integers beyond 2²⁴ round to the nearest float32.
    func decode(_ bytes: [UInt8], offset: Int, count: Int) -> [Float] {
        guard count > 0 else { return [] }
        return bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + offset
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                switch self {
                case .f32:
                    for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case .f64:
                    for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                case .f16:
                    for i in 0..<count { out[i] = halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                case .bf16:
                    // bfloat16 is the top half of a float32.
                    for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                case .i64:
                    for i in 0..<count { out[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
                case .i32:
                    for i in 0..<count { out[i] = Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                case .i16:
                    for i in 0..<count { out[i] = Float(Int16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
                case .i8:
                    for i in 0..<count { out[i] = Float(Int8(bitPattern: base.load(fromByteOffset: i, as: UInt8.self))) }
                case .u8:
                    for i in 0..<count { out[i] = Float(base.load(fromByteOffset: i, as: UInt8.self)) }
                case .bool:
                    for i in 0..<count { out[i] = base.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
                }
                initialized = count
            }
        }
    }

    /// The little-endian float32 bytes of `values` (what both writers store).
    static func encodeF32(_ values: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        }
        return out
    }
}

/// IEEE 754 half precision (binary16) to float32, exactly (every half is a float32), including subnormals,
/// infinities and NaN.
@inline(__always)
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x03FF)
    if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }  // inf / NaN
    if exponent == 0 {
        // Zero or subnormal: mantissa × 2⁻²⁴, exact in float32.
        let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
        return sign != 0 ? -magnitude : magnitude
    }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}
