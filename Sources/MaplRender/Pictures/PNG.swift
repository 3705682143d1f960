import MaplProtocol
import CZlib

/// A greyscale PNG file (8 bits a pixel, no filter, one zlib-compressed IDAT chunk): the pictures a handout
/// writes beside its Markdown (`mapl run --handout OUT.md --images`). zlib does the compression and the
/// checksums, so any PNG reader can open the result.
public enum PNG {
    /// The file's bytes for `pixels` (row-major, `width`×`height`, 0 black … 255 white); nil when the sizes
    /// do not match the pixels or zlib fails.
    public static func grey(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8]? {
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16, pixels.count == width * height else { return nil }
        // Each scanline starts with its filter type (0: none).
        var raw = [UInt8]()
        raw.reserveCapacity((width + 1) * height)
        for r in 0..<height {
            raw.append(0)
            raw += pixels[(r * width)..<((r + 1) * width)]
        }
        var size = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(size))
        guard compress2(&compressed, &size, raw, uLong(raw.count), Z_BEST_COMPRESSION) == Z_OK else { return nil }
        compressed.removeSubrange(Int(size)...)

        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 0, 0, 0, 0]   // bit depth 8, colour type 0 (grey), deflate, filter method 0, no interlace
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("IDAT", compressed) + chunk("IEND", [])
    }

    /// Values mapped to grey levels: `low` black, `high` white (their min and max when not given), clamped.
    public static func levels(_ values: [Float], low: Float? = nil, high: Float? = nil) -> [UInt8] {
        let finite = values.filter(\.isFinite)
        let lo = low ?? finite.min() ?? 0, hi = high ?? finite.max() ?? 1
        let span = hi - lo
        return values.map { v in
            guard v.isFinite else { return 0 }
            guard span > 0 else { return 128 }
            return UInt8(Swift.max(0, Swift.min(255, ((v - lo) / span * 255).rounded())))
        }
    }

    /// length, type, data, CRC-32 of type and data.
    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc)
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
