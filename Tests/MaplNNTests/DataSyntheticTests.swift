import XCTest
@testable import MaplNN

/// xor, spirals and moons: shapes, labels, the geometry the definitions promise, and seeding.
final class DataSyntheticTests: XCTestCase {
    func testXor() throws {
        let d = Dataset.xor()
        XCTAssertEqual(try d.x, try Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1]))
        XCTAssertEqual(try d.y, try Tensor(shape: [4, 1], scalars: [0, 1, 1, 0]))
        XCTAssertNil(d.classes)
    }

    /// The radius of each point is exact (noise only moves the angle): per class, the radii are linspace(0, 1, n).
    func testSpiralsGeometry() throws {
        Random.seed(1)
        let d = try Dataset.spirals(n: 5, classes: 3)
        XCTAssertEqual(d.count, 15)
        XCTAssertEqual(d.classes, 3)
        let x = try d.x, y = try d.y
        XCTAssertEqual(x.shape, [15, 2])
        for c in 0..<3 {
            var radii: [Float] = []
            for i in 0..<15 where y.scalars[i] == Float(c) {
                let px = x.scalars[2 * i], py = x.scalars[2 * i + 1]
                radii.append((px * px + py * py).squareRoot())
            }
            radii.sort()
            XCTAssertEqual(radii.count, 5)
            for (r, expected) in zip(radii, [0, 0.25, 0.5, 0.75, 1] as [Float]) { XCTAssertEqual(r, expected, accuracy: 1e-6) }
        }
        Random.seed(1)
        XCTAssertEqual(try Dataset.spirals(n: 5, classes: 3).x, x)
        Random.seed(2)
        XCTAssertNotEqual(try Dataset.spirals(n: 5, classes: 3).x, x)
        XCTAssertThrowsError(try Dataset.spirals(n: 0, classes: 3))
    }

    /// make_moons(5, noise=0) by hand: outer s ∈ {0, π}: (1, 0), (−1, 0); inner s ∈ {0, π/2, π}:
    /// (0, 0.5), (1, −0.5), (2, 0.5).
    func testMoonsWithoutNoise() throws {
        let d = try Dataset.moons(n: 5, noise: 0)
        let x = try d.x, y = try d.y
        var points: [[Float]] = []
        for i in 0..<5 { points.append([x.scalars[2 * i], x.scalars[2 * i + 1], y.scalars[i]]) }
        let expected: [[Float]] = [[1, 0, 0], [-1, 0, 0], [0, 0.5, 1], [1, -0.5, 1], [2, 0.5, 1]]
        for e in expected {
            XCTAssertTrue(points.contains { p in zip(p, e).allSatisfy { abs($0 - $1) < 1e-6 } }, "missing \(e) in \(points)")
        }
        XCTAssertEqual(d.classes, 2)
    }

    func testMoonsNoiseIsSeeded() throws {
        Random.seed(9)
        let a = try Dataset.moons(n: 200, noise: 0.1)
        Random.seed(9)
        XCTAssertEqual(try Dataset.moons(n: 200, noise: 0.1).x, try a.x)
        XCTAssertEqual(try a.y.scalars.reduce(0, +), 100)
        XCTAssertThrowsError(try Dataset.moons(n: 10, noise: -1))
    }
}
