import MaplNN

/// A collection of labelled images that `show(d, i)` can draw — the nn integration's dataset wrapper conforms
/// to it. `imageSample(i)` is called only with `0 <= i < sampleCount` (show checks and counts negative
/// indices from the end first).
public protocol ImageSampleSource {
    /// How many samples there are.
    var sampleCount: Int { get }
    /// Sample `i`'s pixels (any shape `show(x)` accepts: `[1, 28, 28]`, `[28, 28]`, `[784]`) and its label as
    /// it should be printed (`"9"`, `"ankle boot"`).
    func imageSample(_ i: Int) throws -> (pixels: Tensor, label: String)
}

/// How `show` turns a tensor into a picture: the grid it reads and the grey range it maps to black…white.
struct ImageLayout {
    let rows: Int
    let columns: Int
    let pixels: [Float]
    /// Images already in [0, 1] keep that range (an empty image stays black); others stretch min…max.
    let low: Float?
    let high: Float?

    /// Leading size-1 axes are dropped (`[1, 28, 28]`, `[1, 1, 28, 28]`); a 2-D rest is the image, a 1-D one
    /// must have a square length (784 → 28×28). Anything else is an error that says what to pass.
    init(_ t: Tensor) throws {
        var shape = t.shape
        while shape.count > 2, shape.first == 1 { shape.removeFirst() }
        if shape.count == 2, shape[0] == 1, t.count > 1, ImageLayout.squareSide(t.count) != nil { shape = [t.count] }
        switch shape.count {
        case 2:
            rows = shape[0]; columns = shape[1]
        case 1:
            guard let side = ImageLayout.squareSide(shape[0]) else {
                throw RuntimeError("show(): a 1-D tensor of \(shape[0]) values is not a square image; reshape it to [height, width]")
            }
            rows = side; columns = side
        case 0:
            throw RuntimeError("show(): a scalar is not an image; show takes a 2-D tensor such as [28, 28] (or 784 values)")
        default:
            throw RuntimeError("show(): a tensor of shape \(shapeString(t.shape)) holds several images; show one, e.g. x[0]")
        }
        guard rows > 0, columns > 0 else {
            throw RuntimeError("show(): the image of shape \(shapeString(t.shape)) is empty")
        }
        pixels = t.scalars
        let finite = pixels.filter(\.isFinite)
        if let lo = finite.min(), let hi = finite.max(), lo >= 0, hi <= 1 { low = 0; high = 1 } else { low = nil; high = nil }
    }

    /// The side of a square with `n` pixels, if there is one.
    static func squareSide(_ n: Int) -> Int? {
        guard n > 0 else { return nil }
        var s = Int(Double(n).squareRoot())
        while s * s > n { s -= 1 }
        while (s + 1) * (s + 1) <= n { s += 1 }
        return s * s == n ? s : nil
    }

    /// The picture as a `show` event carries it (averaged down to at most `HeatmapData.maxSide` a side).
    func data(caption: String?, label: String?, probabilities: [Double]? = nil) -> ImageData {
        let side = HeatmapData.maxSide
        let scale = max(Double(columns) / Double(side), Double(rows) / Double(side), 1)
        let outRows = max(Int(Double(rows) / scale), 1), outColumns = max(Int(Double(columns) / scale), 1)
        let shown = GreyImage.downsample(pixels, rows: rows, columns: columns, toRows: outRows, columns: outColumns)
        return ImageData(rows: outRows, columns: outColumns, pixels: shown, low: low, high: high, caption: caption,
                         label: label, probabilities: probabilities)
    }
}
