import Foundation

/// Small synthetic datasets for first experiments. Every random draw comes from `Random`, so `seed(n)` makes
/// them reproducible; the generators with noise also shuffle their samples (as scikit-learn's `make_moons`
/// does), so an in-order `split` gives a fair validation set.
extension Dataset {
    /// The four XOR points: x `[4, 2]` = (0,0), (0,1), (1,0), (1,1); y `[4, 1]` = 0, 1, 1, 0 (targets, not
    /// classes — a sigmoid output with `bce` or `mse`).
    public static func xor() -> Dataset {
        Dataset(unchecked: .floats([0, 0, 0, 1, 1, 0, 1, 1]), targets: [0, 1, 1, 0], count: 4,
                sampleShape: [2], targetShape: [1], classes: nil)
    }

    /// The classic CS231n spiral: `n` points **per class** for each of `classes` arms. For arm j, radius
    /// r = linspace(0, 1, n) and angle t = linspace(4j, 4(j+1), n) + 0.2·N(0,1); the point is (r·sin t, r·cos t)
    /// and its label j. x `[n·classes, 2]`, y class indices `[n·classes]`, rows shuffled.
    public static func spirals(n: Int, classes: Int) throws -> Dataset {
        guard n > 0, classes > 0 else { throw TensorError("spirals needs positive n and classes, got n=\(n), classes=\(classes)") }
        let total = try checkedSize("spirals(\(n), \(classes))", [n, classes])
        var xs = [Float](repeating: 0, count: 2 * total)
        var ys = [Float](repeating: 0, count: total)
        let order: [Int] = Random.with { g in
            for j in 0..<classes {
                for i in 0..<n {
                    let r = linspace(0, 1, n, i)
                    let t = linspace(Double(4 * j), Double(4 * (j + 1)), n, i) + 0.2 * Double(g.nextNormal())
                    let row = j * n + i
                    xs[2 * row] = Float(r * sin(t))
                    xs[2 * row + 1] = Float(r * cos(t))
                    ys[row] = Float(j)
                }
            }
            return g.permutation(total)
        }
        return Dataset(unchecked: .floats(xs), targets: ys, count: total, sampleShape: [2], targetShape: [],
                       classes: classes).select(order)
    }

    /// Two interleaving half circles, as scikit-learn's `make_moons(n, noise=noise)`: ⌊n/2⌋ points on the upper
    /// unit half circle (cos s, sin s), s = linspace(0, π) (label 0), and the rest on the lower one shifted to
    /// (1 − cos s, 0.5 − sin s) (label 1); then N(0, noise²) is added to each coordinate and the rows are
    /// shuffled. x `[n, 2]`, y class indices `[n]`, 2 classes.
    public static func moons(n: Int, noise: Double = 0) throws -> Dataset {
        guard n > 0 else { throw TensorError("moons needs a positive number of points, got \(n)") }
        guard noise >= 0, noise.isFinite else { throw TensorError("moons noise must be a non-negative number, got \(numberString(noise))") }
        _ = try checkedSize("moons(\(n))", [n])
        let outer = n / 2, inner = n - outer
        var xs = [Float](repeating: 0, count: 2 * n)
        var ys = [Float](repeating: 0, count: n)
        for i in 0..<outer {
            let s = linspace(0, Double.pi, outer, i)
            xs[2 * i] = Float(cos(s)); xs[2 * i + 1] = Float(sin(s))
        }
        for i in 0..<inner {
            let s = linspace(0, Double.pi, inner, i)
            let row = outer + i
            xs[2 * row] = Float(1 - cos(s)); xs[2 * row + 1] = Float(0.5 - sin(s))
            ys[row] = 1
        }
        let order: [Int] = Random.with { g in
            if noise > 0 { for k in xs.indices { xs[k] += Float(noise) * g.nextNormal() } }
            return g.permutation(n)
        }
        return Dataset(unchecked: .floats(xs), targets: ys, count: n, sampleShape: [2], targetShape: [],
                       classes: 2).select(order)
    }
}

/// Element `i` of NumPy's `linspace(a, b, n)` (endpoint included; `[a]` when n == 1).
/// The number of points `dims` ask for, refused when the process cannot hold them: per point two input
/// floats, a label, a shuffled position and the shuffled copy — 32 bytes.
private func checkedSize(_ call: String, _ dims: [Int]) throws -> Int {
    guard let total = try? Shape.checkedCount(dims) else { throw TensorError("\(call) asks for too many points") }
    try MemoryBudget.check(count: total, elementSize: 32, what: "the \(total) points of \(call)")
    return total
}

func linspace(_ a: Double, _ b: Double, _ n: Int, _ i: Int) -> Double {
    n == 1 ? a : a + (b - a) * Double(i) / Double(n - 1)
}
