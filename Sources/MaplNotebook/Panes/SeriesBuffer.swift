/// A growing series of points (a loss per batch, a reported metric) whose memory stays bounded: beyond
/// `limit` points, neighbouring pairs are averaged into one (x and y alike) and later points are averaged
/// in groups of the same size, so the stored curve keeps its shape at half the resolution. A group that
/// holds a NaN or infinite value stays not finite, so gaps survive.
public struct SeriesBuffer: Sendable, Equatable {
    public private(set) var xs: [Double] = []
    public private(set) var ys: [Double] = []
    /// How many raw points each stored point stands for (1, 2, 4, …).
    public private(set) var pointsPerSample = 1
    /// Raw points taken in.
    public private(set) var total = 0
    public let limit: Int
    private var pendingX = 0.0, pendingY = 0.0, pendingCount = 0

    public init(limit: Int = 100_000) { self.limit = Swift.max(limit, 2) }

    public var isEmpty: Bool { total == 0 }
    public var lastY: Double? { pendingCount > 0 ? pendingY / Double(pendingCount) : ys.last }

    public mutating func append(x: Double, y: Double) {
        total += 1
        if pointsPerSample == 1 {
            xs.append(x); ys.append(y)
        } else {
            pendingX += x; pendingY += y; pendingCount += 1
            guard pendingCount == pointsPerSample else { return }
            xs.append(pendingX / Double(pendingCount)); ys.append(pendingY / Double(pendingCount))
            pendingX = 0; pendingY = 0; pendingCount = 0
        }
        if xs.count > limit { halve() }
    }

    private mutating func halve() {
        let n = xs.count / 2
        var nx = [Double](), ny = [Double]()
        nx.reserveCapacity(limit / 2 + 2); ny.reserveCapacity(limit / 2 + 2)
        for i in 0..<n {
            nx.append((xs[2 * i] + xs[2 * i + 1]) / 2)
            ny.append((ys[2 * i] + ys[2 * i + 1]) / 2)
        }
        if xs.count % 2 == 1 {
            // The odd point out starts the next group, weighted as the points of the old size it stands for.
            pendingX = xs[xs.count - 1] * Double(pointsPerSample)
            pendingY = ys[ys.count - 1] * Double(pointsPerSample)
            pendingCount = pointsPerSample
        }
        xs = nx; ys = ny
        pointsPerSample *= 2
    }
}
