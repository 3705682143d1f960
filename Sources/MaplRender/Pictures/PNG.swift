import CPNG
import MaplProtocol

/// PNG files written by libpng (8 bits a channel, grey or RGB): the pictures a handout writes beside its
/// Markdown (`mapl run --handout OUT.md --images`) and the Jupyter kernel's `image/png` outputs.
public enum PNG {
    /// The file's bytes for `pixels` (row-major, `width`×`height`, 0 black … 255 white); nil when the sizes
    /// do not match the pixels or libpng fails.
    public static func grey(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8]? {
        encode(pixels, width: width, height: height, channels: 1)
    }

    /// The file's bytes for `pixels` (row-major, three bytes a pixel: red, green, blue); nil when the sizes
    /// do not match the pixels or libpng fails.
    public static func rgb(_ pixels: [UInt8], width: Int, height: Int) -> [UInt8]? {
        encode(pixels, width: width, height: height, channels: 3)
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

    private static func encode(_ pixels: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8]? {
        // PNG allows 2³¹−1 a side; 2¹⁶ keeps width × height × channels far from overflow.
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16, pixels.count == width * height * channels else { return nil }
        // libpng asks for a zeroed struct (its `opaque` state pointer NULL), which Swift cannot spell as an initialiser.
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        defer { image.deallocate() }
        UnsafeMutableRawPointer(image).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<png_image>.size)
        image.pointee.version = mapl_png_image_version
        image.pointee.width = png_uint_32(width)
        image.pointee.height = png_uint_32(height)
        image.pointee.format = channels == 3 ? mapl_png_format_rgb : mapl_png_format_gray
        // First the size (no buffer), then the bytes; on failure libpng's state is freed here.
        var size: png_alloc_size_t = 0
        guard png_image_write_to_memory(image, nil, &size, 0, pixels, 0, nil) != 0, size > 0 else {
            png_image_free(image)
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let written = bytes.withUnsafeMutableBytes { buffer in
            png_image_write_to_memory(image, buffer.baseAddress, &size, 0, pixels, 0, nil)
        }
        guard written != 0 else {
            png_image_free(image)
            return nil
        }
        return Array(bytes.prefix(Int(size)))
    }
}
