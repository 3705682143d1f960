import XCTest
@testable import MaplEngine

/// zeros ones full rand randn arange linspace eye onehot, and the generator behind rand/randn.
final class CreationTests: XCTestCase {
    func testConstantFills() throws {
        assertClose(try Tensor.zeros([2, 3]), [2, 3], [0, 0, 0, 0, 0, 0])
        assertClose(try Tensor.ones([3]), [3], [1, 1, 1])
        assertClose(try Tensor.full([2, 2], 7.5), [2, 2], [7.5, 7.5, 7.5, 7.5])
        assertClose(try Tensor.zeros([]), [], [0])
        XCTAssertEqual(try Tensor.zeros([0, 4]).count, 0)
        assertThrows(["negative", "[2, -1]"]) { try Tensor.zeros([2, -1]) }
        assertThrows(["too large"]) { try Tensor.ones([1 << 20, 1 << 20]) }
    }

    func testArangeAndLinspaceMatchNumPy() throws {
        // np.arange(0.5, 2.0, 0.4) -> [0.5, 0.9, 1.3, 1.7]; np.arange(5, 0, -2) -> [5, 3, 1]; np.arange(4) -> [0, 1, 2, 3]
        assertClose(try Tensor.arange(0.5, 2.0, 0.4), [4], [0.5, 0.9, 1.3, 1.7])
        assertClose(try Tensor.arange(5, 0, -2), [3], [5, 3, 1])
        assertClose(try Tensor.arange(0, 4), [4], [0, 1, 2, 3])
        XCTAssertEqual(try Tensor.arange(3, 1).shape, [0])  // np.arange(3, 1) is empty
        assertThrows(["step"]) { try Tensor.arange(0, 1, 0) }
        assertThrows(["step"]) { try Tensor.arange(0, .infinity) }
        assertThrows(["elements"]) { try Tensor.arange(0, 1e12) }
        // np.linspace(0, 1, 5) -> [0, .25, .5, .75, 1]; np.linspace(-1, 2, 4) -> [-1, 0, 1, 2]
        assertClose(try Tensor.linspace(0, 1, 5), [5], [0, 0.25, 0.5, 0.75, 1])
        assertClose(try Tensor.linspace(-1, 2, 4), [4], [-1, 0, 1, 2])
        assertClose(try Tensor.linspace(3, 9, 1), [1], [3])
        XCTAssertEqual(try Tensor.linspace(0, 1, 0).shape, [0])
        assertThrows(["non-negative", "-2"]) { try Tensor.linspace(0, 1, -2) }
    }

    func testEyeAndOnehot() throws {
        assertClose(try Tensor.eye(3), [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1])
        assertClose(try Tensor.onehot(Tensor([2, 0, 1]), 3), [3, 3], [0, 0, 1, 1, 0, 0, 0, 1, 0])
        assertClose(try Tensor.onehot(T([2, 1], [1, 0]), 2), [2, 1, 2], [0, 1, 1, 0])
        assertThrows(["label 3", "0..<3"]) { try Tensor.onehot(Tensor([0, 3]), 3) }
        assertThrows(["label 1.5"]) { try Tensor.onehot(Tensor([1.5]), 3) }
        assertThrows(["label -1"]) { try Tensor.onehot(Tensor([-1]), 3) }
        assertThrows(["positive"]) { try Tensor.onehot(Tensor([0]), 0) }
        assertThrows(["negative"]) { try Tensor.eye(-1) }
    }

