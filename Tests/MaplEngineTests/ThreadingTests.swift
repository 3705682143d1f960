import XCTest
import Foundation
@testable import MaplEngine

/// What may happen on several threads at once: recording graphs (grad mode is per thread), numbering nodes
/// and drawing random numbers.
final class ThreadingTests: XCTestCase {
    /// `nograd` on one thread leaves another thread recording, as in PyTorch.
    func testGradModeBelongsToTheThread() throws {
        nonisolated(unsafe) let w = Variable.parameter(Tensor([1, 2]))
        let insideNoGrad = DispatchSemaphore(value: 0), otherDone = DispatchSemaphore(value: 0)
        let recordedElsewhere = LockedBox(false)
        let other = Thread {
            insideNoGrad.wait()
            let y = try? w * w
            recordedElsewhere.value = (y?.requiresGrad == true && y?.op != nil)
            otherDone.signal()
        }
        other.start()
        let here = try GradMode.withoutGrad { () -> Variable in
            insideNoGrad.signal()
            otherDone.wait()
            return try w * w
        }
        XCTAssertFalse(here.requiresGrad, "inside nograd this thread records nothing")
        XCTAssertTrue(recordedElsewhere.value, "the other thread kept recording while this one was in nograd")
        XCTAssertTrue(GradMode.isEnabled, "recording is back on after the scope")
    }

    /// Node ids stay unique when two threads build graphs at the same time.
    func testNodeIDsAreUniqueAcrossThreads() {
        let perThread = 20_000
        let ids = LockedBox<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            var mine: [Int] = []
            mine.reserveCapacity(perThread)
            for _ in 0..<perThread { mine.append(Variable(Tensor(1)).id) }
            ids.withValue { $0 += mine }
        }
        XCTAssertEqual(ids.value.count, 2 * perThread)
        XCTAssertEqual(Set(ids.value).count, 2 * perThread, "two nodes got the same id")
    }

    /// Draws from two threads never corrupt the shared generator: together they take exactly the numbers a
    /// single thread would have taken, each once.
    func testSharedGeneratorHandsOutEachDrawOnce() {
        Random.seed(42)
        let expected = Random.with { g in (0..<4000).map { _ in g.next() } }
        Random.seed(42)
        let drawn = LockedBox<[UInt64]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            var mine: [UInt64] = []
            for _ in 0..<2000 { mine.append(Random.with { $0.next() }) }
            drawn.withValue { $0 += mine }
        }
        XCTAssertEqual(Set(drawn.value), Set(expected))
    }
}

/// A value shared between test threads behind a lock.
final class LockedBox<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
    func withValue(_ body: (inout T) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
