import XCTest
import Foundation
import Synchronization
@testable import MaplEngine

/// The engine's worker threads and the matrix products it splits over them.
final class WorkerPoolTests: XCTestCase {
    /// The engine splits products and loops only when the program asks for it, as `mapl` does.
    override class func setUp() { Engine.configure(.recommended) }

    /// `count` counters, zero at first, that `body` may bump from any thread (each its own), read back after.
    private func counters(_ count: Int, _ body: (UnsafeMutableBufferPointer<Int>) throws -> Void) rethrows -> [Int] {
        let c = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(count, 1))
        defer { c.deallocate() }
        c.initialize(repeating: 0)
        try body(c)
        return Array(c.prefix(count))
    }

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
        let results = counters(8 * 100) { results in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for round in 0..<20 {
                    WorkerPool.shared.run(parts: 100) { part in results[thread * 100 + part] += round + 1 }
                }
            }
        }
        XCTAssertEqual(results, [Int](repeating: 210, count: 800))  // Σ₁²⁰ r
    }

    /// Background work: every chunk runs exactly once and the work's result comes back, whatever the chunk
    /// count (the 255 limit included), with jobs inside the work or none, on one thread or on all.
    func testBackgroundChunksEachRunOnce() {
        defer { Parallel.setThreads(nil) }
        for threads in [1, 2, 4] {
            Parallel.setThreads(threads)
            for (chunks, jobs) in [(1, 0), (8, 0), (8, 3), (255, 5), (300, 2), (0, 1)] {
                var result = "", parts: [Int] = []
                let hits = counters(chunks) { hits in
                    parts = counters(16) { p in
                        result = Parallel.background(chunks: chunks, { c in hits[c] += 1 }, while: { () -> String in
                            for _ in 0..<jobs { WorkerPool.shared.run(parts: 16) { p[$0] += 1 } }
                            return "done"
                        })
                    }
                }
                XCTAssertEqual(result, "done")
                XCTAssertEqual(hits, [Int](repeating: 1, count: chunks), "threads \(threads), chunks \(chunks), jobs \(jobs)")
                XCTAssertEqual(parts, [Int](repeating: jobs, count: 16))
            }
        }
    }

    /// With a worker free, the chunks run while the work is still running, not after it: the work here
    /// (a job of its own first) waits for one to have run.
    func testBackgroundChunksRunDuringTheWork() throws {
        guard WorkerPool.shared.workers > 0 else { throw XCTSkip("one core: no worker to run chunks alongside") }
        Parallel.setThreads(nil)
        let ran = Atomic<Int>(0)
        var touched = [Int](repeating: 0, count: 2)
        let sawChunkDuringWork = touched.withUnsafeMutableBufferPointer { t in
            Parallel.background(chunks: 4, { _ in ran.add(1, ordering: .releasing) }, while: { () -> Bool in
                WorkerPool.shared.run(parts: 2) { t[$0] = 1 }
                let start = DispatchTime.now().uptimeNanoseconds
                while ran.load(ordering: .acquiring) == 0 {
                    if DispatchTime.now().uptimeNanoseconds - start > 10_000_000_000 { return false }
                    sched_yield()
                }
                return true
            })
        }
        XCTAssertTrue(sawChunkDuringWork, "no chunk ran in 10 s while the work waited for one")
        XCTAssertEqual(ran.load(ordering: .acquiring), 4)
        XCTAssertEqual(touched, [1, 1])
    }

    /// When the work throws, every chunk still runs before the error reaches the caller (they write into
    /// memory the caller owns only until then), and the pool takes the next background work as before.
    func testBackgroundFinishesItsChunksWhenTheWorkThrows() throws {
        struct Failure: Error {}
        var afterThrow: [Int] = [], again = 0
        let hits = try counters(8) { hits in
            XCTAssertThrowsError(try Parallel.background(chunks: 8, { hits[$0] += 1 }, while: {
                WorkerPool.shared.run(parts: 2) { _ in }
                throw Failure()
            })) { XCTAssertTrue($0 is Failure) }
            afterThrow = Array(hits)
            again = Parallel.background(chunks: 8, { hits[$0] += 1 }, while: { 7 })
        }
        XCTAssertEqual(afterThrow, [Int](repeating: 1, count: 8))
        XCTAssertEqual(again, 7)
        XCTAssertEqual(hits, [Int](repeating: 2, count: 8))
    }

    /// Background work started inside background work, and from several threads at once: the one that
    /// cannot have the pool runs its chunks itself after its work; none is lost or run twice.
    func testNestedAndConcurrentBackgroundWorkAllFinishes() {
        let results = counters(8 * 40) { results in
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for round in 0..<10 {
                    Parallel.background(chunks: 20, { results[thread * 40 + $0] += round + 1 }, while: {
                        WorkerPool.shared.run(parts: 3) { _ in }
                        Parallel.background(chunks: 20, { results[thread * 40 + 20 + $0] += 1 }, while: {})
                    })
                }
            }
        }
        for thread in 0..<8 {
            XCTAssertEqual(Array(results[(thread * 40)..<(thread * 40 + 20)]), [Int](repeating: 55, count: 20))  // Σ₁¹⁰ r
            XCTAssertEqual(Array(results[(thread * 40 + 20)..<(thread * 40 + 40)]), [Int](repeating: 10, count: 20))
        }
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
