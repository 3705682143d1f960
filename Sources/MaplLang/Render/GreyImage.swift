/// How grey levels are drawn: 24-bit grey half blocks for terminals, or a plain ASCII ramp for files,
/// pipes and `--ascii`.
public enum GreyStyle: Sendable {
    /// Each character is an upper half block "▀" whose foreground is the upper pixel and background the lower
    /// one, both in 256 grey levels (24-bit colour escapes): two pixel rows per text row.
    case halfBlocks
    /// A ten-step ramp ` .:-=+*#%@`, averaging two pixel rows per text row so the aspect stays square.
    case ascii
}

/// Renders a matrix of intensities (an MNIST digit, a weight matrix as a heatmap) as text.
public enum GreyImage {
    static let ramp: [Character] = Array(" .:-=+*#%@")

    /// `pixels` is row-major `rows`×`columns`; values are mapped linearly from `low…high` to black…white.
    public static func render(_ pixels: [Float], rows: Int, columns: Int, low: Float? = nil, high: Float? = nil,
                              style: GreyStyle) -> [String] {
        guard rows > 0, columns > 0, pixels.count >= rows * columns else { return ["(empty image)"] }
        let finite = pixels.filter { $0.isFinite }
        // A constant picture (or one with a single value, 2²⁴ or 1e9 alike) is black.
        let lo = Double(low ?? finite.min() ?? 0), hi = Double(high ?? finite.max() ?? 1)
        func level(_ r: Int, _ c: Int) -> Double {
            r < rows ? UnitScale.fraction(Double(pixels[r * columns + c]), from: lo, to: hi) : 0
        }
        var out: [String] = []
        for r in stride(from: 0, to: rows, by: 2) {
            var line = ""
            for c in 0..<columns {
                let top = level(r, c), bottom = r + 1 < rows ? level(r + 1, c) : 0
                switch style {
                case .ascii:
                    let v = (top + bottom) / 2
                    line.append(ramp[min(Int(v * Double(ramp.count - 1) + 0.5), ramp.count - 1)])
                case .halfBlocks:
                    let t = Int(top * 255 + 0.5), b = Int(bottom * 255 + 0.5)
                    line += "\u{1B}[38;2;\(t);\(t);\(t)m\u{1B}[48;2;\(b);\(b);\(b)m▀"
                }
            }
            if style == .halfBlocks { line += "\u{1B}[0m" }
            out.append(line)
        }
        return out
    }

    /// Averages a row-major `rows`×`columns` matrix down to `outRows`×`outColumns` (each output pixel the mean
    /// of the block it covers), so large images and matrices fit a pane. Sizes no larger than the input.
    public static func downsample(_ values: [Float], rows: Int, columns: Int, toRows outRows: Int, columns outColumns: Int) -> [Float] {
        guard rows > 0, columns > 0, values.count >= rows * columns else { return [] }
        let outR = min(max(outRows, 1), rows), outC = min(max(outColumns, 1), columns)
        if outR == rows && outC == columns { return Array(values.prefix(rows * columns)) }
        var pooled = [Float](repeating: 0, count: outR * outC)
        for r in 0..<outR {
            let r0 = r * rows / outR, r1 = max((r + 1) * rows / outR, r0 + 1)
            for c in 0..<outC {
                let c0 = c * columns / outC, c1 = max((c + 1) * columns / outC, c0 + 1)
                var sum: Float = 0
                for i in r0..<r1 { for j in c0..<c1 { sum += values[i * columns + j] } }
                pooled[r * outC + c] = sum / Float((r1 - r0) * (c1 - c0))
            }
        }
        return pooled
    }
}