    /// Reference values from an independent Python transcription of Vigna's xoshiro256** and SplitMix64
    /// C code (64-bit masking by hand), run once: `python3 rng.py` —
    ///   SplitMix64(seed 0) first output 0xe220a8397b1dcdaf (the published test value);
    ///   xoshiro256** seeded through SplitMix64:
    ///     seed 0:  0x99ec5f36cb75f2b4 0xbf6e1f784956452a 0x1a5f849d4933e6e0 0x6aa594f1262d2d2c
    ///     seed 42: 0x15780b2e0c2ec716 0x6104d9866d113a7e 0xae17533239e499a1 0xecb8ad4703b360a1
    ///   floats (top 24 bits × 2⁻²⁴), seed 42: 0.08386296, 0.37898022, 0.6800434, 0.92469293
    ///   Box–Muller normals (double, cos first then the cached sin spare), seed 7:
    ///     -0.15157275, 0.8298971, 0.58709955, -0.07005747
    func testGeneratorMatchesReferenceImplementation() {
        var g0 = RandomGenerator(seed: 0)
        XCTAssertEqual((0..<4).map { _ in g0.next() },
                       [0x99ec5f36cb75f2b4, 0xbf6e1f784956452a, 0x1a5f849d4933e6e0, 0x6aa594f1262d2d2c])
        var g42 = RandomGenerator(seed: 42)
        XCTAssertEqual((0..<4).map { _ in g42.next() },
                       [0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1, 0xecb8ad4703b360a1])
        var f = RandomGenerator(seed: 42)
        XCTAssertEqual((0..<4).map { _ in f.nextFloat() }, [0.08386296033859253, 0.37898021936416626, 0.6800433993339539, 0.9246929287910461])
        var n = RandomGenerator(seed: 7)
        let normals = (0..<4).map { _ in n.nextNormal() }
        assertClose(Tensor(normals), [4], [-0.15157274901866913, 0.8298971056938171, 0.587099552154541, -0.0700574666261673], tol: 1e-6)
    }

    func testSeedMakesRandReproducible() throws {
        Random.seed(123)
        let a = try Tensor.rand([50]), an = try Tensor.randn([51])
        Random.seed(123)
        let b = try Tensor.rand([50]), bn = try Tensor.randn([51])
        XCTAssertEqual(a, b)  // bit-for-bit
        XCTAssertEqual(an, bn)
        Random.seed(124)
        let c = try Tensor.rand([50]), cn = try Tensor.randn([51])
        XCTAssertNotEqual(a, c)
        XCTAssertNotEqual(an, cn)
        // rand with seed 42 is exactly the reference float sequence above.
        Random.seed(42)
        XCTAssertEqual(try Tensor.rand([4]).scalars, [0.08386296033859253, 0.37898021936416626, 0.6800433993339539, 0.9246929287910461])
        XCTAssertTrue(a.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        let u = try Tensor.uniform([1000], low: -2, high: 3)
        XCTAssertTrue(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        // Reseeding drops the cached Box–Muller spare: an odd count before the reseed must not leak into the next run.
        Random.seed(9); _ = try Tensor.randn([1]); Random.seed(9)
        let first = try Tensor.randn([2])
        Random.seed(9)
        XCTAssertEqual(try Tensor.randn([2]), first)
    }

    func testRandnMomentsOn100kDraws() throws {
        Random.seed(2024)
        let z = try Tensor.randn([100_000])
        let n = Double(z.count)
        let mean = z.scalars.reduce(0.0) { $0 + Double($1) } / n
        let variance = z.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        // Standard error of the mean is 1/√1e5 ≈ 0.003; allow 10×.
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance.squareRoot(), 1, accuracy: 0.03)
        // Tails: P(|z| > 3) ≈ 0.27 %, so roughly 270 of 100k.
        let tail = z.scalars.filter { Swift.abs($0) > 3 }.count
        XCTAssertTrue(tail > 150 && tail < 400, "tail count \(tail)")
        let u = try Tensor.rand([100_000])
        XCTAssertEqual(Double(u.scalars.reduce(0, +)) / 100_000, 0.5, accuracy: 0.01)
    }

    func testIntegerDrawsAndPermutation() {
        var g = RandomGenerator(seed: 5)
        var seen = [Int](repeating: 0, count: 6)
        for _ in 0..<6000 { seen[g.nextInt(below: 6)] += 1 }
        XCTAssertTrue(seen.allSatisfy { $0 > 850 && $0 < 1150 }, "\(seen)")
        let p = g.permutation(10)
        XCTAssertEqual(p.sorted(), Array(0..<10))
        XCTAssertEqual(g.permutation(0), [])
    }
}
