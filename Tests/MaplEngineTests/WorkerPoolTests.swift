import XCTest
import Foundation
@testable import MaplEngine

/// The engine's worker threads and the matrix products it splits over them.
final class WorkerPoolTests: XCTestCase {
    /// The engine splits products and loops only when the program asks for it, as `mapl` does.
    override class func setUp() { Engine.configure(.recommended) }

    /// Every part runs exactly once, for part counts below, at and above the number of threads.
    func testEveryPartRunsOnce() {
        for parts in [1, 2, 3, 7, 64, 255] {
            var hits = [Int](repeating: 0, count: parts)
            hits.withUnsafeMutableBufferPointer { h in
                WorkerPool.shared.run(parts: parts) { part in h[part] += 1 }  // disjoint writes
            }
            XCTAssertEqual(hits, [Int](repeating: 1, count: parts), "parts: \(parts)")
        }
    }

    /// A parallel loop inside a parallel loop runs serially on its caller instead of waiting for itself.
    func testNestedJobsRunSerially() {
        var sums = [Int](repeating: 0, count: 4)
        sums.withUnsafeMutableBufferPointer { s in
            WorkerPool.shared.run(parts: 4) { outer in
                var inner = [Int](repeating: 0, count: 10)
                inner.withUnsafeMutableBufferPointer { i in WorkerPool.shared.run(parts: 10) { part in i[part] = part + outer } }
                s[outer] = inner.reduce(0, +)
            }
        }
        XCTAssertEqual(sums, (0..<4).map { 45 + 10 * $0 })  // Σ₀⁹ (p + outer)
    }

    /// Jobs from several threads at once: each either gets the workers or runs serially, none is lost.
    func testConcurrentSubmittersAllFinish() {
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8 * 100)
        defer { results.deallocate() }
        results.initialize(repeating: 0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<20 {
                WorkerPool.shared.run(parts: 100) { part in results[thread * 100 + part] += round + 1 }
            }
        }
        XCTAssertEqual(Array(results), [Int](repeating: 210, count: 800))  // Σ₁²⁰ r
    }

    /// Ranges cover `0 ..< count` without gaps or overlaps and start at multiples of the alignment.
    func testRangesTileTheLoop() {
        for (count, alignment) in [(100_003, 8), (70_000, 1), (33, 16), (5, 1)] {
            var seen = [Int](repeating: 0, count: count)
            let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 256)
            defer { starts.deallocate() }
            starts.initialize(repeating: -1)
            seen.withUnsafeMutableBufferPointer { s in
                Parallel.ranges(count, work: count, minimumWork: 0, alignment: alignment) { r in
                    for i in r { s[i] += 1 }
                    if !r.isEmpty { starts[r.lowerBound % 256] = r.lowerBound }
                }
            }
            XCTAssertEqual(seen, [Int](repeating: 1, count: count), "count \(count)")
            for s in starts where s > 0 { XCTAssertEqual(s % alignment, 0) }
        }
    }

    /// Products big enough to be split (by columns when C is wide, by rows when it is tall; sizes not
    /// multiples of 16), with every transpose combination, against a float64 triple loop.
    func testSplitProductsMatchTheDefinition() throws {
        for (m, n, k) in [(37, 1000, 61), (1000, 37, 61), (64, 128, 784), (784, 128, 64)] {
            XCTAssertGreaterThan(BLAS.parts(m: m, n: n, k: k), 1, "\(m)×\(n)×\(k) should be split")
            let a = (0..<(m * k)).map { Float(Foundation.sin(0.013 * Double($0))) }
            let b = (0..<(k * n)).map { Float(Foundation.cos(0.007 * Double($0))) }
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let ta_ = try Tensor(shape: ta ? [k, m] : [m, k], scalars: a)
                let tb_ = try Tensor(shape: tb ? [n, k] : [k, n], scalars: b)
                let c = try Tensor.matmul(ta_, tb_, transposeA: ta, transposeB: tb)
                XCTAssertEqual(c.shape, [m, n])
                var worst = 0.0
                for i in Swift.stride(from: 0, to: m, by: 7) { for j in Swift.stride(from: 0, to: n, by: 5) {
                    var s = 0.0
                    for p in 0..<k {
                        s += Double(a[ta ? p * m + i : i * k + p]) * Double(b[tb ? j * k + p : p * n + j])
                    }
                    worst = Swift.max(worst, Swift.abs(s - Double(c.scalars[i * n + j])))
                } }
                XCTAssertLessThan(worst, 1e-3, "\(m)×\(n)×\(k) transposes \(ta) \(tb)")
            }
        }
    }
}
